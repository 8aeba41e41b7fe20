"""In-document entities: mentions grouped into one cluster per real-world thing.

The component ``dyad_entities`` (after ``dyad_entity_rules``) turns the corrected
``doc.ents`` into :class:`dyad.model.Entity` records on ``doc._.entities``:

1. name mentions are clustered by :mod:`dyad.nlp.entity_coref` (aliases, acronyms,
   surnames, spelling variants);
2. each person gets the roles the text gives (:mod:`dyad.nlp.entity_roles`), and
   definite descriptions such as "the Russian president" join the person they
   describe;
3. nominal events the model does not tag ("the war in Ukraine", "the Brics summit",
   "the general election") become EVENT entities (:mod:`dyad.nlp.entity_nominals`).

Dates, amounts and other numeric mentions are not entities.  Two helpers serve the
other extractors: :func:`entity_at` and :func:`nearest_person_before`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from dyad.model import Entity, EntityMention
from dyad.nlp import extensions  # noqa: F401  (registers Doc._.entities)
from dyad.nlp.entity_coref import Cluster, cluster_mentions, person_tokens
from dyad.nlp.entity_lexicon import PEER_TITLES, ROYAL_TITLES, Lexicon, lexicon, name_key
from dyad.nlp.entity_nominals import NOMINAL_TRIGGERS, nominal_events
from dyad.nlp.entity_roles import OFFICE_WORDS, describe_people
from dyad.nlp.entity_triggers import Triggers
from dyad.nlp.extensions import span_text

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
                          "INITIATIVE", "AGREEMENT", "PROJECT"})


class EntityClusters:
    """Group ``doc.ents`` into :class:`Entity` clusters on ``doc._.entities``."""

    def __init__(self, nlp: Language, labels: frozenset[str] = NAMED_LABELS, roles: bool = True,
                 nominals: bool = True) -> None:
        self.labels = labels
        self.roles = roles
        self.nominals = nominals
        self.lex: Lexicon = lexicon()
        self.triggers = Triggers(nlp.vocab, {"office": OFFICE_WORDS, **NOMINAL_TRIGGERS})

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)  # (doc.ents builds new Spans on every access)
        spans = [e for e in ents if e.label_ in self.labels and name_key(span_text(e))]
        entities = [_entity(doc, cl) for cl in cluster_mentions(doc, spans, self.lex)]
        triggers = self.triggers(doc) if self.roles or self.nominals else {}
        if self.roles:
            describe_people(doc, entities, self.lex, triggers.get("office", []), ents)
        if self.nominals:
            entities.extend(nominal_events(doc, entities, triggers, ents))
        entities.sort(key=lambda e: (e.mentions[0].start, e.mentions[0].end))
        for i, entity in enumerate(entities):
            entity.id = i
        doc._.entities = entities
        return doc


def _entity(doc: Doc, cl: Cluster) -> Entity:
    label = cl.label
    mentions = sorted((EntityMention(s.start_char, s.end_char, span_text(s)) for s in cl.spans), key=lambda m: m.start)
    return Entity(id=0, canonical=_canonical(doc, cl, label), label=label, mentions=mentions)


def _canonical(doc: Doc, cl: Cluster, label: str) -> str:
    """The lexicon's name, else the fullest form: most name words for people, longest otherwise."""
    if cl.canonical:
        return cl.canonical
    if label == "PERSON":
        forms = [" ".join(person_tokens(s)) for s in cl.spans]
        best = max(forms, key=lambda f: (len(f.split()), forms.count(f), -forms.index(f)))
        if len(best.split()) == 1:
            # "Lord Ashcroft", "Baroness Scotland": a peer's title is part of the name.
            titled = [" ".join(s.text.split()) for s in cl.spans if s[0].lower_ in PEER_TITLES | ROYAL_TITLES]
            return titled[0] if titled else best
        return best
    forms = [_form(doc, s) for s in cl.spans]
    return max(forms, key=lambda f: (len(f.split()), len(f), forms.count(f), -forms.index(f)))


def _form(doc: Doc, span: Span) -> str:
    return " ".join(span.text.split())


def entity_at(doc: Doc, start_char: int, end_char: int) -> Entity | None:
    """The entity owning a mention that overlaps ``[start_char, end_char)``, or None.

    When several mentions overlap, the largest overlap wins, then the tighter mention
    ("Ukraine" inside "the war in Ukraine" belongs to Ukraine).  An empty span asks for
    the mention holding that offset.
    """
    best: tuple[int, int] | None = None
    owner: Entity | None = None
    for entity in doc._.entities or []:
        for m in entity.mentions:
            overlap = min(end_char, m.end) - max(start_char, m.start)
            if overlap > 0 or (start_char == end_char and m.start <= start_char < m.end):
                score = (max(overlap, 0), -(m.end - m.start))
                if best is None or score > best:
                    best, owner = score, entity
    return owner


def nearest_person_before(doc: Doc, offset: int) -> Entity | None:
    """The PERSON entity with the latest mention starting before ``offset``, or None.

    Meant for pronoun resolution ("he said" → the last person named).
    """
    best_start = -1
    owner: Entity | None = None
    for entity in doc._.entities or []:
        if entity.label != "PERSON":
            continue
        for m in entity.mentions:
            if best_start < m.start < offset:
                best_start, owner = m.start, entity
    return owner


@Language.factory(
    "dyad_entities",
    default_config={"roles": True, "nominals": True},
    assigns=["doc._.entities"],
    requires=["doc.ents"],
)
def make_entity_clusters(nlp: Language, name: str, roles: bool, nominals: bool) -> EntityClusters:
    """Factory for :class:`EntityClusters` (after ``dyad_entity_rules``)."""
    return EntityClusters(nlp, roles=roles, nominals=nominals)
