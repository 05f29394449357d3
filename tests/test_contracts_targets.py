"""The target/result reader: Danish numbers, units, comparators and target years in prose."""

from __future__ import annotations

import pytest

from kkrdesk.ingest.contracts.targets import labelled_count, quantities


def q(text: str, **kw) -> list[tuple]:
    return [(x.value, x.unit, x.comparator, x.year) for x in quantities(text, **kw)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mindst 1.200 virksomheder om året frem til 2027", [(1200, "virksomheder", ">=", 2027)]),
        ("en andel på 31,8 procent", [(31.8, "procent", "=", None)]),
        ("tilskud på 1.234.567,89 kr.", [(1234567.89, "kr.", "=", None)]),
        ("godt 110 mio. kr. i tilskud", [(110, "mio. kr.", "=", None)]),
        ("mindst 10 procentpoint i omsætning og mindst 5 pct.-point i beskæftigelse",
         [(10, "procentpoint", ">=", None), (5, "procentpoint", ">=", None)]),
        ("højst 20 pct. af budgettet", [(20, "procent", "<=", None)]),
        ("op til 600 vejledninger", [(600, "vejledninger", "<=", None)]),
        ("over 75 % af virksomhederne", [(75, "procent", ">", None)]),
        ("350 Vækst- og Driftsforløb", [(350, "forløb", "=", None)]),
    ],
)
def test_numbers_units_and_comparators(text, expected):
    assert q(text) == expected


def test_years_ranges_superscripts_and_non_measures_are_not_targets():
    # "2024-2027" is a period, "3 år" is an age, "1:1" and "9-10" are not measures, "2020³" is a footnote
    assert q("Strategi 2024-2027: virksomheder under 3 år får 1:1 vejledning; svar på 9-10 tæller") == []
    assert q("steget med 5 procentpoint sammenlignet med efteråret 2020³.") == [(5, "procentpoint", "=", None)]


def test_target_year_follows_the_number_or_the_clause():
    assert q("Målet er, at dette er steget til 47% i 2022 og når 50% i 2023") == [
        (47, "procent", "=", 2022), (50, "procent", "=", 2023)]
    assert q("I 2021, 2022 og 2023 vurderer 70 pct. af de vejledte virksomheder") == [
        (70, "procent", "=", 2021), (70, "procent", "=", 2022), (70, "procent", "=", 2023)]
    # a year far away, after a comma, is not the number's year
    assert q("mindst 800 unikke virksomheder årligt, og en model udviklet i opstartsåret 2019") == [
        (800, "virksomheder", ">=", None)]


def test_nps_needs_its_context():
    assert q("Erhvervshusene opnår en Net Promotor Score på mindst 60.") == [(60, "NPS", ">=", None)]
    assert q("Vi holdt mindst 60 møder.") == []


def test_unit_before_the_number_and_labelled_counts():
    assert q("antallet af 1:1 vejledte virksomheder er i alt 823") == [(823, "virksomheder", "=", None)]
    assert labelled_count("• Vækst- & Driftsforløb: 350") == ("Vækst- & Driftsforløb", 350, "")
    assert labelled_count("Vækst- og driftsforløb: 350 (realiseret 348 + 228 = 576)") == (
        "Vækst- og driftsforløb", 350, "(realiseret 348 + 228 = 576)")
    assert labelled_count("Målet er klart: mere vækst") is None
