"""Ingest throughput against bare spaCy, measured in one run on the same texts.

    python benchmarks/throughput.py --corpus ../shared/bulk/bbc [--limit N]

Prints words/s and articles/s of (a) bare ``nlp.pipe`` with the same English model
(its own components only) over the raw texts and (b) the full ``dyad ingest``
(read, clean, parse with every dyad component, store in a fresh SQLite file), and
the ratio b/a.  Timings on a shared machine are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import spacy

from dyad.ingest import iter_input_files, read_source
from dyad.model import RawArticle
from dyad.nlp.pipeline import load_pipeline, model_name
from dyad.pipeline import Ingester
from dyad.store import Store


def raw_texts(files: list[Path]) -> list[str]:
    """Decoded texts of the readable inputs."""
    return [a.text for f in files for a in read_source(f) if isinstance(a, RawArticle)]


def bare_spacy(texts: list[str], batch_size: int) -> float:
    """Seconds for bare spaCy to parse every text."""
    nlp = spacy.load(model_name())
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - started


def full_ingest(files: list[Path], batch_size: int) -> tuple[float, dict]:
    """Seconds and counts of a full ingest into a fresh store."""
    nlp = load_pipeline()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        report = Ingester(store, nlp, batch_size=batch_size).ingest(files)
        return time.perf_counter() - started, report.counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/bulk/bbc"))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N files")
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    files = [f for f in iter_input_files([args.corpus]) if isinstance(f, Path)]
    files = files[: args.limit] if args.limit else files
    texts = raw_texts(files)
    words = sum(len(t.split()) for t in texts)
    bare = bare_spacy(texts, args.batch_size)
    full, counts = full_ingest(files, args.batch_size)
    print(f"corpus: {args.corpus}  files: {len(files)}  articles: {len(texts)}  words: {words:,}")
    print(f"{'run':<28}{'seconds':>10}{'words/s':>12}{'articles/s':>12}")
    for name, secs in (("(a) bare spaCy nlp.pipe", bare), ("(b) dyad ingest (1 process)", full)):
        print(f"{name:<28}{secs:>10.1f}{words / secs:>12,.0f}{len(texts) / secs:>12.1f}")
    print(f"ratio b/a (throughput): {bare / full:.2f}")
    print(f"ingest counts: {counts}")


if __name__ == "__main__":
    main()
