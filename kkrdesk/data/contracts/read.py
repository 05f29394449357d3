"""The one read API over contracts (#17): which document stands for a year, a target's wording, results.

The window, `kkrdesk goals/results/contracts`, the charts and the contract PDF all
come here, so they cannot disagree:

- one rule for the document that stands for a contract year: an afrapportering wins
  over the contract it reports on (it reprints the goals and adds the results), a newer
  import wins over an older one, and the choice says so (`basis`);
- one wording of a target (`target_text`), of a result (`result_text`) and of a status;
- results per indicator (`results`), in the row shape of `kkrdesk results --json`.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from kkrdesk.data.contracts.indicators import GOAL_ROW
from kkrdesk.data.danish import format_number
from kkrdesk.data.queries import fetch_dicts

_COMPARATOR_WORDS = {">=": "mindst", ">": "over", "<=": "højst", "<": "under", "=": "", None: ""}
_UNIT_WORDS = {"procent": "%", "pct": "%", "pct.": "%", "%": "%"}
STATUS_WORDS = ("opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke målt endnu")


def _num(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def unit_text(unit: str | None) -> str:
    return _UNIT_WORDS.get(unit or "", unit or "")


def value_text(value, unit: str | None) -> str:
    """50 procent → "50 %", 93 NPS → "NPS 93", -7,02 procentpoint → "-7,02 procentpoint"."""
    if value is None:
        return "–"
    if unit == "NPS":
        return f"NPS {format_number(value)}"
    return " ".join(w for w in (format_number(value), unit_text(unit)) if w)


def target_text(t: dict) -> str:
    """The wording of a target everywhere: 'mindst 50 % i 2025', 'NPS mindst 70', 'Vækst- & Driftsforløb: 350 vejledninger'."""
    value = t.get("value")
    unit = t.get("unit")
    comparator = _COMPARATOR_WORDS.get(t.get("comparator"), t.get("comparator") or "")
    if unit == "NPS":
        text = " ".join(w for w in ("NPS", comparator, format_number(value)) if w)
    else:
        text = " ".join(w for w in (comparator, format_number(value), unit_text(unit)) if w)
    if t.get("measure"):
        text = f"{t['measure']}: {text}"
    if t.get("year"):
        text += f" i {t['year']}"
    if t.get("fulfilment_level") not in (None, 100):
        text += f" (giver {format_number(t['fulfilment_level'])} % målopfyldelse)"
    if t.get("correction"):   # the secretariat's correction, with what the document prints (#7)
        text += f" (rettet; dokumentet: {format_number(t.get('extracted_value')) or 'intet tal'})"
    return text


def status_text(status: str | None, fulfilment_pct=None) -> str:
    """'opfyldt (100 %)', 'delvist opfyldt (98,75 %)', 'ikke målt endnu', 'ikke afrapporteret'."""
    word = status or "ikke afrapporteret"
    if fulfilment_pct is not None:
        return f"{word} ({format_number(fulfilment_pct)} %)"
    return word


def result_text(row: dict) -> str:
    """'Drift: 79 % mod mindst 80 % – delvist opfyldt (98,75 %)' for one results row."""
    r, t = row.get("result"), row.get("target")
    seg = {"drift": "Drift", "vækst": "Vækst", "samlet": "Samlet"}.get((r or {}).get("segment") or "", "")
    head = row["indicator"] + (f", {seg.lower()}" if seg else "")
    value = value_text(r["value"], r["unit"]) if r else "intet resultat"
    against = f" mod {target_text(t)}" if t else ""
    if r and not t and not row.get("status"):
        return f"{head}: {value} – uden måltal"
    return f"{head}: {value}{against} – {status_text(row.get('status'), row.get('fulfilment_pct'))}"


# ---------------------------------------------------------------- which document stands for a year

def chosen_contracts(db: Database, year: int | None = None, *, public: bool = False) -> dict[int, dict]:
    """Year → the contract row that stands for it, with `basis` saying why (report wins, newest wins).

    Public: a contract read from a closed item's bilag is not there (the one filter, access.visibility).
    """
    from kkrdesk.data.access import visibility

    rows = fetch_dicts(db, (
        "SELECT c.*, d.file_name AS file_name, coalesce(d.title, d.file_name) AS document_name "
        "FROM contracts c JOIN documents d ON d.id = c.document_id "
        "WHERE c.kind = 'resultatkontrakt' AND c.year IS NOT NULL"
        + (" AND c.year = ?" if year is not None else "")
        + " ORDER BY c.year, c.is_report, c.document_id, c.id"), (year,) if year is not None else ())
    rows = visibility(db, public).rows_by_document(rows)
    by_year: dict[int, list[dict]] = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append(r)
    out: dict[int, dict] = {}
    for y, group in by_year.items():
        chosen = dict(group[-1])     # ordered: reports after contracts, newer documents last
        others = [g for g in group[:-1]]
        if chosen["is_report"] and any(not g["is_report"] for g in others):
            chosen["basis"] = f"Afrapporteringen står for {y}: den gengiver kontraktens mål og lægger resultaterne til"
        elif chosen["is_report"]:
            chosen["basis"] = f"Afrapporteringen for {y} (den gengiver kontraktens mål)"
        else:
            chosen["basis"] = f"Resultatkontrakten for {y}; der er ingen afrapportering i lageret endnu"
        chosen["alternatives"] = [g["document_name"] for g in others]
        out[y] = chosen
    return out


def contract_years(db: Database, *, public: bool = False) -> list[int]:
    return sorted(chosen_contracts(db, public=public))


def year_goal_rows(db: Database, year: int, *, public: bool = False) -> list[dict]:
    """The goals of the document that stands for year (rows of `goals`), in order."""
    chosen = chosen_contracts(db, year, public=public).get(year)
    if chosen is None:
        return []
    goals = fetch_dicts(db, "SELECT * FROM goals WHERE contract_id = ? ORDER BY position", (chosen["id"],))
    for g in goals:
        g["year"] = year
        g["document_name"] = chosen["document_name"]
        g["file_name"] = chosen["file_name"]
        g["document_id"] = chosen["document_id"]
        g["is_report"] = chosen["is_report"]
        g["basis"] = chosen["basis"]
    return goals


def goal_row(db: Database, year: int, number: str, *, public: bool = False) -> dict | None:
    return next((g for g in year_goal_rows(db, year, public=public) if str(g["number"]) == str(number)), None)


# ---------------------------------------------------------------- results

def _result_json(r: dict, goal: dict) -> dict:
    target = None
    if r["target_value"] is not None:
        target = {"value": _num(r["target_value"]), "unit": r["target_unit"],
                  "comparator": r["target_comparator"], "year": r["target_year"]}
    result = None
    if r["value"] is not None:
        result = {"value": _num(r["value"]), "unit": r["unit"], "period": r["period"], "segment": r["segment"]}
    row = {
        "year": goal["year"], "goal": str(goal["number"]), "goal_title": goal["title"], "theme": goal["theme"],
        "indicator": r["indicator"], "indicator_key": r["indicator_key"], "indicator_label": r["indicator_label"],
        "target": target, "result": result, "fulfilment_pct": _num(r["fulfilment_pct"]), "status": r["status"],
        "status_source": r["status_source"], "warning": r["warning"],
        "text": r["text"] or None, "target_text": r["target_text"],
        "source": {"document": goal["document_name"], "page": r["page"], "line": r["line"]},
    }
    if target is not None:
        row["target_wording"] = target_text(target)
    row["wording"] = result_text(row)
    if r.get("corrections"):
        row["correction"] = "; ".join(r["corrections"])
        row["wording"] += f" ({row['correction']})"
    return row


def _corrected(db: Database, rows: list[dict]) -> None:
    """The secretariat's corrections (#7) of a result's outcome or target, the printed value kept beside;
    a status the report does not state is judged again on the corrected numbers."""
    from kkrdesk.data.contracts.model import Target
    from kkrdesk.data.contracts.pairing import compare
    from kkrdesk.data.corrections import apply_corrections

    outcomes = apply_corrections(db, "outcomes", [{"id": r.get("outcome_id"), "value": r["value"]} for r in rows])
    targets = apply_corrections(db, "targets", [{"id": r["target_id"], "value": r["target_value"]} for r in rows])
    for r, o, t in zip(rows, outcomes, targets, strict=True):
        r["corrections"] = []
        if r.get("outcome_id") is not None and o["correction"]:
            r["value"] = o["value"]
            r["corrections"].append(f"resultatet er rettet; dokumentet: {format_number(o['extracted_value'])}")
        if r["target_id"] is not None and t["correction"]:
            r["target_value"] = t["value"]
            r["corrections"].append(f"måltallet er rettet; dokumentet: {format_number(t['extracted_value'])}")
        if r["corrections"] and r["status_source"] == "beregnet" and r["value"] is not None and r["target_value"] is not None:
            r["status"] = compare(r["value"], Target(r["target_value"], r["target_unit"], r["target_comparator"],
                                                     r["target_year"], "", 0))


def goal_results(db: Database, goal: dict) -> list[dict]:
    """A goal's results rows (the goal row of `year_goal_rows` or of `goals`), corrections applied."""
    rows = fetch_dicts(db, "SELECT * FROM results WHERE goal_id = ? ORDER BY position", (goal["id"],))
    _corrected(db, rows)
    if any(r["page"] is None and r["line"] for r in rows) and goal.get("document_id"):
        from kkrdesk.data.originals import PageLookup

        page_of = PageLookup(db)      # a page the extractor did not know, from the original's page map (#15)
        for r in rows:
            r["page"] = r["page"] or page_of(goal["document_id"], r["line"])
    return [_result_json(r, goal) for r in rows]


def results(db: Database, year: int | None = None, theme: str | None = None, *, public: bool = False) -> list[dict]:
    """`kkrdesk results --json`: every result of the documents that stand for their year."""
    out: list[dict] = []
    years = [year] if year is not None else contract_years(db, public=public)
    for y in years:
        for g in year_goal_rows(db, y, public=public):
            if theme and (g["theme"] or "").casefold() != theme.casefold():
                continue
            out.extend(goal_results(db, g))
    return out


def is_goal_row(row: dict) -> bool:
    return row["indicator"] == GOAL_ROW


def placed(rows: list[dict]) -> list[dict]:
    """Results that answer a target or were measured (goal rows and unplaced context left out)."""
    return [r for r in rows if not is_goal_row(r) and r["indicator_key"] and (r["target"] or r["result"])
            and not (r["result"] and r["target"] is None and r["warning"] and
                     re.match(r"Resultatet |Endnu |Et tydeligere", r["warning"]))]


# ---------------------------------------------------------------- charts: one indicator across years

_SEG_ORDER = {"drift": 0, "vækst": 1, "samlet": 2, None: 3}


def indicator_series(db: Database, theme: str, *, public: bool = False) -> list[dict]:
    """Per indicator (key and unit) of a theme: one row per contract year with its target and results.

    [{"key", "indicator", "unit", "rows": [{"year", "goal", "target", "targets_later", "points": [results rows]}],
      "breaks": [{"year", "text"}]}] — what `charts.goals.indicator_chart` draws, and nothing else.
    Panels with a measured result come first; an indicator never measured is only drawn when nothing is.
    """
    panels: dict[tuple, dict] = {}
    for year in contract_years(db, public=public):
        goal = next((g for g in year_goal_rows(db, year, public=public) if g["theme"] == theme), None)
        if goal is None:
            continue
        for r in placed(goal_results(db, goal)):
            if r["result"] is None and re.search(r"samlet set|alle seks erhvervshuse", r["target_text"] or ""):
                continue     # a target for all six houses together is not Nordjylland's to be drawn against
            unit = (r["result"] or {}).get("unit") or (r["target"] or {}).get("unit")
            unit = "forløb" if unit == "vejledninger" else unit
            panel = panels.setdefault((r["indicator_key"], unit), {
                "key": r["indicator_key"], "indicator": r["indicator"], "unit": unit, "rows": {}, "breaks": []})
            row = panel["rows"].setdefault(year, {"year": year, "goal": r["goal"], "target": None,
                                                  "targets_later": [], "points": [], "document": r["source"]["document"]})
            t = r["target"]
            if t is not None and (t["year"] is None or t["year"] == year or r["result"] is not None):
                row.setdefault("target_text", r["target_text"])
            if r["result"] is not None:
                row["points"].append(r)
                if t is not None and row["target"] is None:
                    row["target"] = t
            elif t is not None:
                if t["year"] is None or t["year"] == year:
                    row["target"] = row["target"] or t
                    row.setdefault("status", r["status"])
                else:
                    row["targets_later"].append({**t, "status": r["status"]})
    out = []
    for panel in panels.values():
        rows = [panel["rows"][y] for y in sorted(panel["rows"])]
        for row in rows:
            row["points"].sort(key=lambda r: _SEG_ORDER.get(r["result"]["segment"], 3))
        panel["rows"] = rows
        panel["measured"] = any(row["points"] for row in rows)
        panel["breaks"] = _breaks(rows)
        out.append(panel)
    measured = [p for p in out if p["measured"]]
    return measured or out or _fulfilment_panel(db, theme, public)


def _fulfilment_panel(db: Database, theme: str, public: bool = False) -> list[dict]:
    """A goal measured by its activities only (Mål 7–10): the reported fulfilment per year against 100 %."""
    rows = []
    full = {"value": 100, "unit": "procent", "comparator": ">=", "year": None}
    for year in contract_years(db, public=public):
        goal = next((g for g in year_goal_rows(db, year, public=public) if g["theme"] == theme), None)
        if goal is None:
            continue
        row = next(r for r in goal_results(db, goal) if is_goal_row(r))
        points = []
        if row["fulfilment_pct"] is not None:
            points.append({**row, "indicator_key": "maalopfyldelse", "target": full, "fulfilment_pct": None,
                           "result": {"value": row["fulfilment_pct"], "unit": "procent", "period": str(year),
                                      "segment": None}})
        rows.append({"year": year, "goal": str(goal["number"]), "target": full, "targets_later": [], "points": points,
                     "status": row["status"], "document": goal["document_name"]})
    if not any(r["points"] for r in rows):
        return []
    return [{"key": "maalopfyldelse", "indicator": "Målopfyldelse (målet opgøres ved indsatser)", "unit": "procent",
             "rows": rows, "breaks": [], "measured": True}]


def _breaks(rows: list[dict]) -> list[dict]:
    """Where the indicator was measured another way than the year before: per segment ↔ samlet, or a
    target worded so differently that it is another definition (2019 "påvirket … i middel eller høj grad"
    → 2021 "I høj grad … positiv effekt")."""
    from difflib import SequenceMatcher

    out = []
    before = None
    for row in rows:
        text = " ".join(re.findall(r"[a-zæøå]+", (row.get("target_text") or "").casefold()))
        text = re.sub(r"\b(?:i|for|målet|er|at)\b", " ", text)
        if before is not None and text and before[1] and SequenceMatcher(None, before[1], text).ratio() < 0.5:
            out.append({"year": row["year"], "after": before[0],
                        "text": f"Ny definition fra {row['year']}: målet er formuleret anderledes end i {before[0]}"})
        if text:
            before = (row["year"], text)
    prev = None
    for row in rows:
        if not row["points"]:
            continue
        segs = {p["result"]["segment"] or "samlet" for p in row["points"]}
        if prev is not None and segs != prev[1]:
            old = "samlet" if prev[1] <= {"samlet"} else "pr. segment"
            new = "samlet" if segs <= {"samlet"} else "pr. segment"
            if old != new:
                out.append({"year": row["year"], "after": prev[0],
                            "text": f"Brud i opgørelsen: {prev[0]} målt {old}, {row['year']} målt {new}"})
        prev = (row["year"], segs)
    return out
