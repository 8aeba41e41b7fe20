"""Clean and parse articles: the CPU-bound part of ingest, free of any store.

Everything here is a pure function of its inputs, so it runs the same in the main
process, in a pool of worker processes, or on a Dask cluster.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from spacy.language import Language
from spacy.tokens import Doc

from dyad.clean import clean_article
from dyad.clean.repetition import LineCounts
from dyad.errors import IngestError
from dyad.model import CleanArticle, Extractions, ProcessedArticle, RawArticle
from dyad.nlp.pipeline import annotate, make_doc

# One unit of work: an article and its content hash.
Job = tuple[RawArticle, str]
Outcome = ProcessedArticle | IngestError

# Bounds on one article, so that no input can take unbounded time or memory.  spaCy's
# own components are linear in the text (the cleaner drops the lines that would make
# its tokenizer quadratic: long runs of symbols), so a length limit bounds them;
# dyad's extractor components run per article under a wall-clock limit, because
# some inputs (thousands of quote marks in one sentence) make them superlinear.
MAX_CHARS = 200_000     # raw article text; the longest BBC story has 25,000
MAX_SECONDS = 120.0     # extractor components on one article; 0 disables the limit


def process_batch(jobs: list[Job], repeated: LineCounts, nlp: Language, version: str,
                  batch_size: int = 32, *, max_chars: int | None = None,
                  max_seconds: float | None = None) -> list[Outcome]:
    """Clean and parse a batch; one outcome per job, in order.

    A failure in one article becomes an :class:`IngestError` for it alone: E016
    when its text is longer than ``max_chars``, E017 when dyad's extractors take
    longer than ``max_seconds`` on it, E010 for any other exception.  The limits
    default to :data:`MAX_CHARS` and :data:`MAX_SECONDS`.
    """
    max_chars = MAX_CHARS if max_chars is None else max_chars
    max_seconds = MAX_SECONDS if max_seconds is None else max_seconds
    outcomes: list[Outcome | None] = [None] * len(jobs)
    cleaned: list[tuple[int, CleanArticle]] = []
    for i, (raw, _) in enumerate(jobs):
        if len(raw.text) > max_chars:
            outcomes[i] = IngestError("E016", raw.source, size=len(raw.text), limit=max_chars)
            continue
        try:
            cleaned.append((i, clean_article(raw, repeated)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            outcomes[i] = IngestError("E010", raw.source, why=describe(exc))
    parsed = _parse(nlp, [c for _, c in cleaned], batch_size, max_seconds)
    for (i, clean), result in zip(cleaned, parsed):
        raw, doc_id = jobs[i]
        if isinstance(result, ProcessingTimeout):
            outcomes[i] = IngestError("E017", raw.source, limit=max_seconds, stage=result.stage)
        elif isinstance(result, BaseException):
            outcomes[i] = IngestError("E010", raw.source, why=describe(result))
        else:
            outcomes[i] = ProcessedArticle(doc_id, clean, result, version)
    return outcomes  # type: ignore[return-value]


def _parse(nlp: Language, articles: list[CleanArticle], batch_size: int,
           max_seconds: float) -> list[Extractions | BaseException]:
    """spaCy's components over the batch with ``nlp.pipe``, then dyad's per article.

    If the batch fails, it is parsed one by one to isolate the culprit.  dyad's
    extractors run one article at a time under the ``max_seconds`` limit.
    """
    extractors = extractor_names(nlp)
    docs: list[Doc | BaseException]
    try:
        docs = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=batch_size, disable=extractors))
    except Exception:  # noqa: BLE001
        docs = []
        for a in articles:
            try:
                docs.append(nlp(make_doc(nlp, a), disable=extractors))
            except Exception as exc:  # noqa: BLE001
                docs.append(exc)
    return [d if isinstance(d, BaseException) else _extract(nlp, d, a, extractors, max_seconds)
            for d, a in zip(docs, articles)]


def _extract(nlp: Language, doc: Doc, article: CleanArticle, extractors: list[str],
             max_seconds: float) -> Extractions | BaseException:
    stage = "annotate"
    try:
        with time_limit(max_seconds):
            for stage in extractors:
                doc = nlp.get_pipe(stage)(doc)
            stage = "annotate"
            return annotate(doc, article)
    except ProcessingTimeout as exc:
        exc.stage = stage
        return exc
    except Exception as exc:  # noqa: BLE001
        return exc


def extractor_names(nlp: Language) -> list[str]:
    """dyad's components that run after the last of the model's own (the extractors)."""
    names = nlp.pipe_names
    last_model = max((i for i, n in enumerate(names) if not n.startswith("dyad_")), default=-1)
    return names[last_model + 1:]


class ProcessingTimeout(BaseException):
    """The time limit ran out.  A BaseException, so a component's ``except Exception``
    cannot swallow it."""

    stage = ""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ProcessingTimeout` in the block after ``seconds`` of wall-clock time.

    Uses SIGALRM, so it only works in a main thread on POSIX (the CLI, worker
    processes); elsewhere (a web server's threads, Dask's) the block runs unbounded.
    An outer timer (another ``time_limit``) is restored, less the time spent.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise ProcessingTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            armed = False  # an alarm that fired just before disarming is ignored from here on
    finally:
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def describe(exc: BaseException) -> str:
    """A one-line description of an exception for an error record."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
