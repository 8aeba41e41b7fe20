"""The eval gate: scores on the gold annotations must not fall below the pinned floors."""

import json

import pytest

from dyad import evaluate
from tests.paths import GOLD, REPO, SCORER

FLOORS = REPO / "eval" / "floors.json"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    if not SCORER.exists():
        pytest.skip(f"scorer missing: {SCORER}")
    return evaluate.run_eval(GOLD, tmp_path_factory.mktemp("eval"))


def test_floors_hold(result):
    failures = evaluate.check_floors(result, FLOORS, GOLD)
    assert not failures, "\n".join(failures)


def test_floors_are_pinned_to_this_gold():
    assert json.loads(FLOORS.read_text())["gold_sha256"] == evaluate.gold_digest(GOLD)


def test_raise_floors_never_lowers(result, tmp_path):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"gold_sha256": "x", "floors": {"boilerplate.f1": 2.0}}))
    floors = evaluate.raise_floors(result, path, GOLD, ["boilerplate.f1", "doc.title.acc"])
    assert floors["boilerplate.f1"] == 2.0
    assert floors["doc.title.acc"] == round(result.scores["doc.title.acc"], 4)
