"""LineCounts: chrome that recurs across a corpus, deterministically."""

from __future__ import annotations

import random

import pytest

from dyad.clean.article import clean_article
from dyad.clean.repetition import LineCounts
from dyad.model import RawArticle
from tests.clean.clean_helpers import read_text
from tests.paths import BBC

BODY = ("Officials from both countries met on {day} to discuss trade, energy and the war, and said "
        "talks would continue next month in the other capital.")


def _docs(n: int) -> list[str]:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    return [f"Story {chr(65 + i)} about relations\n\n{BODY.format(day=days[i % 7])} Item {i}.\n\n"
            f"Share this with friends now\n\nPrinted edition {i}" for i in range(n)]


def test_recurring_short_line_is_flagged():
    docs = _docs(10)
    counts = LineCounts.from_texts(docs)
    assert counts.n_docs == 10
    assert counts.doc_freq("Share this with friends now") == 10
    assert counts.is_repeated("share  this with FRIENDS now")  # normalised
    # Digits are folded, so a counter that changes per page still recurs.
    assert counts.doc_freq("Printed edition 3") == 10
    art = clean_article(RawArticle("t", "t", docs[0]), counts)
    by_text = {ln.text: ln for ln in art.lines}
    assert by_text["Share this with friends now"].reason == "repeated-across-corpus"
    assert by_text["Story A about relations"].kind == "title"


def test_counts_depend_only_on_the_set_of_texts():
    docs = _docs(12)
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    a = LineCounts.from_texts(docs)
    b = LineCounts.from_texts(shuffled + docs[:3])  # order and repeats do not matter
    c = LineCounts()
    for d in reversed(docs):
        c.add(d)
    assert a.most_common() == b.most_common() == c.most_common()
    assert a.n_docs == b.n_docs == c.n_docs == 12


def test_long_lines_and_small_batches_are_not_flagged():
    docs = _docs(2)
    counts = LineCounts.from_texts(docs)
    assert not counts.is_repeated("Share this with friends now")  # below the 3-document minimum
    long_line = BODY.format(day="Monday") + " Item 1."
    assert LineCounts.from_texts([long_line] * 3 + ["x", "y"]).doc_freq(long_line) == 0


def test_clean_corpus_body_lines_not_flagged():
    if not BBC.is_dir():
        pytest.skip("BBC sample not available")
    paths = sorted(BBC.glob("*/*.txt"))
    texts = [read_text(p) for p in paths]
    counts = LineCounts.from_texts(texts)
    flagged = []
    for t in texts:
        art = clean_article(RawArticle("bbc", "bbc", t), counts)
        flagged += [ln.text for ln in art.lines if ln.reason == "repeated-across-corpus"]
    assert flagged == []


def test_compact_counts_keep_only_repeated_lines():
    chrome = "Support our journalism"
    names = ["".join(chr(97 + i // 26 ** k % 26) for k in range(3)) for i in range(500)]  # digits normalise away
    texts = [f"Story {names[i]}\n{chrome}\nA unique short line {names[i]}\n" + "Long body sentence. " * 20
             for i in range(400)]
    texts += [f"Other story {names[i]}\nBody only." for i in range(400, 500)]
    full = LineCounts.from_texts(texts)
    small = full.compact()
    assert small.n_docs == full.n_docs == 500 and small.threshold == full.threshold
    assert small.is_repeated(chrome) and not small.is_repeated(f"A unique short line {names[7]}")
    for line in {ln for t in texts for ln in t.splitlines()}:
        assert small.is_repeated(line) == full.is_repeated(line)
    assert len(small.most_common()) < 5 < len(full.most_common())
    with pytest.raises(ValueError):
        small.add("more text")
