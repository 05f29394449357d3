import datetime as dt

import pytest

from kkrdesk.data.danish import count_text, find_date, find_dates, format_date, format_number, parse_number


@pytest.mark.parametrize("text, value", [
    ("1.200", 1200), ("31,8", 31.8), ("1.234.567,89", 1234567.89), ("17.037", 17037),
    ("1.172.227.145", 1172227145), ("98¹", 98), ("64,45%", 64.45), ("-3,34%", -3.34), ("100 %", 100),
])
def test_parse_danish_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1.2", "12.34.5", "", "1,2,3"])
def test_not_a_number_is_none(text):
    assert parse_number(text) is None


def test_format_danish_numbers():
    assert format_number(1234.5) == "1.234,5"
    assert format_number(1172227145) == "1.172.227.145"
    assert format_number(31.8) == "31,8"
    assert format_number(2.65, 2) == "2,65"
    assert format_number(None) == ""


def test_dates_both_ways():
    assert format_date("2026-11-23") == "23. november 2026"
    assert format_date(None) == "dato ukendt"
    assert find_date("KKR den 20. juni 2025") == dt.date(2025, 6, 20)
    assert find_date("31. juni 2025") is None
    # the first date on each line: a letter's date, not the period it mentions later
    assert find_dates("Dato: 1. december 2020 gælder til 31. december 2023\nSvar 4. januar 2021") == [
        dt.date(2020, 12, 1), dt.date(2021, 1, 4)]


def test_count_text_agrees_in_number():
    assert count_text(1, "punkt", "punkter") == "1 punkt"
    assert count_text(9, "punkt", "punkter") == "9 punkter"
    assert count_text(1200, "plads", "pladser") == "1.200 pladser"
