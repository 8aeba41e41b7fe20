"""Events named by a common noun phrase, as EVENT entities.

The model tags capitalised events ("Second World War", "Belt and Road Forum") but not
the phrases news text uses most for the events it is about:

- wars and invasions with their place: "the war in Ukraine", "Russia's full-scale
  invasion of Ukraine", "the conflict between Israel and Hamas", "the Iraq war";
  one entity per set of places, whatever the noun ("war", "invasion", "conflict");
- meetings named after a body: "the Brics summit", "the G20 summit", "BRI forum"
  (joined to a capitalised event of the same body when there is one, "Belt and Road
  Forum");
- elections with a year, a kind or a place: "the 2024 elections", "the general
  election", "the Russian presidential election"; bare "the election" joins them when
  there is exactly one.

These mentions may overlap name mentions ("Ukraine" inside "the war in Ukraine"); they
live only on ``doc._.entities``, never in ``doc.ents``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from dyad.model import Entity, EntityMention
from dyad.nlp.extensions import span_text
from dyad.nlp.entity_lexicon import HEAD_LABELS, ORG_HEADS, name_key

_WAR_NOUNS = frozenset({"war", "invasion", "conflict", "occupation", "annexation", "crisis", "offensive"})
_WAR_PREPS = frozenset({"in", "of", "against", "on", "with", "between", "over"})
_MEETING_NOUNS = frozenset({"summit", "forum", "conference"})
_ELECTION_KINDS = frozenset({"general", "presidential", "parliamentary", "legislative", "local", "regional",
                             "european", "mid-term", "midterm", "snap", "federal", "municipal", "leadership",
                             "national", "congressional", "by-election"})
_PARTICIPANT_LABELS = frozenset({"GPE", "LOC", "ORG", "NORP"})
# Word classes whose tokens start a nominal event (see entity_triggers).
NOMINAL_TRIGGERS = {"war": _WAR_NOUNS, "meeting": _MEETING_NOUNS, "election": frozenset({"election", "elections"})}


def nominal_events(doc: Doc, entities: list[Entity], triggers: dict[str, list[Token]],
                   ents: list[Span]) -> list[Entity]:
    """EVENT entities for the noun phrases above; meetings may join existing EVENTs.

    ``triggers`` holds the tokens of each class of :data:`NOMINAL_TRIGGERS` in ``doc``;
    ``ents`` is ``list(doc.ents)``.
    """
    owner = {}
    for entity in entities:
        for m in entity.mentions:
            owner[m.start] = entity
    ent_start = {i: e.start_char for e in ents for i in range(e.start, e.end)}
    groups: dict[tuple, list[Span]] = {}
    tokens = sorted((t for name in NOMINAL_TRIGGERS for t in triggers.get(name, [])), key=lambda t: t.i)
    for token in tokens:
        lower = token.lower_
        if lower in _WAR_NOUNS and token.pos_ == "NOUN":
            found = _war(doc, token, owner, ent_start)
        elif lower in _MEETING_NOUNS and token.is_lower:
            found = _meeting(doc, token, owner, ent_start)
        elif lower in ("election", "elections") and token.is_lower:
            found = _election(doc, token, owner)
        else:
            continue
        if found is not None:
            key, span = found
            groups.setdefault(key, []).append(span)
    _merge_elections(groups)
    return _to_entities(groups, entities)


def _np_start(doc: Doc, head: Token) -> int:
    """Start of the noun phrase ending at ``head``: determiners, possessors, adjectives."""
    start = head.i
    while start > 0 and head.i - start < 5:
        prev = doc[start - 1]
        if prev.tag_ == "POS" and start > 1:
            start -= 2  # "Russia's"
            continue
        if prev.pos_ in ("DET", "ADJ", "PRON") and prev.tag_ != "WDT" \
                or prev.dep_ == "compound" and prev.pos_ in ("NOUN", "PROPN") \
                or prev.text == "-" and start > 1 and doc[start - 2].is_alpha:  # "full-scale"
            start -= 1
            continue
        break
    return start


def _war(doc: Doc, head: Token, owner: dict, ent_start: dict[int, int]) -> tuple[tuple, Span] | None:
    """"the war in Ukraine", "Russia's war of aggression against Ukraine", "the Iraq war"."""
    i = head.i + 1
    if i + 1 < len(doc) and doc[i].lower_ == "of" and doc[i + 1].pos_ == "NOUN" and not doc[i + 1].ent_type_:
        i += 2  # "war of aggression against"
    places: list[Entity] = []
    end = head.i + 1
    if i < len(doc) and doc[i].lower_ in _WAR_PREPS:
        j = i + 1
        if j < len(doc) and doc[j].lower_ == "the":
            j += 1
        while j < len(doc) and (entity := owner.get(doc[j].idx)) is not None and entity.label in _PARTICIPANT_LABELS:
            places.append(entity)
            j = _token_after(doc, entity, doc[j].idx)
            end = j
            if j + 1 < len(doc) and doc[j].lower_ == "and":
                j += 1
            else:
                break
    start = _np_start(doc, head)
    if not _definite(doc, start, head):
        return None  # "a proxy war with the West" is no particular war
    if not places:
        prev = doc[head.i - 1] if head.i > 0 else None
        entity = owner.get(ent_start.get(prev.i, -1)) if prev is not None and prev.ent_type_ in ("GPE", "LOC") else None
        if entity is None or head.is_title:
            return None
        places = [entity]
    return ("war", frozenset(id(p) for p in places)), doc[start:end]


def _definite(doc: Doc, start: int, head: Token) -> bool:
    """The phrase names one known event: "the …", a possessor ("Russia's", "its"), or a
    place compound ("the Iraq war")."""
    first = doc[start]
    if first.lower_ == "the" or first.tag_ in ("PRP$", "WP$"):
        return True
    return any(t.tag_ == "POS" or t.ent_type_ in ("GPE", "LOC") for t in doc[start:head.i])


def _token_after(doc: Doc, entity: Entity, start_char: int) -> int:
    mention = next(m for m in entity.mentions if m.start == start_char)
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.end


def _meeting(doc: Doc, head: Token, owner: dict, ent_start: dict[int, int]) -> tuple[tuple, Span] | None:
    """"Brics summit": a body's name right before a meeting noun."""
    prev = doc[head.i - 1] if head.i > 0 else None
    if prev is None or not prev.ent_type_:
        return None
    start_char = ent_start.get(prev.i, -1)
    entity = owner.get(start_char)
    if entity is None or entity.label not in ("ORG", "INITIATIVE", "GPE"):
        return None
    start = doc.char_span(start_char, head.idx, alignment_mode="expand").start
    return ("meeting", id(entity)), doc[start:head.i + 1]


def _election(doc: Doc, head: Token, owner: dict) -> tuple[tuple, Span] | None:
    """"the 2024 elections", "the general election", "Russia's presidential election"."""
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") or head.dep_ == "compound":
        return None  # "election campaign", "election role": a modifier, not the event
    start, kind, year = head.i, "", ""
    while start > 0 and head.i - start < 4:
        prev = doc[start - 1]
        if prev.lower_ in _ELECTION_KINDS:
            kind = kind or prev.lower_
        elif prev.like_num and len(prev.text) == 4:
            year = prev.text
        elif prev.tag_ == "POS" and start > 1 and doc[start - 2].ent_type_ in ("GPE", "NORP"):
            start -= 1  # "Russia's presidential election"
        elif prev.ent_type_ not in ("GPE", "NORP"):
            break
        start -= 1
    if start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    bare = start == head.i or doc[start:head.i].text.lower() == "the"
    return ("election", kind, year, bare), doc[start:head.i + 1]


def _merge_elections(groups: dict[tuple, list[Span]]) -> None:
    """Join elections whose kind and year do not conflict; bare ones need a single target."""
    keys = [k for k in groups if k[0] == "election"]
    specific = [k for k in keys if not k[3]]
    for key in keys:
        if key[3]:
            spans = groups.pop(key)
            if len(specific) == 1:
                groups[specific[0]].extend(spans)
    for i, a in enumerate(specific):
        for b in specific[i + 1:]:
            if a in groups and b in groups and (not a[1] or not b[1] or a[1] == b[1]) \
                    and (not a[2] or not b[2] or a[2] == b[2]):
                groups[a].extend(groups.pop(b))


def _to_entities(groups: dict[tuple, list[Span]], entities: list[Entity]) -> list[Entity]:
    events = {_core(e.canonical): e for e in entities if e.label == "EVENT"}
    names = {id(e): e for e in entities}
    made = []
    for key, spans in groups.items():
        mentions = sorted({(s.start_char, s.end_char): EntityMention(s.start_char, s.end_char, span_text(s))
                           for s in spans}.values(), key=lambda m: m.start)
        if key[0] == "meeting":
            # "BRI forum" joins "Belt and Road Forum" when both name the same body.
            body = names[key[1]]
            target = next((events[c] for c in {_core(body.canonical)} | {_core(m.text) for m in body.mentions}
                           if c in events), None)
            if target is not None:
                target.mentions.extend(mentions)
                target.mentions.sort(key=lambda m: m.start)
                continue
        canonical = _strip_the(max((" ".join(m.text.split()) for m in mentions), key=len))
        if key[0] == "war":
            canonical = _war_name(key[1], names) or canonical
        made.append(Entity(id=0, canonical=canonical, label="EVENT", mentions=mentions))
    return made


_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth annual inaugural".split())


def _core(name: str) -> str:
    """The body a meeting or a body's name is about: "Third Belt and Road Forum" and
    "Belt and Road Initiative" → "belt and road"."""
    words = name_key(name).split()
    while len(words) > 1 and (words[0] in _ORDINALS or words[0][:1].isdigit()):
        words = words[1:]
    if len(words) > 1 and (words[-1] in _MEETING_NOUNS or words[-1] in HEAD_LABELS or words[-1] in ORG_HEADS):
        words = words[:-1]
    return " ".join(words)


def _war_name(places: frozenset[int], names: dict[int, Entity]) -> str | None:
    """One name per war whatever the phrasing ("war in Ukraine", "war between Israel and
    Hamas"), so that articles name the same war alike."""
    found = sorted((names[p].canonical for p in places if p in names), key=str.lower)
    if len(found) == 1:
        return f"war in {found[0]}"
    return f"war between {' and '.join(found)}" if found else None


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text
