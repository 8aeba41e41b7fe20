"""The web's cross-document queries (:mod:`dyad.store.queries`) also run on a PostgreSQL store.

``dyad serve`` reads SQLite files only, but the queries are part of the Store and
must stay dialect-neutral: here they run on both backends over the sample
corpus (ingested and resolved by the CLI) and must agree.
"""

from __future__ import annotations

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


def test_web_queries_agree_on_both_backends(pg_server, tmp_path):
    results = []
    for db in (str(tmp_path / "dyad.db"), pg_server.new_database()):
        assert CliRunner().invoke(app, ["ingest", str(CORPUS), "--db", db]).exit_code == 0
        with Store(db) as store:
            results.append(_answers(store))
    sqlite, postgresql = results
    assert sqlite["stories"][0] and sqlite["events"] and sqlite["quotes"] and sqlite["disputed"]
    assert sqlite["present"] == ["Beijing", "China"]
    for key in sqlite:
        assert sqlite[key] == postgresql[key], key
