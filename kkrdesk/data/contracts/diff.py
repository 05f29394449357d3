"""What changed from one contract year to another (#17): goals, targets, delmål and the basisbevilling.

Goals are matched by theme and wording, never by number: Kendskab was Mål 2 in
2024 and may be Mål 1 in a later contract. Targets are matched per indicator
(the same key as the results use) and unit, so a raised or lowered target shows
old → new. The basisbevilling comes from the figures each contract prints.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from sqlite_utils import Database

from kkrdesk.data.contracts.indicators import LABELS, kind_at, number_offset, segment_at
from kkrdesk.data.contracts.read import _num, chosen_contracts, target_text, year_goal_rows
from kkrdesk.data.queries import fetch_dicts

BUDGET_DATASET = "basisbevilling"
MATCH_THRESHOLD = 0.33


def _norm(text: str | None) -> str:
    text = (text or "").casefold()
    text = re.sub(r"[–—-]\s*(?:nationalt|regionalt) mål\s*$", "", text)
    return " ".join(re.findall(r"[a-zæøå0-9]+", text))


def _similar(a: str | None, b: str | None) -> float:
    return SequenceMatcher(None, _norm(a), _norm(b)).ratio()


_STOP = set("og i at til af for en et de der med som på er den det skal til om vil har fra ved eller samt "
             "erhvervshus erhvervshuset erhvervshusene nordjylland nordjyske nordjyllands virksomheder "
             "virksomhederne målet mål delmål".split())


def _words(goal: dict) -> set[str]:
    text = " ".join(goal.get(k) or "" for k in ("title", "goal_text", "description"))
    return {w for w in re.findall(r"[a-zæøå]{4,}", text.casefold()) if w not in _STOP}


def _keys(db: Database | None, goal: dict) -> set[str]:
    if db is None:
        return set()
    return {t["key"] for t in _targets(db, goal) if t["key"]}


def _score(db: Database | None, o: dict, n: dict) -> float:
    """Wording of title and goal text, plus a shared measured indicator (unikke virksomheder …)."""
    a, b = _words(o), _words(n)
    jaccard = len(a & b) / len(a | b) if a | b else 0.0
    shared = 0.35 if _keys(db, o) & _keys(db, n) else 0.0
    return 0.5 * _similar(o["title"], n["title"]) + jaccard + shared


def _match_goals(old: list[dict], new: list[dict], db: Database | None = None) -> list[tuple[dict | None, dict | None]]:
    """Pairs (old, new): same theme first (best wording among several), then wording and content, else added/removed."""
    pairs: list[tuple[dict | None, dict | None]] = []
    left = list(old)
    right = list(new)
    for n in list(right):
        same_theme = [o for o in left if o["theme"] and o["theme"] == n["theme"]]
        if same_theme:
            o = max(same_theme, key=lambda g: _similar(g["title"], n["title"]))
            pairs.append((o, n))
            left.remove(o)
            right.remove(n)
    scored = sorted(((_score(db, o, n), i, j) for i, o in enumerate(left) for j, n in enumerate(right)),
                    key=lambda x: -x[0])
    used_o: set[int] = set()
    used_n: set[int] = set()
    for score, i, j in scored:
        if score < MATCH_THRESHOLD or i in used_o or j in used_n:
            continue
        pairs.append((left[i], right[j]))
        used_o.add(i)
        used_n.add(j)
    left = [o for i, o in enumerate(left) if i not in used_o]
    right = [n for j, n in enumerate(right) if j not in used_n]
    pairs += [(o, None) for o in left] + [(None, n) for n in right]
    return sorted(pairs, key=lambda p: (int((p[1] or p[0])["number"]) if str((p[1] or p[0])["number"]).isdigit() else 99,
                                        p[1] is None))


def _targets(db: Database, goal: dict) -> list[dict]:
    rows = fetch_dicts(db, "SELECT * FROM targets WHERE goal_id = ? AND fulfilment_level >= 100 AND source = 'kontrakt' "
                       "ORDER BY position", (goal["id"],))
    out: list[dict] = []
    seen: set[tuple] = set()
    last_key = None
    for t in rows:
        text = t["text"] or ""
        pos = number_offset(text, t["value"])
        kind = kind_at(t["measure"] or "", 0) if t["measure"] else None
        kind = kind or kind_at(text, pos)
        key = kind.key if kind else None
        if re.search(r"\bdette\s+(?:kendskab|mål|tal|andel)", text) and last_key:
            key = last_key
        last_key = key or last_key
        segment = segment_at(text, pos, result=False)
        ident = (key, t["unit"], segment, t["year"], t["value"])
        if ident in seen:
            continue
        seen.add(ident)
        out.append({"key": key, "indicator": LABELS.get(key or "", t["measure"] or "Måltal"), "segment": segment,
                    "value": _num(t["value"]), "unit": t["unit"], "comparator": t["comparator"], "year": t["year"],
                    "measure": t["measure"], "text": text, "line": t["line"]})
    every = {t["key"] for t in out if t["key"]}
    for t in out:     # a target without the indicator's words in a goal that measures one thing
        if t["key"] is None and len(every) == 1:
            t["key"] = next(iter(every))
            t["indicator"] = LABELS[t["key"]]
    return out


def _target_json(t: dict) -> dict:
    return {"value": t["value"], "unit": t["unit"], "comparator": t["comparator"], "year": t["year"],
            "text": target_text({**t, "measure": None}), "line": t["line"]}   # the indicator is named beside it


def _target_changes(old: list[dict], new: list[dict]) -> list[dict]:
    """Per indicator and unit: the same year's target, else the one without a year, old → new."""
    out: list[dict] = []
    left = list(old)
    for n in new:
        cands = [o for o in left if o["key"] == n["key"] and o["unit"] == n["unit"] and o["segment"] == n["segment"]]
        o = next((c for c in cands if c["year"] == n["year"]), None) or next(
            (c for c in cands if c["year"] is None or n["year"] is None), None) or (cands[0] if len(cands) == 1 else None)
        if o is not None:
            left.remove(o)
        out.append(_target_entry(o, n))
    out += [_target_entry(o, None) for o in left]
    return out


def _target_entry(o: dict | None, n: dict | None) -> dict:
    if o is None:
        change = "added"
    elif n is None:
        change = "removed"
    elif (o["value"], o["comparator"], o["year"]) == (n["value"], n["comparator"], n["year"]):
        change = "unchanged"
    elif o["value"] != n["value"] and o["comparator"] == n["comparator"] and o["unit"] == n["unit"]:
        change = "raised" if float(n["value"]) > float(o["value"]) else "lowered"
    else:
        change = "changed"
    ref = n or o
    return {"indicator": ref["indicator"], "indicator_key": ref["key"], "segment": ref["segment"], "change": change,
            "from": _target_json(o) if o else None, "to": _target_json(n) if n else None}


def _delmaal(db: Database, goal: dict) -> list[dict]:
    rows = fetch_dicts(db, "SELECT label, title, text, printed_label FROM indicators WHERE goal_id = ? ORDER BY position",
                       (goal["id"],))
    out = [{"label": r["label"], "title": r["title"] or _short(r["text"]), "text": r["text"] or "",
            "printed": bool(r["printed_label"])} for r in rows]
    # the bullets of the goal box are delmål too when the contract did not label them ("• For virksomheder
    # i … driftssegment …"): they are matched, never listed as removed
    for bullet in re.split(r"\s*[•·]\s*", goal.get("goal_text") or "")[1:]:
        if len(bullet) > 40:
            out.append({"label": "", "title": _short(bullet), "text": bullet, "printed": False})
    return out


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " …"


def _delmaal_sim(o: dict, n: dict) -> float:
    return max(_similar(o["title"], n["title"]), _similar(o["text"], n["text"]))


def _delmaal_changes(old: list[dict], new: list[dict]) -> dict:
    """Delmål added or removed, matched by wording (a 2024 "Målepunkt" without a printed label counts too)."""
    left = list(old)
    added: list[dict] = []
    for n in new:
        best = max(left, key=lambda o: _delmaal_sim(o, n), default=None)
        if best is not None and _delmaal_sim(best, n) >= 0.6:
            left.remove(best)
        elif n["printed"]:
            added.append(n)
    strip = [{"label": d["label"], "title": d["title"]} for d in added]
    return {"added": strip, "removed": [{"label": d["label"], "title": d["title"]} for d in left if d["printed"]]}


def _goal_ref(g: dict | None) -> dict | None:
    return None if g is None else {"number": str(g["number"]), "title": g["title"]}


def budget_diff(db: Database, from_year: int, to_year: int, *, public: bool = False) -> dict:
    """The basisbevilling per municipality old → new, in 1.000 kr. as the contracts print it."""
    rows = fetch_dicts(db, "SELECT period, label, value, is_total, unit, line, document_id FROM figures "
                       "WHERE dataset = ? AND period IN (?, ?) ORDER BY id", (BUDGET_DATASET, str(from_year), str(to_year)))
    from kkrdesk.data.access import visibility

    rows = visibility(db, public).rows_by_document(rows)
    by: dict[str, dict[str, dict]] = {str(from_year): {}, str(to_year): {}}
    for r in rows:
        by[r["period"]][r["label"]] = r      # a later import of the same year wins
    labels = list(dict.fromkeys([x for x in by[str(to_year)] if x != "I alt"] + [x for x in by[str(from_year)] if x != "I alt"]))
    munis = []
    for label in labels:
        a, b = by[str(from_year)].get(label), by[str(to_year)].get(label)
        munis.append({"municipality": label, "from": _num(a["value"]) if a else None, "to": _num(b["value"]) if b else None,
                      "change": _num(round(b["value"] - a["value"], 3)) if a and b else None})
    ta, tb = by[str(from_year)].get("I alt"), by[str(to_year)].get("I alt")
    total = {"from": _num(ta["value"]) if ta else None, "to": _num(tb["value"]) if tb else None,
             "change": _num(round(tb["value"] - ta["value"], 3)) if ta and tb else None}
    return {"unit": "1.000 kr.", "total": total, "municipalities": munis}


def contract_diff(db: Database, from_year: int, to_year: int, *, public: bool = False) -> dict:
    """`kkrdesk contracts diff FROM TO --json`."""
    chosen = chosen_contracts(db, public=public)
    missing = [y for y in (from_year, to_year) if y not in chosen]
    if missing:
        raise LookupError(f"Ingen resultatkontrakt for {' og '.join(str(y) for y in missing)} i lageret")
    goals: list[dict] = []
    for o, n in _match_goals(year_goal_rows(db, from_year, public=public), year_goal_rows(db, to_year, public=public), db):
        targets = _target_changes(_targets(db, o) if o else [], _targets(db, n) if n else [])
        delmaal = _delmaal_changes(_delmaal(db, o) if o else [], _delmaal(db, n) if n else [])
        if o is None:
            change = "added"
        elif n is None:
            change = "removed"
        elif (_norm(o["title"]) == _norm(n["title"]) and all(t["change"] == "unchanged" for t in targets)
              and not delmaal["added"] and not delmaal["removed"]):
            change = "unchanged"
        else:
            change = "changed"
        goals.append({
            "change": change, "theme": (n or o)["theme"], "from": _goal_ref(o), "to": _goal_ref(n),
            "renumbered": bool(o and n and str(o["number"]) != str(n["number"])),
            "retitled": bool(o and n and _norm(o["title"]) != _norm(n["title"])),
            "targets": targets, "delmaal": delmaal,
        })
    return {
        "from": from_year, "to": to_year,
        "documents": {"from": chosen[from_year]["document_name"], "to": chosen[to_year]["document_name"]},
        "goals": goals,
        "budget": budget_diff(db, from_year, to_year, public=public),
    }
