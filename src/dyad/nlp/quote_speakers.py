"""Turn the token that names a speaker into the speaker's canonical name and role.

The attribution step (``quote_cues``) finds *which token* is the speaker: a name,
"he", "the Russian president", "Russian officials", "the statement".  This module
maps it onto ``doc._.entities`` so every quote from one person carries one full
name ("Ms Hewitt" → "Patricia Hewitt"), and keeps the role the text gives.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyad.model import Entity
from dyad.nlp.extensions import doc_text
from dyad.nlp.quote_lexicon import (DOCUMENT_NOUNS, DYAD_NOUNS, FUNCTIONARY_NOUNS, GROUP_NOUNS, HONORIFICS, ORG_NOUNS,
                                    PERSON_PRONOUNS, PLURAL_PRONOUNS, RELATIVE_PRONOUNS, ROLE_NOUNS, SPEECH_VERBS,
                                    THING_PRONOUNS, capital_countries)
from dyad.nlp.quote_phrases import Sentences, is_definite, name_phrase, noun_phrase, role_of, word_head

# How far back a pronoun may look for what it stands for: about three sentences of
# news prose.  A document under discussion ("the statement", "the section") stays
# in view for several paragraphs.
_PRONOUN_REACH_TOKENS = 120
_PRONOUN_REACH_SENTENCES = 5
_MAX_CHAIN = 6
_TITLE_REACH_TOKENS = 500
_DOCUMENT_REACH_TOKENS = 800
_DOCUMENT_REACH_CHARS = 4500
# Entity mentions are short; one starting this far before a token may still cover it.
_MAX_MENTION_CHARS = 80
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NOT_BODIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative", "attr"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "AGREEMENT", "LAW", "WORK_OF_ART", "INITIATIVE"})
# WORK_OF_ART is left out: the small model gives it to all sorts of capitalised
# phrases ("Global South"); such documents still count when their name says so.
_DOCUMENT_LABELS = frozenset({"AGREEMENT", "LAW"})


@dataclass
class Speaker:
    """A resolved speaker: display name, entity id (None for a plain noun phrase), role."""

    name: str
    entity: int | None = None
    role: str | None = None


class SpeakerResolver:
    """Resolve speaker tokens of one Doc; build once per Doc (indexes the mentions).

    ``quoted`` holds the (start, end) character ranges of quotations: names inside
    quoted words are not antecedents for "he said" after them.
    """

    def __init__(self, doc: Doc, quoted: list[tuple[int, int]], text: str | None = None,
                 sents: Sentences | None = None) -> None:
        self.doc = doc
        self.sents = sents or Sentences(doc)
        self._subjects: dict[int, list[Token]] = {}
        self.text = text = doc_text(doc) if text is None else text  # Doc.text joins every token
        self.entities: list[Entity] = list(doc._.entities or [])
        # Sort on offsets and entity id only: two entities can share a mention span.
        self._mentions = sorted(((m.start, m.end, e) for e in self.entities for m in e.mentions),
                                key=lambda t: (t[0], t[1], t[2].id))
        self._starts = [m[0] for m in self._mentions]
        self._quoted = quoted
        self._quoted_starts = q_starts = [q[0] for q in quoted]
        self._person_ids = {e.id for e in self.entities if _is_person(e, text)}
        people = [(s, e, ent) for s, e, ent in self._mentions
                  if ent.id in self._person_ids and not _inside(s, quoted, q_starts)]
        self._person_starts = [p[0] for p in people]
        self._person_ends = [p[1] for p in people]
        self._people = [p[2] for p in people]
        self._full_names = _full_names(self.entities, self._person_ids)
        self._genders = {e.id: g for e in self.entities if e.id in self._person_ids
                         and (g := _gender(e, text)) is not None}
        self._by_surface = _name_parts(self.entities, self._person_ids)
        self._by_surface.update({_surface_key(m.text): e for e in self.entities for m in e.mentions})
        self._folded: str | None = None

    # ------------------------------------------------------------------ lookups
    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity whose mention overlaps ``[start, end)`` most (earliest on ties)."""
        found = self._mention_at(start, end)
        return found[2] if found is not None else None

    def _mention_at(self, start: int, end: int) -> tuple[int, int, Entity] | None:
        best, owner = 0, None
        lo = bisect_left(self._starts, start - _MAX_MENTION_CHARS)
        hi = bisect_left(self._starts, end)
        for mention in self._mentions[lo:hi]:
            overlap = min(end, mention[1]) - max(start, mention[0])
            if overlap > best:
                best, owner = overlap, mention
        return owner

    def subjects_between(self, start: int, end: int) -> set[int]:
        """Ids of the named entities (people, parties, countries...) that are
        main-clause subjects between two offsets, outside quotes."""
        found: set[int] = set()
        i = bisect_left(self._starts, start)
        while i < len(self._starts) and self._starts[i] < end:
            s, e, entity = self._mentions[i]
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if (span is not None and not self._in_quote(s) and entity.label in _NAME_LABELS
                    and span.root in self._main_subjects(self.sents.index(span.root.i))):
                found.add(self._full_names.get(entity.id, entity).id)
            i += 1
        return found

    def referent(self, tok: Token, depth: int = 0, role: str | None = None) -> Speaker | None:
        """Who "he"/"she"/"the minister" at ``tok`` stands for.

        A person named earlier in the pronoun's own sentence comes first ("shows Mr
        Howard laughing at ..., which he calls"); then the nearest earlier
        main-clause subject, since that is the person the text is about: a named
        person, or a pronoun of the same gender resolved in turn ("Mr Balls said ...
        He also stressed ... '...,' he told a lunch"), or an unnamed "spokeswoman"
        (kept as the description rather than jumping to a named bystander).
        Failing that within a few sentences, the first person named going back.
        Courtesy titles give a gender ("Ms Robinson" is never "he"), and a title
        must agree with the roles the text gave a person ("the first minister" is
        not the one introduced as "Holyrood leader").
        """
        family, gender = _pronoun_family(tok.lower_), _PRONOUN_GENDER.get(tok.lower_)
        if role is None and tok.lemma_.lower() in ROLE_NOUNS:
            role = tok.lemma_.lower()

        def fits(entity: Entity) -> bool:
            """Gender and role agree with what the text said about ``entity``."""
            return self._gender_fits(entity, gender) and _role_fits(entity, role)

        k, seen, fallback = self.sents.index(tok.i), 0, None
        sent = self.sents.span(k)
        while seen < _PRONOUN_REACH_SENTENCES:
            for subj in reversed(self._main_subjects(k)):
                if subj.i >= tok.i or self._in_quote(subj.idx):
                    continue
                entity = self._person_at(subj, lambda e: self._gender_fits(e, gender))
                if entity is not None:
                    # A title that does not match the topic person's known roles
                    # ("the Spectator editor" after "Tory MP Boris Johnson") may still
                    # be that person: better no speaker than the next one back.
                    return self._from_entity(entity, None) if _role_fits(entity, role) else None
                if family and subj.lower_ in family and depth < _MAX_CHAIN:
                    found = self.referent(subj, depth + 1, role)
                    if found is not None:
                        return found
                elif _is_human_description(subj) and role is None and depth < _MAX_CHAIN:
                    return self._titled_name(subj) or self._description(subj, depth + 1)
            if sent.start <= tok.i < sent.end or fallback is None:
                fallback = self._last_person_in(sent, tok.i, fits) or fallback
                if fallback is not None and sent.start <= tok.i < sent.end:
                    return self._from_entity(fallback, None)
            if sent.start == 0:
                break
            if not all(self._in_quote(t.idx) for t in sent if not t.is_punct):
                seen += 1  # quoted sentences do not count towards the reach
            k -= 1
            sent = self.sents.span(k)
        return self._from_entity(fallback, None) if fallback is not None else None

    def _person_at(self, tok: Token, fits) -> Entity | None:
        """The person a subject names, directly or in apposition ("one of the
        Guildford Four, Gerry Conlon, said"), if ``fits`` accepts it."""
        verb = tok.head
        # The parser does not always attach the apposition to the subject: look at
        # names between the subject and its verb too.
        between = tok.doc[tok.i + 1:verb.i] if verb.i > tok.i else []
        apposed = [c for c in (*tok.children, *between) if c.dep_ in ("appos", "npadvmod") and c.pos_ == "PROPN"]
        for t in (tok, *apposed):
            entity = self.entity_at(t.idx, t.idx + len(t))
            if entity is not None and entity.id in self._person_ids:
                entity = self._full_names.get(entity.id, entity)
                return entity if fits(entity) else None
        return None

    def _gender_fits(self, entity: Entity, gender: str | None) -> bool:
        known = self._genders.get(entity.id)
        return gender is None or known is None or known == gender

    def is_person(self, speaker: Speaker | None) -> bool:
        """Is ``speaker`` a person entity of this Doc?"""
        return speaker is not None and speaker.entity in self._person_ids

    def _main_subjects(self, k: int) -> list[Token]:
        """Main-clause subjects of sentence ``k`` (cached: ``Span.root`` walks the
        whole sentence)."""
        if k not in self._subjects:
            self._subjects[k] = _main_subjects(self.sents.span(k))
        return self._subjects[k]

    def _in_quote(self, offset: int) -> bool:
        return _inside(offset, self._quoted, self._quoted_starts)

    def _last_person_in(self, sent: Span, before: int, fits) -> Entity | None:
        """The last person named in ``sent`` before token ``before``: a participant
        (subject, object) first, then anyone ("his impression of him as Dracula")."""
        found: list[tuple[bool, Entity]] = []
        for tok in reversed(sent[max(0, before - sent.start - _PRONOUN_REACH_TOKENS):]):
            if tok.i < before and tok.ent_type_ and tok.dep_ != "compound" and not self._in_quote(tok.idx):
                entity = self.entity_at(tok.idx, tok.idx + len(tok))
                if entity is not None and entity.id in self._person_ids:
                    entity = self._full_names.get(entity.id, entity)
                    if fits(entity):
                        found.append((tok.dep_ in _CORE_DEPS, entity))
        return next((e for core, e in found if core), found[0][1] if found else None)

    # ------------------------------------------------------------------ resolution
    def resolve(self, tok: Token) -> Speaker | None:
        """The speaker a subject token stands for; conjoined subjects give "A and B"."""
        heads = [tok] + [c for c in tok.conjuncts if c.i > tok.i] if tok.dep_ != "conj" else [tok]
        found = [s for s in (self._single(word_head(t)) or _any_sayer(word_head(t)) for t in heads) if s is not None]
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        names = list(dict.fromkeys(s.name for s in found))
        return Speaker(" and ".join(names), None, None)

    def _single(self, tok: Token) -> Speaker | None:
        low = tok.lower_
        if low in PERSON_PRONOUNS:
            return self.referent(tok)
        if low in THING_PRONOUNS or low in PLURAL_PRONOUNS:
            return self._antecedent(tok, plural=low in PLURAL_PRONOUNS)
        if low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            return self._single(tok.head.head)
        if tok.pos_ == "PRON":
            return None  # I, we, you, someone: nobody we can name
        entity = self.entity_at(tok.idx, tok.idx + len(tok))
        if entity is None or entity.id not in self._person_ids:
            named = self._apposed_person(tok) or self._titled_name(tok)
            if named is not None:
                return named
        if entity is not None and entity.label == "NORP" and tok.tag_ == "NNP" and _first_name_before(tok):
            entity = None  # "Mike German said": a surname the NER took for a nationality
        if entity is not None and entity.label in _NAME_LABELS:
            return self._from_entity(self._checked(entity, tok), tok)
        return self._description(tok)

    def _apposed_person(self, tok: Token) -> Speaker | None:
        """"The Shadow Secretary of State, Theresa May, said": the name in apposition
        speaks, the title is her role."""
        for child in tok.rights:
            if child.dep_ != "appos":
                continue
            entity = self.entity_at(child.idx, child.idx + len(child))
            if entity is not None and entity.id in self._person_ids:
                speaker = self._from_entity(entity, None)
            elif tok.lemma_.lower() in ROLE_NOUNS and child.pos_ == "PROPN" and " " in name_phrase(child):
                speaker = Speaker(name_phrase(child))  # a name after a title, missed by the NER
            else:
                continue
            speaker.role = noun_phrase(tok) + _of_phrase(tok)
            return speaker
        return None

    def _titled_name(self, tok: Token) -> Speaker | None:
        """"Shadow spokesman for sport Hugh Robertson said": a title whose phrase ends
        in a person's name (the parser hung the name inside the title) - the name
        speaks, the words before it are the role."""
        if tok.lemma_.lower() not in ROLE_NOUNS:
            return None
        last = tok.right_edge
        entity = self.entity_at(last.idx, last.idx + len(last)) if last.i > tok.i else None
        if entity is None or entity.id not in self._person_ids:
            return None
        first = last
        while first.i > tok.i and self.entity_at(first.idx - 1, first.idx) is entity:
            first = tok.doc[first.i - 1]
        speaker = self._from_entity(entity, None)
        speaker.role = tok.doc[tok.left_edge.i:first.i].text.strip(" ,") or speaker.role
        return speaker

    def _checked(self, entity: Entity, tok: Token) -> Entity:
        """Guard against a mention the NER ran into a verb ("Putin Arrives" in a
        headline): look the bare name up among the other entities instead."""
        mention = self._mention_at(tok.idx, tok.idx + len(tok))
        span = self.doc.char_span(mention[0], mention[1], alignment_mode="expand") if mention else None
        if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
            return entity
        name = name_phrase(tok).casefold()
        for other in self.entities:
            if other is not entity and any(m.text.casefold() == name for m in other.mentions):
                return other
        return entity

    def _from_entity(self, entity: Entity, tok: Token | None) -> Speaker:
        entity = self._full_names.get(entity.id, entity)
        name, ent_id = entity.canonical, entity.id
        if entity.label in ("GPE", "ORG"):
            country = capital_countries().get(entity.canonical.casefold())
            if country:
                # Metonymy: "Beijing said" is China speaking.
                name, ent_id = country, self._entity_named(country)
        role = role_of(tok) if tok is not None else None
        if role is None and entity.roles:
            role = entity.roles[0]
        return Speaker(name, ent_id, role)

    def _entity_named(self, name: str) -> int | None:
        key = name.casefold()
        return next((e.id for e in self.entities if e.canonical.casefold() == key), None)

    def _description(self, tok: Token, depth: int = 0) -> Speaker | None:
        """A common-noun speaker: a title, a group, an institution or a document."""
        lemma = tok.lemma_.lower()
        office_of = _of_phrase(tok) if lemma in ROLE_NOUNS else ""
        if office_of and tok.doc[tok.i + 2].pos_ == "PROPN":
            # "The Archbishop of Canterbury", "the Secretary of State": a named office.
            return Speaker(tok.text + office_of, None, None)
        if tok.pos_ == "PROPN" and lemma not in ROLE_NOUNS:
            # A name the NER missed here but found elsewhere ("Mr Balls, who ...").
            known = self._by_surface.get(_surface_key(name_phrase(tok)))
            if known is not None:
                return self._from_entity(known, tok)
            return Speaker(name_phrase(tok), None, role_of(tok))
        if lemma in DYAD_NOUNS and _is_pair(tok):
            return self._dyad(DYAD_NOUNS[lemma])
        definite = is_definite(tok)
        if (lemma in ROLE_NOUNS and lemma not in FUNCTIONARY_NOUNS and definite and tok.tag_ in ("NN", "NNP")
                and not _has_possessor(tok)):
            person = self._person_with_role(tok)
            if person is not None:
                return self._from_entity(person, None)
            # "The minister", "the Conservative leader": whoever the text is about,
            # provided the roles the text gave that person do not rule it out.
            return self.referent(tok, depth)
        if lemma in ROLE_NOUNS and definite and tok.tag_ in ("NN", "NNP"):
            person = self._person_with_role(tok)
            return self._from_entity(person, None) if person else Speaker(self._fuller_description(tok))
        if lemma in DOCUMENT_NOUNS and definite:
            owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            if owner is not None and self.resolve(owner) is not None:
                return self.resolve(owner)  # "Lord Butler's report said": Lord Butler says so
            return self._document_before(tok) or Speaker(self._fuller_description(tok))
        if any(w in lexicon for w in (lemma, tok.lower_)
               for lexicon in (GROUP_NOUNS, ORG_NOUNS, ROLE_NOUNS, DOCUMENT_NOUNS)):
            # (the surface form too: the lemmatiser makes "media" a "medium")
            return Speaker(self._fuller_description(tok) if definite else _for_whom(tok), None, None)
        return None

    def _person_with_role(self, tok: Token) -> Entity | None:
        """The last person introduced with this title ("President Putin", "Putin, the
        Russian president", "Tory co-chairman Liam Fox") before ``tok``: from the
        roles on ``doc._.entities``, else from the words around earlier mentions."""
        lemma = tok.lemma_.lower()
        titled = [e for e in self.entities if e.id in self._person_ids and e.roles and _role_fits(e, lemma)]
        if titled:
            latest = max(titled, key=lambda e: max((m.start for m in e.mentions if m.start < tok.idx), default=-1))
            if any(m.start < tok.idx for m in latest.mentions):
                return self._full_names.get(latest.id, latest)
        for cand in reversed(self.doc[max(0, tok.i - _TITLE_REACH_TOKENS):tok.i]):
            if cand.lemma_.lower() != lemma:
                continue
            for near in (cand.head, *cand.head.children, *cand.children, *cand.head.head.children):
                ent = self.entity_at(near.idx, near.idx + len(near))
                if ent is not None and ent.label == "PERSON" and abs(near.i - cand.i) <= 4:
                    return ent
        return None

    def _fuller_description(self, tok: Token) -> str:
        """"The spokesman" after "the prime minister's spokesman": the fuller earlier
        description of the same unnamed person."""
        short = noun_phrase(tok)
        for cand in reversed(self.doc[max(0, tok.i - _TITLE_REACH_TOKENS):tok.i]):
            if cand.lemma_ == tok.lemma_ and cand.pos_ == tok.pos_:
                longer = noun_phrase(cand)
                if len(longer) > len(short) and longer.endswith(short):
                    return longer
        return short

    def _document_before(self, tok: Token) -> Speaker | None:
        """The named document a definite "the statement"/"the section" points back to:
        of those named in the last few paragraphs, the one the article names most."""
        if self._folded is None:
            self._folded = self.text.casefold()
        text = self._folded
        found: dict[str, tuple[int, int, Speaker]] = {}  # name -> (salience, position, speaker)
        floor = tok.idx - _DOCUMENT_REACH_CHARS
        for s, _, ent in self._mentions[:bisect_left(self._starts, tok.idx)]:
            if s >= floor and (ent.label in _DOCUMENT_LABELS
                               or any(w in DOCUMENT_NOUNS for w in ent.canonical.lower().split())):
                salience = max(len(ent.mentions), text.count(ent.canonical.casefold()))
                found[ent.canonical] = (salience, s, Speaker(ent.canonical, ent.id, None))
        for cand in self.doc[max(0, tok.i - _DOCUMENT_REACH_TOKENS):tok.i]:
            # Named documents the NER left out ("the Joint Statement").
            if cand.lemma_.lower() in DOCUMENT_NOUNS and cand.pos_ == "PROPN" and cand.ent_type_ == "":
                name = name_phrase(cand)
                if name not in found and " " in name:
                    found[name] = (text.count(name.casefold()), cand.idx, Speaker(name, None, None))
        if not found:
            return None
        return max(found.values(), key=lambda f: (f[0], f[1]))[2]

    def _antecedent(self, tok: Token, plural: bool) -> Speaker | None:
        """What "it"/"they" stands for: the nearest earlier subject that fits."""
        for cand in reversed(self.doc[max(0, tok.i - _PRONOUN_REACH_TOKENS):tok.i]):
            if cand.dep_ not in _SUBJECT_DEPS or cand.pos_ == "PRON" or cand.lower_ in RELATIVE_PRONOUNS:
                continue
            is_plural = bool(list(cand.conjuncts)) or cand.tag_ in ("NNS", "NNPS")
            if is_plural != plural:
                continue
            entity = self.entity_at(cand.idx, cand.idx + len(cand))
            if not plural and ((entity is not None and entity.id in self._person_ids) or _is_human_description(cand)):
                continue  # "it" is never a person
            found = self.resolve(cand)
            if found is not None:
                return found
        return None

    def _dyad(self, label: str) -> Speaker | None:
        """'The two countries': the two entities of that kind the article names most."""
        counts = Counter({e.id: len(e.mentions) for e in self.entities if e.label == label})
        top_ids = {i for i, _ in counts.most_common(2)}
        top = [e for e in self.entities if e.id in top_ids]
        if len(top) < 2:
            return None
        top.sort(key=lambda e: e.mentions[0].start)
        return Speaker(" and ".join(e.canonical for e in top), None, None)


def _is_person(entity: Entity, text: str) -> bool:
    """A PERSON entity, or one the NER mislabelled that is named with "Mr", "Dr"...
    (inside the mention or right before it)."""
    if entity.label == "PERSON":
        return True
    for m in entity.mentions:
        words = (text[max(0, m.start - 12):m.start].split()[-1:] or [""]) + m.text.split(" ", 1)[:1]
        if any(w.rstrip(".") in HONORIFICS for w in words):
            return True
    return False


def _surface_key(text: str) -> str:
    words = [w for w in text.replace("’s", "").replace("'s", "").split() if w.rstrip(".") not in HONORIFICS]
    return " ".join(words).casefold()


def _name_parts(entities: list[Entity], person_ids: set[int]) -> dict[str, Entity]:
    """Surname (or Chinese family name) → the one full-name person entity bearing it."""
    by_part: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        words = [w for w in e.canonical.split() if w.rstrip(".") not in HONORIFICS]
        if e.id in person_ids and len(words) >= 2:
            # Family names come first in Chinese names, last in most others.
            for part in {words[0].casefold(), words[-1].casefold()}:
                by_part[part].append(e)
    return {part: found[0] for part, found in by_part.items() if len(found) == 1}


def _full_names(entities: list[Entity], person_ids: set[int]) -> dict[int, Entity]:
    """Short person entities ("Ms Hewitt", "Blair") → the one full-name person entity
    with that surname ("Patricia Hewitt"), when exactly one exists."""
    parts = _name_parts(entities, person_ids)
    out: dict[int, Entity] = {}
    for e in entities:
        words = [w for w in e.canonical.split() if w.rstrip(".") not in HONORIFICS]
        if e.id in person_ids and len(words) == 1 and words[0].casefold() in parts:
            out[e.id] = parts[words[0].casefold()]
    return out


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_FEMALE_TITLES = frozenset({"Mrs", "Ms", "Miss", "Dame", "Lady", "Baroness"})
_MALE_TITLES = frozenset({"Mr", "Sir", "Lord", "Baron"})


def _gender(entity: Entity, text: str) -> str | None:
    """'f' or 'm' when a courtesy title before a mention says so, else None."""
    for m in entity.mentions:
        words = text[max(0, m.start - 12):m.start].split()[-1:] + m.text.split(" ", 1)[:1]
        for w in words:
            w = w.rstrip(".")
            if w in _FEMALE_TITLES:
                return "f"
            if w in _MALE_TITLES:
                return "m"
    return None


def _role_fits(entity: Entity, role: str | None) -> bool:
    """Can a person with ``entity.roles`` be called "the <role>"?  Unknown roles fit."""
    if role is None or not entity.roles:
        return True
    for text in entity.roles:
        for word in re.findall(r"[\w-]+", text.lower()):
            if word == role or word.endswith("-" + role) or word == role + "s":
                return True
    return False


def _pronoun_family(word: str) -> frozenset[str]:
    if word in ("he", "him", "his"):
        return frozenset({"he", "him", "his"})
    if word in ("she", "her", "hers"):
        return frozenset({"she", "her", "hers"})
    return frozenset()


def _is_human_description(tok: Token) -> bool:
    """A singular description of a person as a subject: "a spokeswoman", "one of ..."."""
    lemma = tok.lemma_.lower()
    return tok.tag_ in ("NN", "CD") and (lemma in ROLE_NOUNS or (lemma == "one" and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)))


def _main_subjects(sent: Span) -> list[Token]:
    """Subjects of the sentence's main clauses, in text order, with the possessor of a
    subject standing in for it ("Mr Campbell's e-mail suggested" → Campbell)."""
    root = sent.root
    heads = [root] + [c for c in root.children if c.dep_ == "conj"]
    out = []
    for head in heads:
        for c in head.children:
            if c.dep_ in _SUBJECT_DEPS:
                owner = next((p for p in c.children if p.dep_ == "poss" and p.pos_ == "PROPN"), None)
                out.append(owner or c)
    return sorted(out, key=lambda t: t.i)


def _inside(offset: int, ranges: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect_right(starts, offset) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _is_pair(tok: Token) -> bool:
    return tok.tag_ in ("NNS", "NNPS") and any(c.lower_ in ("two", "both") for c in tok.children)


def _has_possessor(tok: Token) -> bool:
    return any(c.dep_ == "poss" for c in tok.children)


def _for_whom(tok: Token) -> str:
    """"A spokeswoman for Human Rights Watch" → "Human Rights Watch spokeswoman", "an
    analysis in The Insider" → "Insider analysis": the body a spokesperson speaks
    for or a document comes from, named first as in "Cabinet Office spokeswoman"."""
    for prep in sorted(tok.rights, key=lambda c: c.lower_ != "by"):
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "from", "in", "by"):
            obj = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"
                        and c.ent_type_ not in _NOT_BODIES), None)
            if obj is not None:
                body = tok.doc[obj.left_edge.i:obj.i + 1]
                words = body.text[4:] if body.text.lower().startswith("the ") else body.text
                return f"{words} {noun_phrase(tok)}"
    return noun_phrase(tok)


def _any_sayer(tok: Token) -> Speaker | None:
    """Whatever noun is the subject of "say" is a speaker, named as written
    ("detainee 'A' in Woodhill Prison said:")."""
    if tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in SPEECH_VERBS:
        return Speaker(noun_phrase(tok) + _of_phrase(tok), None, None)
    return None


def _first_name_before(tok: Token) -> bool:
    """Is ``tok`` preceded by a capitalised given name in compound ("Mike German")?"""
    return any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1 and c.text[:1].isupper()
               and c.ent_type_ in ("", "PERSON") for c in tok.lefts)


def _of_phrase(tok: Token) -> str:
    """" of State for the Family" after a title, as written."""
    doc = tok.doc
    of = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    return "" if of is None else " " + doc[of.i:of.right_edge.i + 1].text
