"""Fixtures for the cleaning tests: the shared sample corpus, gold files and scorer."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.clean.clean_helpers import read_text
from tests.paths import CORPUS, GOLD, SCORER


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, str]:
    if not CORPUS.is_dir():
        pytest.skip("shared sample corpus not available")
    return {p.stem: read_text(p) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def gold_docs() -> dict[str, dict]:
    if not GOLD.is_dir():
        pytest.skip("shared gold annotations not available")
    return {p.stem: json.loads(p.read_text("utf-8"))["doc"]
            for p in sorted(GOLD.glob("*.json")) if p.stem != "cross"}


@pytest.fixture(scope="session")
def scorer():
    """The real scorer module (shared/eval/score.py), imported by path."""
    if not SCORER.is_file():
        pytest.skip("scorer not available")
    spec = importlib.util.spec_from_file_location("dyad_eval_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
