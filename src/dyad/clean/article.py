"""The cleaning stage's entry point: RawArticle in, CleanArticle out."""

from __future__ import annotations

from dyad.clean.boilerplate import classify_lines
from dyad.clean.metadata import extract_metadata
from dyad.clean.paragraphs import build_paragraphs
from dyad.clean.repetition import LineCounts
from dyad.model import CleanArticle, RawArticle


def clean_article(raw: RawArticle, repeated: LineCounts | None = None) -> CleanArticle:
    """Classify the lines of ``raw``, rebuild its clean text and find its metadata.

    ``repeated`` holds line counts over the batch the article came from (see
    :class:`~dyad.clean.repetition.LineCounts`); short lines that recur across
    many of its documents are then dropped as page chrome.
    """
    analysis = classify_lines(raw.text or "", repeated)
    meta = extract_metadata(raw, analysis)
    text, paragraphs = build_paragraphs(analysis.lines, glued_name=meta.publisher)
    return CleanArticle(raw=raw, lines=analysis.lines, text=text, paragraphs=paragraphs, meta=meta)
