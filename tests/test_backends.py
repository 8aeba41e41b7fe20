"""SQLite and PostgreSQL stores built from the same input export the same data."""

import json

from typer.testing import CliRunner

from dyad.cli import app
from tests.paths import CORPUS
from tests.test_parallel import VOLATILE

runner = CliRunner()


def _build(db, out):
    for args in (["ingest", CORPUS], ["export", "annotations", out / "ann"], ["export", "jsonl", out / "all.jsonl"]):
        result = runner.invoke(app, [str(a) for a in args] + ["--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in (out / "all.jsonl").read_text().splitlines()]
    tables = [{k: v for k, v in r.items() if k not in VOLATILE} for r in rows]
    return {p.name: p.read_bytes() for p in sorted((out / "ann").glob("*.json"))}, tables


def test_postgresql_store_matches_sqlite(pg_server, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sqlite = _build(str(tmp_path / "s.db"), tmp_path / "a")
    postgres = _build(pg_server.new_database(), tmp_path / "b")
    assert postgres[0] == sqlite[0]
    assert [r for r in postgres[1] if r["table"] != "runs"] == [r for r in sqlite[1] if r["table"] != "runs"]


def test_search_on_postgresql(pg_server):
    db = pg_server.new_database()
    assert runner.invoke(app, ["ingest", str(CORPUS), "--db", db]).exit_code == 0
    hits = json.loads(runner.invoke(app, ["search", "Power of Siberia", "--db", db, "--json"]).stdout)
    assert len({h["doc_id"] for h in hits}) >= 3 and all("**Siberia**" in h["snippet"] for h in hits)


def test_concurrent_writers_on_postgresql(pg_server, tmp_path):
    """Two ingest processes writing one PostgreSQL store at once lose and duplicate nothing."""
    import subprocess
    import sys

    db = pg_server.new_database()
    cmd = [sys.executable, "-m", "dyad", "ingest", str(CORPUS), "--db", db]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    from dyad.store import Store

    with Store(db) as store:
        counts = store.counts()
        assert counts["documents"] == 5 and counts["sources"] == 5 and counts["errors"] == 0
        per_doc = store.conn.execute("SELECT doc_id, COUNT(*) AS n, COUNT(DISTINCT idx) AS k FROM sentences "
                                     "GROUP BY doc_id").fetchall()
        assert len(per_doc) == 5 and all(r["n"] == r["k"] > 10 for r in per_doc)
        # The per-entity counters both writers updated equal a recount.
        kept = {tuple(r) for r in store.conn.execute("SELECT canonical, month, documents FROM entity_months")}
        recount = {tuple(r) for r in store.conn.execute(
            "SELECT canonical, COALESCE(substr(published, 1, 7), ''), COUNT(DISTINCT doc_id) FROM entities "
            "GROUP BY 1, 2")}
        assert kept == recount
        overview = store.overview()["counts"]
        assert overview["documents"] == 5 and overview["sentences"] == sum(r["n"] for r in per_doc)
