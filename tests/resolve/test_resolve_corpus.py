"""The resolve stage on the sample corpus store: stories, entities, timeline, projects, export."""

import importlib.util
import json
import shutil

from tests.paths import GOLD, SCORER


def _stories(store):
    return {frozenset(d["stem"][:3] for d in s["docs"]): s for s in store.xstory_list()}


def test_two_stories_dates_weigh_more_than_shared_authors(resolved):
    stories = _stories(resolved)
    assert set(stories) == {frozenset({"000", "002", "004"}), frozenset({"001", "003"})}
    assert "May 2024" in stories[frozenset({"001", "003"})]["label"]
    assert "2023" in stories[frozenset({"000", "002", "004"})]["label"]


def test_resolving_twice_gives_the_same_ids_and_labels(resolved_store_path, tmp_path):
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    path = tmp_path / "again.db"
    shutil.copy(resolved_store_path, path)
    with Store(resolved_store_path) as first, Store(path) as second:
        report = resolve_all(second)
        assert report["duplicates"]["minhash_new"] == 0  # signatures are reused
        assert [(s["id"], s["label"]) for s in first.xstory_list()] == \
            [(s["id"], s["label"]) for s in second.xstory_list()]
        assert first.xentity_list(limit=-1) == second.xentity_list(limit=-1)


def test_variants_and_bylines_resolve_across_documents(resolved):
    from dyad.resolve import api

    belousov = api.entity(resolved, "Andrey Belausov")
    assert {"Andrei Belousov", "Andrey Belausov"} <= set(belousov["aliases"])
    assert belousov["documents"] == ["001_c4c0ccb9bb6ced48", "003_abf0bfbafe203610"]
    author = api.entity(resolved, "KACZEMARSKI Marcin")
    assert author is not None and len(author["documents"]) == 2
    russia = api.entity(resolved, "Russia")
    linked = {(x["canonical"], x["relation"]) for x in russia["linked"]}
    assert ("Moscow", "capital") in linked and ("Kremlin", "seat") in linked


def test_project_status_per_story(resolved):
    from dyad.resolve.projects import project_history

    history = project_history(resolved, "Power of Siberia 2")
    assert history.startswith("Power of Siberia 2: ")
    assert "Oct 2023" in history and "May 2024" in history


def test_undated_report_gets_its_day_from_a_dated_peer(resolved):
    refined = {r["stem"][:3]: r for r in resolved.xrefined_dates()}
    assert refined["002"]["published"] == "2023-10-17"
    assert refined["002"]["original"] == "2023"


def test_timeline_merges_one_happening_reported_twice(resolved):
    from dyad.resolve import api

    events = api.timeline(resolved, "001_c4c0ccb9bb6ced48")["events"]
    merged = [e for e in events if e["n_docs"] > 1]
    assert merged and all(len({x["doc_id"] for x in e["evidence"]}) == e["n_docs"] for e in merged)


def test_cross_json_scores_on_the_gold(resolved, tmp_path):
    from dyad.export.annotations import export_annotations
    from dyad.resolve.cross import cross_annotations

    export_annotations(resolved, tmp_path)
    cross = cross_annotations(resolved)
    assert {"story", "label", "docs"} <= set(cross["story_clusters"][0])
    assert {"canonical", "type", "members"} <= set(cross["same_entity"][0])
    (tmp_path / "cross.json").write_text(json.dumps(cross), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("score", SCORER)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    metrics = score.score_all(str(GOLD), str(tmp_path))
    assert metrics.result("stories")["f1"] == 1.0
    assert metrics.result("xdoc_entities")["f1"] >= 0.95


def test_a_new_document_joins_the_stored_story_and_entities(resolved_store_path, tmp_path):
    from dyad.resolve.run import resolve_new
    from dyad.store import Store

    path = tmp_path / "incremental.db"
    shutil.copy(resolved_store_path, path)
    with Store(resolved_store_path) as before, Store(path) as store:
        doc_id = store.resolve_document("003_abf0bfbafe203610")
        # Forget what resolve knew about 003, as if it had just been ingested.
        store.conn.execute("DELETE FROM story_documents WHERE doc_id = ?", (doc_id,))
        store.conn.execute("DELETE FROM xentity_members WHERE doc_id = ?", (doc_id,))
        report = resolve_new(store)
        assert report["new_documents"] == 1 and report["entities"]["joined"] > 10
        assert _stories(store).keys() == _stories(before).keys()
        assert {s["id"] for s in store.xstory_list()} == {s["id"] for s in before.xstory_list()}
        belousov = store.xentity_find("Andrei Belousov")[0]
        assert {m["name"] for m in store.xentity_members(belousov["id"])} == {"Andrei Belousov", "Andrey Belausov"}
