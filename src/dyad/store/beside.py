"""Reads run beside the caller's: a second connection to the same database, in another thread.

A question's retrieval makes several reads that do not depend on one another (two
full-text queries, the candidates' rows and their annotations).  PostgreSQL runs
each in a server process of its own and SQLite releases the GIL while it steps a
statement, so two of them on two connections take the time of the longer one, not
of both.  :class:`Beside` hands a read to a worker thread with a connection of its
own, or, when no second connection can be had (an in-memory database, an open
write transaction, a web pool whose connections are all busy), runs it at once on
the caller's store: the results are the same either way.

    with store.beside() as beside:
        later = beside.submit(lambda s: s.ask_annotations(ids))
        rows = store.ask_sentences(ids)
        notes = later()
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from dyad.store.sqlite import Store

T = TypeVar("T")

# Each read borrows one worker for a few milliseconds; a caller waits for its own reads
# only, so a busy executor delays them and never deadlocks (workers run no reads beside).
_EXECUTOR = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dyad-beside")


class Later(Generic[T]):
    """The result of one read handed to :meth:`Beside.submit`: call it to wait for the value."""

    def __init__(self, future: Future | None = None, value: T | None = None) -> None:
        self._future = future
        self._value = value

    def __call__(self) -> T:
        """The read's result (its exception, raised here, when it failed)."""
        return self._future.result() if self._future is not None else self._value  # type: ignore[return-value]

    def wait(self) -> None:
        """Wait for the read to finish, ignoring its outcome."""
        if self._future is not None:
            self._future.exception()


class Beside:
    """Reads handed to another thread, on the store that ``side()`` gives (over a second connection;
    called in that thread, so a connection opened on first use is opened beside the caller's work),
    or run at once on ``main`` when ``side`` is None.  ``release`` is called once the reads are done."""

    def __init__(self, main: Store, side: Callable[[], Store] | None,
                 release: Callable[[], None] | None = None) -> None:
        self.main = main
        self._side = side
        self._release = release
        self._pending: list[Later] = []
        self._lock = threading.Lock()

    @property
    def parallel(self) -> bool:
        """Whether reads run in another thread (a second connection was available)."""
        return self._side is not None

    def submit(self, read: Callable[[Store], T]) -> Later[T]:
        """Start ``read(store)``; the returned :class:`Later` gives its result.

        Only one read runs on the side connection at a time: a second submitted before
        the first has finished waits for it (a connection is never used by two threads
        at once; the lock is only ever held by a running read, so this cannot deadlock).
        """
        if self._side is None:
            return Later(value=read(self.main))
        side, lock = self._side, self._lock

        def run() -> T:
            with lock:
                return read(side())

        later: Later[T] = Later(_EXECUTOR.submit(run))
        self._pending.append(later)
        return later

    def close(self) -> None:
        """Wait until no read runs on the side connection (it may then go back to its owner)."""
        for later in self._pending:
            later.wait()
        self._pending.clear()
        if self._release is not None:
            self._release()
            self._release = None
        self._side = None

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
