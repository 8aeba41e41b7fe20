"""Feeds, WARC files and polite fetching, served from a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import io
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.errors import IngestError
from dyad.ingest import read_source
from dyad.ingest.fetch import Fetcher, FetchError
from dyad.model import RawArticle
from dyad.pipeline import Ingester
from dyad.store import Store

BODY = " ".join(["Russian and Chinese officials met in Beijing on Thursday to discuss trade and energy."] * 30)


def page(title: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{BODY}</p><p>The two leaders signed a joint statement, officials said.</p>"
            f"</article></body></html>").encode()


def feed(base: str) -> bytes:
    full = f"<p>{BODY}</p>" * 2
    return f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title>
<item><title>Full entry</title><link>{base}/full.html</link><pubDate>Thu, 16 May 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[{full}]]></content:encoded></item>
<item><title>Teaser entry</title><link>{base}/linked.html</link><pubDate>Fri, 17 May 2024 09:00:00 GMT</pubDate>
<description>Short teaser.</description></item>
</channel></rss>""".encode()


class Handler(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    conditional: Counter = Counter()

    def do_GET(self):  # noqa: N802 - http.server's naming
        Handler.hits[self.path] += 1
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path == "/flaky.html" and Handler.hits[self.path] == 1:
            return self._send(503, b"busy", "text/plain")
        if self.path == "/article.html" and self.headers.get("If-None-Match") == '"v1"':
            Handler.conditional[self.path] += 1
            return self._send(304, b"", "text/html")
        if self.path == "/feed.xml":
            return self._send(200, feed(base), "application/rss+xml")
        if self.path in ("/article.html", "/linked.html", "/flaky.html", "/private/secret.html"):
            return self._send(200, page(self.path.strip("/")), "text/html; charset=utf-8", etag='"v1"')
        return self._send(404, b"not found", "text/plain")

    def _send(self, status, body, content_type, etag=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def server():
    Handler.hits.clear()
    Handler.conditional.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_conditional_get_skips_an_unchanged_page(server, tmp_path):
    with Store(tmp_path / "s.db") as store:
        fetcher = Fetcher(store, min_interval=0)
        assert fetcher.get(f"{server}/article.html").status == 200
        assert fetcher.get(f"{server}/article.html").not_modified
    assert Handler.conditional["/article.html"] == 1


def test_robots_txt_is_obeyed(server):
    fetcher = Fetcher(min_interval=0)
    with pytest.raises(FetchError, match="robots"):
        fetcher.get(f"{server}/private/secret.html")
    assert Handler.hits["/private/secret.html"] == 0 and Handler.hits["/robots.txt"] == 1


def test_retries_a_busy_server(server):
    fetched = Fetcher(min_interval=0.01).get(f"{server}/flaky.html")
    assert fetched.status == 200 and Handler.hits["/flaky.html"] == 2


def test_feed_entries_full_text_or_fetched_page(server):
    items = list(read_source(f"{server}/feed.xml", fetcher=Fetcher(min_interval=0)))
    assert [type(i) for i in items] == [RawArticle, RawArticle]
    full, teaser = items
    assert full.meta["publisher"] == "Example Wire" and full.meta["published"] == "2024-05-16"
    assert teaser.meta["url"].endswith("/linked.html") and teaser.meta["title"] == "Teaser entry"
    assert Handler.hits["/linked.html"] == 1 and Handler.hits["/full.html"] == 0


def test_urls_without_a_fetcher_are_an_error():
    [error] = read_source("http://127.0.0.1:9/x.html")
    assert isinstance(error, IngestError) and error.code == "E014"


def test_ingest_urls_twice_fetches_changed_pages_only(server, tmp_path, nlp):
    urls = tmp_path / "list.urls"
    urls.write_text(f"# pages to follow\n{server}/article.html\n{server}/private/secret.html\n")
    with Store(tmp_path / "s.db") as store:
        ingester = Ingester(store, nlp, fetch_interval=0)
        first = ingester.ingest([urls])
        second = ingester.ingest([urls])
        assert [e["code"] for e in store.errors()] == ["E014"]
    assert (first.counts["new"], first.counts["failed"]) == (1, 1)
    assert (second.counts["unchanged"], second.counts["new"]) == (1, 0)
    assert Handler.conditional["/article.html"] == 1


def _warc(path, pages):
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_html_responses_become_articles(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(path, [("https://news.example/a", page("First story"), "text/html; charset=utf-8"),
                 ("https://news.example/logo.png", b"\x89PNG....", "image/png"),
                 ("https://news.example/b", page("Second story"), "text/html")])
    items = list(read_source(path))
    assert [i.meta["url"] for i in items] == ["https://news.example/a", "https://news.example/b"]
    assert all(isinstance(i, RawArticle) and "Beijing" in i.text for i in items)


def test_corrupt_warc_is_one_error(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nnot really a warc\r\n\r\n" * 3)
    items = list(read_source(path))
    assert all(isinstance(i, IngestError) for i in items) and len(items) == 1
