"""Printed periods in time order: "før 2015" < "2015-2018" < "2016" < "2017/2018" < "Budget 2021"."""

from __future__ import annotations

import re

_YEAR = re.compile(r"(?:19|20)\d{2}")


def period_sort_key(period: str) -> tuple[float, str]:
    """Chronological order of printed periods: by the first year named; 'før 2015' just before 2015.

    A period without a year ("I alt", "Værdi") goes last, in name order.
    """
    m = _YEAR.search(period or "")
    if not m:
        return (9999.0, period or "")
    year = float(m.group(0))
    if period.lower().startswith("før"):
        year -= 0.5
    return (year, period)
