"""Clean text and paragraphs: offsets, broken-paragraph repair, safe normalisation."""

from __future__ import annotations

from dyad.model import TITLE
from tests.clean.clean_helpers import article

BODY1 = ("The two leaders met in the capital on Tuesday to discuss trade, energy and security, "
         "officials said after the talks ended.")
BODY2 = ("Analysts said the meeting showed how far relations had moved since the war began, "
         "although few concrete agreements were signed.")


def test_offsets_round_trip_and_title_first():
    art = article("Leaders meet for trade talks", BODY1, "What next?", BODY2)
    assert art.paragraphs[0].kind == TITLE
    assert art.text.startswith("Leaders meet for trade talks\n\n")
    for p in art.paragraphs:
        seg = art.text[p.start:p.end]
        assert seg and seg == seg.strip()
    joined = "\n\n".join(art.text[p.start:p.end] for p in art.paragraphs)
    assert joined == art.text


def test_broken_paragraph_is_repaired():
    art = article("Leaders meet for trade talks", BODY1,
                  "Perhaps the most instructive aspect of the visit was the explicit acknowledgement of the",
                  "different roles played by the two capitals in international politics.", BODY2)
    merged = [p for p in art.paragraphs if len(p.line_numbers) == 2]
    assert len(merged) == 1
    p = merged[0]
    assert p.line_numbers == [5, 7]
    assert art.text[p.start:p.end] == ("Perhaps the most instructive aspect of the visit was the explicit "
                                      "acknowledgement of the different roles played by the two capitals in "
                                      "international politics.")


def test_no_merge_after_terminal_punctuation_or_capital():
    art = article("Leaders meet for trade talks", BODY1, BODY2, "and this line starts lower case but follows a full stop.")
    assert all(len(p.line_numbers) == 1 for p in art.paragraphs)


def test_markdown_links_and_escapes_removed_from_clean_text_only():
    raw_line = "The [Belt and Road Forum](#) drew leaders, and trade reached nearly US\\$200 billion last year."
    art = article("Leaders meet for trade talks", raw_line, BODY2)
    assert "The Belt and Road Forum drew leaders, and trade reached nearly US$200 billion last year." in art.text
    assert "](#)" not in art.text and "\\$" not in art.text
    assert art.lines[2].text == raw_line  # the line itself stays verbatim


def test_quotes_dashes_kept_and_nbsp_normalised():
    line = "He called it a “local” project – not a global one\u00a0at all, said the minister’s aide."
    art = article("Leaders meet for trade talks", line, BODY2)
    assert "He called it a “local” project – not a global one at all, said the minister’s aide." in art.text


def test_glued_logo_text_cut_when_it_names_the_publisher():
    art = article("Leaders meet for trade talks", BODY1,
                  BODY2[:-1] + ".The Example Review",
                  "This article is republished from The Example Review under a Creative Commons license.")
    assert art.meta.publisher == "The Example Review"
    assert art.text.endswith("although few concrete agreements were signed.")


def test_empty_and_blank_input():
    for text in ("", "\n\n\n", "   "):
        art = article(text)
        assert art.text == "" and art.paragraphs == []
        assert art.meta.title is None
