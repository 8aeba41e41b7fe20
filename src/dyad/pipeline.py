"""The ingest job: files → raw articles → clean articles → parsed → stored.

This is the one place where the stages meet; each stage knows nothing of the
others.  Bad input is recorded and skipped, never fatal (unless ``strict``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

import dyad
from dyad.clean import clean_article
from dyad.clean.repetition import LineCounts
from dyad.errors import IngestError
from dyad.ingest import iter_input_files, read_source
from dyad.ingest.readers import DEFAULT_MAX_BYTES
from dyad.model import CleanArticle, Extractions, ProcessedArticle, RawArticle
from dyad.nlp import load_pipeline
from dyad.nlp.pipeline import annotate, make_doc, parse_many
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


def pipeline_version(nlp: Language) -> str:
    """dyad's version plus the model's name and version: a change reprocesses documents."""
    return f"dyad-{dyad.__version__}/{nlp.meta.get('name')}-{nlp.meta.get('version')}"


class Ingester:
    """Runs ingest jobs against one store with one loaded spaCy pipeline."""

    def __init__(self, store: Store, nlp: Language | None = None, *, batch_size: int = 32,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.store = store
        self.nlp = nlp or load_pipeline()
        self.version = pipeline_version(self.nlp)
        self.batch_size = batch_size
        self.max_bytes = max_bytes

    def ingest(self, paths: Iterable[str | Path], *, strict: bool = False,
               on_file: Callable[[int], None] | None = None) -> IngestReport:
        """Ingest every readable article under ``paths``; see :class:`IngestReport`.

        ``on_file`` is called once with the number of input files, then with 0 after
        each file is done (a progress hook).
        """
        started = time.perf_counter()
        paths = [str(p) for p in paths]
        report = IngestReport(run_id=self.store.start_run(paths))
        items = list(iter_input_files(paths))
        if on_file:
            on_file(len(items))
        repeated = self._line_counts(items)
        try:
            for batch in _batches(self._raw_articles(items, on_file), self.batch_size):
                self._process_batch(batch, repeated, report, strict)
        except _StopRun:
            report.stopped_early = True
        report.seconds = time.perf_counter() - started
        self.store.finish_run(report.run_id, report.counts)
        return report

    # ------------------------------------------------------------------ steps
    def _line_counts(self, items: list[Path | IngestError]) -> LineCounts:
        """Line repetition across this run's plain-text inputs (a boilerplate signal)."""
        counts = LineCounts()
        for item in items:
            if isinstance(item, Path) and item.suffix.lower() != ".html" and item.suffix.lower() != ".htm":
                for raw in read_source(item, self.max_bytes):
                    if isinstance(raw, RawArticle):
                        counts.add(raw.text)
        return counts

    def _raw_articles(self, items: list[Path | IngestError],
                      on_file: Callable[[int], None] | None) -> Iterator[RawArticle | IngestError]:
        for item in items:
            if isinstance(item, IngestError):
                yield item
            else:
                yield from read_source(item, self.max_bytes)
            if on_file:
                on_file(0)

    def _process_batch(self, batch: list[RawArticle | IngestError], repeated: LineCounts,
                       report: IngestReport, strict: bool) -> None:
        todo: list[tuple[RawArticle, str, CleanArticle]] = []
        for item in batch:
            if isinstance(item, IngestError):
                self._fail(item, report, strict)
                continue
            doc_id = document_id(item)
            if self.store.pipeline_version_of(doc_id) == self.version:
                self.store.link_source(item.source, item.stem, doc_id)
                report.counts[UNCHANGED] += 1
                continue
            try:
                todo.append((item, doc_id, clean_article(item, repeated)))
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
                self._fail(IngestError("E010", item.source, why=_describe(exc)), report, strict)
        for (raw, doc_id, clean), result in zip(todo, self._parse([c for _, _, c in todo])):
            if isinstance(result, Exception):
                self._fail(IngestError("E010", raw.source, why=_describe(result)), report, strict)
                continue
            existed = self.store.pipeline_version_of(doc_id) is not None
            self.store.save_article(ProcessedArticle(doc_id, clean, result, self.version), raw.source, raw.stem)
            report.counts[UPDATED if existed else NEW] += 1
            report.words += len(clean.text.split())

    def _parse(self, articles: list[CleanArticle]) -> list[Extractions | Exception]:
        """Parse a batch with ``nlp.pipe``; if the batch fails, parse one by one."""
        try:
            docs = list(parse_many(self.nlp, articles, self.batch_size))
            return [annotate(doc, a) for doc, a in zip(docs, articles)]
        except Exception:  # noqa: BLE001 - isolate the article that breaks the batch
            results: list[Extractions | Exception] = []
            for a in articles:
                try:
                    results.append(annotate(self.nlp(make_doc(self.nlp, a)), a))
                except Exception as exc:  # noqa: BLE001
                    results.append(exc)
            return results

    def _fail(self, error: IngestError, report: IngestReport, strict: bool) -> None:
        self.store.record_error(error.source, error.code, error.reason)
        report.errors.append(error)
        report.counts[FAILED] += 1
        if strict:
            raise _StopRun()


class _StopRun(Exception):
    """Raised inside a strict run at the first failure."""


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
