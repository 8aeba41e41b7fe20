"""The entity page's queries: exact counts over every document, details from the newest few."""

from __future__ import annotations

import dyad.store.queries as queries


def _most_named(store) -> str:
    return store.conn.execute("SELECT canonical FROM entities GROUP BY canonical "
                              "ORDER BY COUNT(DISTINCT doc_id) DESC, canonical LIMIT 1").fetchone()[0]


def test_counts_cover_every_document_and_details_the_newest(corpus_store, monkeypatch):
    name = _most_named(corpus_store)
    everything = corpus_store.entity_profile(name)
    assert everything["window"]["documents"] == everything["n_documents"] >= 3
    monkeypatch.setattr(queries, "ENTITY_WINDOW", 2)
    bounded = corpus_store.entity_profile(name)
    assert bounded["n_documents"] == everything["n_documents"]
    assert bounded["labels"] == everything["labels"]
    assert bounded["documents_per_month"] == everything["documents_per_month"]
    assert sum(m["documents"] for m in bounded["documents_per_month"]) == bounded["n_documents"]
    assert bounded["window"] == {"documents": 2, "of": everything["n_documents"], "newest": 2}
    newest = sorted((d["published"] or "" for d in everything["documents"]), reverse=True)[:2]
    assert sorted((d["published"] or "" for d in bounded["documents"]), reverse=True) == newest
    window = {d["id"] for d in bounded["documents"]}
    assert all(x["doc_id"] in window for x in bounded["events"] + bounded["quotes"] + bounded["figures"])


def test_entity_rows_carry_their_documents_date(corpus_store):
    stale = corpus_store.conn.execute(
        "SELECT COUNT(*) FROM entities e JOIN documents d ON d.id = e.doc_id "
        "WHERE e.published IS NOT d.published").fetchone()[0]
    assert stale == 0


def test_one_window_read_once_serves_profile_identity_and_stories(corpus_store):
    name = _most_named(corpus_store)
    window = corpus_store.entity_window_rows(name)
    assert corpus_store.entity_profile(name, window=window) == corpus_store.entity_profile(name)
    assert corpus_store.entity_identity(name, window=window) == corpus_store.entity_identity(name)
    assert corpus_store.entity_stories(name, window=window) == corpus_store.entity_stories(name)
    assert corpus_store.entity_names_present([name, "Nowhere at all"]) == {name}
