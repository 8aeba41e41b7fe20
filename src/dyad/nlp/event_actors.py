"""Who did what to whom: event arguments mapped to canonical actor names.

An argument token becomes an actor through, in order: the in-document entity it
belongs to (``doc._.entities``), a demonym or capital standing for its state
("Russian officials" → Russia, "Beijing has denied" → China; data file
``data/event_countries.tsv``), a pronoun's antecedent, or a named modifier of a
common noun ("experts from China").  "The two countries" and "both sides" are the
article's dyad: the two states it names most.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Token

from dyad.model import Entity

DATA_FILE = "event_countries.tsv"
STATE_LABELS = frozenset({"GPE", "NORP"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "himself", "herself", "hers"})
FEMALE_PRONOUNS = frozenset({"she", "her", "herself", "hers"})
# Titles before a name, or words in it, that say which pronoun refers to the person.
FEMALE_TITLES = frozenset({"ms", "mrs", "miss", "lady", "dame", "baroness", "madam", "queen", "princess", "duchess",
                           "countess", "sister"})
MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "duke", "baron", "earl", "count", "brother"})
GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their", "itself", "themselves"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
# Heads of "the two countries", "both sides": the article's pair of states.
PAIR_NOUNS = frozenset({"country", "side", "nation", "state", "government", "power", "capital", "neighbour",
                        "neighbor", "partner", "ally"})
PAIR_PERSON_NOUNS = frozenset({"leader", "president", "head"})
# "the country", "the government" alone: the state last named as a subject.
STATE_NOUNS = frozenset({"country", "government", "state", "nation", "regime", "administration", "authorities"})
# Dependents of a common noun that may name who it is ("Russian officials",
# "experts from China", "China's foreign ministry").
_NAMING_DEPS = ("poss", "compound", "amod", "nmod", "appos")
_NAMING_ORDER = {"appos": 0, "compound": 1, "nmod": 2, "poss": 3, "amod": 4}
# Nouns naming someone by relation to another: the possessor is the other one.
RELATIONAL_NOUNS = frozenset({"counterpart", "opponent", "rival", "host", "guest", "successor", "predecessor",
                              "enemy", "adversary", "envoy", "neighbour", "neighbor", "partner", "ally", "critic"})
_NAMING_PREPS = frozenset({"of", "from"})
_PAIR_MIN_MENTIONS = 3


@dataclass(frozen=True)
class Places:
    """Lookup tables from the countries data file, keys case-folded."""

    names: dict[str, str]      # any name of a state -> its canonical name
    demonyms: dict[str, str]   # "russian" -> "Russia"
    capitals: dict[str, str]   # "beijing" -> "China"


@functools.lru_cache(maxsize=1)
def load_places() -> Places:
    """The packaged countries table (read once per process)."""
    text = resources.files("dyad.nlp").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    names, demonyms, capitals = {}, {}, {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + ["", "", ""])[:4]
        name = cols[0].strip()
        for alias in [name] + _split(cols[1]):
            names[alias.casefold()] = name
        for demonym in _split(cols[2]):
            demonyms.setdefault(demonym.casefold(), name)
        for capital in _split(cols[3]):
            capitals.setdefault(capital.casefold(), name)
    return Places(names, demonyms, capitals)


def _split(column: str) -> list[str]:
    return [v.strip() for v in column.split("|") if v.strip()]


class ActorIndex:
    """Per-document index from tokens to actor names (built once per Doc, linear time)."""

    def __init__(self, doc: Doc, places: Places | None = None) -> None:
        self.doc = doc
        self.places = places or load_places()
        self.entity_of: dict[int, Entity] = {}
        self._spelling: dict[str, str] = {}
        self._state_of: dict[str, str | None] = {}
        persons: list[tuple[int, str]] = []
        states: list[tuple[int, str]] = []  # states and organisations named as subjects
        # Per token, the actor entity of the shortest mention covering it: "Russia"
        # inside the EVENT mention "Russia's war against Ukraine" is still Russia.
        best: dict[int, tuple[bool, int]] = {}
        for entity in doc._.entities or []:
            actor = entity.label in ACTOR_LABELS
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None:
                    continue
                rank = (not actor, len(span))
                for i in range(span.start, span.end):  # (indices only: no Token objects)
                    if i not in best or rank < best[i]:
                        best[i] = rank
                        self.entity_of[i] = entity
                if entity.label == "PERSON":
                    persons.append((span.start, self.entity_name(entity), _in_subject(span.root, people=True)))
                elif entity.label in ("GPE", "ORG", "NORP") and _in_subject(span.root):
                    states.append((span.start, self.entity_name(entity)))
        self._persons = sorted((start, name) for start, name, _ in persons)
        genders = _genders(doc, doc._.entities or [])
        # Per pronoun gender ("he", "she"): (all mentions, subject mentions), each
        # with its sorted start offsets; a person of unknown gender fits both.
        self._antecedents: dict[str, tuple[list, list, list, list]] = {}
        for pronoun_gender in ("m", "f"):
            fits = [(start, name, subject) for start, name, subject in sorted(persons)
                    if genders.get(name, pronoun_gender) == pronoun_gender]
            every = [(start, name) for start, name, _ in fits]
            subjects = [(start, name) for start, name, subject in fits if subject]
            self._antecedents[pronoun_gender] = (every, [p for p, _ in every], subjects, [p for p, _ in subjects])
        self._subjects = sorted(states)
        self._subject_keys = [p for p, _ in self._subjects]
        self._pair: list[str] | None = None
        # Mention surfaces, for names the tagger left out of an entity span.
        self._by_surface = {_surface(m.text): e for e in doc._.entities or [] if e.label in ACTOR_LABELS
                            for m in e.mentions}

    # ------------------------------------------------------------ names
    def entity_name(self, entity: Entity) -> str:
        """The actor name of an entity: a capital or demonym becomes its state."""
        key = entity.canonical.casefold()
        if entity.label in ("GPE", "LOC", "FAC", "ORG") and key in self.places.capitals and \
                key not in self.places.names:
            return self._state(self.places.capitals[key])
        if entity.label == "NORP":
            state = self.places.demonyms.get(key) or self.places.demonyms.get(key.rstrip("s"))
            if state:
                return self._state(state)
        return entity.canonical

    def _state(self, name: str) -> str:
        """A state's name as this article spells it, when it names the state at all."""
        if name in self._spelling:
            return self._spelling[name]
        self._spelling[name] = self._spell(name)
        return self._spelling[name]

    def _spell(self, name: str) -> str:
        wanted = {alias for alias, canon in self.places.names.items() if canon == name}
        for entity in self.doc._.entities or []:
            if entity.label in ("GPE", "ORG", "LOC") and entity.canonical.casefold() in wanted:
                return entity.canonical
        return name

    # ------------------------------------------------------------ resolution
    def actors(self, token: Token | None) -> list[str]:
        """Actor names for an argument head and its conjuncts (de-duplicated, in order)."""
        if token is None:
            return []
        found: list[str] = []
        for t in (token, *token.conjuncts):
            for name in self.resolve(t):
                if name not in found:
                    found.append(name)
        return found

    def resolve(self, token: Token, depth: int = 0) -> list[str]:
        """The actor(s) one token stands for, or [] when it names none."""
        entity = self.entity_of.get(token.i)
        if entity is not None and entity.label in ACTOR_LABELS:
            return [self.entity_name(entity)]
        lower = token.lower_
        if token.pos_ in ("ADJ", "PROPN", "NOUN"):
            # "Russian officials", "Gibraltarians rejected ..."
            demonym = lower if lower in self.places.demonyms else lower[:-1] if lower.endswith("s") else ""
            if demonym in self.places.demonyms:
                return [self._state(self.places.demonyms[demonym])]
        if token.pos_ == "PROPN" and lower in self.places.capitals:
            return [self._state(self.places.capitals[lower])]
        if token.pos_ == "PROPN":
            name = " ".join(t.text for t in token.children if t.dep_ == "compound" and t.i < token.i)
            entity = self._by_surface.get(_surface(f"{name} {token.text}"))
            if entity is not None:
                return [self.entity_name(entity)]
        if token.pos_ == "PRON":
            # Only a pronoun that is itself the argument: "his" deep inside a
            # modifier ("on the eve of his visit") says little about who acted.
            return self._pronoun(token) if depth <= 1 else []
        if token.pos_ == "NOUN" and depth < 3:
            return self._common_noun(token, depth)
        return []

    def _pronoun(self, token: Token) -> list[str]:
        lower = token.lower_
        if lower in RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl") and token.head.head != token:
            return self.resolve(token.head.head, 1)
        if lower in PERSON_PRONOUNS:
            # The last person named earlier in the same sentence ("For Putin, ... his
            # indictment"), else the last one named as a subject (the centre of
            # attention), else the last one named at all.
            every, every_keys, subjects, subject_keys = self._antecedents["f" if lower in FEMALE_PRONOUNS else "m"]
            here = self._latest(every, every_keys, token.i, since=token.sent.start)
            return here or self._latest(subjects, subject_keys, token.i) or self._latest(every, every_keys, token.i)
        if lower in GROUP_PRONOUNS and token.dep_ in ("nsubj", "nsubjpass", "poss"):
            # As an object "it" is usually a thing ("described it as ..."); as a
            # subject or possessor it is usually the state last named as a subject.
            return self._latest(self._subjects, self._subject_keys, token.i)
        return []

    def _common_noun(self, token: Token, depth: int) -> list[str]:
        lemma = token.lemma_.lower()
        determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "predet")}
        if token.dep_ == "appos":
            named = self.resolve(token.head, depth + 1)
            if named:
                return named
        if determiners & {"two", "both"} or (lemma in PAIR_NOUNS and "both" in determiners):
            if lemma in PAIR_NOUNS:
                return self.pair()
            if lemma in PAIR_PERSON_NOUNS:
                return self._people_pair()
        # A name in apposition or compound says who it is ("his counterpart Xi
        # Jinping"); a possessor or demonym only whose it is ("Russia's foreign
        # ministry"), and not at all for relational nouns ("his counterpart").
        children = sorted(token.children, key=lambda c: _NAMING_ORDER.get(c.dep_, 9))
        for child in children:
            if child.dep_ in _NAMING_DEPS and not (lemma in RELATIONAL_NOUNS and child.dep_ == "poss"):
                named = self.resolve(child, depth + 1)
                if named:
                    return named
            elif child.dep_ == "prep" and child.lower_ in _NAMING_PREPS:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None and (named := self.resolve(pobj, depth + 1)):
                    return named
        if lemma in STATE_NOUNS and "the" in determiners:
            return self._latest(self._subjects, self._subject_keys, token.i)
        return []

    @staticmethod
    def _latest(items: list[tuple[int, str]], keys: list[int], before: int, since: int = 0) -> list[str]:
        at = bisect_left(keys, before)
        return [items[at - 1][1]] if at and keys[at - 1] >= since else []

    def pair(self) -> list[str]:
        """The article's dyad: the two states named most often (capitals and demonyms
        folded in), or [] when fewer than two states are named three times or more."""
        if self._pair is None:
            counts: Counter[str] = Counter()
            for entity in self.doc._.entities or []:
                if entity.label in ("GPE", "NORP", "ORG", "LOC"):
                    name = self.entity_name(entity)
                    if name.casefold() in self.places.names:  # a state, not a city or a party
                        counts[name] += len(entity.mentions)
            top = [(name, n) for name, n in counts.most_common(2) if n >= _PAIR_MIN_MENTIONS]
            self._pair = [name for name, _ in top] if len(top) == 2 else []
        return self._pair

    def state_of(self, name: str) -> str | None:
        """The state an actor belongs to: itself for a state, a person's by the demonym
        in their roles or mentions ("the Russian president" → Russia)."""
        if name not in self._state_of:
            self._state_of[name] = self._find_state(name)
        return self._state_of[name]

    def _find_state(self, name: str) -> str | None:
        if name in self.pair() or name.casefold() in self.places.names:
            return name
        for entity in self.doc._.entities or []:
            if entity.canonical == name and entity.label == "PERSON":
                for text in entity.roles + [m.text for m in entity.mentions]:
                    for word in text.replace("-", " ").split():
                        if word.casefold() in self.places.demonyms:
                            return self._state(self.places.demonyms[word.casefold()])
        return None

    def other_party(self, source: list[str]) -> list[str]:
        """The other state of the article's dyad, when ``source`` belongs to exactly one of them."""
        pair = self.pair()
        if not pair:
            return []
        states = {self.state_of(name) for name in source}
        if len(pair) == 2 and len(states) == 1 and (state := states.pop()) in pair:
            return [pair[1] if state == pair[0] else pair[0]]
        return []

    def _people_pair(self) -> list[str]:
        counts = Counter(name for _, name in self._persons)
        return [name for name, _ in counts.most_common(2)]

    def location(self, token: Token) -> str | None:
        """The place a locative argument names (the place itself, not its state)."""
        entity = self.entity_of.get(token.i)
        if entity is not None and entity.label in ("GPE", "LOC", "FAC"):
            return entity.canonical
        return None


def _genders(doc: Doc, entities: list[Entity]) -> dict[str, str]:
    """"m" or "f" per person named with a gendered title ("Ms Hughes", "Sir John")."""
    found: dict[str, str] = {}
    for entity in entities:
        if entity.label != "PERSON":
            continue
        votes = Counter()
        for mention in entity.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            words = [t.lower_.rstrip(".") for t in span[:1]]
            if span.start > 0:
                words.append(doc[span.start - 1].lower_.rstrip("."))
            votes.update("f" for w in words if w in FEMALE_TITLES)
            votes.update("m" for w in words if w in MALE_TITLES)
        if votes and len(votes) == 1:
            found[entity.canonical] = next(iter(votes))
    return found


def _surface(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").removesuffix("'s").split()).casefold()


def _in_subject(token: Token, people: bool = False) -> bool:
    """The mention heads a subject, or for a state names the owner of one ("China's
    foreign ministry said"); a person's possession is not the person ("Tony Blair's
    government operates")."""
    links = ("compound", "conj", "appos") if people else ("poss", "compound", "conj", "appos")
    node = token
    for _ in range(3):
        if node.dep_ in ("nsubj", "nsubjpass"):
            return True
        if node.dep_ not in links or node.head == node:
            return False
        node = node.head
    return False
