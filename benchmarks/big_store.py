"""Build a big store from the bulk corpus, then time the queries the web pages make.

    python benchmarks/big_store.py build --db /tmp/big.db --docs 100000 [--workers 2]
    python benchmarks/big_store.py build --db postgresql://127.0.0.1/big --docs 100000
    python benchmarks/big_store.py latency --db /tmp/big.db [-n 200]
    python benchmarks/big_store.py incremental --db /tmp/big.db --add 100
    python benchmarks/big_store.py rss --docs 10000 [--workers 2]

The store holds variants of the corpus's articles (:mod:`perturb`: per-variant,
same-length word substitutions, so documents differ, names are renamed
consistently and every offset stays valid) until it has ``--docs`` documents.

``build`` parses each corpus article once (clean, spaCy, every dyad extractor,
in ``--workers`` processes), then writes every variant through
``Store.save_article`` (the ingest's own write path, one transaction per
document), with the substitution applied to every text field of the parsed
record.  Parsing each of 100,000 variants again would give the same kind of
records at ~17 documents/s on two cores (about 100 minutes); ``rss`` does exactly
that, a real ``dyad ingest`` of variant files, to measure peak memory of the
ingest process tree against the number of documents.  ``build`` then runs the
full resolve stage, timed per step.

``latency`` times, over the in-process web app (JSON endpoints; SQLite or
PostgreSQL), the search, entity, story and ask endpoints, and the overview
page: p50 and p95 in ms.
``incremental`` adds ``--add`` new variants and times ``resolve_new``.
"""

from __future__ import annotations

import argparse
import asyncio
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from urllib.parse import quote

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perturb import Perturbation, Vocabulary  # noqa: E402

from dyad.clean.repetition import LineCounts  # noqa: E402
from dyad.executors import ProcessExecutor, SerialExecutor  # noqa: E402
from dyad.ingest import iter_input_files, read_source  # noqa: E402
from dyad.model import ProcessedArticle, RawArticle  # noqa: E402
from dyad.nlp.pipeline import disabled_components  # noqa: E402
from dyad.pipeline import document_id, pipeline_version  # noqa: E402
from dyad.store import Store  # noqa: E402

BULK = Path(__file__).resolve().parents[1].parent / "shared" / "bulk" / "bbc"
# Fields holding text taken from the article (everything else is a label, a number or a date).
TEXT_FIELDS = {"text", "surface", "canonical", "speaker", "speaker_role", "measure", "qualifier", "attributed_to",
               "location", "date_text", "title", "standfirst", "dateline", "cue"}
TEXT_LISTS = {"roles", "authors", "source_actor", "target_actor"}
QUERIES = ["trade deficit", "election campaign", "Blair said", "oil prices", "mobile phone", "Chelsea",
           "interest rates", "film festival", "government plans", "shares fell"]
QUESTIONS = ["What did Blair say about the election?", "How much did oil prices rise?",
             "Who won the film award?", "What was agreed on interest rates?"]


# ---------------------------------------------------------------------------- base parse
def corpus_articles(corpus: Path) -> list[RawArticle]:
    """Readable articles of the corpus, in file order (files that fail to read are skipped)."""
    files = [f for f in iter_input_files([corpus]) if isinstance(f, Path)]
    articles = [a for f in files for a in read_source(f) if isinstance(a, RawArticle)]
    if not articles:
        raise SystemExit(f"error: no readable articles under {corpus}")
    return articles


def parse_base(articles: list[RawArticle], workers: int, cache: Path) -> list[ProcessedArticle]:
    """Every article cleaned and parsed once (cached in ``cache``: a pickle)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    version = pipeline_version(disabled_components())
    executor = ProcessExecutor(workers, version) if workers > 1 else SerialExecutor(version)
    jobs = [(a, document_id(a)) for a in articles]
    batches = [jobs[i:i + 32] for i in range(0, len(jobs), 32)]
    parsed: list[ProcessedArticle] = []
    started = time.perf_counter()
    try:
        for outcomes in executor.map(batches, LineCounts.from_texts(a.text for a in articles)):
            parsed += [o for o in outcomes if isinstance(o, ProcessedArticle)]
            print(f"\rparsed {len(parsed):,}/{len(jobs):,}", end="", file=sys.stderr, flush=True)
    finally:
        executor.close()
    print(f"\nbase parse: {len(parsed):,} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    cache.write_bytes(pickle.dumps(parsed))
    return parsed


def perturbed(obj, p: Perturbation):
    """A copy of a parsed record (any dyad dataclass) with ``p`` applied to its text fields."""
    if isinstance(obj, list):
        return [perturbed(x, p) for x in obj]
    if not is_dataclass(obj):
        return obj
    changes = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in TEXT_FIELDS and isinstance(value, str):
            changes[f.name] = p.apply(value)
        elif f.name in TEXT_LISTS and isinstance(value, list):
            changes[f.name] = [p.apply(v) if isinstance(v, str) else v for v in value]
        elif f.name == "meta" and isinstance(value, dict):
            changes[f.name] = {k: p.apply(v) if isinstance(v, str) and k != "url" else v for k, v in value.items()}
        elif isinstance(value, list) or is_dataclass(value):
            changes[f.name] = perturbed(value, p)
    return replace(obj, **changes)


def variant(base: ProcessedArticle, p: Perturbation) -> tuple[ProcessedArticle, str, str]:
    """Variant ``p.variant`` of a parsed article: ``(article, source, stem)``."""
    if p.variant == 0:
        raw = base.clean.raw
        return base, raw.source, raw.stem
    article = perturbed(base, p)
    raw = article.clean.raw
    if raw.text == base.clean.raw.text:
        raise ValueError(f"variant {p.variant} of {raw.source} is the article itself: is the vocabulary empty?")
    source, stem = f"{raw.source}#v{p.variant}", f"{raw.stem}-v{p.variant}"
    article.clean.raw = replace(raw, source=source, stem=stem)
    article.doc_id = document_id(article.clean.raw)
    return article, source, stem


def variants(bases: list[ProcessedArticle], vocab: Vocabulary, docs: int, first: int = 0):
    """``docs`` variants in order: all of variant ``first``'s articles, then the next variant's, …"""
    k, made = first, 0
    while made < docs:
        p = Perturbation(vocab, k)
        for base in bases:
            if made >= docs:
                return
            yield variant(base, p)
            made += 1
        k += 1


# ---------------------------------------------------------------------------- commands
def build(args: argparse.Namespace) -> None:
    """Write ``--docs`` documents, then run the full resolve stage."""
    from dyad.resolve.run import resolve_all

    articles = corpus_articles(args.corpus)
    bases = parse_base(articles, args.workers, args.cache)
    vocab = Vocabulary(a.text for a in articles)
    started = time.perf_counter()
    with Store(args.db) as store:
        have = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        for i, (article, source, stem) in enumerate(variants(bases, vocab, args.docs)):
            if i < have:  # resume: variants are written in a fixed order
                continue
            store.save_article(article, source, stem)
            if i % 500 == 0:
                rate = (i - have + 1) / (time.perf_counter() - started)
                print(f"\rwritten {i + 1:,}/{args.docs:,} ({rate:,.0f} docs/s)", end="", file=sys.stderr, flush=True)
        written = time.perf_counter() - started
        print(f"\nwrote {args.docs - have:,} documents in {written:.0f} s "
              f"({(args.docs - have) / max(written, 1e-9):,.0f} docs/s)", flush=True)
        if args.no_resolve:
            return
        t0 = time.perf_counter()
        report = resolve_all(store, lambda step, counts: print(f"  resolve {step}: {counts}", flush=True))
        print(f"resolve_all: {time.perf_counter() - t0:.0f} s", flush=True)
        print({k: v.get("seconds") for k, v in report.items() if isinstance(v, dict)})


def incremental(args: argparse.Namespace) -> None:
    """Add ``--add`` documents of a variant the store does not have, and time ``resolve_new``."""
    from dyad.resolve.run import resolve_new

    articles = corpus_articles(args.corpus)
    bases = parse_base(articles, args.workers, args.cache)
    vocab = Vocabulary(a.text for a in articles)
    with Store(args.db) as store:
        total = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        fresh = 1000 + total // len(bases)  # a variant number no build reached
        t0 = time.perf_counter()
        for article, source, stem in variants(bases, vocab, args.add, first=fresh):
            store.save_article(article, source, stem)
        print(f"added {args.add} documents to {total:,} in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        report = resolve_new(store)
        print(f"resolve_new: {time.perf_counter() - t0:.1f} s", flush=True)
        print({k: v.get("seconds") if isinstance(v, dict) else v for k, v in report.items()})


def targets(store: Store) -> dict[str, list[str]]:
    """URLs per endpoint: the largest entities and stories, a spread of queries and questions."""
    names = [r[0] for r in store.conn.execute(
        "SELECT canonical FROM entities GROUP BY canonical ORDER BY COUNT(*) DESC LIMIT 5")]
    names += [r[0] for r in store.conn.execute(
        "SELECT canonical FROM entities WHERE doc_id IN (SELECT id FROM documents ORDER BY id LIMIT 40) "
        "GROUP BY canonical ORDER BY canonical LIMIT 15")]
    stories = [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY n_docs DESC, id LIMIT 5")]
    stories += [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY id LIMIT 15")]
    return {"search": [f"/search.json?q={quote(q)}" for q in QUERIES],
            "entity": [f"/entity/{quote(n, safe='')}.json" for n in names],
            "story": [f"/story/{s}.json" for s in stories],
            "ask": [f"/ask.json?q={quote(q)}" for q in QUESTIONS],
            "overview": ["/index.json"]}


async def _measure(db: str, n: int) -> dict[str, list[float]]:
    import httpx

    from dyad.web import create_app

    with Store(db) as store:
        urls = targets(store)
    app = create_app(db, query_timeout_ms=30_000)
    timings: dict[str, list[float]] = {}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1",
                                     timeout=120) as client:
            for name, pages in urls.items():
                for url in pages[:3]:
                    await client.get(url)  # warm: templates, connections, page cache
                samples = []
                for i in range(n):
                    url = pages[i % len(pages)]
                    t0 = time.perf_counter()
                    response = await client.get(url)
                    samples.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{url}: HTTP {response.status_code}")
                timings[name] = samples
                print(f"  {name}: done", file=sys.stderr, flush=True)
    finally:
        app.state.pool.close()
    return timings


def latency(args: argparse.Namespace) -> None:
    """Print p50/p95 per endpoint."""
    import statistics

    with Store(args.db) as store:
        docs = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    timings = asyncio.run(_measure(args.db, args.n))
    print(f"store: {args.db}  documents: {docs:,}")
    print(f"{'endpoint':<8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, s in timings.items():
        q = statistics.quantiles(s, n=100, method="inclusive")
        print(f"{name:<8} {len(s):>5} {q[49]:>8.1f} {q[94]:>8.1f} {max(s):>8.1f}")


class PeakRss:
    """Peak resident memory of this process's children (the ingest and its workers), summed."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass

    def __enter__(self) -> PeakRss:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join()


def rss(args: argparse.Namespace) -> None:
    """A real ``dyad ingest`` of variant files: peak RSS of the process tree per size."""
    articles = corpus_articles(args.corpus)
    vocab = Vocabulary(a.text for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "variants"
        folder.mkdir()
        k, written = 0, 0
        while written < args.docs:
            p = Perturbation(vocab, k)
            for a in articles:
                if written >= args.docs:
                    break
                (folder / f"{written:06d}.txt").write_text(p.apply(a.text), encoding="utf-8")
                written += 1
            k += 1
        cmd = [str(Path(sys.executable).with_name("dyad")), "ingest", str(folder), "--db", str(Path(tmp) / "rss.db"),
               "--workers", str(args.workers), "--no-resolve"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with PeakRss(proc.pid) as peak:
            proc.wait()
        seconds = time.perf_counter() - t0
    print(f"ingest of {args.docs:,} variant files, --workers {args.workers}: {seconds:.0f} s "
          f"({args.docs / seconds:.1f} docs/s), exit {proc.returncode}, peak RSS {peak.peak / 2**20:,.0f} MB "
          "(ingest process and its workers, summed)")


def main() -> None:
    """Parse arguments and run the command."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["build", "latency", "incremental", "rss"])
    ap.add_argument("--db", default="/tmp/dyad-big.db", help="a SQLite path or a postgresql:// URL")
    ap.add_argument("--corpus", type=Path, default=BULK)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dyad-big-base.pickle",
                    help="where the one-time base parse is kept between runs")
    ap.add_argument("--no-resolve", action="store_true")
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("-n", type=int, default=200, help="requests per endpoint")
    args = ap.parse_args()
    {"build": build, "latency": latency, "incremental": incremental, "rss": rss}[args.command](args)


if __name__ == "__main__":
    main()
