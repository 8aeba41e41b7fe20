"""The ingest job: files → raw articles → clean articles → parsed → stored.

This is the one place where the stages meet; each stage knows nothing of the
others.  Bad input is recorded and skipped, never fatal (unless ``strict``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

import dyad
from dyad.clean.repetition import LineCounts
from dyad.errors import IngestError
from dyad.executors import DaskExecutor, ProcessExecutor, SerialExecutor
from dyad.ingest import iter_input_files, read_source
from dyad.ingest.fetch import Fetcher
from dyad.ingest.readers import DEFAULT_MAX_BYTES, NotModified
from dyad.model import RawArticle
from dyad.nlp.pipeline import disabled_components, model_name
from dyad.process import Job, Outcome
from dyad.store import Store

NEW, UPDATED, UNCHANGED, FAILED = "new", "updated", "unchanged", "failed"


@dataclass
class IngestReport:
    """What an ingest run did, for the CLI summary and the exit status."""

    run_id: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {NEW: 0, UPDATED: 0, UNCHANGED: 0, FAILED: 0})
    errors: list[IngestError] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    stopped_early: bool = False

    @property
    def succeeded(self) -> int:
        return self.counts[NEW] + self.counts[UPDATED] + self.counts[UNCHANGED]

    @property
    def exit_code(self) -> int:
        """0 when everything succeeded, 3 when some inputs failed, 1 when none succeeded."""
        if self.succeeded == 0:
            return 1
        return 3 if self.counts[FAILED] else 0


def document_id(raw: RawArticle) -> str:
    """Content hash of an article: its text and the metadata its source gave."""
    payload = raw.text + "\x00" + json.dumps(raw.meta, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def pipeline_version(disabled: tuple[str, ...] = ()) -> str:
    """dyad's version, the model's name and version, and any disabled components.

    A stored document processed under another version is processed again.
    """
    name = model_name()
    version = f"dyad-{dyad.__version__}/{name}-{importlib.metadata.version(name)}"
    return version + (f"/without-{'+'.join(disabled)}" if disabled else "")


class Ingester:
    """Runs ingest jobs against one store.

    ``workers`` > 1 parses in that many worker processes; ``dask`` (``"local"`` or a
    scheduler address) parses on a Dask cluster instead.  Only this process writes
    to the store, in input order, so every mode gives the same store.
    """

    def __init__(self, store: Store, nlp: Language | None = None, *, batch_size: int = 32,
                 max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1, dask: str | None = None,
                 fetch_interval: float = 1.0) -> None:
        self.store = store
        self.nlp = nlp
        self.version = pipeline_version(disabled_components())
        self.batch_size = batch_size
        self.max_bytes = max_bytes
        self.workers = max(1, workers)
        self.dask = dask
        self.fetch_interval = fetch_interval

    def ingest(self, paths: Iterable[str | Path], *, strict: bool = False,
               on_file: Callable[[int], None] | None = None) -> IngestReport:
        """Ingest every readable article under ``paths``; see :class:`IngestReport`.

        ``on_file`` is called once with the number of input files, then with 0 after
        each file is read (a progress hook).
        """
        started = time.perf_counter()
        paths = [str(p) for p in paths]
        report = IngestReport(run_id=self.store.start_run(paths))
        items = list(iter_input_files(paths))
        if on_file:
            on_file(len(items))
        repeated = self._line_counts(items)
        executor = self._executor()
        self.fetcher = Fetcher(self.store, min_interval=self.fetch_interval, max_bytes=self.max_bytes)
        waiting: dict[str, list[tuple[str, str]]] = {}  # doc id -> sources sharing its content
        try:
            jobs = self._jobs(self._raw_articles(items, on_file), report, strict, waiting)
            for outcomes in executor.map(_batches(jobs, self.batch_size), repeated):
                for outcome in outcomes:
                    self._store_outcome(outcome, report, strict, waiting)
        except _StopRun:
            report.stopped_early = True
        finally:
            executor.close()
            self.fetcher.close()
        report.seconds = time.perf_counter() - started
        self.store.finish_run(report.run_id, report.counts)
        return report

    # ------------------------------------------------------------------ steps
    def _executor(self):
        if self.dask:
            return DaskExecutor(self.dask, self.workers, self.version, self.batch_size)
        if self.workers > 1:
            return ProcessExecutor(self.workers, self.version, self.batch_size)
        return SerialExecutor(self.version, self.batch_size, self.nlp)

    def _line_counts(self, items: list[Path | str | IngestError]) -> LineCounts:
        """Line repetition across this run's plain-text inputs (a boilerplate signal).

        HTML is left out (trafilatura already drops page chrome) and so is anything
        that would be fetched or is large (URLs, feeds, WARCs).
        """
        counts = LineCounts()
        for item in items:
            if isinstance(item, Path) and item.suffix.lower() in (".txt", ".text", ".jsonl"):
                for raw in read_source(item, self.max_bytes):
                    if isinstance(raw, RawArticle):
                        counts.add(raw.text)
        return counts.compact()

    def _raw_articles(self, items: list[Path | str | IngestError],
                      on_file: Callable[[int], None] | None) -> Iterator[RawArticle | IngestError | NotModified]:
        for item in items:
            if isinstance(item, IngestError):
                yield item
            else:
                yield from read_source(item, self.max_bytes, self.fetcher)
            if on_file:
                on_file(0)

    def _jobs(self, articles: Iterable[RawArticle | IngestError | NotModified], report: IngestReport, strict: bool,
              waiting: dict[str, list[tuple[str, str]]]) -> Iterator[Job]:
        """The articles that need processing; failures and unchanged ones are settled here."""
        for item in articles:
            if isinstance(item, IngestError):
                self._fail(item, report, strict)
                continue
            if isinstance(item, NotModified):  # a fetched page the server says is unchanged
                report.counts[UNCHANGED] += 1
                continue
            doc_id = document_id(item)
            if doc_id in waiting:  # same content as an article already on its way in this run
                waiting[doc_id].append((item.source, item.stem))
                report.counts[UNCHANGED] += 1
            elif self.store.pipeline_version_of(doc_id) == self.version:
                self.store.link_source(item.source, item.stem, doc_id)
                report.counts[UNCHANGED] += 1
            else:
                waiting[doc_id] = []
                yield item, doc_id

    def _store_outcome(self, outcome: Outcome, report: IngestReport, strict: bool,
                       waiting: dict[str, list[tuple[str, str]]]) -> None:
        if isinstance(outcome, IngestError):
            self._fail(outcome, report, strict)
            return
        raw = outcome.clean.raw
        existed = self.store.pipeline_version_of(outcome.doc_id) is not None
        written = self.store.save_article(outcome, raw.source, raw.stem)
        for source, stem in waiting.pop(outcome.doc_id, []):
            self.store.link_source(source, stem, outcome.doc_id)
        # Not written: another writer stored this very document meanwhile.
        report.counts[(UPDATED if existed else NEW) if written else UNCHANGED] += 1
        report.words += len(outcome.clean.text.split())

    def _fail(self, error: IngestError, report: IngestReport, strict: bool) -> None:
        self.store.record_error(error.source, error.code, error.reason)
        report.errors.append(error)
        report.counts[FAILED] += 1
        if strict:
            raise _StopRun()


class _StopRun(Exception):
    """Raised inside a strict run at the first failure."""


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
