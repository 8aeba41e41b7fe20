"""Shared by the robustness tests: BBC subsets, the CLI in a subprocess, store checks."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.paths import BBC, REPO

# Columns that record when or in which run something happened, not what was extracted.
VOLATILE = {"ingested_at", "first_seen", "last_seen", "started_at", "finished_at", "fetched_at", "attempts"}
# Tables that record runs rather than content (their row count depends on how many runs there were).
RUN_TABLES = {"runs"}


def bbc_subset(n: int) -> list[Path]:
    """``n`` BBC stories, the same ones every time, spread over the five sections."""
    sections = sorted(p for p in BBC.iterdir() if p.is_dir())
    files = [sorted(s.glob("*.txt")) for s in sections]
    picked: list[Path] = []
    for i in range(n):
        picked.append(files[i % len(files)][i // len(files)])
    return sorted(picked)


def link_inputs(files: list[Path], folder: Path) -> Path:
    """A folder of symlinks ``<section>_<name>`` to ``files`` (sources are then stable paths)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / f"{f.parent.name}_{f.name}").symlink_to(f)
    return folder


def dyad(*args: object, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m dyad ARGS`` from the checkout; return the finished process."""
    return subprocess.run([sys.executable, "-m", "dyad", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def start_dyad(*args: object, env: dict | None = None) -> subprocess.Popen:
    """Start ``python -m dyad ARGS`` without waiting."""
    return subprocess.Popen([sys.executable, "-m", "dyad", *map(str, args)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def exports(db: Path, out: Path) -> tuple[dict[str, bytes], list[dict]]:
    """``dyad export annotations`` (file name → bytes) and ``dyad export jsonl`` rows, volatile columns left out."""
    ann, jsonl = out / "annotations", out / "all.jsonl"
    for args in (("annotations", ann), ("jsonl", jsonl)):
        done = dyad("export", *args, "--db", db)
        assert done.returncode == 0, done.stderr
    files = {p.name: p.read_bytes() for p in sorted(ann.glob("*.json"))}
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    rows = [{k: v for k, v in r.items() if k not in VOLATILE} for r in rows if r["table"] not in RUN_TABLES]
    return files, rows


def store_problems(db: Path) -> list[str]:
    """What is wrong with a store: integrity, foreign keys, FTS, half-stored or duplicate documents."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        problems = []
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            return [f"integrity_check: {integrity[:3]}"]
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check found rows without their document")
        conn.execute("BEGIN")
        try:
            conn.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"FTS integrity-check: {exc}")
        finally:
            conn.execute("ROLLBACK")
        for doc_id, raw, clean in conn.execute("SELECT id, raw_text, clean_text FROM documents"):
            n_lines = conn.execute("SELECT COUNT(*) FROM lines WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            n_sents = conn.execute("SELECT COUNT(*) FROM sentences WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            n_src = conn.execute("SELECT COUNT(*) FROM sources WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            if n_lines != raw.count("\n") + 1:
                problems.append(f"{doc_id}: {n_lines} lines stored for {raw.count(chr(10)) + 1} raw lines")
            if clean.strip() and not n_sents:
                problems.append(f"{doc_id}: no sentences")
            if not n_src:
                problems.append(f"{doc_id}: no source")
        gaps = conn.execute("SELECT doc_id FROM sentences GROUP BY doc_id HAVING MAX(idx) + 1 != COUNT(*)").fetchall()
        if gaps:
            problems.append(f"{len(gaps)} documents whose sentences are not numbered 0..n-1")
        return problems
    finally:
        conn.close()


def per_document_counts(db: Path) -> dict[str, tuple[int, ...]]:
    """Rows per document in every per-document table (to compare a store with a reference)."""
    tables = ("lines", "paragraphs", "sentences", "mentions", "entities", "entity_mentions", "quotes", "figures",
              "events", "dates")
    conn = sqlite3.connect(db)
    try:
        out = {}
        for (doc_id,) in conn.execute("SELECT id FROM documents"):
            out[doc_id] = tuple(conn.execute(f"SELECT COUNT(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                                for t in tables)
        return out
    finally:
        conn.close()


def cli_kills(location: str | Path, inputs: Path, times: int, batch: int, rng: random.Random,
              count_documents: Callable[[], int], check: Callable[[str], None]) -> int:
    """SIGKILL real ``dyad ingest`` processes a moment after each stores a document.

    ``count_documents`` reads how many documents the store holds; ``check(label)``
    runs the store's checks after every kill.  Returns the number of kills.
    """
    kills = 0
    for _ in range(times):
        before = count_documents()
        proc = start_dyad("ingest", inputs, "--db", location, "--batch-size", batch)
        deadline = time.monotonic() + 120
        while proc.poll() is None and count_documents() <= before and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 0.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        check(f"CLI kill {kills}")
    return kills
