"""RSS/Atom feeds: one article per entry, its full text fetched when the feed has none."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import feedparser

from dyad.errors import IngestError
from dyad.model import RawArticle

# An entry whose content has fewer words than this is a teaser: fetch the page.
FULL_TEXT_WORDS = 150
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:RDF")


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """RSS/Atom by content type or by the document's first element."""
    if any(t in content_type for t in ("rss", "atom")):
        return True
    head = data[:2048].lstrip()
    return any(m in head for m in FEED_MARKERS)


def read_feed(data: bytes, source: str, html_article: Callable[..., RawArticle],
              fetch_page: Callable[[str], Iterator[RawArticle | IngestError]] | None
              ) -> Iterator[RawArticle | IngestError]:
    """Articles of a feed: entry content when it is the full text, else the linked page."""
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield IngestError("E012", source, why=str(feed.get("bozo_exception", "unreadable feed")))
        return
    publisher = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        meta = _entry_meta(entry, publisher)
        stem = f"{_stem_of(source)}-{number}"
        html = _entry_html(entry)
        entry_source = meta.get("url") or f"{source}#{number}"
        if html and len(html.split()) >= FULL_TEXT_WORDS:
            try:
                yield html_article(html, entry_source, stem, meta)
            except IngestError as exc:
                yield exc
        elif meta.get("url") and fetch_page:
            for item in fetch_page(meta["url"]):
                if isinstance(item, RawArticle):
                    item.meta = {**item.meta, **{k: v for k, v in meta.items() if k != "publisher"}}
                yield item
        else:
            yield IngestError("E013", entry_source)


def _entry_meta(entry: dict, publisher: str | None) -> dict:
    meta: dict = {"url": entry.get("link"), "title": entry.get("title"), "publisher": publisher}
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        meta["published"] = time.strftime("%Y-%m-%d", stamp)
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if authors:
        meta["authors"] = authors
    return {k: v for k, v in meta.items() if v}


def _entry_html(entry: dict) -> str:
    contents = entry.get("content") or []
    if contents:
        return max((c.get("value", "") for c in contents), key=len)
    return entry.get("summary", "")


def _stem_of(source: str) -> str:
    tail = source.rstrip("/").rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[0] or "feed"
