"""No exception and consistent output on arbitrary text (property-based)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.clean.article import clean_article
from dyad.clean.repetition import LineCounts
from dyad.model import BLANK, BOILERPLATE, KEPT_KINDS, RawArticle

# Arbitrary unicode plus fragments that exercise the rules (markdown, dates, bylines).
FRAGMENTS = st.sampled_from([
    "\n", "\n\n", "\r\n", " ", "\u00a0", "\u2028", "[link](#)", "- [nav](#)", "\\$", "*", "By Jane Doe",
    "Published: 24 octobre 2023", "May 16-17, 2024", "28 C", "首页 / 分析", "Read more", "Support The X!",
    "This article is republished from The Y", "[1] ", "“", "—", ".", "?", "Dr A B is a lecturer in",
])
TEXT = st.lists(st.one_of(st.text(max_size=40), FRAGMENTS), max_size=40).map("".join)


def _check(art, text):
    lines = text.split("\n")
    assert len(art.lines) == len(lines)
    for ln, raw in zip(art.lines, lines):
        assert ln.text == raw.removesuffix("\r")
        assert ln.kind in KEPT_KINDS | {BOILERPLATE, BLANK}
    for p in art.paragraphs:
        assert 0 <= p.start <= p.end <= len(art.text)
        assert p.line_numbers and all(art.lines[n - 1].kept for n in p.line_numbers)
    if art.paragraphs:
        assert art.text == "\n\n".join(art.text[p.start:p.end] for p in art.paragraphs)
    m = art.meta
    assert m.published is None or m.published[:4].isdigit()
    assert isinstance(m.authors, list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_arbitrary_text(text):
    art = clean_article(RawArticle(source="h", stem="h", text=text))
    _check(art, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_arbitrary_batch_with_line_counts(texts):
    counts = LineCounts.from_texts(texts)
    for text in texts:
        _check(clean_article(RawArticle(source="h", stem="h", text=text), counts), text)
