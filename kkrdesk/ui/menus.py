"""The window's menus as one table: text, the window method it calls, shortcuts and status tip.

One table, so the F1 list of shortcuts is made from the same entries as the menus
and cannot disagree with them, and tests can walk every entry. Each action calls
its method without arguments (never `triggered(checked)`), so a method with an
optional parameter is not handed `False` by Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

Key = str | QKeySequence.StandardKey


@dataclass(frozen=True)
class Entry:
    text: str
    method: str                     # the window method called (no arguments)
    keys: tuple[Key, ...] = ()
    tip: str = ""


SEP = None

MENUS: list[tuple[str, list[Entry | None]]] = [
    ("&Filer", [
        Entry("&Importér dokumenter…", "import_documents", ("Ctrl+I",),
              "Læs nye dokumenter (txt, md, pdf, docx) ind i lageret"),
        Entry("Å&bn pakke…", "open_pack", (QKeySequence.StandardKey.Open,),
              "Installér og åbn en udgivet mødepakke (.kkrpack)"),
        SEP,
        Entry("&Eksportér briefing…", "export_briefing", ("Ctrl+E",), "Gem mødet eller kontrakten som én PDF"),
        Entry("&Sekretariat…", "open_secretariat", ("Ctrl+Shift+S",),
              "Forbered et møde: punkter, bilag og mødemappe"),
        Entry("&Udskriv…", "print_page", (QKeySequence.StandardKey.Print,), "Udskriv den viste side"),
        SEP,
        Entry("I&ndstillinger…", "show_preferences", ("Ctrl+,",), "Tekststørrelse, eksportmappe og noter"),
        SEP,
        Entry("&Afslut", "close", (QKeySequence.StandardKey.Quit,), "Luk kkrdesk"),
    ]),
    ("&Gå", [
        Entry("&Søg…", "show_search", ("Ctrl+K",), "Søg i alt materiale"),
        Entry("&Mine noter", "show_notes", ("Ctrl+Shift+N",), "Alle dine noter og stjerner"),
        Entry("&Pakker", "show_packs", ("Ctrl+Shift+M",), "Installerede mødepakker og hvad der er ændret"),
        Entry("Mit &eget lager", "open_own_store", ("Ctrl+Shift+H",), "Tilbage fra en pakke til dit eget lager"),
        SEP,
        Entry("&Forrige", "previous_place", ("Alt+Up",), "Forrige punkt, bilag eller mål"),
        Entry("&Næste", "next_place", ("Alt+Down",), "Næste punkt, bilag eller mål"),
        SEP,
        Entry("&Indholdsoversigt", "focus_tree", ("Ctrl+1",), "Gå til indholdsoversigten"),
        Entry("&Læsevisning", "focus_content", ("Ctrl+2",), "Gå til den viste side"),
        Entry("Min &note", "focus_note", ("Ctrl+3",), "Skriv en privat note til det viste"),
        Entry("S&tjernemarkér", "toggle_star", ("Ctrl+D",), "Sæt eller fjern en stjerne"),
    ]),
    ("&Vis", [
        Entry("&Større tekst", "zoom_in", ("Ctrl++", "Ctrl+="), "Større tekst på alle sider"),
        Entry("&Mindre tekst", "zoom_out", ("Ctrl+-",), "Mindre tekst på alle sider"),
        Entry("&Find i siden…", "find_in_page", (QKeySequence.StandardKey.Find,), "Find et ord i den viste side"),
    ]),
    ("&Hjælp", [
        Entry("&Tastaturgenveje", "show_shortcuts", ("F1",), "Alle tastaturgenveje"),
        Entry("&Om kkrdesk", "show_about", (), "Version, lager og licenser"),
    ]),
]


def _sequences(keys: tuple[Key, ...]) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, str):
            out.append(QKeySequence(key))
        else:
            out.extend(QKeySequence.keyBindings(key))
    return out


def build_menus(window: QMainWindow) -> dict[str, QAction]:
    """Fill the window's menu bar; returns {method name: action}."""
    actions: dict[str, QAction] = {}
    for title, entries in MENUS:
        menu = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            action = QAction(entry.text, window)
            action.setShortcuts(_sequences(entry.keys))
            tip = entry.tip
            if action.shortcuts():
                tip += f" ({action.shortcuts()[0].toString(QKeySequence.NativeText)})"
            action.setStatusTip(tip)
            action.setToolTip(tip)
            method = getattr(window, entry.method)
            action.triggered.connect(lambda _checked=False, m=method: m())
            menu.addAction(action)
            actions[entry.method] = action
    return actions


def _typable(sequence: QKeySequence) -> bool:
    """A shortcut one types (Ctrl+O, F1), not a dedicated keyboard key (the "Open" key) Qt also binds."""
    combo = sequence[0]
    return bool(combo.keyboardModifiers()) or Qt.Key_F1 <= combo.key() <= Qt.Key_F35


def plain_text(text: str) -> str:
    """'&Importér dokumenter…' → 'Importér dokumenter'."""
    return text.replace("&", "").rstrip("…")


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every action that has one, in menu order: the F1 list."""
    rows = []
    for action in actions.values():
        keys = " / ".join(k.toString(QKeySequence.NativeText) for k in action.shortcuts() if _typable(k))
        if keys:
            rows.append((keys, plain_text(action.text())))
    return rows
