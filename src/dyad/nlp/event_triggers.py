"""Event triggers in a parsed sentence: one per clause or event nominal.

Three kinds of trigger, all looked up in :mod:`dyad.nlp.event_lexicon`:

- a verb that names an event ("invaded", "praised", "refused");
- a light verb whose object is an event nominal ("held *talks*", "imposed
  *sanctions*"): one event, typed by the nominal, anchored on the verb;
- an event nominal standing on its own ("amid Western *criticism*", "Russia's
  *war* against Ukraine").

Two rules keep it to one event per clause.  A trigger inside the complement of
another trigger is part of that event, not a new one ("refused *to supply*
weapons", "warned China against *supplying*", "criticism of China's *support*").
And a bare definite nominal with no participants ("the visit", "the war") refers
back to an event already reported, so it is not a new one either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from dyad.nlp.event_lexicon import Entry, Lexicon, direct_object, lemma_of

# Dependencies that end a clause or a participant phrase: a trigger below one of
# these is an event of its own, not part of the trigger above it.
BOUNDARY_DEPS = frozenset({"ROOT", "advcl", "relcl", "conj", "ccomp", "parataxis", "nsubj", "nsubjpass", "csubj",
                           "csubjpass", "agent", "appos", "acl", "npadvmod", "advmod", "cc", "punct", "mark", "dep",
                           "meta", "list"})
# Adverbs that complete a phrasal verb ("kept him *away from* the summit"): the
# phrase below them is the verb's complement, not a new clause.
PARTICLE_ADVERBS = frozenset({"away", "out", "back", "down", "up", "off", "forward"})
# Nouns whose of/about/on-phrase is a topic, not an event ("the message of tight
# cooperation", "a signal of support", "talk of sanctions").
CONTENT_NOUNS = frozenset({"message", "signal", "narrative", "talk", "rhetoric", "idea", "notion", "concept", "image",
                           "impression", "picture", "vision", "sense", "question", "issue", "matter", "subject",
                           "topic", "perception", "language", "word", "words", "story", "stories", "theme", "symbol",
                           "sign", "evidence", "rumour", "rumor", "speculation", "fear", "fears", "risk", "danger"})
# Prepositions that introduce a participant of an event nominal ("war *against*
# Ukraine", "talks *with* Xi"); "in"/"at" introduce places and are left out.
PARTICIPANT_PREPS = frozenset({"of", "against", "between", "with", "on", "by", "from", "to", "for", "over", "among"})
# Prepositions that place an event in time relative to another ("weeks *ahead of*
# Russia's invasion", "*amid* growing criticism") or list examples ("backing of
# Pyongyang, *including* vetoing ..."): the other event is reported in its own
# right, not as part of the first.
TEMPORAL_PREPS = frozenset({"after", "before", "since", "following", "amid", "amidst", "during", "until", "ahead",
                            "despite", "upon", "including", "besides", "like", "unlike"})
# Verbs whose subject is being characterised rather than reported.
EVALUATIVE_VERBS = frozenset({"be", "seem", "appear", "remain", "become", "look", "sound", "mark", "signal", "show",
                              "suggest", "illustrate", "reflect", "represent", "highlight", "underline", "underscore",
                              "demonstrate", "indicate", "symbolise", "symbolize", "hint", "come", "constitute"})
# Adjectives that make a relation noun report an occurrence ("Moscow's *recent*
# backing of Pyongyang").
EPISODIC_ADJS = frozenset({"recent", "new", "latest", "fresh", "renewed", "initial", "first", "sudden", "unprecedented",
                           "public", "explicit", "open", "formal", "official"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
_MAX_WALK = 10


@dataclass
class Trigger:
    """One event's anchor: the predicate token, its event nominal and lexicon row."""

    token: Token            # the verb (verb and light kinds) or the noun (noun kind)
    kind: str               # verb | light | noun
    type: str
    subtype: str
    noun: Token | None = None   # the event nominal (light kind: the verb's object)
    absorbed: list[Token] = field(default_factory=list)  # triggers folded into this one
    flags: frozenset[str] = frozenset()  # the nominal's lexicon flags ("ofsubj")

    @property
    def tokens(self) -> list[Token]:
        """Every token that anchors this event (predicate, nominal, absorbed triggers)."""
        return [self.token] + ([self.noun] if self.noun is not None and self.noun != self.token else []) + \
            self.absorbed


def find_triggers(sent: Span, lexicon: Lexicon, verbs: list[int], nouns: list[int],
                  names_actor: Callable[[Token], bool]) -> list[Trigger]:
    """The sentence's event triggers, in text order.

    ``verbs`` and ``nouns`` are the indices of the sentence's candidate tokens (see
    :meth:`Lexicon.candidates`); ``names_actor`` says whether a token names a
    participant (an entity, demonym or pronoun).
    """
    doc = sent.doc
    found: dict[int, Trigger] = {}
    consumed: set[int] = set()
    for i in verbs:
        token = doc[i]
        trigger = _verb_trigger(token, lexicon)
        if trigger is not None and trigger.type == "OTHER" and (token.dep_ == "amod" or _impersonal(token)):
            trigger = None  # "the Oscar-nominated film", "it has been announced": no report of its own
        if trigger is not None:
            found[i] = trigger
            if trigger.noun is not None:
                consumed.add(trigger.noun.i)
    for i in nouns:
        if i not in consumed and i not in found:
            token = doc[i]
            entry = lexicon.noun(token)
            if entry is not None and _stands_alone(token, entry, names_actor):
                found[i] = Trigger(token, "noun", entry.type, entry.subtype, noun=token, flags=entry.flags)
    return _absorb(found)


def _verb_trigger(token: Token, lexicon: Lexicon) -> Trigger | None:
    light = lexicon.light(token)
    if light is not None:
        for obj in _objects(token, lexicon):
            entry = lexicon.noun(obj)
            if entry is not None and entry.type != "-":
                return Trigger(token, "light", entry.type, entry.subtype, noun=obj, flags=entry.flags | light.flags)
    protest = _in_protest(token)
    entry: Entry | None = lexicon.verb(token)
    if protest is not None:
        return Trigger(token, "verb", "PROTEST", f"{entry.subtype if entry else lemma_of(token)} in protest",
                       absorbed=[protest])
    if entry is not None:
        return Trigger(token, "verb", entry.type, entry.subtype)
    if light is not None and light.type != "-":
        return Trigger(token, "verb", light.type, light.subtype)
    return None


def _impersonal(verb: Token) -> bool:
    """A passive with an expletive subject ("it has been announced that ...")."""
    return any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children)


def _objects(token: Token, lexicon: Lexicon) -> list[Token]:
    """Objects a light verb may lend its event to (and the subject of a passive one).

    Nouns that are events only in a light-verb frame ("brought a *delegation*",
    "drew *attention*") must be the verb's own object.
    """
    obj = direct_object(token)
    objs = [obj, *obj.conjuncts] if obj is not None and obj.head == token else []
    objs += [c for c in token.children if c.dep_ == "nsubjpass" and not _object_only(c, lexicon)]
    return objs


def _object_only(token: Token, lexicon: Lexicon) -> bool:
    entry = lexicon.noun(token)
    return entry is not None and "objonly" in entry.flags


def _in_protest(token: Token) -> Token | None:
    """The noun of an "in protest (at/of/against)" adjunct on a verb ("resigned in protest")."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and lemma_of(pobj) == "protest":
                    return pobj
    return None


def _stands_alone(token: Token, entry: Entry, names_actor: Callable[[Token], bool]) -> bool:
    """Whether an event nominal outside a light-verb frame reports a new event."""
    if "objonly" in entry.flags or token.dep_ in ("compound", "nmod"):
        return False  # "war crimes", "peace talks negotiator": a modifier, not an event
    if "state" in entry.flags and not any(c.lower_ in EPISODIC_ADJS for c in token.children if c.dep_ == "amod"):
        return False  # "China's support for Moscow": a standing relation, not an occurrence
    participant = has_participant(token, names_actor)
    if "args" in entry.flags and not participant:
        return False
    dets = {c.lower_ for c in token.children if c.dep_ in ("det", "poss")}
    if dets & (DEFINITE | POSSESSIVE_PRONOUNS) and not participant:
        return False  # "the visit", "his trip": an event already reported
    return not _topic_of_content_noun(token) and not _evaluated(token)


def _evaluated(token: Token) -> bool:
    """The nominal is the subject of a verdict on it ("the meeting *is* the latest step",
    "China's support *has been* crucial"): commentary on a known event, not a report."""
    head = token.head
    return token.dep_ == "nsubj" and lemma_of(head) in EVALUATIVE_VERBS


def _topic_of_content_noun(token: Token) -> bool:
    """The nominal is what a message, signal or idea is about, not an event itself."""
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in ("of", "about", "on", "for") or prep.dep_ != "prep":
        return False
    return lemma_of(prep.head) in CONTENT_NOUNS


def has_participant(token: Token, names_actor: Callable[[Token], bool]) -> bool:
    """An event nominal names who took part: possessor, demonym, or of/against/with X."""
    for child in token.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and names_actor(child):
            return True
        if child.dep_ == "prep" and child.lower_ in PARTICIPANT_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (names_actor(pobj) or any(
                        g.dep_ in ("poss", "compound", "amod") and names_actor(g) for g in pobj.children)):
                    return True
    return False


def _absorb(found: dict[int, Trigger]) -> list[Trigger]:
    """Fold each trigger into the nearest trigger above it within one clause."""
    anchors = {i: t for i, t in found.items()}
    for t in found.values():
        if t.noun is not None and t.noun.i not in anchors:
            anchors[t.noun.i] = t
    kept = []
    for i in sorted(found):
        trigger = found[i]
        owner = _owner(trigger.token, anchors)
        if owner is None or owner is trigger:
            kept.append(trigger)
        else:
            owner.absorbed.append(trigger.token)
    return kept


def _owner(token: Token, anchors: dict[int, Trigger]) -> Trigger | None:
    if token.dep_ == "conj" and token.pos_ == "NOUN" and token.head.i in anchors and \
            anchors[token.head.i].type == anchors[token.i].type:
        return anchors[token.head.i]  # "contracts and agreements": one event, not two
    if token.dep_ == "amod":  # "jointly signed agreements" is one event; "sanctioned economy" stands alone
        return anchors.get(token.head.i)
    if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.i in anchors and \
            anchors[token.head.i].type == anchors[token.i].type:
        return anchors[token.head.i]  # "criticised the government, accusing it of ...": one act, elaborated
    node = token
    for _ in range(_MAX_WALK):
        if node.head == node or (node.dep_ == "prep" and node.lower_ in TEMPORAL_PREPS):
            return None
        if node.dep_ in BOUNDARY_DEPS and not (node.dep_ == "advmod" and node.lower_ in PARTICLE_ADVERBS):
            return None
        node = node.head
        if node.i in anchors:
            return anchors[node.i]
    return None
