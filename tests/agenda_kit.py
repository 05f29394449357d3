"""A KKR Nordjylland meeting written as the secretariat would: dagsorden, referat and bilag pack.

One meeting (facts below), several layouts: plain text, Word (python-docx, two
styles) and PDF (reportlab). Item 3.4 is closed and carries CANARY in its title,
text, table, bilag title and case number: every public output is checked for it.
"""

from __future__ import annotations

from pathlib import Path

CANARY = "Zebrafinke4711"
CANARY_NUMBER = "9.876,5"        # a figure only the closed item's table prints (SEL § 85, 2024)

DATE_TEXT = "4. december 2026"
DATE_ISO = "2026-12-04"
TIME = "10.00–13.00"
PLACE = "Aalborg Kommune, Boulevarden 13, 9000 Aalborg, mødelokale 1"
PARTICIPANTS = ["Arne Boelt (formand)", "Mogens Christen Gade (næstformand)", "Birgit S. Hansen",
                "Thomas Kastrup-Larsen", "Ulla Vestergaard"]
ABSENT = "Karsten Nielsen"

SOSU_HEADER = ["Kommune", "Assistenter 2027", "Hjælpere 2026", "Assistenter 2026", "Hjælpere 2027"]
SOSU_ROWS = [  # kommune, ass 2027, hjæ 2026, ass 2026, hjæ 2027
    ("Aalborg", 200, 98, 196, 100),
    ("Hjørring", 78, 38, 76, 39),
    ("Frederikshavn", 79, 38, 77, 39),
    ("Thisted", 52, 25, 51, 26),
    ("Morsø", 26, 13, 26, 13),
]
SOCIAL_HEADER = ["Udgifter (mio. kr.)", "2024", "2025", "2026"]
SOCIAL_ROWS = [
    ("SEL § 107", "514,7", "520,1", "531,4"),
    ("SEL § 108", "423,6", "431,0", "440,2"),
    ("ABL § 105/85", "1.172,2", "1.190,5", "1.205,8"),
]

ITEMS: list[dict] = [
    {"number": "1", "title": "Godkendelse af dagsorden",
     "indstilling": "Det indstilles, at dagsordenen godkendes.",
     "beslutning": "Dagsordenen blev godkendt."},
    {"group": ("2", "Meddelelser")},
    {"number": "2.1", "title": "Siden sidst", "case": "SAG-2026-00110",
     "sagsfremstilling": "Formandskabet orienterer om henvendelserne til ministrene om de nordjyske "
                         "frikommuneforsøg og om mødet med Folketingets Beskæftigelsesudvalg.",
     "indstilling": "Det indstilles, at KKR Nordjylland tager orienteringen til efterretning.",
     "beslutning": "Orienteringen blev taget til efterretning.",
     "bilag": ["Brev til beskæftigelsesministeren vedr. frikommuneforsøg", "Brev til indenrigsministeren dec 2026"]},
    {"number": "2.2", "title": "Orientering om Nordjysk Socialaftale",
     "sagsfremstilling": "Styregruppen for Nordjysk Socialaftale har drøftet styrings- og rammeaftalen for 2027.",
     "indstilling": "Det indstilles, at KKR Nordjylland tager orienteringen til efterretning.",
     "beslutning": "Taget til efterretning."},
    {"group": ("3", "Sager til drøftelse og beslutning")},
    {"number": "3.1", "title": "Dimensionering af SOSU-uddannelserne 2027", "case": "SAG-2026-04512",
     "baggrund": "KKR Nordjylland fastlægger hvert år fordelingen af lærepladser på social- og "
                 "sundhedsuddannelserne mellem de 11 kommuner.",
     "sagsfremstilling": "Tabellen viser lærepladserne for 2026 og forslaget for 2027 for de kommuner, "
                         "hvor dimensioneringen ændres.",
     "table": "sosu",
     "indstilling": "Det indstilles, at KKR Nordjylland godkender fordelingen af lærepladser for 2027.",
     "beslutning": "Fordelingen blev godkendt.",
     "bilag": ["Fordeling af lærepladser på SOSU-uddannelserne 2027"]},
    {"number": "3.2", "title": "Dimensionering af pædagoguddannelsen 2027",
     "sagsfremstilling": "Sparringsgruppen på pædagogområdet anbefaler, at UCN får 540 studiepladser i 2027, "
                         "heraf 40 ekstra. Pladserne fordeles på Thisted, Hjørring og Aalborg.",
     "indstilling": "Det indstilles, at KKR Nordjylland godkender anbefalingen.",
     "beslutning": "Anbefalingen blev godkendt.",
     "bilag": ["Sparringsgruppe på pædagogområdet - notat om dimensioneringen 2027"]},
    {"number": "3.3", "title": "Det specialiserede voksensocialområde – udgifter",
     "sagsfremstilling": "Udgifterne på de tre paragraffer er steget fra 2024 til 2026, jf. tabellen.",
     "table": "social",
     "indstilling": "Det indstilles, at KKR Nordjylland drøfter udviklingen i udgifterne.",
     "beslutning": "KKR drøftede udviklingen og bad om en ny opgørelse til juni."},
    {"number": "3.4", "title": f"Ansættelse af direktør for Nordjysk Socialaftale {CANARY}", "closed": True,
     "case": f"SAG-2026-{CANARY}",
     "sagsfremstilling": f"Ansættelsesudvalget har afholdt samtaler med tre kandidater. {CANARY} anbefales; "
                         "lønnen fremgår af tabellen.",
     "table": "closed",
     "indstilling": f"Det indstilles, at KKR Nordjylland ansætter {CANARY}.",
     "beslutning": f"{CANARY} blev ansat.",
     "bilag": [f"Indstillingsnotat {CANARY}"]},
    {"number": "3.5", "title": "Resultatkontrakt 2027 for Erhvervshus Nordjylland", "case": "SAG-2026-02209",
     "sagsfremstilling": "Udkastet til resultatkontrakt 2027 er forhandlet med Erhvervshus Nordjylland og "
                         "bygger på rammeaftalen 2024-2027.",
     "indstilling": "Det indstilles, at KKR Nordjylland godkender resultatkontrakten og bemyndiger formanden "
                    "til at underskrive den.",
     "beslutning": "Godkendt.",
     "bilag": ["Udkast til resultatkontrakt 2027"]},
    {"number": "4", "title": "Eventuelt", "beslutning": "Intet."},
]


def items() -> list[dict]:
    return [i for i in ITEMS if "number" in i]


def table_rows(kind: str) -> list[list[str]]:
    if kind == "sosu":
        return [SOSU_HEADER] + [[name, *(str(v) for v in values)] for name, *values in SOSU_ROWS]
    if kind == "social":
        return [SOCIAL_HEADER] + [list(r) for r in SOCIAL_ROWS]
    return [SOCIAL_HEADER, ["SEL § 85", CANARY_NUMBER, "9.877,5", "9.878,5"]]


def expected_facts(referat: bool = False) -> dict[str, object]:
    """Golden facts as (key → value) for scoring: meeting, items, sections, bilag, figures."""
    facts: dict[str, object] = {
        "date": DATE_ISO, "time": TIME, "place": PLACE, "body": "KKR Nordjylland",
    }
    for item in items():
        n = item["number"]
        facts[f"{n}.title"] = item["title"]
        facts[f"{n}.access"] = "lukket" if item.get("closed") else "åben"
        for key in ("baggrund", "sagsfremstilling", "indstilling"):
            if item.get(key):
                facts[f"{n}.{key}"] = item[key]
        if referat and item.get("beslutning"):
            facts[f"{n}.beslutning"] = item["beslutning"]
        if item.get("case"):
            facts[f"{n}.case"] = item["case"]
        for k, title in enumerate(item.get("bilag", []), start=1):
            facts[f"{n}.bilag{k}"] = title
    facts["3.1.group"] = "3. Sager til drøftelse og beslutning"
    facts["2.1.group"] = "2. Meddelelser"
    for name, ass27, hj26, ass26, hj27 in SOSU_ROWS:
        facts[f"sosu.{name}.assistent.2027"] = ass27
        facts[f"sosu.{name}.hjælper.2026"] = hj26
        facts[f"sosu.{name}.assistent.2026"] = ass26
        facts[f"sosu.{name}.hjælper.2027"] = hj27
    facts["paedagog.2027.places"] = 540
    facts["paedagog.2027.extra"] = 40
    for para, *values in SOCIAL_ROWS:
        for year, value in zip(SOCIAL_HEADER[1:], values, strict=True):
            facts[f"social.{para}.{year}"] = value
    return facts


# --- text ------------------------------------------------------------------------------------------


def _item_text(item: dict, *, referat: bool, style: str) -> list[str]:
    heading = f"{item['number']}. {item['title']}" if "." not in item["number"] else f"{item['number']} {item['title']}"
    out = [heading + (" (Lukket punkt)" if item.get("closed") and style == "a" else "")]
    if item.get("closed") and style != "a":
        out.append("Lukket punkt")
    if item.get("case"):
        out.append(f"Sagsnr.: {item['case']}" if style == "a" else f"Sags ID: {item['case']}")
    order = ["indstilling", "baggrund", "sagsfremstilling", "beslutning"] if style == "b" else \
        ["baggrund", "sagsfremstilling", "indstilling", "beslutning"]
    for key in order:
        text = item.get(key)
        if key == "beslutning" and not referat:
            text = None if style == "a" else ""
        if text is None:
            continue
        label = key.capitalize()
        if style == "a":
            out += ["", label, text]
        else:
            out += ["", f"{label}: {text}"]
        if key == "sagsfremstilling" and item.get("table"):
            out.append("")
            out += ["\t".join(row) for row in table_rows(item["table"])]
    if item.get("bilag"):
        out += ["", "Bilag"] + [f"Bilag {k}: {t}" for k, t in enumerate(item["bilag"], start=1)]
    return out + [""]


def agenda_text(*, referat: bool = False, style: str = "a") -> str:
    kind = "Referat" if referat else "Dagsorden"
    out = ["KKR NORDJYLLAND", "", kind, ""]
    if style == "a":
        out += [f"Mødedato: {DATE_TEXT}, kl. {TIME}", f"Mødested: {PLACE}", f"Afbud: {ABSENT}", "Deltagere:"]
        out += PARTICIPANTS
    else:
        out += [f"Dato: {DATE_TEXT}", f"Tidspunkt: kl. {TIME.replace('–', '-')}", f"Sted: {PLACE}",
                "Deltagere: " + ", ".join(PARTICIPANTS), f"Afbud: {ABSENT}"]
    out += ["", "Indholdsfortegnelse"]
    page = 2
    for entry in ITEMS:
        if "group" in entry:
            out.append(f"{entry['group'][0]}. {entry['group'][1]}\t{page}")
            continue
        n = entry["number"]
        title = entry["title"] + (" (Lukket punkt)" if entry.get("closed") and style == "a" else "")
        sep = "\t" if style == "a" else " ..... "
        out.append(f"{n}{'.' if '.' not in n else ''} {title}{sep}{page}")
        page += 1
    out.append("")
    for entry in ITEMS:
        if "group" in entry:
            out += [f"{entry['group'][0]}. {entry['group'][1]}", ""]
            continue
        out += _item_text(entry, referat=referat, style=style)
    return "\n".join(out) + "\n"


def bilag_pack_text(extra: dict | None = None) -> str:
    """The meeting's bilag pack, as the secretariat's PDF-to-text extractions read; `extra` adds an item
    the dagsorden does not have."""
    out = [f"KKR Nordjylland – møde den {DATE_TEXT}", "", "Indholdsfortegnelse - Bilag\t1"]
    page = 2
    body: list[str] = []
    for item in items() + ([extra] if extra else []):
        if not item.get("bilag"):
            continue
        out.append(f"{item['number']} {item['title']}\t{page}")
        for k, title in enumerate(item["bilag"], start=1):
            out.append(f"Bilag {k}: {title}\t{page}")
            body += [item["number"], "", item["title"], "", title.upper(), "",
                     f"Dette er bilag {k} til punkt {item['number']}. " + (
                         f"Det fortrolige notat om {CANARY}." if item.get("closed") else
                         "Teksten beskriver sagen nærmere for KKR Nordjylland."), ""]
            page += 2
    return "\n".join(out + [""] + body) + "\n"


# --- Word ------------------------------------------------------------------------------------------


def write_docx(path: Path, *, referat: bool = False, style: str = "a") -> Path:
    """Style a: cover as a table, headings as Heading styles, labels as bold lines, one item per page.
    Style b: cover as paragraphs, "Indstilling: …" inline, closed marker as first line."""
    import docx

    document = docx.Document()
    document.add_heading("KKR Nordjylland", 0)
    document.add_paragraph("Referat" if referat else "Dagsorden")
    if style == "a":
        table = document.add_table(rows=0, cols=2)
        for label, value in (("Mødedato", f"{DATE_TEXT}, kl. {TIME}"), ("Mødested", PLACE),
                             ("Deltagere", ", ".join(PARTICIPANTS)), ("Afbud", ABSENT)):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    else:
        for text in (f"Dato: {DATE_TEXT}, kl. {TIME}", f"Mødested: {PLACE}", "Deltagere: " + ", ".join(PARTICIPANTS),
                     f"Afbud: {ABSENT}"):
            document.add_paragraph(text)
    document.add_paragraph("Indhold")
    if style == "b":   # as Word's own contents field prints it: number, title, TAB, page
        page = 2
        for entry in ITEMS:
            if "group" in entry:
                document.add_paragraph(f"{entry['group'][0]}.\t{entry['group'][1]}\t{page}")
                continue
            number = entry["number"] + ("." if "." not in entry["number"] else "")
            document.add_paragraph(f"{number}\t{entry['title']}\t{page}")
            page += 1
    toc = document.add_table(rows=0, cols=3)
    page = 2
    for entry in ITEMS if style == "a" else []:
        cells = toc.add_row().cells
        if "group" in entry:
            cells[0].text, cells[1].text, cells[2].text = entry["group"][0] + ".", entry["group"][1], str(page)
            continue
        title = entry["title"] + (" (Lukket)" if entry.get("closed") and style == "a" else "")
        cells[0].text, cells[1].text, cells[2].text = entry["number"], title, str(page)
        page += 1
    for entry in ITEMS:
        if "group" in entry:
            document.add_heading(f"{entry['group'][0]}. {entry['group'][1]}", 1)
            continue
        if style == "a":
            document.add_page_break()
        number = entry["number"] + ("." if "." not in entry["number"] else "")
        closed_tail = " (Lukket)" if entry.get("closed") and style == "a" else ""
        document.add_heading(f"{number} {entry['title']}{closed_tail}", 2)
        if entry.get("closed") and style == "b":
            document.add_paragraph("Fortroligt")
        if entry.get("case"):
            document.add_paragraph(f"Sags ID: {entry['case']}" if style == "a" else f"Sagsnr. {entry['case']}")
        order = ("baggrund", "sagsfremstilling", "indstilling", "beslutning") if style == "a" else \
            ("indstilling", "sagsfremstilling", "baggrund", "beslutning")
        for key in order:
            text = entry.get(key)
            if key == "beslutning" and not referat:
                continue
            if not text:
                continue
            if style == "a":
                p = document.add_paragraph()
                p.add_run(key.capitalize()).bold = True
                document.add_paragraph(text)
            else:
                p = document.add_paragraph()
                p.add_run(key.capitalize() + ":").bold = True
                p.add_run(" " + text)
            if key == "sagsfremstilling" and entry.get("table"):
                rows = table_rows(entry["table"])
                t = document.add_table(rows=0, cols=len(rows[0]))
                t.style = "Table Grid"   # as Word draws a table: with its lines
                for row in rows:
                    cells = t.add_row().cells
                    for cell, value in zip(cells, row, strict=True):
                        cell.text = value
        if entry.get("bilag"):
            p = document.add_paragraph()
            p.add_run("Bilag").bold = True
            for k, title in enumerate(entry["bilag"], start=1):
                document.add_paragraph(f"Bilag {k}: {title}" if style == "a" else f"{k}. {title}")
    document.save(str(path))
    return path


# --- PDF -------------------------------------------------------------------------------------------


def write_pdf(path: Path, *, referat: bool = False) -> Path:
    """reportlab: a layout neither text nor Word uses — upper-case labels, "Dato"/"Sted", a dotted
    contents list, the closed marker as "Fortroligt" after the heading, tables as drawn tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list = [Paragraph("KKR Nordjylland", styles["Title"]),
                   Paragraph("Referat" if referat else "Dagsorden", styles["Heading2"]),
                   Paragraph(f"Dato: {DATE_TEXT} kl. {TIME}", styles["Normal"]),
                   Paragraph(f"Sted: {PLACE}", styles["Normal"]),
                   Paragraph("Deltagere: " + ", ".join(PARTICIPANTS), styles["Normal"]),
                   Paragraph(f"Afbud: {ABSENT}", styles["Normal"]), Spacer(1, 12),
                   Paragraph("Indholdsfortegnelse", styles["Heading2"])]
    page = 2
    for entry in ITEMS:
        if "group" in entry:
            story.append(Paragraph(f"{entry['group'][0]}. {entry['group'][1]} ........ {page}", styles["Normal"]))
            continue
        n = entry["number"] + ("." if "." not in entry["number"] else "")
        story.append(Paragraph(f"{n} {entry['title']} ........ {page}", styles["Normal"]))
        page += 1
    story.append(PageBreak())
    for entry in ITEMS:
        if "group" in entry:
            story.append(Paragraph(f"{entry['group'][0]}. {entry['group'][1]}", styles["Heading1"]))
            continue
        n = entry["number"] + ("." if "." not in entry["number"] else "")
        story.append(Paragraph(f"{n} {entry['title']}", styles["Heading2"]))
        if entry.get("closed"):
            story.append(Paragraph("Fortroligt", styles["Normal"]))
        if entry.get("case"):
            story.append(Paragraph(f"Sagsnr.: {entry['case']}", styles["Normal"]))
        for key in ("sagsfremstilling", "baggrund", "indstilling", "beslutning"):
            text = entry.get(key)
            if not text or (key == "beslutning" and not referat):
                continue
            story.append(Paragraph(key.upper(), styles["Heading4"]))
            story.append(Paragraph(text, styles["Normal"]))
            if key == "sagsfremstilling" and entry.get("table"):
                table = Table(table_rows(entry["table"]))
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
                story.append(table)
        if entry.get("bilag"):
            story.append(Paragraph("BILAG", styles["Heading4"]))
            for k, title in enumerate(entry["bilag"], start=1):
                story.append(Paragraph(f"Bilag {k}: {title}", styles["Normal"]))
        story.append(Spacer(1, 18))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


# --- layouts of another secretariat (the parser was not written against these) -------------------


def agenda_text_other(*, referat: bool = False) -> str:
    """'Punkt 3.1: …' headings, upper-case labels with a colon, 'Sag nr.', date and time on one line,
    the address under its label, a running header and 'Side N af M' on every item page, bilag as
    a dash list, no group headings."""
    closed = " (Lukket)"
    out = ["KKR Nordjylland", "REFERAT" if referat else "DAGSORDEN", "",
           "Dato og tid: Fredag den 4. december 2026 kl. 10.00 - 13.00", "Mødested:", PLACE, "",
           "Deltagere:", *PARTICIPANTS, "", "Afbud:", ABSENT, "", "Indhold", ""]
    for item in items():
        out.append(f"Punkt {item['number']}: {item['title']}{closed if item.get('closed') else ''} .......... 3")
    out.append("")
    for page, item in enumerate(items(), start=2):
        out += ["KKR Nordjylland – dagsorden 4. december 2026", "",
                f"Punkt {item['number']}: {item['title']}{closed if item.get('closed') else ''}", ""]
        if item.get("case"):
            out += [f"Sag nr.: {item['case']}", ""]
        for key in ("indstilling", "sagsfremstilling", "baggrund", "beslutning"):
            if item.get(key) and (key != "beslutning" or referat):
                out += [key.upper() + ":", item[key], ""]
                if key == "sagsfremstilling" and item.get("table"):
                    out += ["\t".join(row) for row in table_rows(item["table"])] + [""]
        if item.get("bilag"):
            out += ["BILAG:", *(f"- {title}" for title in item["bilag"]), ""]
        out += [f"Side {page} af 12", ""]
    return "\n".join(out) + "\n"


def write_docx_autonumbered(path: Path) -> Path:
    """Word numbers the headings itself, so their text has no number: only the contents list has it.
    Section labels are Heading 3, bilag a bullet list, the closed marker the first line."""
    import docx

    document = docx.Document()
    document.add_heading("KKR Nordjylland – Dagsorden", 0)
    document.add_paragraph(f"Mødedato: {DATE_TEXT}, kl. {TIME}")
    document.add_paragraph(f"Mødested: {PLACE}")
    document.add_paragraph("Indholdsfortegnelse")
    for entry in ITEMS:
        if "group" in entry:
            document.add_paragraph(f"{entry['group'][0]}.\t{entry['group'][1]}\t2")
        else:
            document.add_paragraph(f"{entry['number']}\t{entry['title']}\t3")
    for entry in ITEMS:
        if "group" in entry:
            document.add_heading(entry["group"][1], 1)
            continue
        document.add_heading(entry["title"], 2)
        if entry.get("closed"):
            document.add_paragraph("Lukket punkt")
        for key in ("baggrund", "sagsfremstilling", "indstilling"):
            if not entry.get(key):
                continue
            document.add_heading(key.capitalize(), 3)
            document.add_paragraph(entry[key])
            if key == "sagsfremstilling" and entry.get("table"):
                rows = table_rows(entry["table"])
                table = document.add_table(rows=0, cols=len(rows[0]))
                table.style = "Table Grid"
                for row in rows:
                    for cell, value in zip(table.add_row().cells, row, strict=True):
                        cell.text = value
        if entry.get("case"):
            document.add_paragraph(f"Sagsnr. {entry['case']}")
        if entry.get("bilag"):
            document.add_heading("Bilag", 3)
            for title in entry["bilag"]:
                document.add_paragraph(title, style="List Bullet")
    document.save(str(path))
    return path


def write_pdf_plain(path: Path) -> Path:
    """reportlab, no contents list: the cover as a table, "Punkt 3.1 – …" headings that wrap,
    "[LUKKET PUNKT]" after the title, bold inline labels, SOSU columns as SSH/SSA in yet another order."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    story: list = [Paragraph("Dagsorden for møde i KKR Nordjylland", styles["Title"]),
                   Table([["Mødedato", f"{DATE_TEXT} kl. {TIME.replace('–', '-')}"], ["Mødested", PLACE],
                          ["Afbud", ABSENT]]), Spacer(1, 20)]
    for item in items():
        closed = " [LUKKET PUNKT]" if item.get("closed") else ""
        story.append(Paragraph(f"Punkt {item['number']} – {item['title']}{closed}", styles["Heading2"]))
        if item.get("case"):
            story.append(Paragraph(f"Sags ID: {item['case']}", styles["Normal"]))
        for key in ("baggrund", "sagsfremstilling", "indstilling"):
            if not item.get(key):
                continue
            story += [Paragraph(f"<b>{key.capitalize()}:</b>", styles["Normal"]), Paragraph(item[key], styles["Normal"])]
            grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]   # ruled, as the secretariat's tables are
            if key == "sagsfremstilling" and item.get("table") == "sosu":
                rows = [["Kommune", "SSH 2027", "SSA 2027", "SSH 2026", "SSA 2026"]]
                rows += [[name, str(h27), str(a27), str(h26), str(a26)] for name, a27, h26, a26, h27 in SOSU_ROWS]
                story.append(Table(rows, style=grid))
            elif key == "sagsfremstilling" and item.get("table"):
                story.append(Table(table_rows(item["table"]), style=grid))
        if item.get("bilag"):
            story.append(Paragraph("<b>Bilag:</b>", styles["Normal"]))
            story += [Paragraph(f"{k}. {title}", styles["Normal"]) for k, title in enumerate(item["bilag"], start=1)]
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path
