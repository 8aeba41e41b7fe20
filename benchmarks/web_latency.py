"""Latency of the web app's JSON endpoints, in-process (httpx ASGI transport, no network).

    python benchmarks/web_latency.py [--db dyad.db] [-n 200]

Without ``--db`` a temporary store is built (and resolved) from ``../shared/corpus``.
For each of the entity, document, search, story and story-list JSON endpoints it
sends N requests one after another (rotating over several entities, documents,
queries and the largest stories of the store) and prints p50 and p95 in
milliseconds.  A store without stories (never resolved) skips the story endpoints.
The store is opened read-only, as ``dyad serve`` does.  The timings include routing, the
queries, JSON encoding and the security middleware; on a shared machine they
are noisy: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from dyad.web import create_app

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
QUERIES = ["trade", "Power of Siberia", "Putin said", "sanctions", "gas pipeline", "Xi Jinping Beijing"]


def build_store(folder: Path) -> Path:
    """A store built from the sample corpus, with the resolve stage run (stories, figure groups)."""
    from dyad.pipeline import Ingester
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    path = folder / "bench.db"
    with Store(path) as store:
        Ingester(store).ingest([CORPUS])
        resolve_all(store)
    return path


def targets(db: Path) -> dict[str, list[str]]:
    """URLs to rotate over per endpoint, from what the store holds."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        names = [r[0] for r in conn.execute(
            "SELECT canonical FROM entities GROUP BY canonical "
            "ORDER BY COUNT(DISTINCT doc_id) DESC, canonical LIMIT 8")]
        stories = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY n_docs DESC, id LIMIT 8")]
    finally:
        conn.close()
    urls = {
        "entity": [f"/entity/{quote(n, safe='')}.json" for n in names],
        "document": [f"/doc/{d}.json" for d in docs],
        "search": [f"/search.json?q={quote(q)}" for q in QUERIES],
    }
    if stories:
        urls["story"] = [f"/story/{s}.json" for s in stories]
        urls["stories"] = ["/stories.json", "/stories.json?min_docs=2", "/stories.json?sort=recent&page=2"]
    return urls


async def measure(db: Path, n: int) -> dict[str, list[float]]:
    """Milliseconds per request for each endpoint."""
    app = create_app(db)
    timings: dict[str, list[float]] = {}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            for name, urls in targets(db).items():
                await client.get(urls[0])  # warm: templates, caches, connections
                samples = []
                for i in range(n):
                    started = time.perf_counter()
                    response = await client.get(urls[i % len(urls)])
                    samples.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{urls[i % len(urls)]}: HTTP {response.status_code}")
                timings[name] = samples
    finally:
        app.state.pool.close()
    return timings


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) by the inclusive method."""
    return statistics.quantiles(samples, n=100, method="inclusive")[int(p) - 1] if len(samples) > 1 else samples[0]


def main() -> None:
    """Parse arguments, build or open the store, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing store (default: build one from ../shared/corpus)")
    parser.add_argument("-n", type=int, default=200, help="requests per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build_store(Path(tmp))
        timings = asyncio.run(measure(db, args.n))
    print(f"{'endpoint':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, samples in timings.items():
        print(f"{name:<10} {len(samples):>5} {percentile(samples, 50):>8.1f} {percentile(samples, 95):>8.1f}")


if __name__ == "__main__":
    main()
