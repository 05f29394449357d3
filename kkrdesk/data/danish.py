"""Danish number and date formats, both ways.

Documents print 1.234.567,89 and "23. november 2026"; the UI and the PDFs must
print the same. One module so the parsers, charts and PDFs agree.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]
_MONTH_NO = {name: i + 1 for i, name in enumerate(MONTHS)}

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_NO_SUPERSCRIPTS = dict.fromkeys(map(ord, _SUPERSCRIPTS))   # built once: parse_number reads every table cell
_NUMBER_RE = re.compile(r"^[-−–]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^[-−–]?\d+(?:,\d+)?$")


def parse_number(text: str) -> float | int | None:
    """Parse a Danish-formatted number: 1.200 → 1200, 31,8 → 31.8, 1.234.567,89.

    Footnote superscripts, a trailing % and surrounding spaces are ignored.
    Returns None when the text is not a number (never guesses).
    """
    s = text.strip()
    if s.isdigit() and s.isascii():     # "2021", "313": most table cells, read without the rules below
        return int(s)
    s = s.translate(_NO_SUPERSCRIPTS)
    s = s.replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
    if not _NUMBER_RE.match(s):
        return None
    negative = s[0] in "-−–"
    s = s.lstrip("-−–").replace(".", "").replace(",", ".")
    value: float | int = float(s) if "." in s else int(s)
    return -value if negative else value


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """1234.5 → '1.234,5'; without `decimals`, up to two decimals and no trailing zeros."""
    if value is None:
        return ""
    strip = decimals is None
    if decimals is None:
        decimals = 2
    text = f"{value:,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(value: float | int | None) -> str:
    return "" if value is None else f"{format_number(value)} %"


def format_date(value: dt.date | str | None) -> str:
    """2026-11-23 → '23. november 2026'; None → 'dato ukendt'."""
    if value is None or value == "":
        return "dato ukendt"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


_DATE_RE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)


def _date_of(m: re.Match) -> dt.date | None:
    try:
        return dt.date(int(m.group(3)), _MONTH_NO[m.group(2).lower()], int(m.group(1)))
    except ValueError:  # "31. juni 2025" is printed, but no date
        return None


def find_date(text: str) -> dt.date | None:
    """First Danish long-form date in text ('20. juni 2025'), or None."""
    m = _DATE_RE.search(text)
    return _date_of(m) if m else None


_FIRST_DATE_PER_LINE = re.compile(r"^[^\n]*?" + _DATE_RE.pattern, re.IGNORECASE | re.MULTILINE)


def find_dates(text: str) -> list[dt.date]:
    """The first Danish long-form date of each line, in order, in one pass over a whole document.

    The first date on a line is the one a letter or memo is dated by; later ones on the same
    line are mostly periods ("fra 1. januar 2021 til 31. december 2023").
    """
    return [d for m in _FIRST_DATE_PER_LINE.finditer(text) if (d := _date_of(m))]


_SHORT_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")


def parse_date(text: str) -> dt.date:
    """A date as a Dane types it: '4.12.2026', '4. december 2026' or ISO '2026-12-04'; ValueError otherwise."""
    value = " ".join(text.split()).strip()
    if m := _SHORT_DATE.match(value):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if (m := _DATE_RE.fullmatch(value)) is not None:
        date = _date_of(m)
        if date is None:
            raise ValueError(value)
        return date
    return dt.date.fromisoformat(value)


def count_text(count: int, singular: str, plural: str) -> str:
    """'1 punkt', '9 punkter': Danish needs the noun to agree with the number."""
    return f"{format_number(count)} {singular if count == 1 else plural}"
