"""Dataset extractors against the golden facts in the corpus notes (pure: lines in, rows out)."""

from __future__ import annotations

import pytest

from kkrdesk.data.lines import Line
from kkrdesk.ingest.figures import boernehus, extract_all, faelles, komponent, paedagog, sosu
from kkrdesk.ingest.normalise import normalise
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK, REPORT_2022


def raw_lines(text: str) -> list[Line]:
    return [Line(i + 1, t) for i, t in enumerate(text.splitlines())]


@pytest.fixture(scope="module")
def bundle_lines() -> list[Line]:
    return normalise(BUNDLE_2024.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pack_lines() -> list[Line]:
    return normalise(MEETING_PACK.read_text(encoding="utf-8"))


def one(rows, **where):
    found = [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


# --- SOSU ---------------------------------------------------------------------------------------

HELPER, ASSISTANT = sosu.HELPER, sosu.ASSISTANT


def test_sosu_golden_aalborg_and_laesoe(bundle_lines):
    rows = sosu.extract(bundle_lines).rows
    for period in ("2025", "2026"):
        assert one(rows, label="Aalborg", period=period, measure=HELPER).value == 98
        assert one(rows, label="Aalborg", period=period, measure=ASSISTANT).value == 196
        assert one(rows, label="Læsø", period=period, measure=HELPER).value == 1
        assert one(rows, label="Læsø", period=period, measure=ASSISTANT).value == 4
    aalborg = one(rows, label="Aalborg", period="2026", measure=ASSISTANT)
    assert aalborg.line == 2235 and aalborg.unit == "lærepladser" and aalborg.municipality == "Aalborg"
    assert len(rows) == 44 and not any(r.is_total for r in rows)   # the source prints no total


def test_sosu_hyphenated_names_joined_on_raw_lines_too():
    """'Brønders-' / 'lev 20 20 40 40' parses even without the normaliser."""
    rows = sosu.extract(raw_lines(BUNDLE_2024.read_text(encoding="utf-8"))).rows
    assert one(rows, label="Brønderslev", period="2026", measure=HELPER).value == 20
    assert one(rows, label="Brønderslev", period="2026", measure=ASSISTANT).value == 40
    assert one(rows, label="Brønderslev", period="2026", measure=HELPER).line == 2216
    assert one(rows, label="Vesthimmerland", period="2025", measure=ASSISTANT).value == 39
    assert {r.label for r in rows} == {
        "Morsø", "Thisted", "Brønderslev", "Frederikshavn", "Vesthimmerland", "Læsø", "Rebild",
        "Mariagerfjord", "Jammerbugt", "Aalborg", "Hjørring",
    }


NEXT_YEAR = """\
Fordeling af lærepladser på SOSU-uddannelserne 2027 - Region Nordjylland

Kommune SSH SSA
Dimensionering 2026 Dimensionering 2027 Dimensionering 2026 Dimensionering 2027

Aalborg 98 101 196 204
Hjørring 38 40 76 80
Frederiks-
havn 38 39 77 79
Vesthimmerlands Kommune 19 20 39 41
Læsø 1 2 4 4
I alt 194 203 392 408
"""


def test_sosu_next_years_table_with_other_numbers_parses_and_flags_total():
    result = sosu.extract(raw_lines(NEXT_YEAR))
    rows = result.rows
    assert one(rows, label="Aalborg", period="2027", measure=HELPER).value == 101
    assert one(rows, label="Aalborg", period="2027", measure=ASSISTANT).value == 204
    assert one(rows, label="Frederikshavn", period="2027", measure=ASSISTANT).value == 79
    assert one(rows, label="Vesthimmerland", period="2026", measure=HELPER).value == 19
    assert one(rows, label="Læsø", period="2027", measure=HELPER).value == 2
    # The printed total is kept as printed; only the wrong one is flagged (rows give 202, not 203).
    total = one(rows, label="I alt", period="2027", measure=HELPER)
    assert total.is_total and total.value == 203 and "202" in total.flag
    assert one(rows, label="I alt", period="2026", measure=HELPER).flag is None
    assert len(result.warnings) == 1 and result.warnings[0][0] == 12


# --- Komponentanalysen --------------------------------------------------------------------------

def test_komponent_two_tables_on_one_line(bundle_lines):
    rows = komponent.extract(bundle_lines).rows
    abl = one(rows, label="ABL § 105/85", period="2024", measure="Udgift (p/l-23)")
    assert abl.value == 1_172_227_145 and abl.line == 2265 and abl.unit == "kr."
    assert one(rows, label="ABL § 105/85", period="2022-2024", measure="Udgift (p/l-23), ændring").value == 2.65
    assert one(rows, label="SEL § 107", period="2022", measure="Udgift (p/l-23)").value == 532_477_630
    assert one(rows, label="SEL § 85", period="2023", measure="Helårsperson").value == 4245.8
    # "Enhedsugift" (sic) is shown as Enhedsudgift, the printed label kept in raw
    unit_cost = one(rows, label="SEL § 108", period="2022", measure="Enhedsudgift (p/l-23)")
    assert unit_cost.value == 1_182_515 and unit_cost.raw.startswith("Enhedsugift")
    assert {r.label for r in rows} == {"SEL § 107", "ABL § 105/85", "SEL § 108", "SEL § 85",
                                       "Samlet for §§ 107, 108 og 105/85"}


def test_komponent_samlet_is_checked_against_its_paragraphs(bundle_lines):
    result = komponent.extract(bundle_lines)
    label = "Samlet for §§ 107, 108 og 105/85"
    total_2024 = one(result.rows, label=label, period="2024", measure="Udgift (p/l-23)")
    assert total_2024.is_total and total_2024.value == 2_110_545_997       # stored as printed
    assert "2.110.545.998" in total_2024.flag                              # rows sum differs by 1 kr.
    assert one(result.rows, label=label, period="2023", measure="Udgift (p/l-23)").flag is None
    # helårspersoner printed without decimals (2.368) are not a difference from 2.367,9
    assert one(result.rows, label=label, period="2022", measure="Helårsperson").flag is None
    # the glued header "20242022-2024" still gives both periods
    assert one(result.rows, label=label, period="2022-2024", measure="Udgift (p/l-23), ændring").value == 1.61
    assert sorted(line for line, _ in result.warnings) == [2288, 2288]


# --- Pædagog ------------------------------------------------------------------------------------

def test_paedagog_places_over_the_years(pack_lines):
    rows = paedagog.extract(pack_lines).rows
    places = {r.period: r.value for r in rows if r.measure == paedagog.PLACES}
    assert places["før 2015"] == 450 and places["2015-2018"] == 405
    assert places["2018/2019"] == 469 and places["2019/2020"] == 492 and places["2020/2021"] == 517
    extra = one(rows, measure=paedagog.WITH_EXTRA)
    assert (extra.period, extra.value, extra.line) == ("2020/2021", 555, 3594)
    recommended = one(rows, measure=paedagog.RECOMMENDED)
    assert (recommended.period, recommended.value, recommended.line) == ("2021/2022", 517, 3598)
    # "405 … plus de 64 pladser" is the sum the sentence states, marked as computed
    combined = one(rows, measure=paedagog.PLACES, period="2017/2018")
    assert combined.value == 469 and "405 + 64" in combined.flag


def test_paedagog_specialisation_split(pack_lines):
    split = [r for r in paedagog.extract(pack_lines).rows if r.measure == paedagog.SPLIT]
    assert [(r.label, r.value, r.line) for r in split] == [
        ("Dagtilbudspædagogik", 40, 3604),
        ("Skole- og fritidspædagogik", 20, 3605),
        ("Social og specialpædagogik", 40, 3606),
    ]
    assert all(r.unit == "%" and r.period == "2021/2022" and r.flag is None for r in split)


def test_paedagog_wrapped_sentence_cites_its_line():
    lines = raw_lines(
        "Notat om pædagoguddannelsen\n\nKKR godkendte på mødet d. 4. februar 2026 en\n"
        "dimensionering på 530 studerende for studieåret 2026/27.\n"
    )
    row = one(paedagog.extract(lines).rows, measure=paedagog.PLACES)
    assert (row.period, row.value, row.line) == ("2026/2027", 530, 4)   # the line the number is on


# --- Børnehus Nord and fællessekretariater (TAB tables) ------------------------------------------

def test_boernehus_objektiv_finansiering(pack_lines):
    result = boernehus.extract(pack_lines)
    rows = result.rows
    aalborg = one(rows, label="Aalborg", period="Budget 2021", measure="Objektiv finansiering")
    assert (aalborg.value, aalborg.line, aalborg.grp) == (1_527_364, 3738, boernehus.PER_MUNICIPALITY)
    assert one(rows, label="Aalborg", period="Budget 2021",
               measure="Samlet antal 0-17 årige pr. 1/1 2020").value == 39_205
    vesthimmerland = one(rows, label="Vesthimmerland", period="Budget 2021", measure="Objektiv finansiering")
    assert vesthimmerland.value == 282_526 and vesthimmerland.raw.startswith("Vesthimmerlands")
    total = one(rows, label="I alt", period="Budget 2021", measure="Objektiv finansiering")
    assert total.value == 4_402_800 and "4.402.802" in total.flag
    assert one(rows, label="I alt", period="Budget 2021",
               measure="Samlet antal 0-17 årige pr. 1/1 2020").flag is None
    assert one(rows, label="I alt", period="2020-2021",
               measure="Ændring i objektiv finansiering").flag.startswith("I alt")


def test_boernehus_budget_and_subtotals(pack_lines):
    rows = boernehus.extract(pack_lines).rows
    assert one(rows, label="Budget i alt", period="Budget 2021").value == 7_338_000
    assert one(rows, label="Budget i alt", period="Budget 2020").value == 7_083_000
    assert one(rows, label="Antal sager", period="Budget 2021").value == 225
    assert one(rows, label="Takst", period="Budget 2021").value == 12_995
    # every subtotal in the budget adds up, so none is flagged
    assert not [r for r in rows if r.grp == boernehus.BUDGET and r.flag]


def test_faellessekretariater(pack_lines):
    result = faelles.extract(pack_lines)
    rows = result.rows
    health = "Det fælleskommunale Sundhedssekretariat"
    social = "Sekretariat for Nordjysk Socialaftale"
    assert one(rows, grp=health, label="I alt", period="Budget 2021", measure="Udgifter").value == 2_168_571
    assert one(rows, grp=health, label="I alt", period="Regnskab 2020", measure="Udgifter").value == 1_417_722
    assert one(rows, grp=health, label="Overskud/underskud", period="Regnskab 2020").value == 588_866
    # footnote marker "²" is not part of the number
    assert one(rows, grp=social, label="Indkrævet hos kommunerne", period="Budget 2021").value == 1_755_688
    surplus = one(rows, grp=social, label="Overskud/underskud", period="Regnskab 2020")
    assert surplus.value == 370_426 and "370.427" in surplus.flag
    assert [line for line, _ in result.warnings] == [3672]


def test_no_figures_in_documents_without_the_tables():
    for path in (CONTRACT_2019, REPORT_2022):
        assert extract_all(normalise(path.read_text(encoding="utf-8"))).rows == []


NEXT_KOMPONENT = """\
Data fra styringscockpittet - Komponentanalysen

SEL § 107
Værdier 2023 2024 2025 2023-2025 2024-2025
Udgift (p/l-24) 517.565.454 514.695.944 520.000.000 0,47% 1,03%
Helårsperson 616,4 602,3 610,0 -1,04% 1,28%

SEL § 108
Værdier 2023 2024 2025 2023-2025 2024-2025
Udgift (p/l-24) 412.581.985 423.622.909 430.000.000 4,22% 1,51%
"""


def test_komponent_next_year_one_table_per_line():
    rows = komponent.extract(raw_lines(NEXT_KOMPONENT)).rows
    assert one(rows, label="SEL § 107", period="2025", measure="Udgift (p/l-24)").value == 520_000_000
    assert one(rows, label="SEL § 108", period="2024-2025", measure="Udgift (p/l-24), ændring").value == 1.51
    assert one(rows, label="SEL § 107", period="2025", measure="Helårsperson").line == 6
    assert len(rows) == 15
