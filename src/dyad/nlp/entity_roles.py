"""Roles of people and the descriptions that refer to them.

Roles are what the text says a person is:

- a title before the name: "Russian foreign minister Sergei Lavrov", "U.S. Secretary of
  State Antony Blinken", "his Chinese counterpart Xi Jinping";
- an apposition after it: "Alexander Gabuev, a China and Russia expert at the
  Carnegie Russia Eurasia Center, said";
- a description before it: "the Russian president, Vladimir Putin".

A definite description elsewhere ("the Russian president", "the new defence
minister", "the Russian leader") then joins the person whose roles it fits: the same
office ("leader" fits any head of state or government), no other nationality, and of
several such people the one mentioned last.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from dyad.model import Entity, EntityMention
from dyad.nlp.extensions import span_text
from dyad.nlp.entity_lexicon import (HONORIFICS, LEADER_EQUIVALENT, ROLE_NOUNS, ROYAL_TITLES, TITLE_WORDS, Lexicon,
                                     name_key)

OFFICE_WORDS = ROLE_NOUNS | TITLE_WORDS
# Modifiers a description may add without changing whom it fits.
_TEMPORAL = frozenset({"new", "former", "current", "then", "outgoing", "incoming", "acting", "late", "newly",
                       "appointed", "sitting", "serving", "powerful", "veteran", "longtime", "long-time"})
_APPOS_STOP = frozenset({",", ";", ".", ")", "(", "—", "–", ":", "\"", "“", "”", "who", "which", "that",
                         "whose", "whom", "where", "when"})
_RELATIVE = frozenset({"who", "which", "that", "whose", "whom"})
_ROLE_PREPOSITIONS = frozenset({"of", "at", "on", "for", "in", "with", "to", "from", "and"})
_MAX_APPOSITION = 25


def describe_people(doc: Doc, entities: list[Entity], lex: Lexicon, offices: list[Token],
                    ents: list[Span]) -> None:
    """Fill ``roles`` of the PERSON entities and add description mentions to them.

    ``offices`` are the tokens of :data:`OFFICE_WORDS` in ``doc`` (heads of possible
    descriptions such as "the Russian president"); ``ents`` is ``list(doc.ents)``.
    """
    people = [e for e in entities if e.label == "PERSON"]
    named = {(m.start, m.end) for e in entities for m in e.mentions}
    for person in people:
        for mention in list(person.mentions):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for role, described in _roles_around(doc, span):
                if role not in person.roles:
                    person.roles.append(role)
                if described is not None and (described.start_char, described.end_char) not in named:
                    person.mentions.append(EntityMention(described.start_char, described.end_char,
                                                         span_text(described)))
                    named.add((described.start_char, described.end_char))
    if people:
        _resolve_descriptions(doc, people, named, lex, offices, ents)
    for person in people:
        person.mentions.sort(key=lambda m: m.start)


def _roles_around(doc: Doc, span: Span) -> list[tuple[str, Span | None]]:
    """(role, description span or None) for one person mention."""
    found = []
    if (title := _title_before(doc, span)) is not None:
        found.append((span_text(title), None))
    if (appos := _apposition_after(doc, span)) is not None:
        found.append((span_text(appos), None))
    if (desc := _description_before(doc, span)) is not None:
        found.append((span_text(desc), desc))
    return found


def _title_before(doc: Doc, span: Span) -> Span | None:
    """The job title right before (or at the start of) a name: "Russian foreign minister"."""
    if span[0].lower_ in ROYAL_TITLES:
        return None  # "Prince Harry": the title is part of the name
    end = span.start
    # The model sometimes includes the title in the name ("President Vladimir Putin").
    while end < span.end - 1 and (doc[end].lower_ in OFFICE_WORDS or doc[end].lower_.rstrip(".") in HONORIFICS):
        end += 1
    start = end
    while start > 0 and end - start < 8 and _title_token(doc, start - 1, end):
        start -= 1
    while start < end and (doc[start].lower_ in ("of", "and", "for") or doc[start].tag_ == "POS"
                           or not doc[start].is_alpha and not doc[start].ent_type_):
        start += 1
    words = doc[start:end]
    if not words or not any(t.lower_ in OFFICE_WORDS for t in words):
        return None
    if all(t.lower_.rstrip(".") in HONORIFICS for t in words):
        return None
    return words


def _title_token(doc: Doc, i: int, end: int) -> bool:
    token = doc[i]
    if token.lower_ in OFFICE_WORDS:
        return True
    if token.is_punct or token.pos_ in ("DET", "PRON", "VERB", "AUX", "ADP", "CCONJ", "SCONJ", "ADV", "NUM"):
        # "Secretary of State", "Trade and Industry Secretary": connectors inside a title.
        return token.lower_ in ("of", "and", "for") and doc[i + 1].is_title and i + 1 < end and i > 0 \
            and doc[i - 1].is_title
    if token.tag_ == "POS":
        return i > 0 and doc[i - 1].pos_ == "PROPN"  # "Britain's ambassador"
    if token.ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL") or token.lower_.rstrip(".") in HONORIFICS:
        return False
    return token.pos_ in ("ADJ", "NOUN", "PROPN")


def _apposition_after(doc: Doc, span: Span) -> Span | None:
    """", a Russian diplomat who…" → "a Russian diplomat" (None if no apposition)."""
    i = span.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    first = doc[i + 1]
    opens = first.pos_ == "DET" or first.lower_ in ("his", "her", "of") or first.is_lower and \
        first.pos_ in ("ADJ", "NOUN") or first.ent_type_ in ("GPE", "NORP", "ORG") and \
        i + 2 < len(doc) and doc[i + 2].tag_ == "POS"
    if not opens or first.lower_ in _RELATIVE:
        return None
    end = i + 1
    while end < len(doc) and end - i <= _MAX_APPOSITION and doc[end].text not in _APPOS_STOP \
            and not (doc[end].pos_ in ("VERB", "AUX") and doc[end].dep_ not in ("amod", "compound")) \
            and doc[end].text != "\n":
        end += 1
    words = doc[i + 1:end]
    if len(words) < 2 or end - i > _MAX_APPOSITION or not any(t.pos_ == "NOUN" for t in words):
        return None
    if end < len(doc) and doc[end].text not in _APPOS_STOP:
        return None  # stopped at a verb: "For Putin, the forum provided…" is a clause
    if any(t.ent_type_ == "PERSON" for t in words):
        return None  # a list of people, not a description
    return words


def _description_before(doc: Doc, span: Span) -> Span | None:
    """"the Russian president, Vladimir Putin" → "the Russian president"."""
    comma = span.start - 1
    if comma < 2 or doc[comma].text != "," or doc[comma - 1].lower_ not in OFFICE_WORDS:
        return None
    start = comma - 1
    while start > 0 and comma - start < 6 and doc[start - 1].pos_ in ("ADJ", "NOUN", "PROPN", "DET"):
        start -= 1
        if doc[start].pos_ == "DET":
            break
    if doc[start].lower_ != "the":
        return None
    return doc[start:comma]


def _resolve_descriptions(doc: Doc, people: list[Entity], named: set[tuple[int, int]], lex: Lexicon,
                          offices: list[Token], ents: list[Span]) -> None:
    covered = {i for e in ents for i in range(e.start, e.end)}
    for token in offices:
        if token.lower_ not in OFFICE_WORDS or token.i in covered or not (
                token.tag_ == "NN" or token.tag_ == "NNP" and token.lower_ in TITLE_WORDS):
            continue  # "the Scottish Executive" is a body, "the Prime Minister" a person
        desc = _definite_description(doc, token)
        if desc is None or (desc.start_char, desc.end_char) in named:
            continue
        person = _fitting_person(doc, desc, people, lex)
        if person is not None:
            person.mentions.append(EntityMention(desc.start_char, desc.end_char, span_text(desc)))
            named.add((desc.start_char, desc.end_char))


def _definite_description(doc: Doc, head: Token) -> Span | None:
    """"the [new] [Russian] [defence] minister" ending at ``head``, not followed by a name."""
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if nxt is not None and (nxt.ent_type_ == "PERSON" or nxt.lower_ in OFFICE_WORDS or nxt.lower_ == "of"
                            or nxt.text == "," and head.i + 2 < len(doc) and doc[head.i + 2].ent_type_ == "PERSON"):
        return None
    start = head.i
    while start > 0 and head.i - start < 4:
        prev = doc[start - 1]
        if prev.lower_ == "the":
            return doc[start - 1:head.i + 1]
        if prev.is_punct or prev.pos_ not in ("ADJ", "NOUN", "PROPN") or prev.ent_type_ == "PERSON":
            return None
        start -= 1
    return None


def _fitting_person(doc: Doc, desc: Span, people: list[Entity], lex: Lexicon) -> Entity | None:
    words = [t.lower_ for t in desc[1:]]
    head = words[-1]
    countries = {c for w in words if (c := lex.country_of(w))}
    needed = {w for w in words[:-1] if not lex.country_of(w) and w not in _TEMPORAL}
    best: tuple[int, int, int] | None = None
    chosen = None
    for person in people:
        last_before = max((m.start for m in person.mentions if m.start < desc.start_char), default=-1)
        if last_before < 0:
            continue
        for role in person.roles:
            fit, extra = _fit(role, head, needed, countries, lex)
            # Prefer the role the description repeats most exactly ("the foreign
            # secretary" is the Foreign Secretary, not the Shadow Foreign Secretary).
            if fit and (best is None or (fit, -extra, last_before) > best):
                best, chosen = (fit, -extra, last_before), person
    return chosen


def _fit(role: str, head: str, needed: set[str], countries: set[str], lex: Lexicon) -> tuple[int, int]:
    """(fit, extra words): fit 0 if the role cannot be what the description says, 2
    with a matching nationality, else 1.  Only the role's head phrase counts: "a friend
    of the Tory leader" is a friend, not a leader."""
    role_words = []
    for word in role.split():
        key = name_key(word)
        if key in _ROLE_PREPOSITIONS:
            break
        role_words.append(key)
    text = " ".join(role_words)
    if head == "leader" and head not in role_words:
        if not any(f" {office} " in f" {text} " for office in LEADER_EQUIVALENT):
            return 0, 0
    elif head not in role_words:
        return 0, 0
    if not needed <= set(role_words):
        return 0, 0
    role_countries = {c for w in role_words if (c := lex.country_of(w))}
    if countries and role_countries and not countries & role_countries:
        return 0, 0
    extra = sum(1 for w in role_words if w not in needed and w != head and not lex.country_of(w)
                and w not in _TEMPORAL and w not in ("a", "an", "the", "his", "her"))
    return (2 if countries & role_countries else 1), extra
