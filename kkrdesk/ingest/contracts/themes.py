"""Stable theme keys that link the same goal across contract years.

Goal numbers and wording change with every framework agreement ("Mål 1 –
Virksomhedernes tilfredshed med den specialiserede vejledning" in 2019 is
"Mål 3 – Virksomhedernes tilfredshed" in 2024), so the cross-year charts group
goals by a theme read from the title. The rules are ordered: the first match
wins, which is how "Styrket regionalt samarbejde, herunder knudepunktsfunktionen"
lands on regional cooperation and not on the national hub goal.
"""

from __future__ import annotations

import re

# (pattern on the lower-cased title, theme, applies only to these scopes or None for all)
_RULES: list[tuple[str, str, tuple[str, ...] | None]] = [
    (r"iværksætter", "Styrket indsats for iværksættere", None),
    (r"kendskab", "Kendskab", None),
    (r"tilfredshed", "Virksomhedernes tilfredshed", None),
    (r"effekt", "Effekt i virksomhederne", None),
    (r"geografisk spredning", "Bred geografisk spredning", None),
    (r"kriseberedskab", "Kriseberedskab", None),
    (r"regional strategi", "Styrket regional strategi og indsats", None),
    (r"samarbejde", "Styrket regionalt samarbejde", None),
    (r"knudepunkt", "Knudepunktsfunktion", None),
    (r"digital indgang", "Fælles digital indgang", None),
    (r"(grøn|bæredygtig|cirkulær)", "Grøn omstilling – regionalt mål", ("regional", "lokal")),
    (r"(grøn|bæredygtig|cirkulær)", "Grøn omstilling og bæredygtighed", None),
    (r"digital", "Digitalisering og nye teknologier", None),
    (r"målgrupper|specialiseret vejledning", "Specialiseret vejledning til målgrupperne", None),
    (r"brede gruppe", "Vejledning af den brede gruppe af virksomheder", None),
    (r"opsøgende", "Opsøgende indsats", None),
]

THEMES: tuple[str, ...] = tuple(dict.fromkeys(theme for _, theme, _ in _RULES))


def theme_for(title: str, scope: str | None = None) -> str:
    """The theme key of a goal; an unknown goal is its own theme (its title, tidied)."""
    text = title.lower()
    for pattern, theme, scopes in _RULES:
        if re.search(pattern, text) and (scopes is None or scope in scopes):
            return theme
    return re.sub(r"\s+", " ", title).strip(" –-")
