"""The dagsorden parser on the genre's variants, line by line (no store)."""

from __future__ import annotations

import datetime as dt

from kkrdesk.ingest.agenda import detect_agenda_kind, parse_agenda
from kkrdesk.ingest.kinds import detect_kind
from kkrdesk.ingest.normalise import normalise


def _parse(text: str):
    agenda = parse_agenda(normalise(text))
    assert agenda is not None
    return agenda, {item.number: item for item in agenda.items}


def test_cover_fields_in_another_order_with_a_numeric_date_and_a_two_line_address():
    agenda, _ = _parse("""KKR NORDJYLLAND
Dagsorden
Tid: kl. 9.30-12
Dato: 04.12.2026
Sted:
Rebild Rådhus,
Hobrovej 88, 9530 Støvring
Afbud:
Karsten Nielsen
Leon Sebbelin

1. Godkendelse af dagsorden
Indstilling
Det indstilles, at dagsordenen godkendes.

2. Eventuelt
Beslutning
Intet.
""")
    assert (agenda.date, agenda.time) == (dt.date(2026, 12, 4), "09.30–12.00")
    assert agenda.place == "Rebild Rådhus, Hobrovej 88, 9530 Støvring"
    assert agenda.absent == "Karsten Nielsen\nLeon Sebbelin"


def test_sub_headings_of_the_case_stay_in_the_sagsfremstilling():
    _, items = _parse("""Dagsorden
Mødedato: 4. december 2026

1. Budget for sekretariatet
Sagsfremstilling
Budgettet er lagt.
Indstilling
Det indstilles, at budgettet godkendes.
Økonomi
Budgettet er 2,1 mio. kr.
Beslutning
Godkendt.

2. Eventuelt
Indstilling
Ingen.
""")
    assert items["1"].text("indstilling") == "Det indstilles, at budgettet godkendes."
    assert items["1"].text("sagsfremstilling") == "Budgettet er lagt.\nØkonomi\nBudgettet er 2,1 mio. kr."
    assert items["1"].text("beslutning") == "Godkendt."


def test_headings_split_over_two_lines_follow_the_contents_list():
    _, items = _parse("""KKR Nordjylland – dagsorden
Mødedato: 4. december 2026

Indholdsfortegnelse
3.1 Dimensionering af SOSU-uddannelserne 2027\t2
3.2 Pædagogdimensionering 2027\t3

3.1

Dimensionering af SOSU-uddannelserne 2027
Sags ID: SAG-2026-1
Indstilling: Det indstilles, at fordelingen godkendes.
Bilag: Bilag 3.1.1: Fordeling af lærepladser

3.2
Pædagogdimensionering 2027
Indstilling: Det indstilles, at anbefalingen godkendes.
""")
    assert items["3.1"].title == "Dimensionering af SOSU-uddannelserne 2027"
    assert items["3.1"].case_number == "SAG-2026-1"
    assert [(b.number, b.title) for b in items["3.1"].bilag] == [("1", "Fordeling af lærepladser")]
    assert items["3.2"].text("indstilling") == "Det indstilles, at anbefalingen godkendes."


def test_running_headers_and_page_footers_are_no_text():
    _, items = _parse("""KKR Nordjylland
Dagsorden
Mødedato: 4. december 2026

1. Godkendelse af dagsorden
Indstilling
Det indstilles, at dagsordenen godkendes.
Side 2 af 4
KKR Nordjylland, dagsorden 4. december 2026
2. Siden sidst
Sagsfremstilling
Formanden orienterer.
Side 3 af 4
KKR Nordjylland, dagsorden 4. december 2026
3. Eventuelt
Indstilling
Ingen.
Side 4 af 4
KKR Nordjylland, dagsorden 4. december 2026
""")
    assert items["1"].text("indstilling") == "Det indstilles, at dagsordenen godkendes."
    assert items["2"].text("sagsfremstilling") == "Formanden orienterer."


def test_a_contract_or_a_letter_is_no_agenda():
    letter = normalise("Til Beskæftigelsesminister Peter Hummelgaard\n\nDato: 1. december 2020\n\nKære minister\n"
                       "Vi skriver om frikommuneforsøgene.\n")
    assert detect_agenda_kind(letter) is None and detect_kind(letter) == "document"
    referat = normalise("Referat\nMødedato: 4. december 2026\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
                        "2. Eventuelt\nBeslutning\nIntet.\n")
    assert detect_kind(referat) == "referat"


def test_labels_with_a_tail_an_unlabelled_indstilling_and_a_short_date():
    agenda, items = _parse("""KKR Nordjylland – Dagsorden
Mødedato: 4. dec. 2026, 10:00 - 13:00
Lokation: Hjørring Rådhus

1. Godkendelse af dagsorden
Det indstilles, at dagsordenen godkendes.

2. Orientering om Nordjysk Socialaftale
Sagsfremstilling og baggrund:
Styregruppen har mødtes.

Sekretariatet indstiller, at orienteringen tages til efterretning.
Beslutning i KKR Nordjylland den 4. december 2026:
Taget til efterretning.

3. Eventuelt
""")
    assert (agenda.date, agenda.time, agenda.place) == (dt.date(2026, 12, 4), "10.00–13.00", "Hjørring Rådhus")
    assert items["1"].text("indstilling") == "Det indstilles, at dagsordenen godkendes."
    assert items["2"].text("sagsfremstilling") == "Styregruppen har mødtes."
    assert items["2"].text("indstilling") == "Sekretariatet indstiller, at orienteringen tages til efterretning."
    assert items["2"].text("beslutning") == "Taget til efterretning."


def test_figures_in_other_phrasings():
    from kkrdesk.ingest.figures import extract_all

    lines = normalise("""Dimensionering af pædagoguddannelsen
Dimensioneringen for 2028 er 560 studiepladser (heraf 20 ekstra).

Udgifter i mio. kr.\t2025\t2026
Serviceloven § 107\t520,1\t531,4
Almenboligloven § 105\t1.190,5\t1.205,8
""")
    rows = {(r.dataset, r.label, r.period, r.measure): r.value for r in extract_all(lines).rows}
    assert rows[("paedagog-dimensionering", "Pædagoguddannelsen", "2028", "studiepladser")] == 560
    assert rows[("paedagog-dimensionering", "Pædagoguddannelsen", "2028", "ekstra pladser")] == 20
    assert rows[("komponentanalyse", "SEL § 107", "2026", "Udgift")] == 531.4
    assert rows[("komponentanalyse", "ABL § 105", "2025", "Udgift")] == 1190.5


def test_a_memo_with_a_date_and_an_indstilling_is_no_agenda():
    memo = normalise("Notat\nDato: 24. november 2020\n\n1. Indledning\nIndstilling\nDet indstilles, at X.\n\n"
                     "2. Baggrund\nBeslutning\nIngen.\n")
    assert detect_agenda_kind(memo) is None


def test_a_title_printed_two_ways_is_kept_as_the_heading_says_and_warned():
    agenda, items = _parse("""Dagsorden
Mødedato: 4. december 2026

Indhold
1. Godkendelse af dagsorden\t2
2. Etablering af Passagerråd i KKR-geografierne\t3

1. Godkendelse af dagsorden
Indstilling
Det indstilles, at dagsordenen godkendes.

2. Eablering af Passagerråd i KKR-geografierne
Indstilling
Det indstilles, at KKR indgår aftalen.
""")
    assert items["2"].title == "Eablering af Passagerråd i KKR-geografierne"
    assert any("afviger" in message and "Etablering" in message for _, message in agenda.warnings)


def test_a_closed_group_closes_its_items():
    _, items = _parse("""Dagsorden
Mødedato: 4. december 2026

1. Godkendelse af dagsorden
Indstilling
Det indstilles, at dagsordenen godkendes.

2. Lukket møde
2.1 Personalesag
Indstilling
Det indstilles, at KKR godkender ansættelsen.

2.2 Økonomisk tvist
Indstilling
Det indstilles, at forliget godkendes.

3. Eventuelt
Indstilling
Ingen.
""")
    assert [n for n, item in items.items() if item.access.closed] == ["2.1", "2.2"]
    assert items["2.1"].group == "2. Lukket møde"


def test_without_contents_a_short_closed_item_after_an_open_one_is_its_own_closed_item():
    """Found looking at the window: a closed item with one line of text and no section label used to
    fall into the open item before it, its text readable in the open item's Indstilling."""
    agenda, items = _parse("""KKR Nordjylland
Dagsorden
Mødedato: 4. december 2026, kl. 10.00–13.00
Mødested: Aalborg

1. Godkendelse af dagsorden
Indstilling
Det indstilles, at KKR Nordjylland godkender dagsordenen.

2. Sager til beslutning

2.1 Dimensionering af SOSU-uddannelserne 2027
Indstilling
Det indstilles, at KKR Nordjylland godkender fordelingen.

2.2 Personalesag (Lukket punkt)
Fortrolig sag om KANARIE-KORT.

2.3 Trafikplan
Orientering om planen.

3. Eventuelt
""")
    assert list(items) == ["1", "2.1", "2.2", "2.3", "3"]
    assert items["2.2"].access.closed
    assert "KANARIE" not in items["2.1"].text("indstilling")
    assert not items["2.3"].access.closed
