"""Clean and parse articles: the CPU-bound part of ingest, free of any store.

Everything here is a pure function of its inputs, so it runs the same in the main
process, in a pool of worker processes, or on a Dask cluster.
"""

from __future__ import annotations

from spacy.language import Language

from dyad.clean import clean_article
from dyad.clean.repetition import LineCounts
from dyad.errors import IngestError
from dyad.model import CleanArticle, Extractions, ProcessedArticle, RawArticle
from dyad.nlp.pipeline import annotate, make_doc, parse_many

# One unit of work: an article and its content hash.
Job = tuple[RawArticle, str]
Outcome = ProcessedArticle | IngestError


def process_batch(jobs: list[Job], repeated: LineCounts, nlp: Language, version: str,
                  batch_size: int = 32) -> list[Outcome]:
    """Clean and parse a batch; one outcome per job, in order.

    A failure in one article becomes an :class:`IngestError` for it alone.
    """
    outcomes: list[Outcome | None] = [None] * len(jobs)
    cleaned: list[tuple[int, CleanArticle]] = []
    for i, (raw, _) in enumerate(jobs):
        try:
            cleaned.append((i, clean_article(raw, repeated)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            outcomes[i] = IngestError("E010", raw.source, why=describe(exc))
    parsed = _parse(nlp, [c for _, c in cleaned], batch_size)
    for (i, clean), result in zip(cleaned, parsed):
        raw, doc_id = jobs[i]
        if isinstance(result, Exception):
            outcomes[i] = IngestError("E010", raw.source, why=describe(result))
        else:
            outcomes[i] = ProcessedArticle(doc_id, clean, result, version)
    return outcomes  # type: ignore[return-value]


def _parse(nlp: Language, articles: list[CleanArticle], batch_size: int) -> list[Extractions | Exception]:
    """Parse with ``nlp.pipe``; if the batch fails, parse one by one to isolate the culprit."""
    try:
        docs = list(parse_many(nlp, articles, batch_size))
        return [annotate(doc, a) for doc, a in zip(docs, articles)]
    except Exception:  # noqa: BLE001
        results: list[Extractions | Exception] = []
        for a in articles:
            try:
                results.append(annotate(nlp(make_doc(nlp, a)), a))
            except Exception as exc:  # noqa: BLE001
                results.append(exc)
        return results


def describe(exc: BaseException) -> str:
    """A one-line description of an exception for an error record."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
