"""In-document entities: mentions grouped into one cluster per real-world thing.

A first version: identical names (ignoring a leading "the" and a possessive) are
one entity, and a one-word PERSON mention that is the surname or family name of
exactly one longer PERSON name joins it ("Putin" → "Vladimir Putin", "Xi" → "Xi
Jinping").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from dyad.model import Entity, EntityMention
from dyad.nlp import extensions  # noqa: F401  (registers Doc._.entities)

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
                          "INITIATIVE", "AGREEMENT", "PROJECT"})
_POSSESSIVE = re.compile(r"[’']s$")
_LEADING_THE = re.compile(r"^the\s+", re.I)


def surface_key(text: str) -> str:
    """Comparison key of a mention: no leading 'the', no possessive, case-folded."""
    text = _POSSESSIVE.sub("", " ".join(text.split()))
    return _LEADING_THE.sub("", text).casefold()


class EntityClusters:
    """Group ``doc.ents`` into :class:`Entity` clusters on ``doc._.entities``."""

    def __init__(self, labels: frozenset[str] = NAMED_LABELS) -> None:
        self.labels = labels

    def __call__(self, doc: Doc) -> Doc:
        groups: dict[str, list[Span]] = defaultdict(list)
        for ent in doc.ents:
            if ent.label_ in self.labels and surface_key(ent.text):
                groups[surface_key(ent.text)].append(ent)
        _join_surnames(groups)
        entities = [_entity(members) for members in groups.values()]
        entities.sort(key=lambda e: e.mentions[0].start)
        for i, entity in enumerate(entities):
            entity.id = i
        doc._.entities = entities
        return doc


def _entity(members: list[Span]) -> Entity:
    label = Counter(m.label_ for m in members).most_common(1)[0][0]
    forms = [_clean_form(m.text) for m in members]
    distinct = list(dict.fromkeys(forms))
    canonical = max(distinct, key=lambda f: (len(f.split()) if label == "PERSON" else 0, forms.count(f),
                                             -distinct.index(f)))
    mentions = sorted((EntityMention(m.start_char, m.end_char, m.text) for m in members), key=lambda m: m.start)
    return Entity(id=0, canonical=canonical, label=label, mentions=mentions)


def _join_surnames(groups: dict[str, list[Span]]) -> None:
    people = [k for k, ms in groups.items() if sum(m.label_ == "PERSON" for m in ms) * 2 > len(ms)]
    by_name_part: dict[str, list[str]] = defaultdict(list)
    for key in people:
        words = key.split()
        if len(words) > 1:
            # Family names come first in Chinese names, last in most others.
            for word in {words[0], words[-1]}:
                by_name_part[word].append(key)
    for key in people:
        targets = by_name_part.get(key)
        if len(key.split()) == 1 and targets and len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))


def _clean_form(text: str) -> str:
    return _POSSESSIVE.sub("", " ".join(text.split()))


@Language.factory("dyad_entities", default_config={}, assigns=["doc._.entities"], requires=["doc.ents"])
def make_entity_clusters(nlp: Language, name: str) -> EntityClusters:
    """Factory for :class:`EntityClusters` (after ``ner``)."""
    return EntityClusters()
