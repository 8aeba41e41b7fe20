"""Figures extractor (pipeline component ``dyad_figures``): results on ``doc._.figures``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)


class FigureExtractor:
    """Find figures in a parsed Doc."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = []
        return doc


@Language.factory("dyad_figures", default_config={}, assigns=["doc._.figures"])
def make_figures(nlp: Language, name: str) -> FigureExtractor:
    """Factory for :class:`FigureExtractor`."""
    return FigureExtractor()
