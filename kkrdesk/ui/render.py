"""Content → simple HTML for the reader (a QTextBrowser), without Qt.

QTextBrowser understands a small HTML subset, so the markup stays plain:
headings, paragraphs, one table. Every original line gets an anchor `L<no>`
so a search hit or a note can scroll to the exact line, and the source
(document and line) is printed quietly under each block.
"""

from __future__ import annotations

from html import escape

from kkrdesk.data.danish import count_text, format_date, format_number
from kkrdesk.data.queries import source_label
from kkrdesk.ui import text_blocks

QUIET = "color:#7a7a7a; font-size:small;"  # mid grey: legible on light and dark bases
CHART_WIDTH = 440                           # px, within the reading measure (chart_images draws it this size)


def quiet(text: str) -> str:
    return f'<p style="{QUIET}">{escape(text)}</p>' if text else ""


def source_link(document_id: int | None, line: int | None, page: int | None = None) -> str:
    """'Vis i dokumentet' for a fact: opens the document where it is printed (its page, in a PDF)."""
    if not document_id:
        return ""
    where = f" (side {page})" if page else ""
    return (f'<p style="{QUIET}"><a href="source:{int(document_id)}:{int(line or 0)}">Vis i dokumentet</a>'
            f"{where}</p>")


def fulfilment_words(pct: float | int | None) -> str:
    """Opfyldt / delvist opfyldt / ikke opfyldt: the status read aloud, never a colour alone."""
    if pct is None:
        return "ikke afrapporteret"
    if pct >= 100:
        return "opfyldt"
    if pct <= 0:
        return "ikke opfyldt"
    return "delvist opfyldt"


def pct_text(pct: float | int | None) -> str:
    return "–" if pct is None else f"{format_number(pct)} %"


def body_html(body: str, body_lines: list[int], datasets: dict[int, tuple[str, str]] | None = None) -> str:
    """The text as a document: paragraphs, lists, tables (text_blocks), an anchor at every original line.

    `datasets` maps original lines to the (name, title) of the nøgletal read from them: a table
    holding such lines gets the dataset's chart right under it and a link to Nøgletal.
    """
    out: list[str] = []
    for block in text_blocks.blocks(body, body_lines):
        html = text_blocks.block_html(block)
        found = [datasets[no] for no in text_blocks.block_lines(block) if datasets and no in datasets]
        if block.kind == "table" and found:          # a recognised nøgletal table: its chart under it, linked
            name, title = found[0]
            html += (f'<p><img src="chart:{escape(name)}" width="{CHART_WIDTH}"></p>'
                     f'<p style="{QUIET}"><a href="dataset:{escape(name)}">Se i Nøgletal: {escape(title)}</a></p>')
        out.append(html)
    return "\n".join(out)


def section_heading(section: dict) -> str:
    number, title = section.get("number"), section.get("title") or ""
    return f"{number} {title}" if number and not title.startswith(number) else title


def sections_html(sections: list[dict], file_name: str | None = None,
                  datasets: dict[int, tuple[str, str]] | None = None) -> str:
    """A document's normalised sections with their headings, in reading order."""
    parts: list[str] = []
    for section in sections:
        level = min(max(int(section.get("level") or 1), 1), 3) + 1   # h2..h4 under the page's h1
        anchor = f'<a name="L{section["line_start"]}"></a>'
        parts.append(f"<h{level}>{anchor}{escape(section_heading(section))}</h{level}>")
        parts.append(body_html(section.get("body") or "", section.get("body_lines") or [], datasets))
        parts.append(quiet(source_label(file_name, section.get("line_start"))))
    return "\n".join(parts)


def document_html(document: dict, sections: list[dict], datasets: dict[int, tuple[str, str]] | None = None) -> str:
    title = document.get("title") or document.get("file_name") or "Dokument"
    head = f"<h1>{escape(title)}</h1>" + quiet(
        source_label(document.get("file_name"), document.get("line_start"))
    )
    if not sections:
        text = document.get("normalised_text") or ""
        return head + body_html(text, list(range(document.get("line_start") or 1,
                                                 (document.get("line_start") or 1) + text.count("\n") + 1)))
    return head + sections_html(sections, document.get("file_name"), datasets)


def meeting_html(meeting: dict) -> str:
    """The agenda: every item with its bilag; closed items say so in words."""
    rows = []
    group = None
    for item in meeting.get("items", []):
        if item.get("group_title") and item["group_title"] != group:   # "3. Sager til drøftelse og beslutning"
            rows.append(f"<h2>{escape(item['group_title'])}</h2>")
        group = item.get("group_title")
        closed = item.get("access") == "lukket"
        title = escape(item["title"]) + (" <b>(Lukket)</b>" if closed else "")
        bilag = "".join(
            f'<li><a href="bilag:{b["id"]}">Bilag {escape(b["number"])}: {escape(b["title"])}</a></li>'
            for b in item.get("bilag", [])
        )
        rows.append(
            f'<h3><a href="item:{item["id"]}">{escape(item["number"] or "")} {title}</a></h3>'
            + (f"<ul>{bilag}</ul>" if bilag else "")
        )
    date = format_date(meeting.get("date")) if meeting.get("date") else "Dato fremgår ikke af materialet"
    date += f", kl. {meeting['time']}" if meeting.get("time") else ""
    place = f" · {escape(meeting['place'])}" if meeting.get("place") else ""
    removed = meeting.get("removed") or []
    gone = ("<h2>Udgået siden den version, du har læst</h2><ul>" + "".join(
        f"<li>{escape(c.number)} {escape(c.title)}</li>" for c in removed) + "</ul>") if removed else ""
    return (f"<h1>{escape(meeting['title'])}</h1><p>{escape(date)}{place}</p>"
            f"<p>{count_text(len(meeting.get('items', [])), 'dagsordenspunkt', 'dagsordenspunkter')}</p>"
            + "\n".join(rows) + gone)


def item_text_html(text: str) -> str:
    """An item's section: paragraphs, and its TAB rows (a table in the dagsorden) as a table."""
    out: list[str] = []
    block: list[str] = []
    table = False

    def flush() -> None:
        if not block:
            return
        if table:
            rows = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in row.split("\t")) + "</tr>"
                           for row in block)
            out.append(f'<table border="1" cellspacing="0" cellpadding="3">{rows}</table>')
        else:
            out.append(body_html("\n".join(block), []))
        block.clear()

    for line in text.split("\n"):
        is_row = "\t" in line
        if block and is_row != table:
            flush()
        table = is_row
        block.append(line)
    flush()
    return "\n".join(out)


ITEM_SECTIONS = (("indstilling", "Indstilling"), ("sagsfremstilling", "Sagsfremstilling"), ("baggrund", "Baggrund"),
                 ("beslutning", "Beslutning"))


def item_html(item: dict, file_name: str | None = None) -> str:
    """An agenda item: number, title, access, its texts where present, its bilag as links."""
    closed = item.get("access") == "lukket"
    access = "Lukket punkt" if closed else "Åbent punkt"
    case = f" · Sagsnr. {escape(item['case_number'])}" if item.get("case_number") else ""
    parts = [
        f"<h1>{escape(item['number'] or '')} {escape(item['title'])}</h1>",
        f'<p><b>{access}</b> · {escape(item.get("meeting_title") or "")}{case}</p>',
    ]
    if item.get("group_title"):
        parts.append(quiet(escape(item["group_title"])))
    parts += [f"<p><i>⚠ {escape(flag)}</i></p>" for flag in item.get("flags") or []]
    # What a member reads first is what the board is asked to decide (#14).
    for key, label in ITEM_SECTIONS:
        text = item.get(key)
        if text:
            parts.append(f"<h2>{label}</h2>" + item_text_html(text))
    if not any(item.get(k) for k, _ in ITEM_SECTIONS):
        parts.append("<p><i>Materialet har ingen sagsfremstilling, indstilling eller beslutning til dette punkt"
                     " – læs bilagene herunder.</i></p>")
    links = item.get("links") or []
    if links:
        parts.append("<h2>Se også</h2><ul>" + "".join(
            f'<li><a href="{"goalkey" if link["kind"] == "goal" else "dataset"}:{escape(link["target"])}">'
            f'{escape(link["label"])}</a></li>' for link in links) + "</ul>")
    bilag = item.get("bilag") or []
    if bilag:
        parts.append("<h2>Bilag</h2><ul>" + "".join(
            f'<li><a href="bilag:{b["id"]}">Bilag {escape(b["number"])}: {escape(b["title"])}</a></li>'
            for b in bilag) + "</ul>")
    else:
        parts.append("<p>Ingen bilag.</p>")
    themes = item.get("themes") or []
    if themes:  # the way into the matter's thread across meetings (#10)
        parts.append("<p>Tema: " + ", ".join(
            f'<a href="theme:{escape(key)}">{escape(name)}</a>' for key, name in themes) + "</p>")
    parts.append(quiet(source_label(file_name, item.get("line_start"))))
    return "\n".join(parts)


def bilag_html(bilag: dict, sections: list[dict], datasets: dict[int, tuple[str, str]] | None = None) -> str:
    head = (f"<h1>Bilag {escape(bilag['number'])}: {escape(bilag['title'])}</h1>"
            f"<p>Til punkt {escape(bilag.get('item_number') or '')} "
            f"{escape(bilag.get('item_title') or '')}</p>")
    body = sections_html(sections, bilag.get("document"), datasets) if sections else "<p>Bilaget har ingen tekst.</p>"
    return head + quiet(source_label(bilag.get("document"), bilag.get("line_start"))) + body


def goal_html(goal: dict) -> str:
    """A goal: its text, delmål with targets, each result against its own target, status in words (#17)."""
    from kkrdesk.data.contracts.read import is_goal_row, placed

    pct = goal.get("fulfilment_pct")
    parts = [f"<h1>Mål {escape(str(goal.get('number') or ''))}: {escape(goal.get('title') or '')}</h1>",
             f"<p>Resultatkontrakt {escape(str(goal.get('year') or ''))}"
             + (f" · {escape(goal['scope'])}" if goal.get("scope") else "") + "</p>"]
    if goal.get("basis"):
        parts.append(quiet(goal["basis"]))
    results = goal.get("results") or []
    goal_row = next((r for r in results if is_goal_row(r)), None)
    status = goal_row["status"] if goal_row else fulfilment_words(pct)
    parts.append(f"<p><b>Målopfyldelse: {pct_text(pct)} – {escape(status or 'ikke afrapporteret')}</b></p>")
    shown = placed(results)
    if shown:
        parts.append("<h2>Resultater mod måltal</h2><ul>" + "".join(
            f"<li>{escape(r['wording'])}"
            + (f'<br><span style="{QUIET}">{escape(r["warning"])}</span>' if r.get("warning") else "")
            + (f'<br><span style="{QUIET}">{escape(source_label(goal.get("file_name"), r["source"]["line"]))}'
               + (f' · <a href="source:{int(goal["document_id"])}:{int(r["source"]["line"])}">Vis i dokumentet</a>'
                  + (f' (side {r["source"]["page"]})' if r["source"].get("page") else "") if goal.get("document_id") else "")
               + "</span>" if r["source"].get("line") else "")
            + "</li>" for r in shown) + "</ul>")
    other = [r for r in results if not is_goal_row(r) and r not in shown]
    if other:
        parts.append("<h2>Andre tal i rapporten</h2><p>Tal, der ikke kan knyttes til et af målets måltal:</p><ul>"
                     + "".join(f"<li>{escape(r['wording'])}<br><span style=\"{QUIET}\">{escape(r['warning'] or '')}"
                               f"</span></li>" for r in other) + "</ul>")
    for key, label in (("description", "Beskrivelse"), ("goal_text", "Mål"), ("method", "Metode"),
                       ("fulfilment_rule", "Sådan opgøres målopfyldelsen"), ("reporting", "Afrapportering")):
        text = goal.get(key)
        if text:
            parts.append(f"<h2>{label}</h2>" + body_html(text, []))
    indicators = goal.get("indicators") or []
    if indicators:
        parts.append("<h2>Delmål</h2>")
        for ind in indicators:
            title = f"{ind['label']}" + (f": {ind['title']}" if ind.get("title") else "")
            parts.append(f"<h3>{escape(title)}</h3>")
            if ind.get("text"):
                parts.append(body_html(ind["text"], []))
            targets = ind.get("targets") or []
            if targets:
                parts.append("<p><b>Måltal:</b> " + "; ".join(escape(target_text(t)) for t in targets) + "</p>")
    loose = [t for t in goal.get("targets") or [] if t.get("source") != "rapport" or not indicators]
    if loose:
        parts.append("<h2>Måltal</h2><ul>" + "".join(f"<li>{escape(target_text(t))}</li>" for t in loose)
                     + "</ul>")
    parts.append(quiet(source_label(goal.get("file_name"), goal.get("line_start"))))
    parts.append(source_link(goal.get("document_id"), goal.get("line_start"), goal.get("page")))
    return "\n".join(parts)


def target_text(target: dict) -> str:
    """The one wording of a target (kkrdesk.data.contracts.read.target_text)."""
    from kkrdesk.data.contracts.read import target_text as wording

    return wording(target)


_CHANGE_WORDS = {"unchanged": "uændret", "changed": "ændret", "added": "nyt", "removed": "udgået",
                 "raised": "hævet", "lowered": "sænket"}


def diff_html(diff: dict) -> str:
    """Resultatkontrakter → "Ændringer fra 2024 til 2026": goals matched by theme and wording, targets old → new."""
    a, b = diff["from"], diff["to"]
    parts = [f"<h1>Ændringer fra {a} til {b}</h1>",
             quiet(f"{diff['documents']['from']} → {diff['documents']['to']}. Målene er parret efter tema og "
                   "ordlyd, ikke efter nummer.")]
    rows = []
    for g in diff["goals"]:
        old, new = g["from"], g["to"]
        name_old = f"Mål {old['number']}: {old['title']}" if old else "–"
        name_new = f"Mål {new['number']}: {new['title']}" if new else "–"
        details = []
        for t in g["targets"]:
            if t["change"] == "unchanged":
                continue
            details.append(f"{t['indicator']}: {t['from']['text'] if t['from'] else '–'} → "
                           f"{t['to']['text'] if t['to'] else '–'} ({_CHANGE_WORDS[t['change']]})")
        details += [f"Nyt delmål: {d['label']} {d['title'] or ''}" for d in g["delmaal"]["added"]]
        details += [f"Udgået delmål: {d['label']} {d['title'] or ''}" for d in g["delmaal"]["removed"]]
        if g.get("renumbered") and old and new:
            details.insert(0, f"Nyt nummer: Mål {old['number']} → Mål {new['number']}")
        rows.append(f"<tr><td><b>{_CHANGE_WORDS[g['change']]}</b></td><td>{escape(name_old)}</td>"
                    f"<td>{escape(name_new)}</td><td>{'<br>'.join(escape(d) for d in details) or '–'}</td></tr>")
    parts.append('<table border="1" cellspacing="0" cellpadding="5" width="100%">'
                 f"<tr><th>Ændring</th><th>{a}</th><th>{b}</th><th>Måltal og delmål</th></tr>{''.join(rows)}</table>")
    budget = diff["budget"]
    parts.append(f"<h2>Basisbevilling pr. kommune ({escape(budget['unit'])})</h2>")
    brows = "".join(
        f"<tr><td>{escape(m['municipality'])}</td><td align=\"right\">{format_number(m['from']) or '–'}</td>"
        f"<td align=\"right\">{format_number(m['to']) or '–'}</td>"
        f"<td align=\"right\">{_signed(m['change'])}</td></tr>" for m in budget["municipalities"])
    total = budget["total"]
    brows += (f"<tr><td><b>I alt</b></td><td align=\"right\"><b>{format_number(total['from']) or '–'}</b></td>"
              f"<td align=\"right\"><b>{format_number(total['to']) or '–'}</b></td>"
              f"<td align=\"right\"><b>{_signed(total['change'])}</b></td></tr>")
    parts.append('<table border="1" cellspacing="0" cellpadding="5">'
                 f"<tr><th>Kommune</th><th>{a}</th><th>{b}</th><th>Ændring</th></tr>{brows}</table>")
    if any(m["from"] is None for m in budget["municipalities"]):
        parts.append(quiet(f"Kontrakten for {a} trykker ikke fordelingen pr. kommune, kun det samlede beløb."))
    return "\n".join(parts)


def _signed(value) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + format_number(value)


def overview_html(rows: list[dict], years: list[int]) -> str:
    """Goals × years: fulfilment % and status in words in each cell."""
    if not rows:
        return ("<h1>Resultatkontrakter</h1><p>Der er ingen resultatkontrakter i lageret endnu. "
                "Importér en kontrakt eller en afrapportering under Filer → Importér dokumenter…</p>")
    head = "".join(f"<th>{y}</th>" for y in years)
    body = []
    for row in rows:
        cells = []
        for year in years:
            cell = row["years"].get(year)
            if cell is None:
                cells.append("<td></td>")
                continue
            pct = cell.get("fulfilment_pct")
            words = cell.get("status") or fulfilment_words(pct)
            cells.append(f'<td><a href="goal:{cell["id"]}">Mål {escape(str(cell["number"]))}</a><br>'
                         f"{pct_text(pct)}<br><i>{escape(words)}</i></td>")
        body.append(f"<tr><td>{escape(row['title'])}</td>{''.join(cells)}</tr>")
    return ("<h1>Resultatkontrakter: mål og målopfyldelse</h1>"
            '<table border="1" cellspacing="0" cellpadding="6" width="100%">'
            f"<tr><th>Tema</th>{head}</tr>{''.join(body)}</table>")


def theme_html(thread: dict) -> str:
    """One matter's thread: its agenda items across meetings (newest first) beside its figures and goals."""
    items = []
    for item in thread["items"]:
        heading = f"{item['number']} {item['title']}".strip()
        when = format_date(item["date"]) if item["date"] else f"{item['year'] or ''} – dato ukendt".strip(" –")
        parts = [f'<p><b>{escape(when)}</b> · {escape(item["meeting"])}<br>'
                 f'<a href="item:{item["item_id"]}">{escape(heading)}</a>'
                 + (" · Lukket" if item["access"] == "lukket" else "") + "</p>"]
        for label, key in (("Indstilling", "indstilling"), ("Beslutning", "beslutning")):
            if item.get(key):
                parts.append(f"<p><i>{label}:</i> {escape(item[key])}</p>")
        items.append("".join(parts))
    timeline = "".join(items) or "<p>Ingen punkter med dette tema endnu.</p>"
    side = []
    for d in thread["datasets"]:
        side.append(f'<h3>Nøgletal: <a href="dataset:{escape(d["name"])}">{escape(d["title"])}</a></h3>')
        if d.get("table") is not None:
            side.append(pivot_html(d["table"]))
    if thread["goals"]:
        side.append("<h3>Mål i resultatkontrakterne</h3><ul>" + "".join(
            f'<li><a href="goalkey:goal:{g["year"]}:{escape(str(g["number"]))}">{g["year"]} · Mål '
            f'{escape(str(g["number"]))}: {escape(g["title"])}</a> – {pct_text(g["fulfilment_pct"])} '
            f'({fulfilment_words(g["fulfilment_pct"])})</li>' for g in thread["goals"]) + "</ul>")
    side_html = "".join(side) or f'<p style="{QUIET}">Ingen nøgletal eller mål knyttet til temaet.</p>'
    # stacked, not side by side: a table of years needs the page's whole width
    return (
        f"<h1>{escape(thread['name'])}</h1>"
        + (f"<p>{escape(thread['description'])}</p>" if thread.get("description") else "")
        + f"<h2>Punkter, nyeste først</h2>{timeline}<hr>{side_html}"
    )


def pivot_html(table, max_rows: int = 40) -> str:
    """A dataset's wide table (label × period) as compact HTML; the full table is one click away."""
    periods = table.periods
    head = "".join(f'<th align="right">{escape(p)}</th>' for p in periods)
    rows = []
    for row in table.rows[:max_rows]:
        label = row.label + (f" · {row.measure}" if row.measure else "")
        cells = "".join(
            f'<td align="right">{format_number(row.cells[p]["value"]) if p in row.cells else ""}</td>'
            for p in periods)
        weight = "font-weight:bold;" if row.is_total else ""
        rows.append(f'<tr style="{weight}"><td>{escape(label)}</td>{cells}</tr>')
    more = (f'<p style="{QUIET}">… {count_text(len(table.rows) - max_rows, "række", "rækker")} mere</p>'
            if len(table.rows) > max_rows else "")
    return (f'<table cellspacing="0" cellpadding="3" border="0"><tr><th align="left"></th>{head}</tr>'
            + "".join(rows) + "</table>" + more)
