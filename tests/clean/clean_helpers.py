"""Helpers shared by the cleaning tests."""

from __future__ import annotations

from pathlib import Path

from dyad.clean.article import clean_article
from dyad.model import RawArticle


def article(*lines: str, sep: str = "\n\n", **meta):
    """Clean a synthetic article made of ``lines`` (blank-line separated by default)."""
    return clean_article(RawArticle(source="test", stem="test", text=sep.join(lines), meta=meta))


def kinds(art) -> dict[str, tuple[str, str]]:
    """Map stripped line text -> (kind, reason) for the non-blank lines of a result."""
    return {ln.text.strip(): (ln.kind, ln.reason) for ln in art.lines if ln.kind != "blank"}


def dropped(art) -> set[str]:
    """Stripped texts of the lines classified as boilerplate."""
    return {ln.text.strip() for ln in art.lines if ln.kind == "boilerplate"}


def read_text(path: Path) -> str:
    """Read a sample file as the ingest stage would (UTF-8, else Latin-1)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
