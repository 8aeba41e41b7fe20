"""Candidate retrieval: bounded slices of the store, one BM25 scale."""

from __future__ import annotations

from dyad.query import retrieve
from dyad.query.question import analyse


def test_every_word_scores_join_the_any_word_scale():
    merged = retrieve._merge_scales({1: -8.0, 2: -4.0}, {2: -20.0, 3: -10.0, 4: -5.0})
    assert merged[1] == -8.0 and merged[2] == -4.0  # the OR query's own scores stay
    assert merged[3] == -4.0 and merged[4] == -2.0  # best every-word match level with the best OR one
    assert retrieve._merge_scales({1: -3.0}, {}) == {1: -3.0}


def test_windows_bound_what_a_question_reads(corpus_store, monkeypatch):
    q = analyse("What did Putin say about Power of Siberia 2?")
    wide = retrieve.gather(corpus_store, q, None)
    monkeypatch.setattr(retrieve, "FTS_WINDOW", 3)
    monkeypatch.setattr(retrieve, "ENTITY_DOCS", 1)
    narrow = retrieve.gather(corpus_store, q, None)
    # The three newest matches of any word are ranked, plus the sentences holding every word.
    assert len(narrow.bm25) <= 3 + retrieve.EVERY_WORD_LIMIT < len(wide.bm25)
    assert max(wide.bm25) in narrow.bm25
    # Sentences naming the entity come from its newest document only.
    docs = {r[0] for r in corpus_store.conn.execute(
        "SELECT DISTINCT doc_id FROM sentences WHERE id IN (SELECT value FROM json_each(?))",
        (str(sorted(narrow.entity_ids)),))}
    assert len(docs) <= len(q.names) * 3


def test_candidates_carry_the_sentence_before_them(corpus_store):
    first, second = corpus_store.conn.execute(
        "SELECT id, text FROM sentences WHERE doc_id = (SELECT MIN(doc_id) FROM sentences) ORDER BY idx LIMIT 2"
    ).fetchall()
    rows = {r["id"]: r for r in corpus_store.ask_sentences([first[0], second[0]])}
    assert rows[first[0]]["previous"] is None
    assert rows[second[0]]["previous"] == first[1]
