"""Polite HTTP fetching: robots.txt, a per-host rate limit, retries, conditional GET.

A page fetched before is asked for with ``If-None-Match`` / ``If-Modified-Since``
from the validators the store kept, so an unchanged page costs a 304 and no
processing.
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpx

import dyad

USER_AGENT = f"dyad/{dyad.__version__} (+news knowledge base; polite crawler)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ValidatorCache(Protocol):
    """Where ETag / Last-Modified validators live between runs (the store)."""

    def fetch_validators(self, url: str) -> tuple[str | None, str | None] | None: ...

    def record_fetch(self, url: str, status: int, etag: str | None, last_modified: str | None) -> None: ...


@dataclass
class Fetched:
    """One fetch: ``not_modified`` means the cached copy is still current."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    not_modified: bool = False


class FetchError(Exception):
    """A URL that could not be fetched (robots.txt, HTTP error, network)."""


class Fetcher:
    """Fetch URLs politely; one instance per run (it remembers hosts and robots)."""

    def __init__(self, cache: ValidatorCache | None = None, *, min_interval: float = 1.0, retries: int = 3,
                 timeout: float = 20.0, max_bytes: int = 20 * 1024 * 1024,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.cache = cache
        self.min_interval = min_interval
        self.retries = retries
        self.max_bytes = max_bytes
        self.client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=True,
                                   transport=transport)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_request: dict[str, float] = {}

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()

    def get(self, url: str) -> Fetched:
        """Fetch ``url``; raises :class:`FetchError` when robots.txt forbids it or it fails."""
        if not self.allowed(url):
            raise FetchError("disallowed by robots.txt")
        headers = {}
        validators = self.cache.fetch_validators(url) if self.cache else None
        if validators:
            etag, modified = validators
            headers.update({k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v})
        response = self._request(url, headers)
        if response.status_code == 304:
            return Fetched(url, 304, not_modified=True)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code}")
        if len(response.content) > self.max_bytes:
            raise FetchError(f"response larger than {self.max_bytes} bytes")
        if self.cache:
            self.cache.record_fetch(url, response.status_code, response.headers.get("ETag"),
                                    response.headers.get("Last-Modified"))
        return Fetched(str(response.url), response.status_code, response.content,
                       response.headers.get("Content-Type", ""))

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets dyad fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """robots.txt of a host; None (allow all) when it has none."""
        try:
            response = self._request(f"{origin}/robots.txt", {})
        except FetchError:
            return _deny_all()  # unreachable robots.txt: assume disallowed (RFC 9309 §2.3.1.4)
        if 400 <= response.status_code < 500:
            return None
        if response.status_code >= 500:
            return _deny_all()
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.text.splitlines())
        return parser

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET with the per-host interval and retries with exponential backoff."""
        delay = self.min_interval
        for attempt in range(self.retries + 1):
            self._wait_for_host(url)
            try:
                response = self.client.get(url, headers=headers)
            except httpx.HTTPError as exc:
                if attempt == self.retries:
                    raise FetchError(f"{type(exc).__name__}: {exc}") from exc
            else:
                if response.status_code not in RETRY_STATUSES or attempt == self.retries:
                    return response
                delay = max(delay, _retry_after(response))
            time.sleep(min(delay, 30.0))
            delay *= 2
        raise AssertionError("unreachable")

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        wait = self._last_request.get(host, 0.0) + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", 0))
    except ValueError:
        return 0.0


def _deny_all() -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser()
    parser.disallow_all = True
    return parser
