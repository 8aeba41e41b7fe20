"""Date expressions: our own patterns, label snippets, future context."""

from __future__ import annotations

from dyad.clean.dates import (find_dates, in_future_context, infer_date, is_date_only, is_temperature,
                              labelled_dates, parse_date_snippet)


def isos(text, **kw):
    return [d.iso for d in find_dates(text, **kw)]


def test_explicit_forms():
    assert isos("On May 16-17, 2024, he visited.") == ["2024-05-17"]
    assert isos("Putin in Beijing, May 16-17 2024") == ["2024-05-17"]
    assert isos("the statement of February 4, 2022 and 24 October 2023") == ["2022-02-04", "2023-10-24"]
    assert isos("on 2024-05-16 at noon") == ["2024-05-16"]
    assert isos("in March 2023 and in 2021") == ["2023-03", "2021"]
    assert isos("in March 2023 and in 2021", min_precision="month") == ["2023-03"]


def test_no_false_dates_in_ordinary_words():
    assert isos("Prices may rise by 90% of the 2,000 tonnes; we march on.") == []
    assert isos("The 1990s were different and US$2000bn is a lot.") == []
    assert isos("February 30, 2023 is not a day") == ["2023"]  # invalid day: only the year stands


def test_snippets_and_labels():
    assert parse_date_snippet("24 octobre 2023, 14:27 CEST.").iso == "2023-10-24"
    assert parse_date_snippet("Thursday, June 13, 2024").iso == "2024-06-13"
    assert parse_date_snippet("2024-05-16T10:00").iso == "2024-05-16"
    assert parse_date_snippet("3 hours ago") is None
    ranked = labelled_dates("(Date first published: 24 October 2023). Updated: 1 November 2023")
    assert [(r, d.iso) for r, d, _ in ranked] == [(0, "2023-10-24"), (3, "2023-11-01")]


def test_date_only_and_temperature_lines():
    assert is_date_only("Thursday, June 13, 2024")
    assert is_date_only("Thu 16 May 2024 10.04 BST")
    assert not is_date_only("Talks on June 13, 2024 ended")
    assert is_temperature("28 C") and is_temperature("-3°") and not is_temperature("28 Cats")


def test_future_context():
    text = "By early 2024, trade could reach $200 billion. In March 2023 trade fell."
    fut = find_dates(text)
    assert in_future_context(text, fut[0].start, fut[0].end)
    assert not in_future_context(text, fut[1].start, fut[1].end)


def test_infer_date_respects_upper_bound():
    upper = find_dates("June 13, 2024")[0]
    ev = infer_date(["It happened on May 16, 2024.", "It will happen on July 1, 2024."], upper)
    assert ev.iso == "2024-05" and ev.how == "inferred"
    assert infer_date(["The war began in autumn 2022."], upper) is None
    assert infer_date(["The war began in autumn 2022."]).iso == "2022"


def test_month_hint_covers_every_month_name():
    # find_dates skips the month-name patterns on a text without a month hint.
    import re

    from dyad.clean.dates import _MON, DAY_RES, MONTH_HINT_RE, MONTH_RE, find_dates
    mon = re.compile(_MON)
    forms = ("Jan January Feb February Mar March Apr April May Jun June Jul July Aug August Sep Sept "
             "September Sepember Oct October Nov November Dec December").split()
    for word in forms:
        assert mon.fullmatch(word) and MONTH_HINT_RE.search(word), word
    for rx in (*DAY_RES[:2], MONTH_RE):
        assert "(?P<mon>" in rx.pattern
    assert "(?P<mon>" not in DAY_RES[2].pattern
    assert [d.iso for d in find_dates("on 24 October 2023, in March 2022 and in 2021")] == \
        ["2023-10-24", "2022-03", "2021"]
    assert [d.iso for d in find_dates("updated 2024-05-16 in 2020")] == ["2024-05-16", "2020"]
