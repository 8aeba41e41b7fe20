"""Quotes extractor (pipeline component ``dyad_quotes``): results on ``doc._.quotes``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)


class QuoteExtractor:
    """Find quotes in a parsed Doc."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []
        return doc


@Language.factory("dyad_quotes", default_config={}, assigns=["doc._.quotes"])
def make_quotes(nlp: Language, name: str) -> QuoteExtractor:
    """Factory for :class:`QuoteExtractor`."""
    return QuoteExtractor()
