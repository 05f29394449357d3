"""The sidebar: one tree model over the content store, children loaded when first asked for.

Nodes hold only a kind and an id (or dataset name); titles come from the read
API. Counts are read with the parent so `hasChildren` is exact before the
children are loaded, which keeps the expand arrows honest and the model valid
under QAbstractItemModelTester.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from kkrdesk.data import queries, themes
from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.notes import bilag_key, goal_key, item_key
from kkrdesk.ui import sources

if TYPE_CHECKING:
    from sqlite_utils import Database

KindRole = Qt.UserRole + 1      # "meeting", "item", ...
IdentRole = Qt.UserRole + 2     # row id (or dataset name)

ROOTS = [
    ("meetings", "Møder"),
    ("themes", "Temaer"),
    ("contracts", "Resultatkontrakter"),
    ("datasets", "Nøgletal"),
    ("documents", "Dokumenter"),
    ("notes", "Mine noter"),
    ("packs", "Pakker"),
]


@dataclass(eq=False)
class Node:
    kind: str
    ident: object
    label: str
    parent: Node | None = None
    count: int = 0                       # number of children, known before loading them
    closed: bool = False
    tooltip: str = ""
    children: list[Node] | None = None   # None: not loaded yet
    note_key: str | None = None          # the key a private note on this node is kept under
    meta: dict | None = None             # a meeting's title and date (its items' note keys are made from them)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent and self.parent.children else 0


_lock_icon: QIcon | None = None


def lock_icon() -> QIcon:
    """A small padlock drawn once (no icon files to ship; reads in light and dark themes)."""
    global _lock_icon
    if _lock_icon is None:
        pix = QPixmap(16, 16)
        pix.fill(Qt.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(QColor("#b07000"), 2))
        p.drawArc(4, 1, 8, 10, 0, 180 * 16)
        p.fillRect(2, 7, 12, 8, QColor("#b07000"))
        p.end()
        _lock_icon = QIcon(pix)
    return _lock_icon


def mark_words(mark: tuple[bool, bool]) -> str:
    has_text, starred = mark
    return " og ".join(w for w, on in (("stjernemarkeret", starred), ("med din note", has_text)) if on)


def _pack_marks(db: Database) -> dict[str, str]:
    """What changed since the member read this pack (#7); {} for an ordinary store."""
    from kkrdesk.data.pack_install import marks_for_pack

    return marks_for_pack(db)


_mark_icons: dict[str, QIcon] = {}


def mark_icon(text: str, colour: str) -> QIcon:
    """A one-glyph icon (★ starred, ✎ has a note), drawn once: no icon files to ship."""
    if text not in _mark_icons:
        pix = QPixmap(16, 16)
        pix.fill(Qt.transparent)
        p = QPainter(pix)
        p.setPen(QColor(colour))
        font = p.font()
        font.setPixelSize(14)
        p.setFont(font)
        p.drawText(pix.rect(), Qt.AlignCenter, text)
        p.end()
        _mark_icons[text] = QIcon(pix)
    return _mark_icons[text]


class NavModel(QAbstractItemModel):
    """Møder / Temaer / Resultatkontrakter / Nøgletal / Dokumenter / Mine noter / Pakker.

    `note_marks` ({note key: (has text, starred)}) puts a star or a pencil on the
    items, bilag and goals the member has written about.
    """

    def __init__(self, db: Database, parent=None, note_marks: dict[str, tuple[bool, bool]] | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.note_marks = note_marks or {}
        self.root = Node("root", None, "", children=[])
        for kind, label in ROOTS:
            self.root.children.append(Node(kind, None, label, self.root, count=self._root_count(kind)))

    # --- loading -------------------------------------------------------------------------------

    def _root_count(self, kind: str) -> int:
        # counts, not lists: the start must not grow with the store (#20.5)
        if kind == "meetings":
            return queries.count_meetings(self.db)
        if kind == "contracts":
            years = queries.count_contract_years(self.db)
            return years + (1 if years >= 2 else 0)    # "Ændringer fra … til …" (#17)
        if kind == "datasets":
            from kkrdesk.data.figures.repo import count_datasets_with_rows

            return count_datasets_with_rows(self.db)
        if kind == "documents":
            return queries.count_documents(self.db)
        if kind == "themes":
            return themes.count_themes_with_items(self.db)
        return 0

    def _themes(self) -> list[dict]:
        """Themes with at least one agenda item in this store."""
        return [t for t in themes.list_themes(self.db) if t["items"]]

    def _load(self, node: Node) -> list[Node]:
        kind = node.kind
        if kind == "meetings":
            out = []
            for m in queries.list_meetings(self.db):
                date = format_date(m["date"])  # "dato ukendt" when the material does not say
                label = m["title"] if date in m["title"] else f"{m['title']} – {date}"
                out.append(Node("meeting", m["id"], label, count=m["items"], tooltip=f"{label}\n{date}",
                                meta={"title": m["title"], "date": m["date"]}))
            return out
        if kind == "meeting":
            out = []
            marks = _pack_marks(self.db)
            for item in queries.meeting_items(self.db, node.ident):
                closed = item["access"] == "lukket"
                label = f"{item['number']} {item['title']}".strip() + (" — Lukket" if closed else "")
                if marks:  # a newer version of a pack the member has read (#7): "Ændret" / "Ny"
                    from kkrdesk.data.packs import item_ref

                    label += f" — {marks[item_ref(item)]}" if item_ref(item) in marks else ""
                meeting = node.meta
                out.append(Node("item", item["id"], label, count=len(item["bilag"]), closed=closed,
                                tooltip=f"{label}\nLukket punkt" if closed else label,
                                note_key=item_key(meeting, item["number"], item["title"]) if meeting else None))
            return out
        if kind == "item":
            return [Node("bilag", b["id"], f"Bilag {b['number']}: {b['title']}",
                         tooltip=f"Bilag {b['number']}: {b['title']}",
                         note_key=bilag_key(node.note_key, b["number"]) if node.note_key else None)
                    for b in queries.item_bilag(self.db, node.ident)]
        if kind == "themes":
            return [Node("theme", t["key"], f"{t['name']} ({t['items']})", tooltip=count_text(t["items"], "punkt", "punkter"))
                    for t in self._themes()]
        if kind == "contracts":
            years = [Node("year", y["year"], f"Resultatkontrakt {y['year']}", count=y["goals"])
                     for y in sources.contract_years(self.db)]
            pair = sources.diff_years(self.db)   # what changed between the two newest contracts (#17)
            if pair:
                years.append(Node("diff", f"{pair[0]}:{pair[1]}", f"Ændringer fra {pair[0]} til {pair[1]}"))
            return years
        if kind == "year":
            return [Node("goal", g["id"], f"Mål {g['number']}: {g['title']}", count=g["indicators"],
                         tooltip=f"Mål {g['number']}: {g['title']}", note_key=goal_key(node.ident, g["number"]))
                    for g in sources.year_goals(self.db, node.ident)]
        if kind == "goal":
            return [Node("indicator", i["id"], i["label"] + (f": {i['title']}" if i.get("title") else ""))
                    for i in sources.goal_indicators(self.db, node.ident)]
        if kind == "datasets":
            return [Node("dataset", d["name"], d["title"], tooltip=d.get("description") or "")
                    for d in sources.datasets(self.db)]
        if kind == "documents":
            return [Node("document", d["id"], d["title"] or d["file_name"], count=d["parts"],
                         tooltip=d["file_name"]) for d in queries.list_documents(self.db)]
        if kind == "document":
            return [Node("document", p["id"], p["title"] or p["file_name"], tooltip=p["file_name"])
                    for p in queries.document_parts(self.db, node.ident)]
        return []

    def _children(self, node: Node) -> list[Node]:
        if node.children is None:
            children = self._load(node) if node.count else []
            for child in children:
                child.parent = node
            node.children = children
            node.count = len(children)
        return node.children

    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    # --- QAbstractItemModel --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        children = self._children(self.node(parent))
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        up = node.parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        return len(self._children(self.node(parent)))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.column() > 0:
            return False
        node = self.node(parent)
        return bool(node.children) if node.children is not None else node.count > 0

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        if role in (Qt.DisplayRole, Qt.EditRole):
            return node.label
        mark = self.note_marks.get(node.note_key) if node.note_key else None
        if role == Qt.ToolTipRole:
            tip = node.tooltip or node.label
            return tip + (f"\n{mark_words(mark)}" if mark else "")
        if role == Qt.AccessibleTextRole:
            return node.label + (f", {mark_words(mark)}" if mark else "")
        if role == Qt.DecorationRole:
            if mark and mark[1]:
                return mark_icon("★", "#b07000")
            if mark and mark[0]:
                return mark_icon("✎", "#1f5fa8")
            if node.closed:
                return lock_icon()
        if role == KindRole:
            return node.kind
        if role == IdentRole:
            return node.ident
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and section == 0:
            return "Indhold"
        return None

    def set_note_marks(self, marks: dict[str, tuple[bool, bool]]) -> None:
        """New note/star marks (after the member typed or starred): repaint the loaded rows' icons."""
        changed = {k for k in set(marks) | set(self.note_marks) if marks.get(k) != self.note_marks.get(k)}
        self.note_marks = marks
        if changed:
            self._repaint(self.root, QModelIndex(), changed)

    def _repaint(self, node: Node, index: QModelIndex, keys: set[str]) -> None:
        for row, child in enumerate(node.children or []):
            child_index = self.createIndex(row, 0, child)
            if child.note_key in keys:
                self.dataChanged.emit(child_index, child_index, [Qt.DecorationRole, Qt.ToolTipRole])
            if child.children:
                self._repaint(child, child_index, keys)

    # --- finding places ------------------------------------------------------------------------

    def find(self, kind: str, ident: object) -> QModelIndex:
        """The index of a node (loading only the branches that can hold it), or invalid."""
        path = self._path_to(kind, ident)
        index = QModelIndex()
        for step_kind, step_ident in path:
            found = QModelIndex()
            for row in range(self.rowCount(index)):
                child = self.index(row, 0, index)
                node = self.node(child)
                if node.kind == step_kind and node.ident == step_ident:
                    found = child
                    break
            if not found.isValid():
                return QModelIndex()
            index = found
        return index

    def _path_to(self, kind: str, ident: object) -> list[tuple[str, object]]:
        if kind in dict(ROOTS):
            return [(kind, None)]
        if kind == "meeting":
            return [("meetings", None), ("meeting", ident)]
        if kind == "item":
            item = queries.get_agenda_item(self.db, ident)
            return self._path_to("meeting", item["meeting_id"]) + [("item", ident)] if item else []
        if kind == "bilag":
            bilag = queries.get_bilag(self.db, ident)
            return self._path_to("item", bilag["agenda_item_id"]) + [("bilag", ident)] if bilag else []
        if kind == "goal":
            goal = sources.goal_detail(self.db, ident)
            return [("contracts", None), ("year", goal["year"]), ("goal", ident)] if goal else []
        if kind == "indicator":
            goal_id = sources.indicator_goal(self.db, ident)
            return self._path_to("goal", goal_id) + [("indicator", ident)] if goal_id else []
        if kind == "dataset":
            return [("datasets", None), ("dataset", ident)]
        if kind == "diff":
            return [("contracts", None), ("diff", ident)]
        if kind == "theme":
            return [("themes", None), ("theme", ident)]
        if kind == "document":
            doc = queries.get_document(self.db, ident)
            if not doc:
                return []
            if doc["parent_id"]:
                return [("documents", None), ("document", doc["parent_id"]), ("document", ident)]
            return [("documents", None), ("document", ident)]
        return []
