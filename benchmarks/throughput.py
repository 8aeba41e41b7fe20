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


class Clock:
    """Wall and CPU seconds of a block (CPU time of this process: robust to a busy machine)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def bare_spacy(texts: list[str], batch_size: int, processes: int = 1) -> Clock:
    """Time for bare spaCy to parse every text (with ``processes`` worker processes)."""
    nlp = spacy.load(model_name())
    with Clock() as clock:
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
            pass
    return clock


def full_ingest(files: list[Path], batch_size: int, **options) -> tuple[Clock, dict]:
    """Time and counts of a full ingest into a fresh store (options: workers, dask)."""
    nlp = load_pipeline() if not options else None
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        with Clock() as clock:
            report = Ingester(store, nlp, batch_size=batch_size, **options).ingest(files)
        return clock, report.counts


def row(name: str, clock: Clock, words: int, articles: int, cpu: bool = True) -> str:
    """One printed line of the table (CPU columns only where all work is in this process)."""
    line = f"{name:<34}{clock.wall:>9.1f}{words / clock.wall:>11,.0f}{articles / clock.wall:>9.1f}"
    if cpu:
        line += f"{clock.cpu:>9.1f}{words / clock.cpu:>13,.0f}"
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/bulk/bbc"))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N files")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=0, help="also measure N worker processes")
    ap.add_argument("--dask", action="store_true", help="also measure a local Dask cluster, 1 and 2 workers")
    args = ap.parse_args()
    files = [f for f in iter_input_files([args.corpus]) if isinstance(f, Path)]
    files = files[: args.limit] if args.limit else files
    texts = raw_texts(files)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {args.corpus}  files: {len(files)}  articles: {len(texts)}  words: {words:,}")
    print(f"{'run':<34}{'wall s':>9}{'words/s':>11}{'art/s':>9}{'CPU s':>9}{'words/CPU s':>13}")
    bare = bare_spacy(texts, args.batch_size)
    print(row("(a) bare spaCy nlp.pipe", bare, words, len(texts)), flush=True)
    full, counts = full_ingest(files, args.batch_size)
    print(row("(b) dyad ingest, 1 process", full, words, len(texts)), flush=True)
    print(f"ratio b/a (throughput), 1 process: wall {bare.wall / full.wall:.2f}, CPU {bare.cpu / full.cpu:.2f}"
          f"   ingest counts: {counts}", flush=True)
    if args.workers > 1:
        n = args.workers
        bare_n = bare_spacy(texts, args.batch_size, processes=n)
        print(row(f"(a) bare spaCy, {n} processes", bare_n, words, len(texts), cpu=False), flush=True)
        full_n, _ = full_ingest(files, args.batch_size, workers=n)
        print(row(f"(b) dyad ingest --workers {n}", full_n, words, len(texts), cpu=False), flush=True)
        print(f"ratio b/a (throughput), {n} processes: wall {bare_n.wall / full_n.wall:.2f}", flush=True)
    if args.dask:
        dask_walls = []
        for n in (1, 2):
            clock, _ = full_ingest(files, args.batch_size, dask="local", workers=n)
            dask_walls.append(clock.wall)
            print(row(f"dyad ingest --dask local, {n} worker(s)", clock, words, len(texts), cpu=False), flush=True)
        print(f"Dask speed-up, 2 workers over 1: {dask_walls[0] / dask_walls[1]:.2f}", flush=True)
    print(f"whole run of {len(files)} files: dyad ingest took {full.wall / 60:.1f} min in 1 process"
          + (f", {full_n.wall / 60:.1f} min with --workers {args.workers}" if args.workers > 1 else ""), flush=True)


if __name__ == "__main__":
    main()
