from datetime import date

import pytest

from initiatives.partial_dates import PartialDate


@pytest.mark.parametrize(
    ("text", "value", "precision", "shown"),
    [
        ("2020", date(2020, 1, 1), "year", "2020"),
        ("2020-09", date(2020, 9, 1), "month", "Sep 2020"),
        ("2020-09-08", date(2020, 9, 8), "day", "8 Sep 2020"),
    ],
)
def test_it_parses_and_shows_each_precision(text, value, precision, shown):
    parsed = PartialDate.parse(text)
    assert (parsed.value, parsed.precision) == (value, precision)
    assert str(parsed) == text
    assert parsed.display() == shown


@pytest.mark.parametrize(
    "text", ["20", "2020-9", "2020-13", "2020-02-30", "2020/09/08", "Sep 2020", ""]
)
def test_it_rejects_what_is_not_a_partial_date(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_last_day_covers_the_whole_period():
    assert PartialDate.parse("2020").last_day == date(2020, 12, 31)
    assert PartialDate.parse("2020-02").last_day == date(2020, 2, 29)
    assert PartialDate.parse("2020-10-23").last_day == date(2020, 10, 23)
