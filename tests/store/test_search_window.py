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


def _ids(store, rows) -> list[int]:
    return [store.conn.execute("SELECT id FROM sentences WHERE doc_id = ? AND idx = ?",
                               (r["doc_id"], r["idx"])).fetchone()[0] for r in rows]


def test_postgresql_ranks_the_same_window_whichever_scan_reads_it(corpus_store_path, pg_server, tmp_path,
                                                                   monkeypatch):
    import shutil

    import dyad.store.ask_queries as ask_queries
    from dyad.store import Store
    from dyad.store.transfer import copy_store

    source = str(tmp_path / "source.db")
    shutil.copyfile(corpus_store_path, source)
    server = pg_server.new_database()
    copy_store(source, server)
    with Store(source) as lite, Store(server) as pg:
        everything, total = pg.search_sentences("Putin", DocFilter(), 1000, 0)
        assert total == len(everything) == lite.search_sentences("Putin", DocFilter(), 1000, 0)[1] > 10
        newest = sorted(_ids(pg, everything))[-5:]
        monkeypatch.setattr(queries, "PG_SEARCH_WINDOW", 5)
        assert pg.search_window() == 5 and lite.search_window() == queries.SEARCH_WINDOW
        found = {}
        for few in (True, False):
            # Every match from the GIN index (counted exactly), or the primary key walked down
            # until the window is full (the count stops past it: "more than 5").
            monkeypatch.setattr(ask_queries.AskQueries, "_pg_few_matches", lambda self, *a, _few=few: _few)
            rows, counted = pg.search_sentences("Putin", DocFilter(), 1000, 0)
            assert sorted(_ids(pg, rows)) == newest
            assert counted == (total if few else 6)
            found[few] = [(r["doc_id"], r["idx"], r["score"]) for r in rows]
            page_two, again = pg.search_sentences("Putin", DocFilter(), 3, 3)
            assert again == counted and [(r["doc_id"], r["idx"]) for r in page_two] == [f[:2] for f in found[few][3:]]
            assert pg.search_sentences("Putin", DocFilter(), 3, 30) == ([], counted)  # past the last page
        assert found[True] == found[False]
        outlet = everything[0]["publisher"]
        rows, counted = pg.search_sentences("Putin", DocFilter(outlet=outlet), 1000, 0)
        assert len(rows) <= 5 and all(r["publisher"] == outlet for r in rows)
        assert counted == min(6, sum(r["publisher"] == outlet for r in everything))
