"""A resolved copy of the sample-corpus store, built once per session."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def resolved_store_path(corpus_store_path, tmp_path_factory):
    """A copy of the corpus store with the resolve stage run over it (tests must not write to it)."""
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    path = tmp_path_factory.mktemp("resolved") / "dyad.db"
    shutil.copy(corpus_store_path, path)
    with Store(path) as store:
        resolve_all(store)
    return path


@pytest.fixture
def resolved(resolved_store_path):
    from dyad.store import Store

    with Store(resolved_store_path) as store:
        yield store
