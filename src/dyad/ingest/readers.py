"""Turn one input (a file or a URL) into :class:`~dyad.model.RawArticle` records.

``.txt`` is taken as it is; ``.html``/``.htm`` go through trafilatura for the main
text and metadata; ``.jsonl`` holds one article per line (``text`` or ``html``, and
optionally ``url``, ``title``, ``published``, ``publisher``, ``authors``);
``.warc``/``.warc.gz`` hold crawled responses; ``.rss``/``.atom``/``.xml`` are
feeds; ``.urls`` lists URLs to fetch, one per line; an ``http(s)://`` input is
fetched (a page or a feed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from dyad.errors import IngestError
from dyad.ingest.decode import decode_bytes, scrub_surrogates
from dyad.ingest.feeds import looks_like_feed, read_feed
from dyad.ingest.fetch import Fetcher, FetchError
from dyad.ingest.warc import read_warc
from dyad.model import RawArticle

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_META_KEYS = ("url", "title", "published", "publisher", "authors")


@dataclass
class NotModified:
    """A fetched URL whose content has not changed since the last run."""

    source: str


Item = RawArticle | IngestError | NotModified


def read_source(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES,
                fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Yield the articles in one input, or IngestErrors for what cannot be read.

    A JSONL file yields one item per line, so one bad line does not lose the rest.
    URLs need a ``fetcher``.  Every string yielded encodes as UTF-8 (see
    :func:`~dyad.ingest.decode.scrub_surrogates`).
    """
    for item in _read_source(path, max_bytes, fetcher):
        yield _scrubbed(item)


def _scrubbed(item: Item) -> Item:
    item.source = scrub_surrogates(item.source)
    if isinstance(item, RawArticle):
        item.stem, item.text, item.meta = scrub_surrogates(item.stem), scrub_surrogates(item.text), _scrub(item.meta)
    elif isinstance(item, IngestError):
        item.reason = scrub_surrogates(item.reason)
    return item


def _scrub(value: object) -> object:
    if isinstance(value, str):
        return scrub_surrogates(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _read_source(path: Path | str, max_bytes: int, fetcher: Fetcher | None) -> Iterator[Item]:
    if isinstance(path, str):
        yield from read_url(path, fetcher)
        return
    source = str(path)
    try:
        if path.name.lower().endswith((".warc", ".warc.gz")):  # streamed: no whole-file size limit
            yield from read_warc(path, html_article)
            return
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError("E005", source, limit=max_bytes, size=size)
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if suffix in (".rss", ".atom", ".xml"):
            yield from read_feed(data, source, html_article, _page_reader(fetcher))
            return
        text, encoding = decode_bytes(data, source)
        if suffix == ".urls":
            for url in (ln.strip() for ln in text.splitlines()):
                if url and not url.startswith("#"):
                    yield from read_url(url, fetcher)
        elif suffix == ".jsonl":
            yield from _read_jsonl(path, text, encoding)
        elif suffix in (".html", ".htm"):
            yield html_article(text, source, path.stem, {}, encoding)
        else:
            yield RawArticle(source=source, stem=path.stem, text=text, encoding=encoding, fmt="txt")
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError("E004", source, why=exc.strerror or str(exc))
    except Exception as exc:  # noqa: BLE001 - a corrupt WARC or feed must not stop the run
        yield IngestError("E004", source, why=f"{type(exc).__name__}: {exc}"[:300])


def _read_jsonl(path: Path, text: str, encoding: str) -> Iterator[RawArticle | IngestError]:
    # Each line is its own source (``file.jsonl:N``), for its errors too: two bad
    # lines are two error records, and a line that later succeeds clears its own.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield IngestError("E007", source, line=number, why=str(exc))
            continue
        except RecursionError:  # "[[[[…" nested deeper than Python's recursion limit
            yield IngestError("E007", source, line=number, why="nested too deeply")
            continue
        body = record.get("text") if isinstance(record, dict) else None
        html = record.get("html") if isinstance(record, dict) else None
        if not isinstance(body, str) and not isinstance(html, str):
            yield IngestError("E008", source, line=number)
            continue
        meta = {k: record[k] for k in _META_KEYS if record.get(k)}
        stem = str(record.get("id") or f"{path.stem}-{number}")
        try:
            if isinstance(body, str) and body.strip():
                yield RawArticle(source=source, stem=stem, text=body, meta=meta, encoding=encoding, fmt="jsonl")
            else:
                yield html_article(html or "", source, stem, meta, encoding)
        except IngestError as exc:
            yield exc
        except Exception as exc:  # noqa: BLE001 - one bad line must not lose the lines after it
            yield IngestError("E010", source, why=f"{type(exc).__name__}: {exc}"[:300])


def read_url(url: str, fetcher: Fetcher | None) -> Iterator[Item]:
    """Fetch a URL: a feed yields its entries, a page its article."""
    if fetcher is None:
        yield IngestError("E014", url, why="fetching is not enabled for this run")
        return
    try:
        fetched = fetcher.get(url)
    except FetchError as exc:
        yield IngestError("E014", url, why=str(exc))
        return
    if fetched.not_modified:
        yield NotModified(url)
    elif looks_like_feed(fetched.content, fetched.content_type):
        yield from read_feed(fetched.content, url, html_article, _page_reader(fetcher))
    else:
        try:
            html, encoding = decode_bytes(fetched.content, url)
            stem = url.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "page"
            yield html_article(html, url, stem, {"url": fetched.url}, encoding)
        except IngestError as exc:
            yield exc


def _page_reader(fetcher: Fetcher | None):
    return (lambda url: read_url(url, fetcher)) if fetcher else None


def html_article(html: str, source: str, stem: str, meta: dict, encoding: str = "utf-8") -> RawArticle:
    """Main text and metadata of an HTML page; metadata already given wins."""
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if doc is None or not (doc.text or "").strip():
        raise IngestError("E006", source)
    found = {
        "title": doc.title,
        "url": doc.url,
        "published": doc.date,
        "publisher": doc.sitename,
        "authors": [a.strip() for a in (doc.author or "").split(";") if a.strip()],
    }
    merged = {k: v for k, v in found.items() if v} | meta
    return RawArticle(source=source, stem=stem, text=doc.text, meta=merged, encoding=encoding, fmt="html")
