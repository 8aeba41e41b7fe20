"""The arguments of an event trigger: source, target and location tokens.

Read off the dependency parse: for a verb, the subject is the source and the
object (or a with/to/against/on/from phrase) the target; a passive swaps them
("was praised *by Putin*").  A participle or infinitive without a subject borrows
its controller's ("*Putin* attempted to convey", "while visiting Beijing,
*Blinken* warned").  For an event nominal the possessor, a demonym or a
"by"/"between" phrase is the source and an "of"/"against"/"on" phrase the target
("*Russia's* invasion *of Ukraine*", "*Western* sanctions *on Russia*").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from dyad.nlp.event_lexicon import lemma_of
from dyad.nlp.event_triggers import Trigger

SUBJECT_DEPS = ("nsubj", "csubj", "expl")
# Prepositions that introduce the other party of an event, most telling first.
TARGET_PREPS = ("with", "against", "on", "to", "toward", "towards", "from", "for", "into", "upon", "over", "at")
NOUN_SOURCE_PREPS = ("by", "between", "among")
NOUN_TARGET_PREPS = ("against", "on", "with", "of", "to", "for", "from", "over", "into", "toward", "towards")
LOCATIVE_PREPS = ("in", "at", "inside", "near", "outside")
# Talks and agreements are *on* or *about* a topic, not aimed at it ("talks on the
# future of Gibraltar"); sanctions and attacks *on* X do target X.
TOPIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
TOPIC_PREPS = frozenset({"on", "over", "about"})
# Verbs whose subject brings about an event by others ("prompted censure", "drew
# criticism"): the subject does not act in it.
CAUSATIVES = frozenset({"prompt", "cause", "trigger", "spark", "provoke", "draw", "attract", "face", "invite", "fuel",
                        "meet", "earn", "court", "risk", "receive", "suffer", "endure", "survive", "escape", "avoid"})
# Event types whose parties act jointly, so "A and B met" is A meeting B.
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
MOTION_LEMMAS = frozenset({"visit", "arrive", "travel", "fly", "trip", "attend", "host"})
_MAX_CLIMB = 4
# Relations through which a non-finite verb inherits its controller's subject
# ("*China* played a key role in propping up ...", "*Putin* attempted to convey").
_CONTROL_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "pobj", "dobj", "attr", "csubj"})

Resolve = Callable[[Token], list[str]]


def source_and_target(trigger: Trigger, actors: Resolve) -> tuple[list[str], list[str]]:
    """Source and target actor names of one event (either may be empty)."""
    if trigger.kind == "noun":
        topics = TOPIC_PREPS if trigger.type in TOPIC_TYPES else frozenset()
        source, target = _nominal_args(trigger.token, actors, "ofsubj" in trigger.flags, topics,
                                       "placename" in trigger.flags)
    else:
        source, target = _verbal_args(trigger, actors)
    if not target and len(source) > 1 and trigger.type in RECIPROCAL_TYPES:
        # "Putin and Xi discussed Gaza": each party acts towards the other.
        source, target = source[:1], source[1:]
    return source, target


def _verbal_args(trigger: Trigger, actors: Resolve) -> tuple[list[str], list[str]]:
    verb = trigger.token
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ in ("amod", "acl") and verb.tag_ == "VBN")
    if passive:
        agent = _prep_object(verb, ("by",), deps=("agent", "prep"))
        source = actors(agent) if agent is not None else []
        patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if patient is None and verb.dep_ in ("amod", "acl"):
            patient = verb.head  # "the heavily sanctioned Russian economy"
        target = actors(patient) if patient is not None else []
        if not source and trigger.noun is not None:
            source = _nominal_args(trigger.noun, actors)[0]
    elif "recipient" in trigger.flags and trigger.noun is not None:
        # "Ms Hughes received his full backing": the backing goes to the subject.
        target = actors(subject_of(verb))
        source = _nominal_args(trigger.noun, actors)[0] or actors(_prep_object(verb, ("from",)))
        return source, [t for t in target if t not in source]
    else:
        source = actors(subject_of(verb))
        target = _verbal_target(trigger, actors)
    if not target:
        for token in trigger.absorbed:  # "arrived for talks *with Xi*", "warned against supplying *Russia*"
            target = _nominal_args(token, actors)[1] if token.pos_ == "NOUN" else _plain_target(token, actors)
            if target:
                break
    return source, [t for t in target if t not in source]


def _verbal_target(trigger: Trigger, actors: Resolve) -> list[str]:
    verb = trigger.token
    if trigger.noun is not None:  # light verb: the nominal's own participants first
        topics = TOPIC_PREPS if trigger.type in TOPIC_TYPES else frozenset()
        source, target = _nominal_args(trigger.noun, actors, topic_preps=topics)
        if target:
            return target
        # A name on the nominal other than the verb's subject is the party it is
        # offered to ("offered Moscow political support", parsed as a modifier).
        named = [a for a in source if a not in actors(subject_of(verb))]
        if named and any(c.dep_ == "nmod" for c in trigger.noun.children):
            return named
    return _plain_target(verb, actors, skip=trigger.noun)


def _plain_target(verb: Token, actors: Resolve, skip: Token | None = None) -> list[str]:
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj", "attr") and child != skip:
            found = actors(child)
            if found:
                return found
    obj = _prep_object(verb, TARGET_PREPS)
    return actors(obj) if obj is not None else []


def _nominal_args(noun: Token, actors: Resolve, of_subject: bool = False,
                  topic_preps: frozenset[str] = frozenset(), place_named: bool = False) -> tuple[list[str], list[str]]:
    """Source and target of an event nominal.

    The possessor or a demonym is the source ("Russia's war", "Western sanctions")
    unless a by-phrase names the agent, which makes the possessor the target ("his
    indictment by the ICC").  ``of_subject`` marks intransitive nominals whose
    of-phrase is the actor ("the exodus of western companies"); ``topic_preps``
    introduce a topic rather than a party ("talks on Gibraltar"); ``place_named``
    nominals take a compound name as the place fought over ("the Iraq war").
    """
    named: list[str] = []
    place: list[str] = []
    for child in noun.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            found = actors(child)
            if found and child.dep_ == "compound" and place_named:
                place = found  # "the Iraq war": where, and against whom
            elif found:
                named = found
                break
    agent = _prep_object(noun, ("by",))
    source = actors(agent) if agent is not None else []
    target = named if source else []
    source = source or named
    if not source:
        # "fighting between X and Y", "the exodus of companies", "deliveries from the West"
        preps = NOUN_SOURCE_PREPS[1:] + (("of",) if of_subject else ("from",))
        between = _prep_object(noun, preps)
        if between is not None:
            source = actors(between)
    if not target:
        preps = tuple(p for p in NOUN_TARGET_PREPS if p != ("of" if of_subject else "from") and p not in topic_preps)
        for prep in preps:
            obj = _prep_object(noun, (prep,))
            if obj is not None:
                target = [t for t in actors(obj) if t not in source]
                if target:
                    break
    target = target or [t for t in place if t not in source]
    if not source and (noun.dep_ == "dobj" or (noun.dep_ == "pobj" and noun.head.lower_ == "in")):
        source = _clause_subject(noun, actors)  # "China revived the prospect ...", "locked in talks"
    return source, target


def _clause_subject(noun: Token, actors: Resolve) -> list[str]:
    node = noun
    for _ in range(_MAX_CLIMB):
        if node.head == node or node.dep_ in ("nsubj", "nsubjpass", "relcl", "advcl", "ccomp", "appos"):
            return []
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("nsubjpass", "auxpass") for c in node.children) or lemma_of(node) in CAUSATIVES:
                return []  # "his comments prompted censure": the censure is not his
            return actors(subject_of(node))
    return []


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or its controller's for a bare participle or infinitive."""
    node = verb
    for _ in range(_MAX_CLIMB + 2):
        subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS + ("nsubjpass",)), None)
        if subj is None and node.pos_ == "NOUN":
            # Under an event nominal its possessor controls: "Moscow's backing of
            # Pyongyang, including through vetoing ..."
            subj = next((c for c in node.children if c.dep_ == "poss"), None)
        if subj is not None:
            return subj
        if node.dep_ in ("relcl", "acl") and node.head != node:
            return node.head  # "a diplomat who resigned": the relative clause's head noun
        if node.dep_ not in _CONTROL_DEPS or node.head == node:
            break
        node = node.head
    if verb.tag_ in ("VBG", "VBN", "VB"):
        # A dangling participle is understood with the main clause's subject
        # ("..., seeking support from a key ally").
        root = verb.sent.root
        return next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
    return None


def _prep_object(token: Token, preps: tuple[str, ...], deps: tuple[str, ...] = ("prep",)) -> Token | None:
    """The object of the first matching preposition on ``token`` (in ``preps`` order)."""
    found = {}
    for child in token.children:
        if child.dep_ in deps and child.lower_ in preps and child.lower_ not in found:
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                found[child.lower_] = pobj
    return next((found[p] for p in preps if p in found), None)


def location_token(trigger: Trigger) -> Token | None:
    """The token naming where the event took place, if the clause says."""
    for token in (trigger.token, trigger.noun):
        if token is None:
            continue
        place = _prep_object(token, LOCATIVE_PREPS)
        if place is not None:
            return place
        if token.lemma_ in MOTION_LEMMAS:
            dest = next((c for c in token.children if c.dep_ == "dobj"), None) or _prep_object(token, ("to",))
            if dest is not None:
                return dest
    return None
