"""dyad doctor: a sound install and store pass; each kind of damage fails with advice; nothing is modified."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import typer
from typer.testing import CliRunner

import dyad.nlp
import dyad.nlp.pipeline
from dyad.doctor import diagnose, doctor_command, failed, render
from dyad.pipeline import Ingester
from dyad.store import Store
from tests.robustness.helpers import bbc_subset


@pytest.fixture(scope="module")
def sound_db(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("doctor")
    for f in bbc_subset(3):
        shutil.copy(f, folder / f"{f.parent.name}_{f.name}")
    db = folder / "sound.db"
    with Store(db) as store:
        assert Ingester(store, nlp).ingest([folder]).exit_code == 0
    return db


@pytest.fixture
def db(sound_db, tmp_path):
    copy = tmp_path / "store.db"
    shutil.copy(sound_db, copy)
    return copy


def _by_name(checks):
    return {c.name: c for c in checks}


def _sql(db, *statements):
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_a_sound_install_and_store_pass(db):
    checks = diagnose(db)
    assert failed(checks) == [], render(checks)
    assert {"python", "sqlite", "model", "pipeline", "clean", "store", "integrity", "migrations", "foreign keys",
            "full-text index", "documents", "runs", "pipeline version", "input errors"} <= _by_name(checks).keys()


def test_a_missing_store_is_reported_and_not_created(tmp_path):
    missing = tmp_path / "nope.db"
    [store] = [c for c in diagnose(missing, load_model=False) if c.name == "store"]
    assert not store.ok and "dyad ingest" in store.fix
    assert not missing.exists()


def test_not_a_database(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello, I am a text file")
    store = _by_name(diagnose(junk, load_model=False))["store"]
    assert not store.ok and "not a SQLite database" in store.detail


def test_an_empty_file_is_an_empty_store(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    migrations = _by_name(diagnose(empty, load_model=False))["migrations"]
    assert not migrations.ok and "dyad ingest" in migrations.fix


def test_pending_migrations_are_reported_not_applied(db):
    _sql(db, "DELETE FROM _migrations WHERE name = (SELECT MAX(name) FROM _migrations)")
    for _ in range(2):  # the second look sees the same: doctor applied nothing
        check = _by_name(diagnose(db, load_model=False))["migrations"]
        assert not check.ok and "1 pending" in check.detail and "dyad docs" in check.fix


def test_a_store_from_a_newer_dyad(db):
    _sql(db, "INSERT INTO _migrations VALUES ('9999_future', datetime('now'))")
    check = _by_name(diagnose(db, load_model=False))["migrations"]
    assert not check.ok and "9999_future" in check.detail and "upgrade" in check.fix


def test_an_inconsistent_full_text_index_and_its_fix(db):
    _sql(db, "INSERT INTO sentences_fts(sentences_fts, rowid, text) "
             "SELECT 'delete', id, text FROM sentences ORDER BY id LIMIT 1")
    check = _by_name(diagnose(db, load_model=False))["full-text index"]
    assert not check.ok and "rebuild" in check.fix
    _sql(db, "INSERT INTO sentences_fts(sentences_fts) VALUES('rebuild')")  # the advice, followed
    assert _by_name(diagnose(db, load_model=False))["full-text index"].ok


def test_a_document_without_its_sentences(db):
    _sql(db, "DELETE FROM sentences WHERE doc_id = (SELECT MIN(id) FROM documents)")
    check = _by_name(diagnose(db, load_model=False))["documents"]
    assert not check.ok and "1 without sentences" in check.detail and "rebuild" in check.fix


def test_a_corrupted_file_fails_without_raising(db):
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 2, len(data), 4096 * 3):  # scribble over every third page after the first two
        data[offset:offset + 200] = b"\xde\xad\xbe\xef" * 50
    db.write_bytes(bytes(data))
    checks = diagnose(db, load_model=False)
    assert failed(checks), render(checks)


def test_an_unfinished_run_is_advice_not_a_failure(db):
    _sql(db, "INSERT INTO runs (started_at, paths) VALUES ('2024-01-01T00:00:00+00:00', '[]')")
    check = _by_name(diagnose(db, load_model=False))["runs"]
    assert check.ok and "1 ingest runs did not finish" in check.detail and "again" in check.fix


def test_a_missing_model(monkeypatch):
    monkeypatch.setattr(dyad.nlp.pipeline, "MODEL_NAMES", ("no_such_model_xyz",))
    checks = _by_name(diagnose())
    assert not checks["model"].ok and "pip install" in checks["model"].fix
    assert "pipeline" not in checks


def test_a_pipeline_that_does_not_load(monkeypatch):
    def broken():
        raise ValueError("event_triggers.tsv:53: unknown condition 'partner=with'")

    monkeypatch.setattr(dyad.nlp, "load_pipeline", broken)
    check = _by_name(diagnose())["pipeline"]
    assert not check.ok and "event_triggers.tsv:53" in check.detail and "DYAD_DISABLE" in check.fix


def test_the_command_prints_one_line_per_check_and_exits_1_on_failure(db, tmp_path):
    app = typer.Typer()
    app.command("doctor")(doctor_command)
    app.command("unused")(lambda: None)  # two commands, so "doctor" is a subcommand as in dyad's CLI
    runner = CliRunner()
    ok = runner.invoke(app, ["doctor", "--db", str(db), "--quick"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[0].startswith("ok    python: Python 3.")
    bad = runner.invoke(app, ["doctor", "--db", str(tmp_path / "missing.db"), "--quick"])
    assert bad.exit_code == 1 and "FAIL  store: no store at" in bad.output and "fix: run `dyad ingest" in bad.output
    as_json = runner.invoke(app, ["doctor", "--no-store", "--quick", "--json"])
    assert as_json.exit_code == 0 and '"name": "model"' in as_json.output


def test_a_postgresql_store(pg_server, sound_db, nlp):
    url = pg_server.new_database()
    with Store(url) as store:
        folder = sound_db.parent
        assert Ingester(store, nlp).ingest([folder]).exit_code == 0
    checks = diagnose(url, load_model=False)
    assert failed(checks) == [], render(checks)
    assert {"store", "migrations", "documents", "runs"} <= _by_name(checks).keys()
    bad = _by_name(diagnose("postgresql://nobody@127.0.0.1:1/none", load_model=False))["store"]
    assert not bad.ok and "cannot connect" in bad.detail
