"""Crash safety on PostgreSQL: kill ingests at random moments; the store stays whole and a re-run finishes it.

The PostgreSQL twin of ``test_crash.py``.  Most kills SIGKILL a forked copy of this
test process running the ingest (the model is loaded once), half at a random
moment and half just as a write transaction has begun writing (its backend holds
a transaction id in ``pg_stat_activity``).  A few more end the ingest from the
server side instead (``pg_terminate_backend`` on its connection mid-write: the
client sees its connection die and exits), and the last kills hit real ``python -m
dyad ingest`` processes.  After every kill: no document is stored without its
lines, sentences and source, or with rows a clean run does not give it; sentences
are numbered 0..n-1 and every one has its ``tsv`` (and the GIN index agrees with
the table).  At the end the re-run's ``dyad export annotations`` is byte-identical
to a clean PostgreSQL run's, and ``dyad export jsonl`` equal apart from run and time
columns and the values (not the order) of sentence and mention ids, which
PostgreSQL draws from sequences that rolled-back transactions also use up.

The last test kills an ingest exactly between two resolve steps: the unfinished
resolve run it leaves behind is redone in full by the next ingest.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.pipeline import Ingester
from dyad.resolve.run import STEPS, resolve_new
from dyad.store import Store, migrations
from tests.paths import CORPUS
from tests.robustness.helpers import cli_kills, RUN_TABLES, VOLATILE, bbc_subset, dyad, link_inputs

N_FILES = 30
BATCH = 4            # small batches: work is committed often, so kills land between and inside writes
FORK_KILLS = 20      # SIGKILLs of forked ingests
SERVER_KILLS = 2     # connections ended by the server mid-write
CLI_KILLS = 2        # SIGKILLs of `python -m dyad ingest`
SEED = 20240517
KILLED_IN_REDATE = 9  # exit status of the child that dies as its resolve reaches redate
# Rows per document in every per-document table (compared with a clean run's).
DOC_TABLES = ("lines", "paragraphs", "sentences", "mentions", "entities", "entity_mentions", "quotes", "figures",
              "events", "dates")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills forked ingests (POSIX only)")


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _migrated(conn) -> bool:
    """Whether every migration is applied; a store killed while migrating must hold no document."""
    if conn.execute("SELECT to_regclass('_migrations')").fetchone()[0] is None:
        return False
    applied = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    if applied == [name for name, _ in migrations.available("postgresql")]:
        return True
    if conn.execute("SELECT to_regclass('documents')").fetchone()[0] is not None:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0, f"documents stored at {applied}"
    return False


def store_problems(url: str) -> list[str]:
    """What is wrong with a PostgreSQL store: half-stored documents, orphans, sentences without tsv."""
    problems = []
    with _connect(url) as conn:
        if not _migrated(conn):
            return []  # killed while migrating (each step is atomic): nothing stored yet
        for doc_id, lines, raw_lines, sents, blank, sources in conn.execute(
            "SELECT d.id, (SELECT COUNT(*) FROM lines l WHERE l.doc_id = d.id), "
            "length(d.raw_text) - length(replace(d.raw_text, chr(10), '')) + 1, "
            "(SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id), btrim(d.clean_text, ' \t\r\n') = '', "
            "(SELECT COUNT(*) FROM sources s WHERE s.doc_id = d.id) FROM documents d ORDER BY d.id"
        ):
            if lines != raw_lines:
                problems.append(f"{doc_id}: {lines} lines stored for {raw_lines} raw lines")
            if not blank and not sents:
                problems.append(f"{doc_id}: no sentences")
            if not sources:
                problems.append(f"{doc_id}: no source")
        gaps = conn.execute("SELECT COUNT(*) FROM (SELECT doc_id FROM sentences GROUP BY doc_id "
                            "HAVING MAX(idx) + 1 != COUNT(*) OR COUNT(DISTINCT idx) != COUNT(*)) g").fetchone()[0]
        if gaps:
            problems.append(f"{gaps} documents whose sentences are not numbered 0..n-1")
        no_tsv = conn.execute("SELECT COUNT(*) FROM sentences WHERE tsv IS NULL "
                              "OR tsv IS DISTINCT FROM to_tsvector('english', text)").fetchone()[0]
        if no_tsv:
            problems.append(f"{no_tsv} sentences without their tsv")
        for table in (*DOC_TABLES, "sources"):
            orphans = conn.execute(f"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS "
                                   "(SELECT 1 FROM documents d WHERE d.id = t.doc_id)").fetchone()[0]
            if orphans:
                problems.append(f"{orphans} {table} rows without their document")
        # The GIN index answers as the table does (an index scan, then a sequential scan).
        words = [r[0] for r in conn.execute("SELECT word FROM ts_stat('SELECT tsv FROM sentences') "
                                            "ORDER BY ndoc DESC, word LIMIT 3")]
        for word in words:
            counts = []
            for seqscan in ("off", "on"):
                conn.execute(f"SET enable_seqscan = {seqscan}")
                conn.execute(f"SET enable_bitmapscan = {'on' if seqscan == 'off' else 'off'}")
                counts.append(conn.execute("SELECT COUNT(*) FROM sentences WHERE tsv @@ to_tsquery('english', %s)",
                                           (word,)).fetchone()[0])
            if counts[0] != counts[1]:
                problems.append(f"the tsv index finds {counts[0]} sentences for {word!r}, the table {counts[1]}")
    return problems


def per_document_counts(url: str) -> dict[str, tuple[int, ...]]:
    """Rows per document in every per-document table."""
    with _connect(url) as conn:
        if not _migrated(conn):
            return {}
        per_table = [dict(conn.execute(f"SELECT doc_id, COUNT(*) FROM {t} GROUP BY doc_id").fetchall())
                     for t in DOC_TABLES]
        return {doc_id: tuple(counts.get(doc_id, 0) for counts in per_table)
                for (doc_id,) in conn.execute("SELECT id FROM documents")}


def _documents(url: str) -> int:
    with _connect(url) as conn:
        if not _migrated(conn):
            return 0
        return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def _check_after_kill(url: str, reference: dict[str, tuple[int, ...]], when: str) -> int:
    assert store_problems(url) == [], when
    stored = per_document_counts(url)
    for doc_id, counts in stored.items():
        assert counts == reference.get(doc_id), f"{when}: document {doc_id} has rows {counts}, " \
                                               f"a clean run gives {reference.get(doc_id)}"
    return len(stored)


def _ingest_in_child(url: str, inputs: Path, nlp) -> int:
    pid = os.fork()
    if pid == 0:  # the child: its own connection; leaves without running any of pytest's cleanup
        code = 1
        try:
            with Store(url) as store:
                code = Ingester(store, nlp, batch_size=BATCH).ingest([inputs]).exit_code
        finally:
            os._exit(code)
    return pid


def _ended(pid: int) -> bool:
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None  # ended (not reaped)


def _writing_backend(monitor, pid: int, timeout: float = 60) -> int | None:
    """The server pid of another session of this database in a transaction that has written, as soon
    as there is one; None when the child ``pid`` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not _ended(pid):
        row = monitor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL LIMIT 1").fetchone()
        if row:
            return row[0]
        time.sleep(0.0005)
    return None


def _wait_for_sessions_to_end(monitor, timeout: float = 30) -> None:
    """Wait until no other session is connected to this database (a killed client's backend
    ends once it notices the closed socket), so the next kill aims at the next ingest."""
    deadline = time.monotonic() + timeout
    while monitor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                          "AND pid <> pg_backend_pid()").fetchone()[0]:
        assert time.monotonic() < deadline, "a killed ingest's session is still open"
        time.sleep(0.01)


def _wait_exit(pid: int, timeout: float = 60) -> int:
    """The exit status of child ``pid``, killing it (and failing) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not _ended(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the ingest went on for {timeout:.0f}s after its connection was ended")
        time.sleep(0.01)
    return os.waitpid(pid, 0)[1]


def _fork_kills(url: str, inputs: Path, nlp, reference, clean_seconds: float, rng: random.Random,
                new_database) -> tuple[str, int, int]:
    """SIGKILL forked ingests FORK_KILLS times, then end SERVER_KILLS of them from the server mid-write.

    A store that completes starts over in a new database.  Returns the database and the two counts.
    """
    kills = server_kills = attempts = 0
    progress = []
    while kills < FORK_KILLS or server_kills < SERVER_KILLS:
        attempts += 1
        assert attempts < 4 * (FORK_KILLS + SERVER_KILLS), "the ingest keeps finishing before the kill"
        from_server = kills >= FORK_KILLS
        pid = _ingest_in_child(url, inputs, nlp)
        with _connect(url) as monitor:
            if attempts % 2 and not from_server:  # anywhere: connecting, migrating, reading, parsing, writing
                time.sleep(rng.uniform(0, clean_seconds / 5))
                backend = None
            else:  # in a write: a transaction of the child's has written rows
                time.sleep(rng.uniform(0, clean_seconds / 10))
                backend = _writing_backend(monitor, pid)
                time.sleep(rng.uniform(0, 0.004))
            done, status = os.waitpid(pid, os.WNOHANG)
            if not done and from_server and backend is not None:
                # Only while that transaction is still open: one that committed in the pause may
                # have been the ingest's last write, and then the ingest rightly succeeds.
                ended = monitor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE pid = %s AND backend_xid IS NOT NULL", (backend,)).fetchone()
                status = _wait_exit(pid)  # the child sees its connection die and exits
                if ended and ended[0]:
                    assert os.waitstatus_to_exitcode(status) != 0, "an ingest whose connection died reported success"
                    server_kills += 1
                done = 0 if ended and ended[0] else pid
            elif not done:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                kills += 1
            _wait_for_sessions_to_end(monitor)
        stored = _check_after_kill(url, reference, f"kill {kills}+{server_kills}")
        progress.append(stored if not done else f"{stored}(done)")
        if done and stored == len(reference):  # finished before the kill: begin again from nothing
            url = new_database()
    print(f"\ndocuments stored after each forked ingest: {progress}")
    return url, kills, server_kills


def exports(url: str, out: Path) -> tuple[dict[str, bytes], list[dict]]:
    """``dyad export annotations`` (file name → bytes) and ``dyad export jsonl`` rows, volatile columns left out."""
    ann, jsonl = out / "annotations", out / "all.jsonl"
    for args in (("annotations", ann), ("jsonl", jsonl)):
        done = CliRunner().invoke(app, ["export", args[0], str(args[1]), "--db", url])
        assert done.exit_code == 0, done.output
    files = {p.name: p.read_bytes() for p in sorted(ann.glob("*.json"))}
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    rows = [{k: v for k, v in r.items() if k not in VOLATILE} for r in rows if r["table"] not in RUN_TABLES]
    return files, rows


@pytest.mark.slow
def test_kills_at_random_moments_never_damage_a_postgresql_store(tmp_path, nlp, pg_server):
    rng = random.Random(SEED)
    inputs = link_inputs(bbc_subset(N_FILES), tmp_path / "in")
    clean_url, url = pg_server.new_database(), pg_server.new_database()
    started = time.monotonic()
    with Store(clean_url) as store:
        assert Ingester(store, nlp, batch_size=BATCH).ingest([inputs]).exit_code == 0
        clean_seconds = time.monotonic() - started
        resolve_new(store)  # what `dyad ingest` does after a run that stored documents
    reference = per_document_counts(clean_url)
    assert len(reference) == N_FILES and store_problems(clean_url) == []

    url, kills, server_kills = _fork_kills(url, inputs, nlp, reference, clean_seconds, rng, pg_server.new_database)
    # Leave the real processes work to be killed in, and the re-run new documents to resolve.
    if _documents(url) > N_FILES // 3:
        url = pg_server.new_database()
    kills += cli_kills(url, inputs, CLI_KILLS, BATCH, rng, lambda: _documents(url),
                       lambda label: _check_after_kill(url, reference, label))

    rerun = dyad("ingest", inputs, "--db", url, "--batch-size", BATCH)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _check_after_kill(url, reference, "after the re-run") == N_FILES
    print(f"\n{kills} SIGKILLs and {server_kills} server-side disconnections survived; clean run "
          f"{clean_seconds:.1f}s, whole test {time.monotonic() - started:.1f}s")
    assert kills >= FORK_KILLS + 1 and server_kills == SERVER_KILLS
    killed, clean = exports(url, tmp_path / "killed-out"), exports(clean_url, tmp_path / "clean-out")
    assert killed[0] == clean[0]
    # Identity values are not transactional in PostgreSQL: an insert rolled back by a kill uses
    # up sentence and mention ids, so the re-run's ids have gaps.  They must still number the
    # rows in the same order (nothing else refers to them; ask reads them in id order).
    assert _without_identities(killed[1]) == _without_identities(clean[1])
    assert _identity_order(killed[1]) == _identity_order(clean[1])


# Tables whose rows carry a database-generated id (an identity column on PostgreSQL).
IDENTITY_TABLES = ("sentences", "mentions")


def _without_identities(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if not (k == "id" and r["table"] in IDENTITY_TABLES)} for r in rows]


def _identity_order(rows: list[dict]) -> dict[str, list[int]]:
    """For each identity table, the export positions of its rows sorted by id."""
    order = {}
    for table in IDENTITY_TABLES:
        ids = [r["id"] for r in rows if r["table"] == table]
        assert len(set(ids)) == len(ids), f"{table}: ids repeat"
        order[table] = sorted(range(len(ids)), key=ids.__getitem__)
    return order


def test_a_resolve_killed_after_its_stories_step_is_finished_by_the_rerun(tmp_path, nlp, pg_server):
    """Deterministic: an ingest dies the moment its resolve reaches the step after stories (redate).

    BBC articles carry no dates, so the random kills above cannot see this; the sample
    corpus has dated articles whose stories refine publication dates.
    """
    clean_url, url = pg_server.new_database(), pg_server.new_database()
    with Store(clean_url) as store:
        assert Ingester(store, nlp).ingest([CORPUS]).exit_code == 0
        resolve_new(store)
    pid = os.fork()
    if pid == 0:  # the child: ingest, resolve, and die as the redate step begins
        try:
            names = [name for name, _ in STEPS]
            STEPS[names.index("redate")] = ("redate", lambda store: os._exit(KILLED_IN_REDATE))
            with Store(url) as store:
                Ingester(store, nlp).ingest([CORPUS])
                resolve_new(store)
        finally:
            os._exit(1)
    assert os.waitstatus_to_exitcode(_wait_exit(pid, timeout=120)) == KILLED_IN_REDATE
    rerun = dyad("ingest", CORPUS, "--db", url)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    killed, clean = exports(url, tmp_path / "killed-out"), exports(clean_url, tmp_path / "clean-out")
    assert _without_identities(killed[1]) == _without_identities(clean[1])
    assert killed[0] == clean[0]

