"""Date resolution: the grammar through ``resolve`` and the ``dyad_dates`` component."""

from __future__ import annotations

import pytest

from dyad.nlp.dates import resolve

TUESDAY = "2023-10-17"  # a Tuesday


@pytest.mark.parametrize(("text", "anchor", "tense", "expected"), [
    # weekdays: the latest on or before the anchor in the past, the next one ahead
    ("on Tuesday", TUESDAY, "past", ("2023-10-17", "day")),
    ("Monday", TUESDAY, "past", ("2023-10-16", "day")),
    ("on Wednesday", TUESDAY, "future", ("2023-10-18", "day")),
    ("last Tuesday", TUESDAY, None, ("2023-10-10", "day")),
    ("next Monday", TUESDAY, None, ("2023-10-23", "day")),
    # ISO weeks as ranges
    ("last week", "2023-10-24", None, ("2023-10-16/2023-10-22", "range")),
    ("this week", TUESDAY, None, ("2023-10-16/2023-10-22", "range")),
    ("last week's", "2023-10-24", None, ("2023-10-16/2023-10-22", "range")),
    # months and years relative to the anchor
    ("in March", TUESDAY, None, ("2023-03", "month")),
    ("in March", "2023-02-10", "past", ("2022-03", "month")),
    ("in June", "2024-05", "future", ("2024-06", "month")),
    ("September's", TUESDAY, None, ("2023-09", "month")),
    ("last month", "2024-01-10", None, ("2023-12", "month")),
    ("Last month", "2024-05", None, ("2024-04", "month")),
    ("earlier this year", TUESDAY, None, ("2023", "year")),
    ("last year", TUESDAY, None, ("2022", "year")),
    ("two years ago", TUESDAY, None, ("2021", "year")),
    ("yesterday", TUESDAY, None, ("2023-10-16", "day")),
    # explicit dates
    ("May 16-17, 2024", None, None, ("2024-05-16/2024-05-17", "range")),
    ("16-18 December 2004", None, None, ("2004-12-16/2004-12-18", "range")),
    ("February 4, 2022", None, None, ("2022-02-04", "day")),
    ("Wednesday 25 October 2023", None, None, ("2023-10-25", "day")),
    ("Thursday, May 16", "2024-05", None, ("2024-05-16", "day")),
    ("in May 2023", None, None, ("2023-05", "month")),
    ("in 2022", None, None, ("2022", "year")),
    ("mid-2022", None, None, ("2022", "year")),
    ("the 1990s", None, None, ("1990/1999", "decade")),
    ("between 2001 and 2003", None, None, ("2001/2003", "range")),
    ("2008-09", None, None, ("2008/2009", "range")),
    # seasons (meteorological) and quarters
    ("the spring of 2023", None, None, ("2023-03/2023-05", "season")),
    ("last summer", TUESDAY, None, ("2023-06/2023-08", "season")),
    ("the first quarter of 2024", None, None, ("2024-01/2024-03", "quarter")),
])
def test_resolve(text, anchor, tense, expected):
    assert resolve(text, anchor, tense) == expected


@pytest.mark.parametrize("text", ["five years", "two-day", "annual", "10 years", "the next few weeks", "20 year-old",
                                  "each year", "recent years", "34", "2017 and 2019"])
def test_durations_and_frequencies_are_not_dates(text):
    assert resolve(text, TUESDAY) == (None, None)


def test_relative_dates_need_an_anchor_precise_enough():
    assert resolve("on Tuesday", None) == (None, None)
    assert resolve("on Tuesday", "2023") == (None, None)  # the week is unknown
    assert resolve("last month", "2023") == (None, None)
    assert resolve("earlier this year", "2023") == ("2023", "year")


def test_an_impossible_day_is_no_date():
    assert resolve("31 February 2023", None) == (None, None)


def test_text_without_calendar_words_never_reaches_dateparser():
    assert resolve("the end of the affair", TUESDAY) == (None, None)


@pytest.fixture(scope="module")
def nlp():
    from dyad.nlp import load_pipeline

    return load_pipeline()


def _dates(nlp, text: str, published: str | None = TUESDAY):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.dates


def test_component_resolves_every_date_entity(nlp):
    dates = _dates(nlp, "Putin met Xi in March. The forum took place in May 2023.")
    assert [(d.text, d.value, d.precision) for d in dates] == [
        ("March", "2023-03", "month"), ("May 2023", "2023-05", "month")]


def test_component_reads_the_tense_of_the_clause(nlp):
    future = _dates(nlp, "He will hold talks with Xi on Wednesday.")
    past = _dates(nlp, "He held talks with Xi on Wednesday.")
    assert [d.value for d in future] == ["2023-10-18"]
    assert [d.value for d in past] == ["2023-10-11"]


def test_component_keeps_unresolved_dates_with_no_value(nlp):
    dates = _dates(nlp, "The agreement runs for five years.")
    assert [(d.text, d.value) for d in dates] == [("five years", None)]
    assert all(d.start < d.end for d in dates)
