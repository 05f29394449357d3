"""Themes: the recurring matters a board member follows from meeting to meeting.

The rules live in resources/themes.json (Danish, editable without touching
code). A thing is tagged when its title names the theme, or its text does so
often enough. The secretariat can add a tag or take an automatic one off;
such choices survive re-tagging.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kkrdesk.data.access import visibility
from kkrdesk.data.queries import fetch_dicts
from kkrdesk.paths import resources_dir

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    description: str
    title_patterns: tuple[re.Pattern, ...]
    text_patterns: tuple[re.Pattern, ...]
    min_text_hits: int
    datasets: tuple[str, ...]
    goals: bool


def _compile(word: str) -> re.Pattern:
    """'klima*' matches words starting with klima; 'sosu' only the word sosu.

    Patterns run on lower-cased text (see detect_themes) and start with the
    literal word, its "no word character before" check placed after it: a
    leading look-behind or IGNORECASE stops `re` from jumping to the literal,
    which made tagging a 50 MB archive take minutes (bench, issue #8).
    """
    word = word.strip().lower()
    literal = re.escape(word.rstrip("*"))
    not_inside = r"(?<!\w" + literal + ")"
    pattern = re.compile(literal + not_inside + (r"\w*" if word.endswith("*") else r"(?!\w)"))
    _LITERALS[pattern] = word.rstrip("*")
    return pattern


# Each compiled pattern's literal word: `word in text` (C's fast search) rules out most patterns
# for a text before the regex scans it (#20).
_LITERALS: dict[re.Pattern, str] = {}


def rules_path() -> Path:
    return resources_dir() / "themes.json"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[Theme, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Theme(
            key=entry["key"],
            name=entry["navn"],
            description=entry.get("beskrivelse", ""),
            title_patterns=tuple(_compile(w) for w in entry.get("titel", [])),
            text_patterns=tuple(_compile(w) for w in entry.get("tekst", [])),
            min_text_hits=int(entry.get("min_tekst", 3)),
            datasets=tuple(entry.get("datasaet", [])),
            goals=bool(entry.get("maal", False)),
        )
        for entry in data["temaer"]
    )


def load_themes(path: Path | None = None) -> tuple[Theme, ...]:
    path = path or rules_path()
    return _load(str(path), path.stat().st_mtime)


def count_themes_with_items(db: Database) -> int:
    """How many themes have at least one tagged agenda item (the window's root count, private view):
    the theme keys without compiling their patterns, which the start does not need (#20.5)."""
    path = rules_path()
    keys = _keys(str(path), path.stat().st_mtime)
    tagged = {row[0] for row in db.execute(
        "SELECT DISTINCT t.theme FROM theme_tags t JOIN agenda_items a ON a.id = t.target_id "
        "WHERE t.target_type = 'item' AND t.removed = 0").fetchall()}
    return sum(1 for key in keys if key in tagged)


@lru_cache(maxsize=4)
def _keys(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(entry["key"] for entry in json.loads(Path(path).read_text(encoding="utf-8"))["temaer"])


def find_theme(name: str, themes: tuple[Theme, ...] | None = None) -> Theme | None:
    """By key or Danish name, case-insensitive; a unique prefix of the name also works."""
    themes = themes or load_themes()
    wanted = name.strip().casefold()
    for theme in themes:
        if wanted in (theme.key.casefold(), theme.name.casefold()):
            return theme
    matches = [t for t in themes if t.name.casefold().startswith(wanted) or wanted in t.name.casefold()]
    return matches[0] if len(matches) == 1 else None


def detect_themes(title: str, text: str, themes: tuple[Theme, ...] | None = None) -> list[str]:
    """Theme keys for one thing, from its title (one mention) or its text (several)."""
    return list(_detect(title or "", text or "", themes or load_themes()))


@lru_cache(maxsize=64)
def _detect(title: str, text: str, themes: tuple[Theme, ...]) -> tuple[str, ...]:
    """Cached: an import tags a bilag's document both as bilag and as document (bench, #8)."""
    title, text = (title or "").lower(), (text or "").lower()   # the patterns are lower-case (_compile)
    found: list[str] = []
    for theme in themes:
        if any(p.search(title) for p in theme.title_patterns):
            found.append(theme.key)
            continue
        if theme.text_patterns and _hits_at_least(theme.text_patterns, text, theme.min_text_hits):
            found.append(theme.key)
    return tuple(found)


def _hits_at_least(patterns: tuple[re.Pattern[str], ...], text: str, wanted: int) -> bool:
    """Whether the patterns match at least `wanted` times in all: counting stops there (#20)."""
    if wanted <= 0:
        return True
    hits = 0
    for pattern in patterns:
        if _LITERALS.get(pattern, "") not in text:
            continue
        for _ in pattern.finditer(text):
            hits += 1
            if hits >= wanted:
                return True
    return False


def _doc_text(db: Database, document_id: int | None) -> str:
    if document_id is None:
        return ""
    from kkrdesk.data.texts import document_text  # stored once: in the sections (#20.2)

    return document_text(db, document_id)


def _add_auto(db: Database, theme: str, target_type: str, target_id: int) -> None:
    db.execute(
        "INSERT OR IGNORE INTO theme_tags (theme, target_type, target_id, source) VALUES (?, ?, ?, 'auto')",
        (theme, target_type, target_id),
    )


def tag_meeting(db: Database, meeting_id: int, themes: tuple[Theme, ...] | None = None) -> None:
    """Tag a meeting's items and bilag; an item also carries the themes of its bilag."""
    themes = themes or load_themes()
    items = fetch_dicts(db, "SELECT id, title, sagsfremstilling, indstilling FROM agenda_items WHERE meeting_id = ?",
                  (meeting_id,))
    for item in items:
        item_keys = set(detect_themes(
            item["title"], " ".join(filter(None, (item["sagsfremstilling"], item["indstilling"]))), themes))
        for bilag in fetch_dicts(db, "SELECT id, title, document_id FROM bilag WHERE agenda_item_id = ?", (item["id"],)):
            bilag_keys = detect_themes(bilag["title"], _doc_text(db, bilag["document_id"]), themes)
            for key in bilag_keys:
                _add_auto(db, key, "bilag", bilag["id"])
            item_keys.update(bilag_keys)
        for key in item_keys:
            _add_auto(db, key, "item", item["id"])


def tag_document(db: Database, document_id: int, themes: tuple[Theme, ...] | None = None) -> None:
    themes = themes or load_themes()
    row = db.execute("SELECT title FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row:
        for key in detect_themes(row[0] or "", _doc_text(db, document_id), themes):
            _add_auto(db, key, "document", document_id)


def retag_all(db: Database) -> None:
    """Recompute automatic tags (after the rules changed); the secretariat's choices stay."""
    themes = load_themes()
    with db.atomic():
        db.execute("DELETE FROM theme_tags WHERE source = 'auto' AND removed = 0")
        for (meeting_id,) in db.execute("SELECT id FROM meetings").fetchall():
            tag_meeting(db, meeting_id, themes)
        for (document_id,) in db.execute("SELECT id FROM documents").fetchall():
            tag_document(db, document_id, themes)


def set_tag(db: Database, theme: str, target_type: str, target_id: int, on: bool) -> None:
    """The secretariat adds a tag (manual) or takes one off (kept as removed, so re-tagging respects it)."""
    with db.atomic():
        if on:
            db.execute(
                "INSERT INTO theme_tags (theme, target_type, target_id, source, removed) VALUES (?, ?, ?, 'manual', 0) "
                "ON CONFLICT (theme, target_type, target_id) DO UPDATE SET removed = 0, source = 'manual'",
                (theme, target_type, target_id),
            )
        else:
            db.execute(
                "INSERT INTO theme_tags (theme, target_type, target_id, source, removed) VALUES (?, ?, ?, 'manual', 1) "
                "ON CONFLICT (theme, target_type, target_id) DO UPDATE SET removed = 1",
                (theme, target_type, target_id),
            )


def tags_for(db: Database, target_type: str, target_id: int) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT theme FROM theme_tags WHERE target_type = ? AND target_id = ? AND removed = 0 ORDER BY theme",
        (target_type, target_id))]


def _sort_key_sql() -> str:
    return "COALESCE(m.date, CASE WHEN m.year IS NOT NULL THEN m.year || '-00-00' END, '')"


def theme_items(db: Database, key: str, public: bool = False) -> list[dict]:
    """The thread: tagged agenda items across meetings, newest first.

    Public: a closed item is left out altogether (not even "Lukket punkt"): its theme
    tag is itself closed content, it says what the closed matter was about.
    """
    rows = fetch_dicts(db, f"""
        SELECT a.id AS item_id, a.number, a.title, a.access, a.indstilling, a.beslutning,
               m.id AS meeting_id, m.title AS meeting, m.date, m.year
        FROM theme_tags t
        JOIN agenda_items a ON t.target_type = 'item' AND a.id = t.target_id
        JOIN meetings m ON m.id = a.meeting_id
        WHERE t.theme = ? AND t.removed = 0
        ORDER BY {_sort_key_sql()} DESC, m.id DESC, a.position
    """, (key,))
    if public:
        seen = visibility(db, public)
        rows = [row for row in rows if row["access"] != "lukket" and seen.item_visible(row["item_id"])]
    return rows


def theme_datasets(db: Database, theme: Theme, public: bool = False) -> list[dict]:
    """The theme's datasets that have rows (public: rows from closed documents do not count)."""
    if not theme.datasets:
        return []
    marks = ",".join("?" * len(theme.datasets))
    seen = visibility(db, public)
    present: dict[str, int] = {}
    for dataset, document_id, count in db.execute(
            f"SELECT dataset, document_id, COUNT(*) FROM figures WHERE dataset IN ({marks}) "
            f"GROUP BY dataset, document_id", theme.datasets).fetchall():
        if seen.document_visible(document_id):
            present[dataset] = present.get(dataset, 0) + count
    titles = {r[0]: r[1] for r in db.execute(f"SELECT name, title FROM datasets WHERE name IN ({marks})", theme.datasets)}
    return [{"name": name, "title": titles.get(name, name), "rows": present[name]}
            for name in theme.datasets if name in present]


def theme_goals(db: Database, theme: Theme, public: bool = False) -> list[dict]:
    """Contract goals of the theme (public: not those read from a closed item's bilag)."""
    if not theme.goals:
        return []
    rows = fetch_dicts(db, """
        SELECT c.year, g.number, g.title, g.theme, g.fulfilment_pct, c.document_id
        FROM goals g JOIN contracts c ON c.id = g.contract_id
        ORDER BY c.year DESC, g.position
    """)
    rows = visibility(db, public).rows_by_document(rows)
    for row in rows:
        del row["document_id"]
    return rows


def list_themes(db: Database, public: bool = False) -> list[dict]:
    """Every theme with its number of tagged agenda items (0 included, so the list is stable)."""
    seen = visibility(db, public)
    counts: dict[str, int] = {}
    for theme, target_id in db.execute(
            "SELECT DISTINCT t.theme, t.target_id FROM theme_tags t JOIN agenda_items a ON a.id = t.target_id "
            "WHERE t.target_type = 'item' AND t.removed = 0 AND (? = 0 OR a.access != 'lukket')",
            (int(public),)).fetchall():
        if seen.tag_visible("item", target_id):
            counts[theme] = counts.get(theme, 0) + 1
    return [{"key": t.key, "name": t.name, "items": counts.get(t.key, 0)} for t in load_themes()]


def theme_thread(db: Database, theme: Theme, public: bool = False) -> dict:
    """Everything on one theme: items across meetings, its datasets and goals."""
    return {
        "key": theme.key,
        "name": theme.name,
        "description": theme.description,
        "items": theme_items(db, theme.key, public=public),
        "datasets": theme_datasets(db, theme, public=public),
        "goals": theme_goals(db, theme, public=public),
    }
