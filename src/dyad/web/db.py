"""Read-only, time-bounded connections to the store for the web app.

Each request borrows one connection from a small pool, so concurrent requests
never share a connection; every connection is ``query_only`` and each borrow
carries a deadline enforced by a progress handler, so a pathological query is
aborted instead of tying up a worker.
"""

from __future__ import annotations

import queue
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dyad.store import Store

# The progress handler runs every this many SQLite virtual-machine steps: often
# enough to stop within a few milliseconds of the deadline, cheap otherwise.
_PROGRESS_STEPS = 2000


class QueryTimeout(Exception):
    """A request's queries ran past the time limit."""


class WebStore(Store):
    """A :class:`Store` over an existing read-only connection (no migrations, no writes)."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:  # noqa: D107 - no super(): no migrations
        self.conn = conn
        self.path = path

    def close(self) -> None:
        """Connections belong to the pool; closing a borrowed store does nothing."""


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn


class StorePool:
    """A fixed number of read-only connections handed out one request at a time."""

    def __init__(self, path: str | Path, size: int = 4, timeout_ms: int = 2000) -> None:
        self.path = str(path)
        self.timeout_s = timeout_ms / 1000
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = []
        for _ in range(size):
            conn = _connect(self.path)
            self._all.append(conn)
            self._idle.put(conn)

    @contextmanager
    def borrow(self) -> Iterator[WebStore]:
        """A store whose queries fail with :class:`QueryTimeout` after the time limit."""
        try:
            conn = self._idle.get(timeout=self.timeout_s * 5)
        except queue.Empty as exc:
            raise QueryTimeout("every database connection is busy") from exc
        deadline = time.monotonic() + self.timeout_s
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, _PROGRESS_STEPS)
        try:
            yield WebStore(conn, self.path)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout("the query took too long") from exc
            raise
        finally:
            conn.set_progress_handler(None, 0)
            if conn.in_transaction:
                conn.rollback()
            self._idle.put(conn)

    def close(self) -> None:
        """Close every connection (idle ones now; the pool must not be used afterwards)."""
        for conn in self._all:
            conn.close()
