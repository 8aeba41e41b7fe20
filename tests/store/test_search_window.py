"""Search ranks a bounded window of matches (the most recently stored) and counts all of them."""

from __future__ import annotations

import dyad.store.search_queries as queries
from dyad.store.queries import DocFilter


def test_ranking_is_exact_below_the_window_and_bounded_above_it(corpus_store, monkeypatch):
    everything, total = corpus_store.search_sentences("Putin", DocFilter(), 1000, 0)
    assert total == len(everything) > 10
    scores = [r["score"] for r in everything]
    assert scores == sorted(scores)
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 5)
    bounded, bounded_total = corpus_store.search_sentences("Putin", DocFilter(), 1000, 0)
    assert bounded_total == total and len(bounded) == 5
    ids = sorted(corpus_store.conn.execute(
        "SELECT s.id FROM sentences s WHERE s.doc_id = ? AND s.idx = ?", (r["doc_id"], r["idx"])).fetchone()[0]
        for r in everything)
    newest = set(ids[-5:])
    got = {corpus_store.conn.execute("SELECT id FROM sentences WHERE doc_id = ? AND idx = ?",
                                     (r["doc_id"], r["idx"])).fetchone()[0] for r in bounded}
    assert got == newest


def test_filtered_totals_stop_counting_past_the_window(corpus_store, monkeypatch):
    outlet = corpus_store.conn.execute("SELECT publisher FROM documents WHERE publisher IS NOT NULL "
                                       "GROUP BY publisher ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    rows, total = corpus_store.search_sentences("Putin", DocFilter(outlet=outlet), 1000, 0)
    assert total == len(rows) > 3 and all(r["publisher"] == outlet for r in rows)
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 3)
    rows, total = corpus_store.search_sentences("Putin", DocFilter(outlet=outlet), 1000, 0)
    assert len(rows) == 3 and total == 4  # "more than 3"
    assert all("\ue000" in r["snippet"] for r in rows)
