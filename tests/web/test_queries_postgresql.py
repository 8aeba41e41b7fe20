"""The web app and its queries (:mod:`dyad.store.queries`) on a PostgreSQL store.

The queries are part of the Store and must stay dialect-neutral: here they run
on both backends over the sample corpus (ingested and resolved by the CLI) and
must agree, and the web app serves the same JSON from either.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.store import Store
from dyad.store.queries import DocFilter
from tests.paths import CORPUS


def _answers(store) -> dict:
    """Every new query's answer, in a form comparable across backends."""
    rows, total = store.story_list(DocFilter(), 1, "size", 10, 0)
    ids = sorted(r["id"] for r in rows)
    sid = rows[0]["id"]
    moscow, _ = store.story_list(DocFilter(outlet="The Moscow Times", date_from="2023"), 2, "recent", 10, 0)
    header = store.story_header(sid)
    docs = [d["doc_id"] for d in header["docs"]]
    groups = store.story_figure_groups(sid)
    figures = store.figure_rows(DocFilter(), None, None, 1000, ("conflicting", "differing"))
    return {
        "stories": (ids, total, store.story_count(), sorted(r["id"] for r in moscow)),
        "header": (header["label"], sorted(docs), sorted(store.story_documents([sid])[sid][0])),
        "events": sorted((e["id"], len(e["evidence"]), e["evidence"][0]["sentence_idx"])
                         for e in store.story_events(sid)),
        "figures": sorted((g["id"], g["verdict"], len(g["figures"])) for g in groups),
        "singles": sorted((f["doc_id"], f["idx"]) for f in store.story_single_figures(sid)),
        "quotes": sorted((q["doc_id"], q["idx"], q["speaker_canonical"] or "") for q in store.story_quotes(sid)),
        "spans": len(store.story_sentence_spans(sid)),
        "labels": store.story_labels(ids),
        "briefs": sorted(store.document_briefs(docs)),
        "identity": [x["canonical"] for x in store.entity_identity("China")],
        "entity_stories": sorted(s["id"] for s in store.entity_stories("Vladimir Putin")),
        "present": sorted(store.entity_names_present(["China", "Beijing", "Nowhere"])),
        "disputed": sorted((f["doc_id"], f["idx"], f["verdict"]) for f in figures),
        "verdicts": store.figure_verdict_counts(),
    }


@pytest.fixture(scope="module")
def both_stores(pg_server, tmp_path_factory) -> tuple[str, str]:
    """The sample corpus ingested (and resolved) into a SQLite file and a PostgreSQL database."""
    stores = (str(tmp_path_factory.mktemp("web-pg") / "dyad.db"), pg_server.new_database())
    for db in stores:
        assert CliRunner().invoke(app, ["ingest", str(CORPUS), "--db", db]).exit_code == 0
    return stores


def test_web_queries_agree_on_both_backends(both_stores):
    results = []
    for db in both_stores:
        with Store(db) as store:
            results.append(_answers(store))
    sqlite, postgresql = results
    assert sqlite["stories"][0] and sqlite["events"] and sqlite["quotes"] and sqlite["disputed"]
    assert sqlite["present"] == ["Beijing", "China"]
    for key in sqlite:
        assert sqlite[key] == postgresql[key], key


def _without(value, key: str):
    """``value`` with every ``key`` removed from its dicts (ingest times differ between the two stores)."""
    if isinstance(value, dict):
        return {k: _without(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [_without(v, key) for v in value]
    return value


def _get_all(db: str, urls: list[str]) -> list[tuple[int, object]]:
    from dyad.web import create_app
    from tests.web.conftest import ASGIClient

    client = ASGIClient(create_app(db))
    try:
        return [((r := client.get(u)).status_code, r.json()) for u in urls]
    finally:
        client.close()


def test_web_app_serves_a_postgresql_store_as_it_serves_sqlite(both_stores):
    with Store(both_stores[0]) as store:
        sid = store.story_list(DocFilter(), 1, "size", 1, 0)[0][0]["id"]
        doc = store.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1").fetchone()[0]
    same = ["/index.json", f"/doc/{doc}.json", f"/entity/{quote('Vladimir Putin')}.json", f"/story/{sid}.json",
            "/stories.json", "/figures.json"]
    # Full-text ranking differs by design (FTS5's bm25, PostgreSQL's ts_rank_cd): compare what is found.
    ranked = ["/search.json?q=gas%20pipeline", "/ask.json?q=" + quote("What did Putin and Xi agree on trade?")]
    sqlite, postgresql = (_get_all(db, same + ranked) for db in both_stores)
    for url, (code_s, body_s), (code_p, body_p) in zip(same + ranked, sqlite, postgresql):
        assert code_s == code_p == 200, url
        if url in same:
            assert _without(body_s, "ingested_at") == _without(body_p, "ingested_at"), url
    search_s, search_p = sqlite[len(same)][1], postgresql[len(same)][1]
    assert search_s["pagination"] == search_p["pagination"] and search_s["results"]
    assert {(r["doc_id"], r["idx"]) for r in search_s["results"]} == {(r["doc_id"], r["idx"]) for r in search_p["results"]}
    assert all(r["snippet"] for r in search_p["results"])
    assert sqlite[-1][1]["answers"] and postgresql[-1][1]["answers"]


def test_the_web_pool_on_postgresql_is_read_only(both_stores):
    from dyad.web.db import StorePool

    pool = StorePool(both_stores[1], size=1)
    try:
        with pytest.raises(Exception, match="read-only"), pool.borrow() as store:
            store.conn.execute("DELETE FROM documents")
        with pool.borrow() as store:  # the connection is still usable
            assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    finally:
        pool.close()
