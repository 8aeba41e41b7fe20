"""Metadata patterns: bylines, publishers, stated and inferred dates, source metadata."""

from __future__ import annotations

import pytest
from dyad.clean.names import byline_names, normal_case_name
from tests.clean.clean_helpers import article

BODY1 = ("The two leaders met in the capital on Tuesday to discuss trade, energy and security, "
         "officials said after the talks ended.")
BODY2 = ("Analysts said the meeting showed how far relations had moved since the war began, "
         "although few concrete agreements were signed.")
BODY3 = ("Trade between the two countries rose sharply last year, driven by energy exports and "
         "imports of cars and machinery.")


@pytest.mark.parametrize("line, names", [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("By Marcin Kaczmarski, University of Glasgow and Natasha Kuhrt, King’s College London",
     ["Marcin Kaczmarski", "Natasha Kuhrt"]),
    ("Wednesday 25 October 2023, by KACZMARSKI Marcin, KUHRT Natasha (Date first published: 24 October 2023).",
     ["Marcin Kaczmarski", "Natasha Kuhrt"]),
    ("By VLADIMIR ISACHENKOV and KEN MORITSUGU", ["Vladimir Isachenkov", "Ken Moritsugu"]),
    ("By Al Jazeera Staff", None),
    ("By January, prices had doubled.", None),
])
def test_byline_formats(line, names):
    assert byline_names(line) == names


def test_markdown_byline_with_surname_first():
    art = article("Leaders meet for trade talks",
                  "Wednesday 25 October 2023, by [SMITH Jane](#), [ROE John](#) (Date first published: 24 October 2023).",
                  BODY1, BODY2)
    assert art.meta.authors == ["Jane Smith", "John Roe"]
    assert art.lines[2].kind == "boilerplate" and art.lines[2].reason == "byline"
    # The original publication date beats the republication date of the header.
    assert art.meta.published == "2023-10-24"
    assert art.meta.published_how == "stated"


def test_normal_case_name():
    assert normal_case_name("KUHRT Natasha") == "Natasha Kuhrt"
    assert normal_case_name("Natasha KUHRT") == "Natasha Kuhrt"
    assert normal_case_name("Natasha Kuhrt") == "Natasha Kuhrt"


def test_author_bio_gives_authors_without_byline():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3,
                  "Dr Jane Doe is a senior lecturer in politics at the University of Somewhere.")
    assert art.meta.authors == ["Jane Doe"]
    assert art.lines[-1].reason == "author-bio"


def test_french_published_label_uses_dateparser():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3,
                  "This article is republished from The Example Review under a Creative Commons license.",
                  "- The Example Review. Publié: 24 octobre 2023, 14:27 CEST.")
    assert art.meta.published == "2023-10-24"
    assert "Publié" in art.meta.published_reason


def test_published_label_and_iso_date():
    art = article("Leaders meet for trade talks", "Published: 2024-05-16", BODY1, BODY2)
    assert art.meta.published == "2024-05-16"
    assert art.lines[2].kind == "boilerplate"


def test_date_line_after_title_is_stated():
    art = article("Leaders meet for trade talks", "Thu 16 May 2024 10.04 BST", BODY1, BODY2)
    assert art.meta.published == "2024-05-16"
    assert art.meta.published_how == "stated"


def test_updated_label_loses_to_published():
    art = article("Leaders meet for trade talks", "Published: 14 May 2024", "Updated: 16 May 2024", BODY1, BODY2)
    assert art.meta.published == "2024-05-14"


def test_inferred_date_with_reason_month_precision():
    art = article("Leaders meet for trade talks",
                  "On May 16-17, 2024, the president visited his counterpart in the capital for talks.",
                  "Last month the foreign minister warned against supplying components, as he had on February 4, 2022.",
                  "A peace summit is scheduled for June 15, 2024 in Switzerland, officials said on Friday.")
    assert art.meta.published == "2024-05"
    assert art.meta.published_how == "inferred"
    assert "2024-05-17" in art.meta.published_reason


def test_inferred_year_when_only_years_are_mentioned():
    art = article("Leaders meet for trade talks", BODY1,
                  "Imports for the first eight months of 2023 rose to 92 percent, compared to 10 percent in 2021.",
                  "By early 2025, trade could reach $300 billion a year, the president said.")
    assert art.meta.published == "2023"
    assert art.meta.published_how == "inferred"


def test_no_date_at_all():
    art = article("Leaders meet for trade talks", BODY1, BODY2)
    assert art.meta.published is None and art.meta.published_how is None
    assert art.meta.published_reason


def test_source_metadata_wins():
    art = article("Leaders meet for trade talks", "Published: 14 May 2024", BODY1, BODY2,
                  title="Source Title", published="2024-05-20T10:00:00Z", publisher="Example News",
                  authors=["A. Writer"], url="https://example.org/a")
    m = art.meta
    assert (m.title, m.published, m.published_how, m.publisher, m.authors, m.url) == (
        "Source Title", "2024-05-20", "source", "Example News", ["A. Writer"], "https://example.org/a")


def test_publisher_patterns():
    cases = [
        (["Leaders meet for trade talks", BODY1, BODY2, BODY3,
          "This post was originally published on The Example Review."], "The Example Review"),
        (["Leaders meet for trade talks", BODY1, BODY2, BODY3, "© 2024 The Example Review. All rights reserved."],
         "The Example Review"),
        (["Leaders meet for trade talks", BODY1, BODY2, BODY3,
          "- The Example Review is a nonprofit news organization dedicated to explaining the world."],
         "The Example Review"),
        (["Leaders meet for trade talks", BODY1, BODY2, BODY3, "Source: Al Jazeera"], "Al Jazeera"),
        (["Leaders meet for trade talks", "MOSCOW (AP) — " + BODY1, BODY2], "Associated Press"),
    ]
    for lines, publisher in cases:
        assert article(*lines).meta.publisher == publisher, lines[-1]


def test_told_outlet_needs_two_mentions():
    one = article("Leaders meet", BODY1, 'Trade is up, an analyst told The Daily Planet.', BODY2)
    assert one.meta.publisher is None
    two = article("Leaders meet", BODY1, 'Trade is up, an analyst told The Daily Planet.', BODY2,
                  '"It will not last," a diplomat told The Daily Planet.')
    assert two.meta.publisher == "The Daily Planet"


def test_unknown_publisher_is_none():
    art = article("Leaders meet for trade talks", BODY1, BODY2,
                  "This post was originally published on this site", "Document list on the Kremlin’s official website.")
    assert art.meta.publisher is None


def test_date_line_above_headline_without_widget_is_stated():
    art = article("16 May 2024", "Leaders meet for trade talks", BODY1, BODY2)
    assert art.meta.title == "Leaders meet for trade talks"
    assert (art.meta.published, art.meta.published_how) == ("2024-05-16", "stated")
