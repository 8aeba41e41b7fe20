"""Text-level cleaning: classify each line, rebuild clean text, find metadata.

``clean_article(raw)`` is the stage's single entry point; the line classifier lives
in :mod:`dyad.clean.boilerplate`, metadata in :mod:`dyad.clean.metadata`.
"""

from dyad.clean.article import clean_article

__all__ = ["clean_article"]
