"""A short run of the load script (benchmarks/web_load.py): a real ``dyad serve`` on loopback,
8 concurrent clients for 3 seconds on search, entity and ask, and not one error."""

from __future__ import annotations

import importlib.util
import sys

from tests.paths import REPO


def _web_load():
    if "web_load" in sys.modules:
        return sys.modules["web_load"]
    spec = importlib.util.spec_from_file_location("web_load", REPO / "benchmarks" / "web_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module


def test_eight_clients_for_three_seconds_get_no_errors(corpus_store_path):
    web_load = _web_load()
    urls = web_load.targets(corpus_store_path)
    assert all(urls[name] for name in web_load.ENDPOINTS)
    with web_load.serving(corpus_store_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        result = web_load.load(server, urls, clients=8, seconds=3, max_requests=20_000, request_timeout=10)
        log = server.log_tail()
    table = web_load.report(result)
    print("\n" + table)
    assert result.errors == 0, f"{table}\n--- server log ---\n{log}"
    for name in web_load.ENDPOINTS:
        assert len(result.stats[name].latencies_ms) >= 5, table
    assert result.seconds < 3 + 10 + 1  # the deadline and the per-request timeout bound the run
