"""Where batches are processed: in this process, in worker processes, or on Dask.

Every executor yields results in the order batches were given, so the store is
written in the same order whatever runs the work (and exports compare equal).
At most ``window`` batches are in flight, so memory stays flat on any corpus size.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from dyad.clean.repetition import LineCounts
from dyad.nlp import load_pipeline
from dyad.process import Job, Outcome, process_batch


class SerialExecutor:
    """Process batches in this process with one loaded pipeline."""

    def __init__(self, version: str, batch_size: int = 32, nlp=None) -> None:
        self.version, self.batch_size, self.nlp = version, batch_size, nlp

    def map(self, batches: Iterable[list[Job]], repeated: LineCounts) -> Iterator[list[Outcome]]:
        nlp = self.nlp or load_pipeline()
        for batch in batches:
            yield process_batch(batch, repeated, nlp, self.version, self.batch_size)

    def close(self) -> None:
        """Nothing to release."""


# Worker-process state, set once per process by _init_worker.
_WORKER: dict = {}


def _init_worker(repeated: LineCounts, version: str, batch_size: int) -> None:
    _WORKER.update(repeated=repeated, version=version, batch_size=batch_size, nlp=load_pipeline())


def _work(batch: list[Job]) -> list[Outcome]:
    w = _WORKER
    return process_batch(batch, w["repeated"], w["nlp"], w["version"], w["batch_size"])


# A worker process is replaced after this many batches: spaCy's vocabulary keeps
# every new word it meets (names, typos, numbers), so a long-lived worker grows with
# the corpus; a fresh one (a model load, about 2 s, every ~3,000 articles) keeps
# memory flat however many articles a run has.
RECYCLE_BATCHES = 100


class ProcessExecutor:
    """A pool of worker processes, each loading the spaCy pipeline once per life
    (:data:`RECYCLE_BATCHES` batches)."""

    def __init__(self, workers: int, version: str, batch_size: int = 32) -> None:
        self.workers, self.version, self.batch_size = workers, version, batch_size
        self.pool: ProcessPoolExecutor | None = None

    def map(self, batches: Iterable[list[Job]], repeated: LineCounts) -> Iterator[list[Outcome]]:
        # spawn, not fork: the parent holds an SQLite connection and progress threads.
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker,
                                        initargs=(repeated, self.version, self.batch_size),
                                        max_tasks_per_child=RECYCLE_BATCHES)
        yield from ordered(lambda b: self.pool.submit(_work, b), batches, window=2 * self.workers)

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool:
            self.pool.shutdown(cancel_futures=True)


def _dask_work(batch: list[Job], repeated: LineCounts, version: str, batch_size: int) -> list[Outcome]:
    # load_pipeline caches per process, so each Dask worker loads the model once.
    return process_batch(batch, repeated, load_pipeline(), version, batch_size)


class DaskExecutor:
    """Batches on a Dask distributed cluster: ``local`` starts a LocalCluster."""

    def __init__(self, address: str, workers: int, version: str, batch_size: int = 32) -> None:
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.version, self.batch_size = version, batch_size
        self.window = 2 * max(1, len(self.client.scheduler_info()["workers"]))

    def map(self, batches: Iterable[list[Job]], repeated: LineCounts) -> Iterator[list[Outcome]]:
        [shared] = self.client.scatter([repeated], broadcast=True)

        def submit(batch: list[Job]) -> Future:
            return self.client.submit(_dask_work, batch, shared, self.version, self.batch_size, pure=False)

        yield from ordered(submit, batches, window=self.window)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this executor started it."""
        self.client.close()
        if self.cluster:
            self.cluster.close()


def ordered(submit: Callable[[list[Job]], Future], batches: Iterable[list[Job]],
            window: int) -> Iterator[list[Outcome]]:
    """Submit batches with at most ``window`` in flight; yield results in input order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
