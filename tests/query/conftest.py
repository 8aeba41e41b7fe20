"""Fixtures of the query tests: the shared scorer, loaded from ../shared/eval."""

import importlib.util
import json

import pytest

from tests.paths import GOLD, SCORER


@pytest.fixture(scope="session")
def scorer():
    """The shared scorer module (score.py), or skip when it is missing."""
    if not SCORER.exists():
        pytest.skip(f"scorer missing: {SCORER}")
    spec = importlib.util.spec_from_file_location("dyad_shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def recall(scorer):
    """``recall(answers) -> (R@1, R@3)`` over the gold questions, by the scorer's own matching."""
    gdocs = {p.stem: json.loads(p.read_text()) for p in sorted(GOLD.glob("*.json")) if p.name != "cross.json"}

    def compute(answers):
        m = scorer.Metrics()
        scorer.score_questions(gdocs, answers, m)
        return m.result("qa.r1")["acc"], m.result("qa.r3")["acc"]

    return compute
