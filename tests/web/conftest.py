"""Fixtures for the web tests: in-process httpx clients, live servers, a hostile article, Chromium."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"

# An article whose title and body carry script payloads: it must render as text.
HOSTILE_ARTICLE = """\
<script>window.__pwned = "title"</script> Putin and Xi <img src=x onerror="window.__pwned='title-img'">

Moscow, 12 March 2024. Russian President Vladimir Putin met Chinese leader Xi Jinping in Beijing on Tuesday \
<script>window.__pwned = "body"</script> to discuss trade.

"We will never accept <img src=x onerror=window.__pwned=1> pressure," Putin said, adding that trade reached \
$240 billion in 2023.

Xi Jinping said the partnership <svg onload="window.__pwned='svg'"></svg> was "unshakeable" and that China's \
exports grew 12 percent. A link: <a href="javascript:window.__pwned='href'">click</a>.
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (/usr/bin/chromium) through Playwright")


class ASGIClient:
    """A synchronous face on ``httpx.AsyncClient`` over ``httpx.ASGITransport`` (the app runs in-process).

    The client's event loop runs in its own thread: Playwright's sync API keeps a
    loop running in the main thread while the browser is open, and asyncio allows
    one running loop per thread.
    """

    def __init__(self, app, base_url: str = "http://127.0.0.1") -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=60)

    def get(self, url: str, **kwargs) -> httpx.Response:
        """GET ``url`` through the app."""
        return self._run(self._client.get(url, **kwargs))

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """Any request through the app."""
        return self._run(self._client.request(method, url, **kwargs))

    def gather(self, urls: list[str]) -> list[httpx.Response]:
        """GET every URL concurrently."""
        async def run():
            return await asyncio.gather(*(self._client.get(u) for u in urls))
        return self._run(run())

    def close(self) -> None:
        """Close the client, its loop and the app's connection pool."""
        self._run(self._client.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self.app.state.pool.close()


@pytest.fixture(scope="session")
def resolved_store_path(corpus_store_path, tmp_path_factory) -> Path:
    """A copy of the sample-corpus store with the resolve stage run (stories, figure groups…)."""
    import shutil

    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    path = tmp_path_factory.mktemp("resolved") / "dyad.db"
    shutil.copyfile(corpus_store_path, path)
    with Store(path) as store:
        resolve_all(store)
    return path


@pytest.fixture(scope="session")
def api(resolved_store_path) -> Iterator[ASGIClient]:
    """The app over the resolved sample-corpus store, called in-process."""
    from dyad.web import create_app

    client = ASGIClient(create_app(resolved_store_path))
    yield client
    client.close()


@pytest.fixture(scope="session")
def unresolved_api(corpus_store_path) -> Iterator[ASGIClient]:
    """The app over the sample-corpus store before the resolve stage (no stories, no figure groups)."""
    from dyad.web import create_app

    client = ASGIClient(create_app(corpus_store_path))
    yield client
    client.close()


@pytest.fixture(scope="session")
def hostile_store_path(tmp_path_factory, nlp) -> Path:
    """A store holding one article whose title and body are script payloads (resolved: it is a story)."""
    from dyad.pipeline import Ingester
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "articles").mkdir()
    (folder / "articles" / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    path = folder / "hostile.db"
    with Store(path) as store:
        report = Ingester(store, nlp).ingest([folder / "articles"])
        resolve_all(store)
    assert report.exit_code == 0, report.errors
    return path


class LiveServer:
    """The app served by uvicorn on a free loopback port, in a background thread."""

    def __init__(self, db: Path, **kwargs) -> None:
        import uvicorn

        from dyad.web import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **kwargs), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for it."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(resolved_store_path) -> Iterator[LiveServer]:
    """The resolved sample-corpus app on a real socket."""
    server = LiveServer(resolved_store_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hostile_server(hostile_store_path) -> Iterator[LiveServer]:
    """The hostile-article app on a real socket."""
    server = LiveServer(hostile_store_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page (1320×900) that records console errors, CSP violations and dialogs."""
    context = browser.new_context(viewport={"width": 1320, "height": 900})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.dialogs = []  # type: ignore[attr-defined]
    # Errors only: CSP violations and failed loads are reported as console errors.
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()
