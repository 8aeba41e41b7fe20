"""Turn one input file into :class:`~dyad.model.RawArticle` records.

``.txt`` is taken as it is; ``.html``/``.htm`` go through trafilatura for the main
text and metadata; ``.jsonl`` holds one article per line (``text`` or ``html``, and
optionally ``url``, ``title``, ``published``, ``publisher``, ``authors``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import trafilatura

from dyad.errors import IngestError
from dyad.ingest.decode import decode_bytes
from dyad.model import RawArticle

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_META_KEYS = ("url", "title", "published", "publisher", "authors")


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawArticle | IngestError]:
    """Yield the articles in one file, or IngestErrors for what cannot be read.

    A JSONL file yields one item per line, so one bad line does not lose the rest.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError("E005", source, limit=max_bytes, size=size)
        data = path.read_bytes()
        text, encoding = decode_bytes(data, source)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from _read_jsonl(path, text, encoding)
        elif suffix in (".html", ".htm"):
            yield _from_html(text, source, path.stem, {}, encoding)
        else:
            yield RawArticle(source=source, stem=path.stem, text=text, encoding=encoding, fmt="txt")
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError("E004", source, why=exc.strerror or str(exc))


def _read_jsonl(path: Path, text: str, encoding: str) -> Iterator[RawArticle | IngestError]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield IngestError("E007", str(path), line=number, why=str(exc))
            continue
        body = record.get("text") if isinstance(record, dict) else None
        html = record.get("html") if isinstance(record, dict) else None
        if not isinstance(body, str) and not isinstance(html, str):
            yield IngestError("E008", str(path), line=number)
            continue
        meta = {k: record[k] for k in _META_KEYS if record.get(k)}
        stem = str(record.get("id") or f"{path.stem}-{number}")
        try:
            if isinstance(body, str) and body.strip():
                yield RawArticle(source=source, stem=stem, text=body, meta=meta, encoding=encoding, fmt="jsonl")
            else:
                yield _from_html(html or "", source, stem, meta, encoding)
        except IngestError as exc:
            yield exc


def _from_html(html: str, source: str, stem: str, meta: dict, encoding: str) -> RawArticle:
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
