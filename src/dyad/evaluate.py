"""The eval gate: ingest the gold articles, export, score, compare with pinned floors.

Floors live in ``eval/floors.json`` in the repository together with a digest of the
gold annotations they were measured on.  A metric below its floor fails the gate;
``--raise-floors`` moves floors up to what was measured, never down.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dyad.export import export_annotations
from dyad.query.ask import ask_batch, read_questions, write_answers
from dyad.resolve.run import resolve_all
from dyad.store import Store

# Differences this small are rounding, not regressions (scores are deterministic).
EPSILON = 1e-4


@dataclass
class EvalResult:
    """Scores of one run: flat ``{"figures.f1": 0.9, "doc.title.acc": 1.0, ...}``."""

    scores: dict[str, float]
    report: str
    workdir: Path
    failures: list[str] = field(default_factory=list)


def gold_digest(gold: Path) -> str:
    """SHA-256 over the gold files' names and contents, in name order."""
    h = hashlib.sha256()
    for path in sorted(gold.glob("*.json")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def run_eval(gold: Path, workdir: Path, corpus: Path | None = None, scorer: Path | None = None) -> EvalResult:
    """Ingest the corpus articles named in ``gold`` into a fresh store, export, score."""
    from dyad.pipeline import Ingester

    corpus = corpus or gold.parent / "corpus"
    scorer = scorer or gold.parent / "eval" / "score.py"
    stems = {p.stem for p in gold.glob("*.json") if p.name != "cross.json"}
    inputs = sorted(p for p in corpus.iterdir() if p.stem in stems)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "eval.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    pred = workdir / "pred"
    answers = workdir / "answers.json"
    with Store(db) as store:
        Ingester(store).ingest(inputs)
        resolve_all(store)
        export_annotations(store, pred)
        # Each gold question is asked of its own article ("<stem>::<question>" keys).
        write_answers(ask_batch(store, read_questions(gold), k=10), answers)
    out = workdir / "scores.json"
    proc = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred),
                           "--answers", str(answers), "--json", str(out)], capture_output=True, text=True, check=True)
    return EvalResult(flatten(json.loads(out.read_text())["metrics"]), proc.stdout, workdir)


def flatten(metrics: dict) -> dict[str, float]:
    """``{"figures": {"f1": .9, "p": ...}}`` → ``{"figures.f1": .9, "figures.p": ...}`` (None dropped)."""
    return {f"{name}.{key}": value for name, counts in metrics.items() for key, value in counts.items()
            if key in ("p", "r", "f1", "acc") and value is not None}


def check_floors(result: EvalResult, floors_path: Path, gold: Path) -> list[str]:
    """Metrics below their pinned floor (one line each); a gold change is a failure too."""
    pinned = json.loads(floors_path.read_text())
    failures = []
    if pinned.get("gold_sha256") != gold_digest(gold):
        failures.append(f"gold annotations changed since the floors were pinned ({floors_path}); re-pin them")
    for metric, floor in sorted(pinned["floors"].items()):
        value = result.scores.get(metric)
        if value is None or value < floor - EPSILON:
            failures.append(f"{metric}: {value if value is None else round(value, 4)} < floor {floor}")
    result.failures = failures
    return failures


def raise_floors(result: EvalResult, floors_path: Path, gold: Path, metrics: list[str]) -> dict[str, float]:
    """Set each floor to max(old floor, measured); floors never go down."""
    pinned = json.loads(floors_path.read_text()) if floors_path.exists() else {"floors": {}}
    floors = pinned["floors"]
    for metric in metrics:
        if metric in result.scores:
            floors[metric] = round(max(floors.get(metric, 0.0), result.scores[metric]), 4)
    pinned["gold_sha256"] = gold_digest(gold)
    floors_path.parent.mkdir(parents=True, exist_ok=True)
    floors_path.write_text(json.dumps({"gold_sha256": pinned["gold_sha256"], "floors": dict(sorted(floors.items()))},
                                      indent=1) + "\n")
    return floors
