"""resolve_new touches only what new documents touch, and places them as a full run would.

The sample corpus is resolved without one document (002, undated: its story
narrows its date, which re-dates its events); the document is then ingested and
placed by ``resolve_new``.  No step may read the whole store, only the new
document is profiled, stories it does not join keep their rows, and the result
is what ``resolve_all`` gives on the same documents.
"""

import json
import shutil
from collections import Counter

import pytest

from tests.paths import CORPUS

NEW = "002_739b598d2f55f936"
# Store reads that return every document's rows when given no documents: resolve_new may not use them so.
WHOLE_STORE_READS = ("resolve_documents", "resolve_texts", "resolve_entity_rows", "resolve_mention_texts",
                     "resolve_events", "resolve_figures", "resolve_date_mentions", "resolve_member_map",
                     "resolve_member_forms", "resolve_minhashes", "xentity_list", "xstory_map", "xduplicate_map",
                     "xstory_list", "xrefined_dates", "xentity_clusters")


def _without_new(store) -> None:
    """Delete the new document as if it had never been ingested."""
    doc_id = store.resolve_document(NEW)
    with store.transaction() as c:
        c.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
        store._delete_document(c, doc_id)


def _guard_whole_store_reads(store, monkeypatch) -> list[str]:
    calls: list[str] = []
    for name in WHOLE_STORE_READS:
        method = getattr(store, name)

        def guarded(*args, _name=name, _method=method, **kwargs):
            if not args or args[0] is None:
                calls.append(_name)
            return _method(*args, **kwargs)

        monkeypatch.setattr(store, name, guarded)
    return calls


@pytest.fixture(scope="module")
def placed(corpus_store_path, nlp, tmp_path_factory):
    """(store path before the new document, after resolve_new, after resolve_all, resolve_new's report)."""
    from dyad.pipeline import Ingester
    from dyad.resolve.run import resolve_all, resolve_new
    from dyad.store import Store

    root = tmp_path_factory.mktemp("incremental")
    before, after, full = root / "before.db", root / "after.db", root / "full.db"
    shutil.copy(corpus_store_path, before)
    with Store(before) as store:
        _without_new(store)
        resolve_all(store)
    shutil.copy(before, after)
    with Store(after) as store:
        assert Ingester(store, nlp).ingest([CORPUS / f"{NEW}.txt"]).exit_code == 0
        with pytest.MonkeyPatch.context() as mp:
            calls = _guard_whole_store_reads(store, mp)
            report = resolve_new(store)
        assert calls == [], f"resolve_new read the whole store: {calls}"
    shutil.copy(after, full)
    with Store(full) as store:
        resolve_all(store)
    return before, after, full, report


def _state(path) -> dict:
    """What the resolve tables say, by document content (ids of rows aside)."""
    from dyad.store import Store

    with Store(path) as store:
        q = lambda sql: [tuple(r) for r in store.conn.execute(sql)]  # noqa: E731
        groups = lambda rows: {frozenset(m for g, m in rows if g == k) for k, _ in rows}  # noqa: E731
        return {
            "stories": groups([(s, d) for s, d in q("SELECT story_id, doc_id FROM story_documents")]),
            "refined": set(q("SELECT doc_id, published FROM refined_dates")),
            "event_dates": set(q("SELECT doc_id, idx, date FROM events")),
            "duplicates": set(q("SELECT doc_id, group_id FROM duplicate_groups")),
            "happenings": groups([(c, (d, i)) for c, d, i in q("SELECT cluster_id, doc_id, idx FROM "
                                                                "event_cluster_members")]),
            "figure_groups": groups([(g, (d, i)) for g, d, i in q("SELECT group_id, doc_id, idx FROM "
                                                                   "figure_group_members")]),
            "verdicts": set(q("SELECT measure, verdict, n_sources FROM figure_groups")),
            "projects": set(q("SELECT xentity_id, status, date FROM project_status")),
            "labels": set(q("SELECT label, date_from, date_to, n_docs FROM stories")),
        }


def test_only_the_new_document_is_profiled_and_compared(placed):
    from dyad.store import Store

    before, after, _full, report = placed
    assert report["new_documents"] == 1
    assert report["stories"]["profiled"] == 1
    assert report["stories"]["candidates"] <= 4 and report["duplicates"]["minhash_new"] == 1
    with Store(before) as old, Store(after) as new:
        profiles = "SELECT doc_id, features, xentities FROM doc_profiles ORDER BY doc_id"
        kept = [tuple(r) for r in old.conn.execute(profiles)]
        now = {r[0]: tuple(r) for r in new.conn.execute(profiles)}
        assert [now[r[0]] for r in kept] == kept  # stored profiles are read, never rewritten
        assert set(now) - {r[0] for r in kept} == {new.resolve_document(NEW)}
        # Rewriting stories, happenings and groups marks nothing left to redo.
        assert new.conn.execute("SELECT COUNT(*) FROM resolve_dirty").fetchone()[0] == 0


def _df_is_exact(store) -> bool:
    """Whether ``profile_df`` counts, for each feature, the stored profiles that hold it, and
    ``profile_terms`` indexes exactly their index terms."""
    from dyad.resolve.profiles import INDEX_FAMILIES

    df, terms = Counter(), set()
    for doc_id, features in store.conn.execute("SELECT doc_id, features FROM doc_profiles"):
        df.update(json.loads(features).keys())
        terms |= {(f, doc_id) for f in json.loads(features) if f.split(":", 1)[0] in INDEX_FAMILIES}
    return ({f: n for f, n in store.conn.execute("SELECT feature, df FROM profile_df") if n} == dict(df)
            and set(map(tuple, store.conn.execute("SELECT term, doc_id FROM profile_terms"))) == terms)


def test_document_frequencies_stay_exact_as_documents_come_and_go(placed, tmp_path):
    from dyad.resolve.profiles import from_row, store_profiles
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    _before, after, _full, _report = placed
    copy = tmp_path / "gone.db"
    shutil.copy(after, copy)
    with Store(copy) as store:
        assert _df_is_exact(store)
        _without_new(store)  # its profile goes with it, and stops counting
        assert _df_is_exact(store)
        # Profiles stored when two documents' entities had other ids: a full run rewrites them in place.
        two = [r[0] for r in store.conn.execute("SELECT doc_id FROM doc_profiles ORDER BY doc_id LIMIT 2")]
        docs = {d["id"]: d for d in store.resolve_documents(two)}
        stale = [from_row(r, docs[r["doc_id"]]) for r in store.resolve_profiles(two)]
        for p in stale:
            p.features = Counter({("x:old" + f[2:] if f.startswith("x:") else f): n for f, n in p.features.items()})
        store_profiles(store, stale)
        assert _df_is_exact(store) and "x:old" in json.dumps(store.resolve_profiles(two))
        resolve_all(store)
        assert _df_is_exact(store) and "x:old" not in json.dumps(store.resolve_profiles(two))


def test_untouched_stories_keep_their_rows_and_the_new_one_joins_its_story(placed):
    from dyad.store import Store

    before, after, _full, report = placed
    with Store(before) as old, Store(after) as new:
        new_id = new.resolve_document(NEW)
        joined = new.xstory_of(new_id)
        rows = "SELECT * FROM stories WHERE id != ? ORDER BY id"
        assert [tuple(r) for r in old.conn.execute(rows, (joined,))] == \
            [tuple(r) for r in new.conn.execute(rows, (joined,))]
        assert joined in {s["id"] for s in old.xstory_list()}  # it joined a stored story, which kept its id
        assert {new.xstory_of(d) for d in old.xstory_map()} == {s["id"] for s in old.xstory_list()}
    assert report["stories"]["stories_written"] == 1 and report["projects"]["stories"] == 1


def test_placing_new_documents_gives_what_a_full_run_gives(placed):
    _before, after, full, report = placed
    incremental, everything = _state(after), _state(full)
    assert report["redate"]["events_redated"] > 0  # the new document's date is narrowed by its story
    for key in everything:
        assert incremental[key] == everything[key], key


def test_a_second_run_with_nothing_new_changes_nothing(placed, tmp_path):
    from dyad.resolve.run import resolve_new
    from dyad.store import Store

    _before, after, _full, _report = placed
    again = tmp_path / "again.db"
    shutil.copy(after, again)
    with Store(again) as store:
        report = resolve_new(store)
    assert report["new_documents"] == 0 and report["stories"]["stories_written"] == 0
    assert _state(again) == _state(after)


def test_postgresql_places_new_documents_as_sqlite_does(placed, pg_server, nlp):
    from dyad.pipeline import Ingester
    from dyad.resolve.run import resolve_all, resolve_new
    from dyad.store import Store

    _before, after, _full, _report = placed
    url = pg_server.new_database()
    with Store(url) as store:
        assert Ingester(store, nlp).ingest(sorted(p for p in CORPUS.glob("*.txt") if p.stem != NEW)).exit_code == 0
        resolve_all(store)
        assert Ingester(store, nlp).ingest([CORPUS / f"{NEW}.txt"]).exit_code == 0
        report = resolve_new(store)
        assert report["stories"]["profiled"] == 1 and _df_is_exact(store)
    assert _state(url) == _state(after)
    with Store(url) as store:
        _without_new(store)
        assert _df_is_exact(store)


def test_a_deleted_document_leaves_its_story_happenings_and_figure_groups(placed, tmp_path):
    """A replaced article's old document goes: what held it is rewritten as a full run would."""
    from dyad.resolve.run import resolve_all, resolve_new
    from dyad.store import Store

    _before, after, _full, _report = placed
    gone, full = tmp_path / "gone.db", tmp_path / "gone-full.db"
    shutil.copy(after, gone)
    with Store(gone) as store:
        doc_id = store.resolve_document("003_abf0bfbafe203610")
        lost = store.xstory_of(doc_id)
        with store.transaction() as c:
            c.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
            store._delete_document(c, doc_id)
        assert lost in store.resolve_dirty("story")
        report = resolve_new(store)
        assert report["new_documents"] == 0 and report["stories"]["stories_written"] == 1
        assert store.conn.execute("SELECT COUNT(*) FROM resolve_dirty").fetchone()[0] == 0
    shutil.copy(gone, full)
    with Store(full) as store:
        resolve_all(store)
    assert _state(gone) == _state(full)
