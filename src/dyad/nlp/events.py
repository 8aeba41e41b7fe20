"""Events extractor (pipeline component ``dyad_events``): results on ``doc._.events``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)


class EventExtractor:
    """Find events in a parsed Doc."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = []
        return doc


@Language.factory("dyad_events", default_config={}, assigns=["doc._.events"])
def make_events(nlp: Language, name: str) -> EventExtractor:
    """Factory for :class:`EventExtractor`."""
    return EventExtractor()
