from kkrdesk.ingest.meeting_pack import parse_meeting_pack
from kkrdesk.ingest.normalise import normalise
from kkrdesk.ingest.parts import split_parts
from kkrdesk.ingest.structure import guess_title, split_sections
from tests.conftest import BUNDLE_2024, CONTRACT_2019, MEETING_PACK


def test_meeting_pack_items_and_bilag():
    pack = parse_meeting_pack(normalise(MEETING_PACK.read_text(encoding="utf-8")))
    assert [i.number for i in pack.items] == ["2.1", "3.2", "3.3", "3.4", "3.5", "3.7", "3.8", "3.9", "3.11"]
    assert sum(len(i.bilag) for i in pack.items) == 16
    by_number = {i.number: i for i in pack.items}
    assert len(by_number["2.1"].bilag) == 5
    assert by_number["3.5"].title == "Pædagogdimensionering 2021-2022"
    assert by_number["3.7"].title == "De fælleskommunale sekretariater – regnskab 2020 og budget 2021"
    assert by_number["3.9"].title == "Etablering af Passagerråd i KKR-geografierne"  # TOC title, not the body typo
    # dot leaders stripped from bilag titles
    assert by_number["3.3"].bilag[1].title == "Videnspakke - bilag til Den Fælles Nordjyske Klimaambition"
    assert by_number["3.4"].bilag[0].title == "Resultatkontrakt 2021 for ERHN"
    assert pack.warnings == []


def test_meeting_pack_body_boundaries_match_the_notes():
    pack = parse_meeting_pack(normalise(MEETING_PACK.read_text(encoding="utf-8")))
    starts = [b.line_start for _, b in pack.all_bilag]
    assert starts == [32, 144, 237, 348, 429, 503, 803, 1253, 2200, 2879, 3449, 3623, 3678, 3721, 3741, 3924]
    # 3.7 has its number and title on one line; it must still be found
    item_37 = next(i for i in pack.items if i.number == "3.7")
    assert item_37.bilag[0].line_start == 3623
    # the contract's own "Bilag 2." sub-appendices did not split bilag 3.4/1
    contract = next(i for i in pack.items if i.number == "3.4").bilag[0]
    assert contract.lines[-1].no < 2879


def test_joined_file_splits_into_seven_parts():
    raw = BUNDLE_2024.read_text(encoding="utf-8")
    parts = split_parts(raw, normalise(raw))
    assert [p.title_line for p in parts] == [1, 1615, 1690, 1903, 2184, 2238, 2367]
    titles = [guess_title(p.lines, "?") for p in parts]
    assert titles[1].startswith("Støttetilkendegivelse vedr. etablering af professionsbachelor i E-commerce")
    assert titles[4] == "Fordeling af lærepladser på SOSU-uddannelserne 2026 - Region Nordjylland"
    assert titles[6].startswith("3.5 Nordjyske principper")


def test_single_document_is_one_part():
    raw = CONTRACT_2019.read_text(encoding="utf-8")
    assert len(split_parts(raw, normalise(raw))) == 1


def test_numbered_headings_become_sections_and_lists_do_not():
    sections = split_sections(normalise(CONTRACT_2019.read_text(encoding="utf-8")), "Resultatkontrakt 2019")
    numbered = [(s.number, s.title) for s in sections if s.number and s.number[0].isdigit()]
    assert numbered[:4] == [
        ("1", "Indledning"),
        ("2", "Visioner og styrende principper i et sammenhængende nordjysk erhvervsfremmesystem"),
        ("3", "Erhvervshus Nordjyllands opgaver og målgrupper"),
        ("4", "Arbejdsdelingen og samspillet mellem lokalt niveau og det fælles Erhvervshus"),
    ]
    goals = [s for s in sections if s.number and s.number.startswith("Mål")]
    assert [s.number for s in goals] == [f"Mål {n}" for n in range(1, 10)]
    assert goals[0].title == "Virksomhedernes tilfredshed med den specialiserede vejledning"
    assert goals[0].line_start == 642


def test_sections_cover_markdown_headings():
    from kkrdesk.data.lines import Line

    lines = [Line(i + 1, t) for i, t in enumerate(["# Referat", "", "Tekst her.", "## Punkt 1", "Mere tekst."])]
    sections = split_sections(lines, "x")
    assert [(s.title, s.level) for s in sections] == [("Referat", 1), ("Punkt 1", 2)]
    assert sections[1].body == "Mere tekst."
