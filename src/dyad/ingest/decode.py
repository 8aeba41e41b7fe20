"""Bytes to text: BOMs, UTF-8, then a charset detector; binary input is refused."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from dyad.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never occur in real text (tab, LF, CR, FF are fine).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of one input file.

    A byte-order mark decides; otherwise strict UTF-8 is tried, then
    charset-normalizer's best guess (the BBC corpus has a Latin-1 file).  Line
    endings are normalised to ``\\n``.  Raises :class:`IngestError` for empty,
    binary or undecodable input.
    """
    if not data.strip():
        raise IngestError("E001", source)
    text, encoding = _decode(data, source)
    if _looks_binary(text):
        raise IngestError("E002", source)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise IngestError("E004", source, why=f"invalid {encoding}: {exc.reason}") from exc
    if b"\x00" in data[:4096]:
        raise IngestError("E002", source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    best = from_bytes(data).best()
    if best is None:
        raise IngestError("E003", source)
    return str(best), best.encoding


def _as_western(data: bytes) -> str | None:
    """Windows-1252 text when every non-ASCII character it yields is a plausible one.

    Detectors guess badly on mostly-ASCII text with a few high bytes (a "£" in a
    BBC story reads as Shift-JIS); Latin letters, currency signs and typographic
    punctuation are what such bytes nearly always are in Western news text.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    extra = {ch for ch in text if ord(ch) > 127}
    return text if all(_plausible_western(ch) for ch in extra) else None


def _plausible_western(ch: str) -> bool:
    return ("\u00a0" <= ch <= "\u00ff" and ch not in "\u00a4\u00a6\u00a8\u00af\u00b8\u00be\u00d7\u00f7") or ch in _TYPOGRAPHIC


_TYPOGRAPHIC = frozenset("\u20ac\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u2122\u0152\u0153\u0160\u0161\u017d\u017e\u0178")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\f\r")
    return "\x00" in sample or controls > max(8, len(sample) // 100)


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """``text`` made encodable as UTF-8: lone surrogates replaced.

    They come from file names that are not UTF-8 (Python keeps each bad byte as a
    surrogate: it becomes ``\\xe9``) and from JSON escapes like ``"\\ud800"`` (they
    become U+FFFD); either would make every later UTF-8 encode, and so the store, fail.
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: _surrogate_repr(m.group()), text)


def _surrogate_repr(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"
