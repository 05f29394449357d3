"""The 11 North Jutland municipalities and the spellings documents use for them.

Shared by every dataset so that "Vesthimmerlands Kommune" in one table and
"Vesthimmerland" in another are the same row.
"""

from __future__ import annotations

import re
import unicodedata

# Official name → other spellings seen in the material (lower-case matching).
MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "Aalborg": ("Aalborg Kommune",),
    "Brønderslev": ("Brønderslev Kommune", "Brønderslev-Dronninglund"),
    "Frederikshavn": ("Frederikshavn Kommune",),
    "Hjørring": ("Hjørring Kommune", "Hjørring K."),
    "Jammerbugt": ("Jammerbugt Kommune", "Jammerbugt K."),
    "Læsø": ("Læsø Kommune",),
    "Mariagerfjord": ("Mariagerfjord Kommune",),
    "Morsø": ("Morsø Kommune",),
    "Rebild": ("Rebild Kommune",),
    "Thisted": ("Thisted Kommune",),
    "Vesthimmerland": ("Vesthimmerlands Kommune", "Vesthimmerlands", "Vesthimmerland Kommune"),
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"[\s\-]+", " ", text)


_LOOKUP: dict[str, str] = {}
for _name, _variants in MUNICIPALITIES.items():
    for _v in (_name, *_variants):
        _LOOKUP[_key(_v)] = _name


_KEYS = tuple(_LOOKUP)


def canonical_municipality(text: str) -> str | None:
    """'Vesthimmerlands Kommune' → 'Vesthimmerland'; None when it is not one of the 11."""
    key = _key(text)
    if key in _LOOKUP:
        return _LOOKUP[key]
    key = re.sub(r"\s+kommune$", "", key)
    return _LOOKUP.get(key)


def match_leading_municipality(line: str) -> tuple[str, str] | None:
    """Split 'Brønderslev 20 20 40 40' into ('Brønderslev', '20 20 40 40') if it starts with a municipality."""
    text = unicodedata.normalize("NFC", line).strip()
    lowered = text.lower()
    if not lowered.startswith(_KEYS):  # one C-level check rejects most lines (bench, issue #8)
        return None
    best: tuple[str, str] | None = None
    for variant_key, name in _LOOKUP.items():
        if lowered.startswith(variant_key) and (
            len(text) == len(variant_key) or not text[len(variant_key)].isalpha()
        ):
            if best is None or len(variant_key) > len(best[1]):
                best = (name, text[: len(variant_key)])
    if best is None:
        return None
    return best[0], text[len(best[1]):].strip()
