"""The event trigger lexicon (data file ``data/event_triggers.tsv``) and its conditions.

A row maps a verb or noun lemma to a PLOVER type and subtype, optionally under
conditions on its dependents (see the data file's header).  :class:`Lexicon`
answers "is this token a trigger, and of what?" for verbs, nouns and light verbs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy
from spacy.attrs import DEP, IS_ALPHA, LEMMA, LOWER, POS, TAG
from spacy.strings import hash_string
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Token

PLOVER_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
                          "OTHER"})
DATA_FILE = "event_triggers.tsv"
KINDS = ("verb", "noun", "light")

_LEMMA = re.compile(r"[a-z][a-z'-]*")
_VBN, _AMOD = hash_string("VBN"), hash_string("amod")
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd"})
PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "who"})
ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_QUANTITY_ENTS = frozenset({"MONEY", "CARDINAL", "QUANTITY", "PERCENT"})
QUANTITY_NOUNS = frozenset({"amount", "number", "lot", "bulk", "part", "share", "portion", "majority", "minority",
                            "billion", "million", "thousand", "hundred", "dozen", "tonne", "ton", "barrel", "batch",
                            "series", "range", "set", "pair", "couple", "kind", "type", "sort", "list", "package",
                            "usd", "dollar", "euro", "pound"})


@dataclass(frozen=True)
class Entry:
    """One lexicon row: a trigger's type, subtype and the conditions it needs."""

    kind: str
    lemma: str
    type: str
    subtype: str
    conditions: tuple[tuple[str, frozenset[str]], ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)


def lemma_of(token: Token) -> str:
    """The token's lemma cleaned for lookup ("statement[2" → "statement")."""
    m = _LEMMA.match(token.lemma_.lower())
    return m.group(0).rstrip("'-") if m else ""


def lemma_forms(token: Token) -> frozenset[str]:
    """The lemma plus naive de-inflections of the word, for closed word lists.

    The small model's lemmatizer misreads some verbs ("hopes" → "hop"); a governor
    list checked against these forms still finds "hope".
    """
    word = token.lower_
    forms = {lemma_of(token), word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s"):
        forms.update((word[:-1], word[:-2]))
    if word.endswith("ed"):
        forms.update((word[:-1], word[:-2]))
    elif word.endswith("ing"):
        forms.update((word[:-3], word[:-3] + "e"))
    return frozenset(forms)


def _member(values: numpy.ndarray, keys: numpy.ndarray) -> numpy.ndarray:
    """``values in keys`` elementwise, ``keys`` sorted (a binary search, no hashing)."""
    at = numpy.minimum(numpy.searchsorted(keys, values), len(keys) - 1)
    return keys[at] == values


def inflections(lemma: str) -> set[str]:
    """The regular inflected forms of a verb lemma (a superset is harmless: it only
    decides which tokens are looked at)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + lemma[-1] + "ed",
             lemma + lemma[-1] + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


def is_actor_like(token: Token) -> bool:
    """A proper name, a personal pronoun, or a token inside a named-entity span."""
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return token.pos_ == "PROPN" or token.ent_type_ in ACTOR_ENTS


def direct_object(token: Token) -> Token | None:
    """The verb's direct object, or for a participle modifying a noun ("frozen assets") that noun.

    A quantity's of-phrase stands for it: the object of "seize 300 billion USD of
    frozen assets" is "assets".
    """
    obj = next((c for c in token.children if c.dep_ in OBJECT_DEPS), None)
    if obj is None and token.dep_ in ("amod", "acl") and token.tag_ == "VBN":
        obj = token.head
    if obj is not None and (obj.like_num or obj.ent_type_ in _QUANTITY_ENTS or lemma_of(obj) in QUANTITY_NOUNS):
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return inner if inner is not None else obj
    return obj


def particle(token: Token) -> str | None:
    """The verb's particle ("prop *up*", "pull *out*"), lower-cased."""
    for child in token.children:
        if child.dep_ == "prt" or (child.dep_ == "advmod" and child.lower_ in ("away", "down", "forward", "out")):
            return child.lower_
    return None


class Lexicon:
    """Trigger rows indexed by (kind, lemma), in file order."""

    def __init__(self, entries: list[Entry]) -> None:
        self.rows: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            self.rows.setdefault((entry.kind, entry.lemma), []).append(entry)
        self._phrasal_heads = frozenset((kind, lemma.split()[0]) for kind, lemma in self.rows if " " in lemma)
        self._lemma_cache: dict[tuple[str, str, str], str | None] = {}
        heads = {lemma.split()[0] for kind, lemma in self.rows if kind in ("verb", "light")}
        self._verb_hashes = numpy.array(sorted({hash_string(f) for h in heads for f in inflections(h)}),
                                        dtype=numpy.uint64)
        self._noun_hashes = numpy.array(sorted({hash_string(lemma) for kind, lemma in self.rows if kind == "noun"}),
                                        dtype=numpy.uint64)

    def candidates(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Indices of the tokens that may trigger: (verbs, nouns), each in text order.

        Read from the Doc's attribute array so that the many tokens that cannot
        trigger never become Token objects (most of this component's cost otherwise).
        """
        arr = doc.to_array([POS, TAG, DEP, LEMMA, LOWER, IS_ALPHA])
        pos = arr[:, 0]
        # The part of speech first, then the lexicon lookups on those tokens only.
        verbish = numpy.flatnonzero((pos == VERB) | ((arr[:, 1] == _VBN) & (arr[:, 2] == _AMOD)))
        rows = arr[verbish]
        verbs = verbish[_member(rows[:, 3], self._verb_hashes) | _member(rows[:, 4], self._verb_hashes)]
        # Words with a hyphen or a glued footnote mark ("statement[2") are looked up
        # one by one after cleaning.
        nounish = numpy.flatnonzero(pos == NOUN)
        rows = arr[nounish]
        nouns = nounish[_member(rows[:, 3], self._noun_hashes) | (rows[:, 5] == 0)]
        return verbs.tolist(), nouns.tolist()

    def verb(self, token: Token) -> Entry | None:
        """The first verb row whose conditions hold for ``token`` (phrasal verbs first)."""
        return next((e for e in self._rows("verb", token) if _holds(e, token)), None)

    def light(self, token: Token) -> Entry | None:
        """The light-verb row of ``token`` (phrasal form first), or None."""
        rows = self._rows("light", token)
        return rows[0] if rows else None

    def noun(self, token: Token) -> Entry | None:
        """The first noun row whose conditions hold for ``token``."""
        return next((e for e in self.rows.get(("noun", lemma_of(token)), []) if _holds(e, token)), None)

    def _rows(self, kind: str, token: Token) -> list[Entry]:
        lemma = self._lemma(kind, token)
        if lemma is None:
            return []  # the common case, decided without looking at the token's children
        rows: list[Entry] = []
        if (kind, lemma) in self._phrasal_heads:
            prt = particle(token)
            rows += self.rows.get((kind, f"{lemma} {prt}"), []) if prt else []
        return rows + self.rows.get((kind, lemma), [])

    def _lemma(self, kind: str, token: Token) -> str | None:
        """The lemma the lexicon knows for ``token``: its own, else a de-inflected form
        ("staging", misread as "stag", is found as "stage"); None when neither is listed."""
        key = (kind, token.lemma_, token.lower_)
        if key not in self._lemma_cache:
            lemma = lemma_of(token)
            if (kind, lemma) in self.rows or (kind, lemma) in self._phrasal_heads:
                self._lemma_cache[key] = lemma
            else:
                known = [f for f in sorted(lemma_forms(token)) if (kind, f) in self.rows]
                self._lemma_cache[key] = known[0] if known else None
        return self._lemma_cache[key]


def _holds(entry: Entry, token: Token) -> bool:
    for name, values in entry.conditions:
        if not _CONDITIONS[name](token, values):
            return False
    if "finite" in entry.flags and token.tag_ in ("VBG", "VBN") and not any(
            c.dep_ in ("aux", "auxpass") for c in token.children):
        return False
    if "plural" in entry.flags and token.tag_ not in ("NNS", "NNPS"):
        return False
    if "xcomp" in entry.flags and not any(_infinitive_complement(c) for c in token.children):
        return False  # "told them *to leave*", "called for him *to apologise*"
    return True


def _infinitive_complement(child: Token) -> bool:
    """A to-infinitive complement ("told them to leave"), not a reported clause ("told
    them it was over")."""
    if child.dep_ in ("xcomp", "ccomp", "advcl"):
        return any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children) or (
            child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "for" for g in child.children))
    return False


def _cond_obj(token: Token, values: frozenset[str]) -> bool:
    obj = direct_object(token)
    if obj is None:  # a passive's subject is its object ("sanctions were imposed")
        obj = next((c for c in token.children if c.dep_ == "nsubjpass" and c.lower_ != "it"), None)
    if obj is None:
        return "none" in values or ("for" in values and any(c.lower_ == "for" for c in token.children))
    return "any" in values or lemma_of(obj) in values or obj.lower_ in values or (
        "actor" in values and names_actor(obj))


def names_actor(token: Token) -> bool:
    """The phrase headed by ``token`` names an actor: "the Kremlin", "Chinese officials",
    "the Kremlin and Russian internet providers"."""
    if is_actor_like(token):
        return True
    # A possessive pronoun does not make a thing an actor ("met *his* golden rule").
    return any(c.dep_ in ("compound", "conj", "appos", "nmod") and is_actor_like(c) or
               (c.dep_ == "poss" and c.pos_ == "PROPN") or (c.dep_ == "amod" and c.ent_type_ == "NORP")
               for c in token.children)


def _cond_prep(token: Token, values: frozenset[str]) -> bool:
    return any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in values for c in token.children)


def _cond_subj(token: Token, values: frozenset[str]) -> bool:
    node = token
    for _ in range(4):  # a participle or infinitive borrows its controller's subject
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if "plural" in values and (subj.conjuncts or subj.tag_ in ("NNS", "NNPS") or
                                       subj.lower_ in ("we", "they", "both")):
                return True
            return "actor" in values and (is_actor_like(subj) or any(is_actor_like(t) for t in subj.subtree))
        if node.dep_ not in ("xcomp", "advcl", "conj", "pcomp") or node.head == node:
            return False
        node = node.head
    return False


def _cond_partner(token: Token, values: frozenset[str]) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in values:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            # A person or state, not a thing qualified by one ("met with Chinese opposition").
            if pobj is not None and (is_actor_like(pobj) or any(
                    g.dep_ in ("poss", "compound", "appos") and is_actor_like(g) for g in pobj.children)):
                return True
    return False


def _cond_compound(token: Token, values: frozenset[str]) -> bool:
    return any(c.dep_ in ("compound", "amod", "nmod") and lemma_of(c) in values for c in token.children)


_CONDITIONS = {"obj": _cond_obj, "prep": _cond_prep, "subj": _cond_subj, "compound": _cond_compound,
               "partner": _cond_partner}
_FLAGS = frozenset({"finite", "plural", "args", "objonly", "ofsubj", "xcomp", "state", "placename", "recipient"})


def parse_rows(lines: list[str]) -> list[Entry]:
    """Entries from the data file's lines; raises ValueError naming a bad line."""
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or cols[0] not in KINDS or (cols[2] != "-" and cols[2] not in PLOVER_TYPES):
            raise ValueError(f"{DATA_FILE}:{number}: bad row {line!r}")
        conditions, flags = [], set()
        for item in (c.strip() for c in (cols[4] if len(cols) > 4 else "").split(",") if c.strip()):
            name, _, values = item.partition("=")
            if name in _CONDITIONS and values:
                conditions.append((name, frozenset(values.split("|"))))
            elif name in _FLAGS and not values:
                flags.add(name)
            else:
                raise ValueError(f"{DATA_FILE}:{number}: unknown condition {item!r}")
        entries.append(Entry(cols[0], cols[1], cols[2], cols[3], tuple(conditions), frozenset(flags)))
    return entries


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged trigger lexicon (read once per process)."""
    text = resources.files("dyad.nlp").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return Lexicon(parse_rows(text.splitlines()))
