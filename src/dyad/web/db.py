"""Read-only, time-bounded connections to the store for the web app.

Each request borrows one connection from a small pool, so concurrent requests
never share a connection.  On SQLite every connection is ``query_only`` and each
borrow carries a deadline enforced by a progress handler; on PostgreSQL every
session is ``default_transaction_read_only`` with a ``statement_timeout``.  Either
way a pathological query is aborted instead of tying up a worker.
"""

from __future__ import annotations

import queue
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dyad.store import Store
from dyad.store.beside import Beside
from dyad.store.postgres import PgConnection
from dyad.store.sqlite import is_server_url

# The progress handler runs every this many SQLite virtual-machine steps: often
# enough to stop within a few milliseconds of the deadline, cheap otherwise.
_PROGRESS_STEPS = 2000


class QueryTimeout(Exception):
    """A request's queries ran past the time limit."""


class WebStore(Store):
    """A :class:`Store` over an existing read-only connection (no migrations, no writes)."""

    def __init__(self, conn: sqlite3.Connection | PgConnection, path: str,  # noqa: D107 - no migrations
                 pool: StorePool | None = None, deadline: float | None = None) -> None:
        self.conn = conn
        self.path = path
        self.dialect = getattr(conn, "dialect", "sqlite")
        self._pool = pool
        self._deadline = deadline

    def beside(self) -> Beside:
        """Reads beside this request's, on a second pooled connection when one is idle (under the
        same deadline); when every connection is busy they run on this one, in turn."""
        conn = self._pool.borrow_idle(self._deadline) if self._pool is not None and self._deadline else None
        if conn is None:
            return Beside(self, None)
        side = WebStore(conn, self.path)
        return Beside(self, lambda: side, release=lambda: self._pool.give_back(conn))

    def close(self) -> None:
        """Connections belong to the pool; closing a borrowed store does nothing."""


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn


def _connect_server(url: str, timeout_ms: int) -> PgConnection:
    try:
        conn = PgConnection(url)
    except Exception as exc:  # psycopg.OperationalError: no server, bad credentials
        host = url.rpartition("@")[2]  # never echo a password
        raise ConnectionError(f"cannot reach the store at {host}: {' '.join(str(exc).split())[:200]}") from exc
    conn.execute("SET default_transaction_read_only = on")
    conn.execute(f"SET statement_timeout = {int(timeout_ms)}")
    return conn


class StorePool:
    """A fixed number of read-only connections handed out one request at a time.

    ``location`` is a SQLite file or a ``postgresql://`` URL.
    """

    def __init__(self, location: str | Path, size: int = 4, timeout_ms: int = 2000) -> None:
        self.path = str(location)
        self.server = is_server_url(self.path)
        self.timeout_ms = timeout_ms
        self.timeout_s = timeout_ms / 1000
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._all: list = []
        for _ in range(size):
            conn = self._connect()
            self._all.append(conn)
            self._idle.put(conn)

    def _connect(self):
        return _connect_server(self.path, self.timeout_ms) if self.server else _connect(self.path)

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
            yield WebStore(conn, self.path, self, deadline)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout("the query took too long") from exc
            raise
        except Exception as exc:
            if type(exc).__name__ == "QueryCanceled":  # psycopg: statement_timeout ran out
                raise QueryTimeout("the query took too long") from exc
            raise
        finally:
            self.give_back(conn)

    def borrow_idle(self, deadline: float):
        """An idle connection, without waiting, under a request's ``deadline``; None when all are busy.

        Give it back with :meth:`give_back`.
        """
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            return None
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, _PROGRESS_STEPS)
        return conn

    def give_back(self, conn) -> None:
        """Return a borrowed connection to the pool (a fresh one if the server dropped it)."""
        conn.set_progress_handler(None, 0)
        try:
            if conn.in_transaction:
                conn.rollback()
        except Exception:  # noqa: BLE001 - a broken server connection is replaced below
            pass
        if self.server and conn.raw.broken:
            self._all.remove(conn)
            try:
                conn = self._connect()
            except Exception:  # noqa: BLE001 - server down: the next borrow waits and reports busy
                return
            self._all.append(conn)
        self._idle.put(conn)

    def close(self) -> None:
        """Close every connection (idle ones now; the pool must not be used afterwards)."""
        for conn in self._all:
            conn.close()
