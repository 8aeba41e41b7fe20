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
