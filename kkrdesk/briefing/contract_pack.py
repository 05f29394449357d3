"""The contract briefing pack: one contract year's goals, delmål and targets, outcomes, charts, basisbevilling.

Reads `contracts.repo.list_contracts(db, year)` (the same dicts the window and
`kkrdesk goals --json` show) and the "basisbevilling" figures, and draws the
cross-year chart per theme with `charts.chart_for_theme`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from kkrdesk.briefing.cover import cover_flowables, draw_cover, generated_text
from kkrdesk.briefing.doc import FRAME_WIDTH, Heading, PackError, PackInfo, PackResult, contents, write_pack
from kkrdesk.briefing.figures import figure_image
from kkrdesk.briefing.notes import note_box
from kkrdesk.briefing.styles import styles
from kkrdesk.briefing.tables import build_table
from kkrdesk.briefing.text import markup, text_flowables
from kkrdesk.data.danish import format_date, format_number

SCOPES = {"national": "Nationalt mål", "fælles": "Fælles mål", "regional": "Regionalt mål", "lokal": "Lokalt mål"}
_COMPARATORS = {">=": "mindst", ">": "over", "<=": "højst", "<": "under", "=": "", None: ""}
_UNITS = {"procent": "%", "pct": "%", "pct.": "%"}


def target_text(t: dict) -> str:
    """{value 50, unit 'procent', comparator '>='} → 'mindst 50 %' (Danish number format)."""
    value = format_number(t.get("value"))
    unit = t.get("unit") or ""
    unit = _UNITS.get(unit, unit)
    words = [_COMPARATORS.get(t.get("comparator"), t.get("comparator") or ""), value, unit]
    text = " ".join(w for w in words if w)
    if t.get("measure"):
        text = f"{t['measure']}: {text}"
    if t.get("fulfilment_level") not in (None, 100):
        text += f" ({format_number(t['fulfilment_level'])} % opfyldt)"
    if t.get("correction"):   # the secretariat's correction, with what the document prints (#7)
        text += f" (rettet; dokumentet: {format_number(t.get('extracted_value')) or 'intet tal'})"
    return text


def _line(item: dict) -> str:
    source = item.get("source") or {}
    return str(source.get("line") or "")


def targets_table(goal: dict) -> Flowable | None:
    """Delmål (indicators) with their targets; targets not tied to a delmål last."""
    rows = [["Delmål", "Beskrivelse", "Måltal", "År", "Linje"]]
    seen: set[tuple] = set()
    for ind in goal.get("indicators") or []:
        label = ind["label"] if ind.get("printed_label", True) else ind["label"].replace("Målepunkt", "Punkt")
        text = ind.get("title") or ind.get("text") or ""
        targets = ind.get("targets") or [{}]
        for n, t in enumerate(targets):
            seen.add((t.get("value"), _line(t)))
            rows.append([label if n == 0 else "", text if n == 0 else "", target_text(t) if t else "–",
                         str(t.get("year") or "") if t else "", _line(t) or _line(ind)])
    for t in goal.get("targets") or []:
        if (t.get("value"), _line(t)) in seen:
            continue
        rows.append(["Måltal", t.get("text") or "", target_text(t), str(t.get("year") or ""), _line(t)])
    if len(rows) == 1:
        return None
    return build_table(rows, FRAME_WIDTH, numeric_columns={4})


def outcomes_table(goal: dict) -> Flowable | None:
    outcomes = goal.get("outcomes") or []
    if not outcomes:
        return None
    rows = [["Resultat", "Værdi", "Som trykt", "Linje"]]
    for o in outcomes:
        unit = _UNITS.get(o.get("unit") or "", o.get("unit") or "")
        value = " ".join(v for v in (format_number(o.get("value")), unit) if v)
        label = o.get("indicator") or o.get("measure") or ""
        if o.get("measure") and o.get("indicator"):
            label = f"{o['indicator']} – {o['measure']}"
        rows.append([label, value, o.get("text") or "", _line(o)])
    return build_table(rows, FRAME_WIDTH, numeric_columns={1, 3})


def theme_chart(db, theme: str | None) -> Flowable | None:
    """The cross-year target/outcome chart of the goal's theme, when more than one year has it."""
    if not theme:
        return None
    from kkrdesk.charts.datasets import NoChartData, chart_for_theme
    from kkrdesk.data.contracts.repo import goals_by_theme

    if len({g["year"] for g in goals_by_theme(db, theme)}) < 2:
        return None
    try:
        return figure_image(chart_for_theme(db, theme), FRAME_WIDTH * 0.9, max_height=85 * mm)
    except NoChartData:
        return None


def goal_flowables(db, contract: dict, index: int, goal: dict, notes: dict | None) -> list[Flowable]:
    st = styles()
    number, title = goal["number"], goal["title"]
    heading = f"Mål {number} – {title}" if not str(number).lower().startswith("mål") else f"{number} – {title}"
    out: list[Flowable] = [CondPageBreak(70 * mm), Heading(markup(heading), st["bilag"], key=f"goal-{index}-{number}", level=1,
                                   outline=heading, header=heading.split(" – ")[0])]
    meta = [SCOPES.get(goal.get("scope") or "", goal.get("scope") or ""),
            f"Tema: {goal['theme']}" if goal.get("theme") else "",
            f"Kilde: {contract['file_name']}, linje {_line(goal)}" if _line(goal) else ""]
    out.append(Paragraph(markup(" · ".join(m for m in meta if m)), st["provenance"]))
    if notes is not None:
        from kkrdesk.data.notes import goal_key

        out.extend(note_box(notes.get(goal_key(contract.get("year"), str(number)))))
    for label, key in (("Mål", "description"), ("Metode", "method"), ("Afrapportering", "reporting"),
                       ("Målopfyldelse", "fulfilment_rule")):
        text = (goal.get(key) or "").strip()
        if text:
            out.append(Paragraph(label, st["label"]))
            out.extend(text_flowables(text, FRAME_WIDTH))
    table = targets_table(goal)
    if table is not None:
        out.append(Paragraph("Delmål og måltal", st["label"]))
        out.append(table)
    table = outcomes_table(goal)
    if table is not None:
        out.append(Paragraph("Resultater", st["label"]))
        out.append(table)
    if goal.get("fulfilment_pct") is not None:
        out.append(Spacer(1, 4))
        out.append(Paragraph(f"<b>Målopfyldelse: {format_number(goal['fulfilment_pct'])} %</b>", st["body"]))
    chart = theme_chart(db, goal.get("theme"))
    if chart is not None:
        out.append(KeepTogether([Paragraph(markup(f"{goal['theme']} over årene"), st["label"]), chart]))
    return out


def overview_flowables(db, contract: dict) -> list[Flowable]:
    st = styles()
    rows = [["Mål", "Titel", "Område", "Målopfyldelse"]]
    for g in contract["goals"]:
        pct = g.get("fulfilment_pct")
        rows.append([str(g["number"]), g["title"], SCOPES.get(g.get("scope") or "", g.get("scope") or ""),
                     f"{format_number(pct)} %" if pct is not None else ""])
    out: list[Flowable] = [Paragraph("Oversigt over målene", st["label"]),
                           build_table(rows, FRAME_WIDTH, numeric_columns={3})]
    if contract.get("overall_fulfilment_pct") is not None:
        out.append(Spacer(1, 4))
        out.append(Paragraph(f"<b>Samlet målopfyldelse: {format_number(contract['overall_fulfilment_pct'])} %</b>",
                             st["body"]))
    goals = [dict(g, year=contract["year"]) for g in contract["goals"] if g.get("fulfilment_pct") is not None]
    if goals:
        try:
            from kkrdesk.charts.datasets import NoChartData, fulfilment_for_goals

            out.append(figure_image(fulfilment_for_goals(goals, f"Målopfyldelse pr. mål {contract['year']}"),
                                    FRAME_WIDTH * 0.9, max_height=90 * mm))
        except (ImportError, NoChartData):
            pass
    return out


def funding_flowables(db, year: int) -> list[Flowable]:
    """Basisbevilling per municipality for the year (figures dataset 'basisbevilling'), table and chart."""
    st = styles()
    rows = [r for r in _funding_rows(db) if str(r["period"]) == str(year)]
    out: list[Flowable] = [PageBreak(), Heading("Basisbevilling pr. kommune", st["item"], key="basisbevilling",
                                                level=0, outline="Basisbevilling pr. kommune",
                                                header="Basisbevilling")]
    if not rows:
        out.append(Paragraph(f"Materialet for {year} angiver ikke basisbevillingen pr. kommune.", st["meta"]))
        return out
    unit = rows[0].get("unit") or ""
    table = [["Kommune", f"Basisbevilling {year} ({unit})" if unit else f"Basisbevilling {year}", "Linje"]]
    totals = []
    for r in rows:
        if r["is_total"]:
            totals.append(len(table))
        table.append([r.get("municipality") or r["label"], format_number(r["value"]), str(r.get("line") or "")])
    per_municipality = [r for r in rows if not r["is_total"] and r.get("municipality")]
    if not per_municipality:
        out.append(Paragraph(f"Materialet for {year} angiver kun basisbevillingen i alt.", st["meta"]))
    out.append(build_table(table, FRAME_WIDTH * 0.7, numeric_columns={1, 2}, total_rows=totals))
    flagged = [r["flag"] for r in rows if r.get("flag")]
    for flag in flagged:
        out.append(Paragraph(markup(f"Bemærk: {flag}"), st["meta"]))
    out.append(Paragraph(markup(f"Kilde: {rows[0].get('file_name') or rows[0].get('document')}"), st["source"]))
    if len(per_municipality) >= 2:
        from kkrdesk.charts.bars import municipality_bars

        fig = municipality_bars({str(year): {r["municipality"]: r["value"] for r in per_municipality}},
                                title=f"Basisbevilling {year} pr. kommune", unit=unit)
        out.append(figure_image(fig, FRAME_WIDTH * 0.9, max_height=110 * mm))
    return out


def _funding_rows(db) -> list[dict]:
    from kkrdesk.data.figures import dataset_rows

    return dataset_rows(db, "basisbevilling")


def _contracts_for_year(db, year: int) -> list[dict]:
    from kkrdesk.data.contracts.repo import list_contracts

    found = list_contracts(db, year)
    own = [c for c in found if c.get("kind") == "resultatkontrakt"]
    return own or found


def build_contract_pack(db, year: int, target: Path | str, *, with_notes: bool = False,
                        notes_path: Path | str | None = None, generated: dt.datetime | None = None,
                        public: bool = False) -> PackResult:
    """Write the briefing PDF of one contract year to `target` (atomically); PackError when there is none.

    `public` (or a public .kkrpack) builds from a redacted copy (access.public_copy, #16): a
    contract attached to a closed item is not in it.
    """
    from kkrdesk.data.access import is_public_pack, public_copy

    if public or is_public_pack(db):
        with public_copy(db) as redacted:
            return _build_contract_pack(redacted, year, target, with_notes=with_notes, notes_path=notes_path,
                                        generated=generated)
    return _build_contract_pack(db, year, target, with_notes=with_notes, notes_path=notes_path, generated=generated)


def _build_contract_pack(db, year: int, target: Path | str, *, with_notes: bool, notes_path: Path | str | None,
                         generated: dt.datetime | None) -> PackResult:
    contracts = _contracts_for_year(db, year)
    if not contracts:
        raise PackError(f"Ingen resultatkontrakt for {year}")
    notes = None
    if with_notes:
        from kkrdesk.data.notes import list_notes

        notes = {n.key: n for n in list_notes(notes_path) if n.kind == "goal"}
    generated = generated or dt.datetime.now()
    st = styles()
    main = contracts[-1]
    lines = [f"{len(c['goals'])} mål · {c['title']}" for c in contracts]
    lines += [generated_text(generated), *(f"Kilde: {c['file_name']}" for c in contracts)]
    if with_notes:
        lines.append("Med mine private noter (gule felter).")
    parties = " og ".join(main.get("parties") or []) or "Erhvervshus Nordjylland og KKR Nordjylland"
    story: list[Flowable] = cover_flowables(f"Resultatkontrakt {year}", parties, lines)
    story.append(PageBreak())
    story.extend(contents())
    for index, contract in enumerate(contracts):
        story.append(PageBreak())
        story.append(Heading(markup(contract["title"]), st["item"], key=f"contract-{index}", level=0,
                             outline=contract["title"], header=contract["title"]))
        kind = "Afrapportering" if contract.get("is_report") else "Kontrakt"
        dates = [format_date(contract[k]) for k in ("in_force_from", "in_force_to") if contract.get(k)]
        meta = [kind, f"gældende {' – '.join(dates)}" if dates else "", f"Kilde: {contract['file_name']}"]
        out_meta = " · ".join(m for m in meta if m)
        story.append(Paragraph(markup(out_meta), st["meta"]))
        story.extend(overview_flowables(db, contract))
        for goal in contract["goals"]:
            story.extend(goal_flowables(db, contract, index, goal, notes))
    story.extend(funding_flowables(db, year))
    info = PackInfo(title=f"Resultatkontrakt {year}", subtitle=parties, subject=f"Briefingpakke – resultatkontrakt {year}",
                    keywords=["KKR Nordjylland", "resultatkontrakt", "Erhvervshus Nordjylland"])
    return write_pack(story, info, target, cover=draw_cover("Resultatkontrakt"))
