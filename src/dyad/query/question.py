"""Question analysis: what a question asks for and which words to look for.

A question becomes a :class:`Question`: its wh-type, the kinds of answer it
expects (figures, dates, quotes, people, places, outcomes, reasons, yes/no), its
content terms (porter stems, stop words dropped, names weighted up), expansions
of those terms (synonyms, demonyms, capitals), and the names and phrases it holds.
No model is loaded: the analysis is rules over the words, deterministic and fast.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from dyad.query import lexicon as lx
from dyad.store.ask_queries import PorterStems, words

# A capitalised word, an acronym, or a number, as a piece of a name.
_NAME_PART = re.compile(r"^(?:[A-Z][\w'’.-]*|\d[\d.,]*)$")
_NAME_LINKS = frozenset({"of", "and", "the", "for", "de", "du", "al", "&"})
_TOKEN = re.compile(r"[\w'’.&-]+|[^\w\s]")
# Weights of a term by what it is: names and numbers say most about the answer.
NAME_WEIGHT, NUMBER_WEIGHT, WORD_WEIGHT, TYPE_NOUN_WEIGHT = 1.6, 1.3, 1.0, 0.5
EXPANSION_CREDIT = 0.6  # an expansion found counts this much of the term it stands for

STEMMER = PorterStems()


@dataclass
class Term:
    """One content word of a question: its stem, weight, and the words that may stand in for it.

    ``expansions`` are words (searched for as they are); ``expansion_stems`` their
    stems (matched against a sentence's stems).
    """

    word: str
    stem: str
    weight: float
    expansions: tuple[str, ...] = ()
    expansion_stems: frozenset[str] = frozenset()
    answer_type: str | None = None  # set for a type noun ("outcomes"): the kind of answer it names


@dataclass
class Question:
    """What :func:`analyse` makes of a question."""

    text: str
    wh: str                                   # what, which, who, when, where, why, how, how_much, yes_no, other
    answer_types: frozenset[str]              # FIGURE DATE QUOTE PERSON PLACE OUTCOME REASON YES_NO
    terms: list[Term] = field(default_factory=list)
    names: list[str] = field(default_factory=list)      # names as written ("Power of Siberia 2", "Putin")
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # stem sequences of multi-word names

    def search_words(self) -> list[str]:
        """Every word worth searching for: terms first, then their expansions, no repeats."""
        out = [t.word.lower() for t in self.terms] + [e for t in self.terms for e in t.expansions]
        return list(dict.fromkeys(w for w in out if w))


def analyse(text: str) -> Question:
    """Analyse one question (any text: it is never parsed as FTS syntax)."""
    tokens = words(text)
    lowered = [t.lower() for t in tokens]
    wh = _wh_type(lowered)
    names = _names(text)
    answer_types = _answer_types(wh, lowered)
    terms = _terms(tokens, names)
    phrases = [tuple(STEMMER.stems([w.lower() for w in words(n)])) for n in names if len(words(n)) > 1]
    return Question(text=text, wh=wh, answer_types=answer_types, terms=terms, names=names, phrases=phrases)


def _wh_type(lowered: list[str]) -> str:
    """The question's wh-word, looking past a leading conjunction or preposition."""
    for i, word in enumerate(lowered[:4]):
        if word == "how" and i + 1 < len(lowered) and lowered[i + 1] in ("much", "many", "big", "large", "long"):
            return "how_much"
        if word in ("what", "which", "who", "whom", "whose", "when", "where", "why", "how"):
            return "who" if word in ("whom", "whose") else word
        if i == 0 and word in lx.YES_NO_OPENERS:
            return "yes_no"
    return "other"


def _answer_types(wh: str, lowered: list[str]) -> frozenset[str]:
    """Kinds of answer the question expects, from its wh-word and the nouns and verbs it uses."""
    types: set[str] = set()
    words_set = set(lowered)
    head = _head_noun(lowered)
    if wh == "how_much" or head in lx.FIGURE_NOUNS or words_set & {"percent", "percentage", "billion", "million"}:
        types.add("FIGURE")
    if wh == "when" or head in lx.DATE_NOUNS or words_set & {"scheduled", "schedule"}:
        types.add("DATE")
    if wh == "who" or head in lx.PERSON_NOUNS:
        types.add("PERSON")
    if wh == "where" or head in lx.PLACE_NOUNS:
        types.add("PLACE")
    if wh == "why" or words_set & {"reason", "reasons", "cause", "causes"}:
        types.add("REASON")
    if words_set & lx.QUOTE_VERBS:
        types.add("QUOTE")
    if words_set & lx.OUTCOME_WORDS:
        types.add("OUTCOME")
    if wh == "yes_no":
        types.add("YES_NO")
    return frozenset(types)


def _head_noun(lowered: list[str]) -> str | None:
    """The noun a what/which/how-much asks about: "what trade *volume*", "which *officials*"."""
    for i, word in enumerate(lowered):
        if word in ("what", "which", "how"):
            for nxt in lowered[i + 1:i + 5]:
                if nxt in lx.FIGURE_NOUNS or nxt in lx.DATE_NOUNS or nxt in lx.PERSON_NOUNS or nxt in lx.PLACE_NOUNS:
                    return nxt
                if nxt in lx.YES_NO_OPENERS:
                    break
            return None
    return None


def _names(text: str) -> list[str]:
    """Capitalised sequences of the question ("Power of Siberia 2", "Xi"), first word excluded.

    The first word is capitalised because it starts the question, so it counts only
    when it is an acronym.  Linking words join two capitalised parts ("Belt and Road").
    """
    tokens = _TOKEN.findall(text.replace("–", " - ").replace("—", " - "))
    names, current, pending = [], [], []
    for i, tok in enumerate(tokens):
        is_part = bool(_NAME_PART.match(tok)) and (i > 0 or tok.isupper() and len(tok) > 1)
        if is_part and (current or not tok[0].isdigit()):
            current += pending + [tok]
            pending = []
        elif current and tok.lower() in _NAME_LINKS:
            pending.append(tok)
        else:
            if current:
                names.append(" ".join(current))
            current, pending = [], []
    if current:
        names.append(" ".join(current))
    cleaned = [re.sub(r"(?:['’]s|['’.,])+$", "", n) for n in names]
    return list(dict.fromkeys(n for n in cleaned if n and n.lower() not in lx.STOP_WORDS))


def _terms(tokens: list[str], names: list[str]) -> list[Term]:
    """Content terms with weights and expansions; repeats merged."""
    name_words = {w.lower() for n in names for w in words(n)}
    keep = [t for t in tokens if _is_content(t)]
    stems = STEMMER.stems([t.lower() for t in keep])
    terms: dict[str, Term] = {}
    for token, stem in zip(keep, stems):
        low = token.lower()
        weight = (NUMBER_WEIGHT if token[0].isdigit() else NAME_WEIGHT if low in name_words
                  else TYPE_NOUN_WEIGHT if low in lx.TYPE_NOUNS else WORD_WEIGHT)
        if stem in terms:
            terms[stem].weight = max(terms[stem].weight, weight)
            continue
        expansions = tuple(e for e in _expansions(stem) if e != low)
        exp_stems = frozenset(STEMMER.stems(list(expansions))) - {stem}
        terms[stem] = Term(word=token, stem=stem, weight=weight, expansions=expansions, expansion_stems=exp_stems,
                           answer_type=lx.TYPE_NOUNS.get(low))
    return list(terms.values())


def _is_content(token: str) -> bool:
    low = token.lower()
    if token.isupper() and len(token) > 1:  # an acronym ("US", "EU") is never a stop word
        return True
    if len(low) < 2 and not low.isdigit():
        return False
    return low not in lx.STOP_WORDS and low not in lx.META_WORDS


def _expansions(stem: str) -> tuple[str, ...]:
    """Words that may stand in for a word of this stem (its synonym and place groups)."""
    return _expansion_table().get(stem, ())


@functools.lru_cache(maxsize=1)
def _expansion_table() -> dict[str, tuple[str, ...]]:
    """stem -> every other word of a group holding a word of that stem (one-token words only)."""
    table: dict[str, list[str]] = {}
    for group in (*lx.SYNONYM_GROUPS, *lx.PLACE_GROUPS):
        single = [w for w in group if len(words(w)) == 1]
        for word, stem in zip(single, STEMMER.stems(single)):
            table.setdefault(stem, []).extend(w for w in single if w != word)
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


def stems_of(text: str) -> list[str]:
    """Porter stems of every token of ``text``, in order (lower-cased as the index does)."""
    return STEMMER.stems([w.lower() for w in words(text)])
