from kkrdesk.ingest.normalise import clean_line, normalise
from tests.conftest import BUNDLE_2024, MEETING_PACK


def texts(raw: str) -> list[str]:
    return [line.text for line in normalise(raw)]


def test_private_use_bullets_become_plain_bullets():
    assert clean_line("\uf0b7 Kendskab til erhvervshuset") == "• Kendskab til erhvervshuset"
    assert clean_line("\uf02d Digital omstilling") == "• Digital omstilling"
    # a glyph after a box label stays recognisable as a bullet
    assert clean_line("Mål \uf0b7 For virksomheder i vækstsegmentet") == "Mål • For virksomheder i vækstsegmentet"


def test_o_slash_bullet_but_letter_in_words_stays():
    assert clean_line("ØAt alle skal bruge standartkontrakter") == "• At alle skal bruge standartkontrakter"
    assert clean_line("Ø Udgifterne er steget") == "• Udgifterne er steget"
    assert clean_line("Økonomi og Øget fokus") == "Økonomi og Øget fokus"
    assert clean_line("Østdanmark") == "Østdanmark"


def test_markdown_and_html_debris_removed():
    assert clean_line("Til Social- og Indenrigsminister Astrid Krag**Kære Astrid Krag**") == (
        "Til Social- og Indenrigsminister Astrid Krag Kære Astrid Krag"
    )
    assert clean_line("<b>Mål</b> Målet er <u>vigtigt</u><sup>1</sup>") == "Mål Målet er vigtigt 1"
    assert clean_line("<p>Første</p> <p>Anden</p>") == "Første Anden"
    assert clean_line("[DK2020 er en national satsning](#)") == "DK2020 er en national satsning"
    assert clean_line("*Følgegruppernes ansvar*") == "Følgegruppernes ansvar"


def test_leading_page_space_and_justified_spaces():
    assert clean_line(" 1. Indledning  ") == "1. Indledning"
    assert clean_line("for   hvert  Erhvervshus") == "for hvert Erhvervshus"


def test_hyphenated_words_joined_but_compounds_kept():
    assert texts("Brønders-\nlev 20 20 40 40") == ["Brønderslev 20 20 40 40"]
    assert texts("Univer-\n\nsity College") == ["University College"]
    assert texts("erhvervs-\nog brancheorganisationer") == ["erhvervs-", "og brancheorganisationer"]
    assert texts("professionsbachelor i E-\ncommerce") == ["professionsbachelor i E-", "commerce"]


def test_blank_lines_inside_a_sentence_are_dropped():
    assert texts("KKR ønsker hermed at\n\nstøtte uddannelsen.\n\nNy sætning.") == [
        "KKR ønsker hermed at", "støtte uddannelsen.", "", "Ny sætning."
    ]


def test_letterhead_blocks_removed_and_sentence_rejoined():
    lines = normalise(MEETING_PACK.read_text(encoding="utf-8"))
    joined = "\n".join(line.text for line in lines)
    assert "Sags ID:" not in joined
    assert "Dok. ID:" not in joined
    assert "Side 1 af 3" not in joined
    by_no = {line.no: line.text for line in lines}
    assert by_no[52].endswith("der sætter borger i centrum")
    assert 69 not in by_no  # the NOTAT stamp after the letterhead
    # the next kept line continues the sentence across the removed block
    following = [line for line in lines if line.no > 52 and line.text][0]
    assert following.no == 71 and following.text.startswith("og bidrager til")


def test_stray_page_numbers_dropped_but_table_values_kept():
    lines = normalise(BUNDLE_2024.read_text(encoding="utf-8"))
    by_no = {line.no: line.text for line in lines}
    assert 670 not in by_no and 965 not in by_no      # page numbers 17 and 23
    assert by_no[267] == "100" and by_no[284] == "82"  # goal overview values


def test_lines_keep_original_numbers():
    lines = normalise(BUNDLE_2024.read_text(encoding="utf-8"))
    by_no = {line.no: line.text for line in lines}
    assert by_no[2216] == "Brønderslev 20 20 40 40"
    assert by_no[2314].startswith("• At alle tilbud")


def test_text_doubled_by_blank_lines_is_rejoined_into_paragraphs():
    from tests.conftest import CONTRACT_2019

    lines = normalise(CONTRACT_2019.read_text(encoding="utf-8"))
    numbers = [line.no for line in lines[:8]]
    # line 3 ends "… og", line 5 continues with "Erhvervshus Nordjylland …": no blank between them
    assert numbers[2:4] == [3, 5]
    # but the paragraph end (line 5 ends with a full stop) keeps its blank line
    assert lines[4].text == ""
