"""Copying a whole store between backends (``dyad export store``)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.store import Store
from dyad.store.sqlite import TABLES
from dyad.store.transfer import TargetNotEmpty, copy_store


def _tables(location: str) -> dict[str, list[dict]]:
    with Store(location) as store:
        return {t: list(store.iter_table(t)) for t in TABLES}


def test_sqlite_to_postgresql_and_back_keeps_every_row(corpus_store_path, pg_server, tmp_path):
    source = str(tmp_path / "source.db")
    shutil.copyfile(corpus_store_path, source)
    server = pg_server.new_database()
    result = CliRunner().invoke(app, ["export", "store", server, "--db", source])
    assert result.exit_code == 0, result.output
    assert _tables(server) == _tables(source)
    back = str(tmp_path / "back.db")
    copy_store(server, back)
    assert _tables(back) == _tables(source)
    with Store(server) as pg, Store(back) as sqlite:
        # The copies search like the original (tsvector and FTS5 built by each backend).
        assert {(r["doc_id"], r["idx"]) for r in pg.search("pipeline", 50)} == \
            {(r["doc_id"], r["idx"]) for r in sqlite.search("pipeline", 50)} != set()
        # New rows get fresh ids after the copied ones.
        pg.record_error("later.txt", "E001", "late")
        run = pg.start_run(["later"])
        assert run > max(r["id"] for r in _tables(source)["runs"])


def test_a_target_that_holds_documents_is_refused(corpus_store_path, tmp_path):
    target = str(tmp_path / "target.db")
    shutil.copyfile(corpus_store_path, target)
    with pytest.raises(TargetNotEmpty):
        copy_store(str(corpus_store_path), target)
    result = CliRunner().invoke(app, ["export", "store", target, "--db", str(corpus_store_path)])
    assert result.exit_code == 2 and "already holds documents" in result.output
