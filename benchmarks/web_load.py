"""Load test of ``dyad serve``: concurrent clients on search, entity and ask, over loopback.

    python benchmarks/web_load.py [--db dyad.db] [--clients 32] [--seconds 30] [--max-requests 200000]

Starts ``dyad serve`` (uvicorn, as users run it) on 127.0.0.1 on a free port in
a subprocess against the store (without ``--db``: one built from
``../shared/corpus`` with ``dyad ingest`` in a temporary folder), waits until it
answers, then runs ``--clients`` concurrent clients for ``--seconds`` seconds
(or until ``--max-requests`` requests, whichever comes first) over a mix of
the JSON endpoints:

* ``/search.json?q=…``: one or two neighbouring words of a stored sentence;
* ``/entity/{name}.json``: canonical names from the store's entities table, the
  most-covered ones (the heaviest pages) and a spread of the rest;
* ``/ask.json?q=…``: questions from templates filled with entity names.

It then stops the server and prints, per endpoint, the requests, the errors
(any non-2xx answer, a 503 from the query-time bound included, or a transport
exception), p50/p95/p99/max latency in milliseconds, and the overall
throughput.  Exit status 1 when any request failed.

Bounded on purpose: only 127.0.0.1 is ever contacted (proxy settings are
ignored), the run stops at the deadline or the request cap, every request has
a timeout, and the server is always stopped.  The clients share the machine
with the server (one asyncio loop in this process), so on a small machine the
latencies include client-side scheduling; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
HOST = "127.0.0.1"  # the only address this script ever contacts
ENDPOINTS = ("search", "entity", "ask")

_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    "that this with from have been were will would said says they their there which about after also into "
    "more than when what where while other some over such only just like them then these those could should "
    "being because before between under very most many much each both your ours".split())
ASK_TEMPLATES = (
    "What did {a} say?",
    "Who met {a}?",
    "What happened between {a} and {b}?",
    "When did {a} visit {b}?",
    "What did {a} say about {b}?",
    "How much trade is there between {a} and {b}?",
    "Who is {a}?",
    "Where did {a} meet {b}?",
)


# --------------------------------------------------------------------- targets
def build_store(folder: Path, corpus: Path = CORPUS) -> Path:
    """A store built from ``corpus`` with ``dyad ingest`` (a subprocess, as a user would)."""
    path = folder / "load.db"
    done = subprocess.run([sys.executable, "-m", "dyad", "ingest", str(corpus), "--db", str(path)],
                          cwd=REPO, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"dyad ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return path


def targets(db: Path, seed: int = 0, n: int = 400) -> dict[str, list[str]]:
    """URLs (path and query) for each endpoint, drawn from what the store holds (read-only)."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        step = max(1, total // 3000)  # a spread of about 3000 sentences, the same every run
        texts = [r[0] for r in conn.execute("SELECT text FROM sentences WHERE id % ? = 0 ORDER BY id", (step,))]
        ranked = [r[0] for r in conn.execute(
            "SELECT canonical FROM entities WHERE body = 1 GROUP BY canonical "
            "ORDER BY COUNT(DISTINCT doc_id) DESC, canonical")]
    finally:
        conn.close()
    if not texts or not ranked:
        raise SystemExit(f"{db}: no sentences or entities to draw requests from")
    queries: list[str] = []
    for _ in range(50 * n):
        if len(queries) >= n:
            break
        words = [w for w in _WORD.findall(rng.choice(texts)) if w.lower() not in _STOP]
        if not words:
            continue
        i = rng.randrange(len(words))
        queries.append(" ".join(words[i:i + (2 if rng.random() < 0.4 else 1)]))
    # The most-covered entities (the heaviest entity pages) and a spread of the rest.
    head, tail = ranked[:n // 4], ranked[n // 4:]
    names = head + rng.sample(tail, min(len(tail), n - len(head)))
    states = ranked[:40]
    questions = [rng.choice(ASK_TEMPLATES).format(a=rng.choice(names), b=rng.choice(states)) for _ in range(n)]
    return {
        "search": [f"/search.json?q={quote(q)}" for q in queries],
        "entity": [f"/entity/{quote(name, safe='')}.json" for name in names],
        "ask": [f"/ask.json?q={quote(q)}" for q in questions],
    }


# --------------------------------------------------------------------- server
def free_port() -> int:
    """A TCP port on 127.0.0.1 free at the time of asking."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``dyad serve``: its base URL, process and log file."""

    url: str
    proc: subprocess.Popen
    log: Path

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used so far (Linux), or None."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""


@contextmanager
def serving(db: Path, ready_timeout: float = 60) -> Iterator[Server]:
    """Run ``dyad serve --db DB`` on 127.0.0.1 (free port) until the block ends."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="dyad-load-") as tmp:
        log = Path(tmp) / "serve.log"
        with open(log, "wb") as out:  # a file, never a pipe: the access log must not block the server
            proc = subprocess.Popen(
                [sys.executable, "-m", "dyad", "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
        server = Server(f"http://{HOST}:{port}", proc, log)
        try:
            _wait_ready(server, ready_timeout)
            yield server
        finally:
            _stop(proc)


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=server.url, trust_env=False, timeout=5) as client:
        while True:
            if server.proc.poll() is not None:
                raise RuntimeError(f"dyad serve exited with {server.proc.returncode}:\n{server.log_tail()}")
            try:
                if client.get("/openapi.json").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"dyad serve did not answer within {timeout:.0f}s:\n{server.log_tail()}")
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # uvicorn shuts down gracefully on SIGTERM
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# --------------------------------------------------------------------- load
@dataclass
class EndpointStats:
    """What one endpoint answered during a run."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    samples: list[str] = field(default_factory=list)  # the first few failures, for the report

    def fail(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < 5:
            self.samples.append(text)


@dataclass
class LoadResult:
    """Per-endpoint statistics of a run and its wall time."""

    clients: int
    seconds: float
    stats: dict[str, EndpointStats]
    capped: bool = False
    client_cpu_s: float = 0.0
    server_cpu_s: float | None = None

    @property
    def requests(self) -> int:
        return sum(len(s.latencies_ms) for s in self.stats.values())

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.stats.values())

    def summary(self) -> dict:
        """Numbers only, for JSON output and tests."""
        per = {}
        for name, s in self.stats.items():
            lat = sorted(s.latencies_ms)
            per[name] = {"requests": len(lat), "errors": s.errors, "statuses": dict(s.statuses),
                         **{f"p{p}_ms": round(percentile(lat, p), 1) for p in (50, 95, 99)},
                         "max_ms": round(lat[-1], 1) if lat else 0.0, "error_samples": s.samples}
        return {"clients": self.clients, "seconds": round(self.seconds, 2), "requests": self.requests,
                "errors": self.errors, "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0,
                "capped": self.capped, "client_cpu_s": round(self.client_cpu_s, 1),
                "server_cpu_s": None if self.server_cpu_s is None else round(self.server_cpu_s, 1),
                "endpoints": per}


def percentile(ordered: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of an ascending list; 0 when empty."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


async def run_load(base_url: str, urls: dict[str, list[str]], *, clients: int = 32, seconds: float = 30,
                   max_requests: int = 200_000, request_timeout: float = 30, seed: int = 0,
                   mix: dict[str, float] | None = None) -> LoadResult:
    """``clients`` concurrent clients over ``urls`` until ``seconds`` pass or ``max_requests`` are sent.

    Each client sends one request at a time (keep-alive connection), choosing the
    endpoint by ``mix`` weights (default: equal) and a URL at random.
    """
    if httpx.URL(base_url).host != HOST:
        raise ValueError(f"the load test only targets {HOST}, not {base_url}")
    names = [n for n in urls if urls[n] and (mix or {}).get(n, 1) > 0]
    weights = [(mix or {}).get(n, 1) for n in names]
    stats = {n: EndpointStats() for n in names}
    sent = 0
    capped = False
    cpu0, started = time.process_time(), time.perf_counter()
    deadline = started + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base_url, trust_env=False, limits=limits, timeout=request_timeout,
                                 follow_redirects=False) as client:

        async def one_client(k: int) -> None:
            nonlocal sent, capped
            rng = random.Random(seed * 1000 + k)
            while time.perf_counter() < deadline:
                if sent >= max_requests:
                    capped = True
                    return
                sent += 1
                name = rng.choices(names, weights)[0]
                url = rng.choice(urls[name])
                t0 = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                    status = response.status_code
                except Exception as exc:  # noqa: BLE001 - any failure is an error to report
                    stats[name].latencies_ms.append((time.perf_counter() - t0) * 1000)
                    stats[name].statuses[type(exc).__name__] += 1
                    stats[name].fail(f"{url}: {type(exc).__name__}: {exc}")
                    continue
                stats[name].latencies_ms.append((time.perf_counter() - t0) * 1000)
                stats[name].statuses[status] += 1
                if not 200 <= status < 300:
                    stats[name].fail(f"{url}: HTTP {status} {response.text[:200]}")

        await asyncio.gather(*(one_client(k) for k in range(clients)))
    return LoadResult(clients, time.perf_counter() - started, stats, capped, time.process_time() - cpu0)


def load(server: Server, urls: dict[str, list[str]], **kwargs) -> LoadResult:
    """:func:`run_load` against a running server, with the server's CPU time added."""
    cpu0 = server.cpu_seconds()
    result = asyncio.run(run_load(server.url, urls, **kwargs))
    cpu1 = server.cpu_seconds()
    result.server_cpu_s = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return result


def report(result: LoadResult, title: str = "") -> str:
    """The result as a table."""
    s = result.summary()
    lines = [title] if title else []
    lines.append(f"{'endpoint':<8} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
                 f"{'max ms':>8}  statuses")
    for name, e in s["endpoints"].items():
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(e["statuses"].items(), key=str))
        lines.append(f"{name:<8} {e['requests']:>8} {e['errors']:>6} {e['p50_ms']:>8.1f} {e['p95_ms']:>8.1f} "
                     f"{e['p99_ms']:>8.1f} {e['max_ms']:>8.1f}  {statuses}")
    lines.append(f"{s['clients']} clients, {s['seconds']:.1f}s: {s['requests']} requests, {s['errors']} errors, "
                 f"{s['requests_per_s']:.1f} req/s" + ("  (stopped at the request cap)" if s["capped"] else ""))
    cpu = f"server CPU {s['server_cpu_s']:.1f}s, " if s["server_cpu_s"] is not None else ""
    lines.append(f"{cpu}load-generator CPU {s['client_cpu_s']:.1f}s")
    for name, e in s["endpoints"].items():
        for sample in e["error_samples"]:
            lines.append(f"  {name} error: {sample}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build or open the store, serve it, load it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing SQLite store (default: build one from ../shared/corpus)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=30, help="duration of the run (default 30)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard cap on requests (default 200000)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before one request is a failure")
    parser.add_argument("--mix", default="search=1,entity=1,ask=1", help="endpoint weights (default equal)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 600 or args.max_requests < 1:
        parser.error("--clients must be 1..256, --seconds 0..600 and --max-requests at least 1")
    mix = {k.strip(): float(v) for k, v in (part.split("=") for part in args.mix.split(",") if part.strip())}
    if set(mix) - set(ENDPOINTS):
        parser.error(f"--mix names endpoints of {ENDPOINTS}")

    with tempfile.TemporaryDirectory(prefix="dyad-load-store-") as tmp:
        db = args.db or build_store(Path(tmp))
        if not db.is_file():
            parser.error(f"no store at {db}")
        urls = targets(db, args.seed)
        with serving(db) as server:
            result = load(server, urls, clients=args.clients, seconds=args.seconds,
                          max_requests=args.max_requests, request_timeout=args.timeout, seed=args.seed, mix=mix)
            if result.errors:
                print(f"server log (tail):\n{server.log_tail(1500)}", file=sys.stderr)
    print(report(result, f"dyad serve --db {args.db or 'sample corpus'}"))
    if args.json:
        args.json.write_text(json.dumps({"db": str(args.db or "sample corpus"), **result.summary()}, indent=2))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
