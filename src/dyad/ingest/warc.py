"""WARC files (e.g. a news crawl): one article per HTML response record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from dyad.errors import IngestError
from dyad.model import RawArticle


def read_warc(path: Path, html_article: Callable[..., RawArticle]) -> Iterator[RawArticle | IngestError]:
    """Articles from the HTML responses of a WARC (gzipped or not)."""
    with path.open("rb") as stream:
        number = 0
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers
                            else record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in content_type:
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            if status != "200":
                continue
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{number}"
            payload = record.content_stream().read()
            try:
                html = payload.decode(_charset(content_type) or "utf-8", errors="replace")
                yield html_article(html, url, f"{path.stem.split('.')[0]}-{number}", {"url": url})
            except IngestError as exc:
                yield exc
            except Exception as exc:  # noqa: BLE001 - one bad record must not lose the records after it
                yield IngestError("E010", url, why=f"{type(exc).__name__}: {exc}"[:300])
    if number == 0:
        yield IngestError("E015", str(path))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None
