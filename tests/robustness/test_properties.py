"""Property-based: arbitrary bytes and Unicode through every stage, no exception.

Decoding and reading take arbitrary bytes; the cleaner, every extractor (the
whole spaCy pipeline with dyad's components) and the store take arbitrary
Unicode.  Examples are bounded so the module runs in well under a minute.
"""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.clean import clean_article
from dyad.errors import IngestError
from dyad.ingest import read_source
from dyad.ingest.decode import decode_bytes
from dyad.model import Extractions, ProcessedArticle, RawArticle
from dyad.nlp.pipeline import annotate, make_doc
from dyad.pipeline import document_id
from dyad.store import Store

# Pieces that wake the extractors up: quote marks, speech verbs, actors, figures, dates.
FRAGMENTS = [
    "\n", "\n\n", " ", " ", "\t", "\u00a0", "\u200b", "\u202e", "\u2066", "\ufeff", "\u0301", "\r\n", "\u2028",
    '"', "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "'", "(", ")", "[1]", "\u2013", "\u2014",
    ".", ",", "?", "!", ":", ";", "-", "/", "#", "@", "*", "$", "\u20ac", "\u00a3", "%",
    " said ", " told reporters ", " according to ", " warned that ", " Putin", " Xi Jinping", " Russia", " China",
    " the United States", " the EU", " NATO", " Mr ", " Dr. ", " U.S. ", " Beijing", " Kyiv", " the minister",
    "5", "3.5", "1,200", " bn", " billion", " million", " per cent", " tonnes", " troops", "2024", " May ",
    "3 May 2024", " last week", " on Monday", " the 1990s", " Q3", " between ", " and ", " 2022-2024",
    " signed", " agreed", " met", " visited", " attacked", " sanctions", " deal", " talks", " invaded",
    "http://example.com/a?b=c", "\U0001F600", "\u4e2d\u56fd", "\u0420\u043e\u0441\u0441\u0438\u044f",
]
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
TEXT = st.lists(st.one_of(UNICODE, st.sampled_from(FRAGMENTS)), max_size=80).map("".join)

BOUNDED = settings(deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow,
                   HealthCheck.function_scoped_fixture], derandomize=True, database=None)


def bounded(examples: int) -> settings:
    """A fixed number of examples, derandomized (the same inputs every run), 20 s each at most."""
    return settings(BOUNDED, max_examples=examples)


def _encodable(*texts: str) -> bool:
    for t in texts:
        t.encode("utf-8")
    return True


@bounded(300)
@given(st.binary(max_size=3000))
def test_decode_bytes_returns_text_or_a_coded_error(data):
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except IngestError as exc:
        assert exc.code in {"E001", "E002", "E003", "E004"}
        return
    assert _encodable(text) and "\r" not in text and encoding


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@bounded(200)
@given(data=st.one_of(st.binary(max_size=2000), TEXT.map(lambda t: t.encode("utf-8"))),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ".rss", ".xml", ".warc", ".warc.gz"]))
def test_any_file_reads_as_articles_or_errors(scratch, data, suffix):
    path = scratch / f"input{suffix}"
    path.write_bytes(data)
    for item in read_source(path):
        assert isinstance(item, (RawArticle, IngestError)), item
        if isinstance(item, RawArticle):
            assert _encodable(item.source, item.stem, item.text, json.dumps(item.meta, ensure_ascii=False, default=str))
        else:
            assert _encodable(item.source, item.reason) and "\n" not in item.reason


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | UNICODE | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(UNICODE, children, max_size=3),
    max_leaves=8,
)
RECORD = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, st.just("Russia and China signed a deal on Monday."))},
    optional={k: JSON_VALUE for k in ("title", "published", "publisher", "authors", "url", "id", "html")},
)


@bounded(60)
@given(records=st.lists(RECORD, min_size=1, max_size=4), escapes=st.booleans())
def test_any_jsonl_record_cleans_and_stores(scratch, records, escapes):
    """Arbitrary JSON metadata (and lone surrogate escapes) through reader, cleaner and store."""
    lines = [json.dumps(r, ensure_ascii=escapes) for r in records]
    if escapes:
        lines.append('{"text": "a \\ud800 b", "title": "\\udc00", "authors": ["\\udfff"]}')
    path = scratch / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    db = scratch / "store.db"
    db.unlink(missing_ok=True)
    with Store(db) as store:
        for item in read_source(path):
            if isinstance(item, IngestError):
                store.record_error(item.source, item.code, item.reason)
                continue
            clean = clean_article(item)
            store.save_article(ProcessedArticle(document_id(item), clean, Extractions(), "v"), item.source, item.stem)


@bounded(300)
@given(TEXT, st.sampled_from([None, {"published": "2024-05-16"}, {"title": "T", "published": "1999"}]))
def test_cleaner_never_raises(text, meta):
    art = clean_article(RawArticle(source="h", stem="h", text=text, meta=meta or {}))
    for p in art.paragraphs:
        assert 0 <= p.start <= p.end <= len(art.text)


@bounded(150)
@given(TEXT, st.sampled_from([None, "2024-05-16", "2024", "1991-12"]))
def test_every_extractor_on_arbitrary_unicode(nlp, text, published):
    """The whole pipeline (spaCy and every dyad component) on arbitrary text: no exception, sane offsets."""
    meta = {"published": published} if published else {}
    clean = clean_article(RawArticle(source="h", stem="h", text=text, meta=meta))
    found = annotate(nlp(make_doc(nlp, clean)), clean)
    n = len(clean.text)
    for s in found.sentences:
        assert clean.text[s.start:s.end] == s.text
    for m in found.mentions:
        assert clean.text[m.start:m.end] == m.text
    for record in (*found.quotes, *found.figures, *found.dates):
        assert 0 <= record.start <= record.end <= n, record
    for e in found.events:
        assert 0 <= e.trigger_start <= e.trigger_end <= n, e
    for e in found.entities:
        for m in e.mentions:
            assert 0 <= m.start <= m.end <= n and clean.text[m.start:m.end] == m.text, (e, m)
