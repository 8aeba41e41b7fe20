"""Shared fixtures: the real sample corpus, one loaded spaCy pipeline, a built store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import CORPUS


def pytest_configure(config: pytest.Config) -> None:
    if not CORPUS.is_dir():
        raise pytest.UsageError(f"the sample corpus is missing: expected {CORPUS} beside the checkout")


@pytest.fixture(scope="session")
def nlp():
    from dyad.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def corpus_store_path(tmp_path_factory, nlp) -> Path:
    """A store built once from the sample corpus (tests must not write to it)."""
    from dyad.pipeline import Ingester
    from dyad.store import Store

    path = tmp_path_factory.mktemp("corpus") / "dyad.db"
    with Store(path) as store:
        report = Ingester(store, nlp).ingest([CORPUS])
    assert report.exit_code == 0, report.errors
    return path


@pytest.fixture
def corpus_store(corpus_store_path):
    from dyad.store import Store

    with Store(corpus_store_path) as store:
        yield store


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server on 127.0.0.1 for this test session."""
    import os

    from tests.pgserver import PostgresServer, pg_bin

    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries missing: .ci/run must install postgresql")
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path) -> str:
    """A fresh, empty store location on each backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_server").new_database()
