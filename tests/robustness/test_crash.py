"""Crash safety: SIGKILL an ingest at random moments; the store stays whole and a re-run finishes it.

Most kills hit a forked copy of this test process running the ingest (the model
is loaded once, so a kill costs a fraction of a second); the last ones hit real
``python -m dyad ingest`` processes, which then run again to completion.  After
every kill the store must pass ``PRAGMA integrity_check`` and the FTS5 check,
and every stored document must have exactly the rows a clean run gives it.  At
the end both exports must equal a clean run's.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from dyad.pipeline import Ingester
from dyad.resolve.run import resolve_new
from dyad.store import Store
from tests.robustness.helpers import cli_kills, bbc_subset, dyad, exports, link_inputs, per_document_counts, \
    store_problems

N_FILES = 30
BATCH = 4           # small batches: work is committed often, so kills land between and inside writes
FORK_KILLS = 20
CLI_KILLS = 2
SEED = 20240516

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills forked ingests (POSIX only)")


def _check_after_kill(db: Path, reference: dict[str, tuple[int, ...]], when: str) -> int:
    assert store_problems(db) == [], when
    stored = per_document_counts(db)
    for doc_id, counts in stored.items():
        assert counts == reference.get(doc_id), f"{when}: document {doc_id} has rows {counts}, " \
                                               f"a clean run gives {reference.get(doc_id)}"
    return len(stored)


def _ingest_in_child(db: Path, inputs: Path, nlp) -> int:
    pid = os.fork()
    if pid == 0:  # the child: ingest, then leave without running any of pytest's cleanup
        code = 1
        try:
            with Store(db) as store:
                code = Ingester(store, nlp, batch_size=BATCH).ingest([inputs]).exit_code
        finally:
            os._exit(code)
    return pid


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # no tables yet
        return 0
    finally:
        conn.close()


def _wait_for_a_write(db: Path, pid: int, timeout: float = 60) -> None:
    """Return as soon as the WAL grows (a transaction is committing), or the child ends."""
    wal = Path(f"{db}-wal")

    def size() -> int:
        return wal.stat().st_size if wal.exists() else 0

    start, deadline = size(), time.monotonic() + timeout
    while size() == start and time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:  # ended (not reaped)
            return
        time.sleep(0.0005)


def _fork_kills(db: Path, inputs: Path, nlp, reference, clean_seconds: float, rng: random.Random) -> int:
    """Kill forked ingests until FORK_KILLS kills, half at a random delay and half just as the WAL grows
    (while a batch is being written); a store that completes starts over."""
    kills = attempts = 0
    progress = []
    while kills < FORK_KILLS:
        attempts += 1
        assert attempts < 4 * FORK_KILLS, "the ingest keeps finishing before the kill"
        pid = _ingest_in_child(db, inputs, nlp)
        if attempts % 2:  # anywhere: starting, reading, parsing or writing
            time.sleep(rng.uniform(0, clean_seconds / 5))
        else:  # in the write phase: the WAL just grew, more of the batch is being written
            time.sleep(rng.uniform(0, clean_seconds / 10))
            _wait_for_a_write(db, pid)
            time.sleep(rng.uniform(0, 0.004))
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            kills += 1
        stored = _check_after_kill(db, reference, f"kill {kills}")
        progress.append(stored if not done else f"{stored}(done)")
        if done and stored == len(reference):  # finished before the kill: begin again from nothing
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"\ndocuments stored after each forked ingest: {progress}")
    return kills


@pytest.mark.slow
def test_sigkill_at_random_moments_never_damages_the_store(tmp_path, nlp):
    rng = random.Random(SEED)
    inputs = link_inputs(bbc_subset(N_FILES), tmp_path / "in")
    clean_db, db = tmp_path / "clean.db", tmp_path / "killed.db"
    started = time.monotonic()
    with Store(clean_db) as store:
        assert Ingester(store, nlp, batch_size=BATCH).ingest([inputs]).exit_code == 0
        clean_seconds = time.monotonic() - started
        resolve_new(store)  # what `dyad ingest` does after a run that stored documents
    reference = per_document_counts(clean_db)
    assert len(reference) == N_FILES

    kills = _fork_kills(db, inputs, nlp, reference, clean_seconds, rng)
    # Leave the real processes work to be killed in, and the re-run new documents (see
    # test_a_run_killed_before_resolving_is_resolved_by_the_rerun for why that matters).
    if _documents(db) > N_FILES // 3:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    kills += cli_kills(db, inputs, CLI_KILLS, BATCH, rng, lambda: _documents(db),
                       lambda label: _check_after_kill(db, reference, label))

    rerun = dyad("ingest", inputs, "--db", db, "--batch-size", BATCH)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _check_after_kill(db, reference, "after the re-run") == N_FILES
    print(f"\n{kills} SIGKILLs survived; clean run {clean_seconds:.1f}s, "
          f"whole test {time.monotonic() - started:.1f}s")
    assert kills >= FORK_KILLS + 1
    assert exports(db, tmp_path / "killed-out") == exports(clean_db, tmp_path / "clean-out")


def test_a_run_killed_before_resolving_is_resolved_by_the_rerun(tmp_path, nlp):
    inputs = link_inputs(bbc_subset(8), tmp_path / "in")
    clean_db, db = tmp_path / "clean.db", tmp_path / "killed.db"
    assert dyad("ingest", inputs, "--db", clean_db).returncode == 0
    with Store(db) as store:  # every document stored, then killed before resolving: no resolve here
        assert Ingester(store, nlp).ingest([inputs]).exit_code == 0
    rerun = dyad("ingest", inputs, "--db", db)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert exports(db, tmp_path / "killed-out") == exports(clean_db, tmp_path / "clean-out")
