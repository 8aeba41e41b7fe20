"""Systematic, same-length perturbations of articles, for building big test stores.

Variant ``k`` of an article replaces words by a fixed per-variant mapping:

* proper nouns (words the corpus never writes in lower case) are renamed to
  pronounceable made-up names with probability ``rename``, except the most
  frequent ones (named in more than ``keep_share`` of the articles: countries,
  capitals, parties, leaders), which every variant keeps, so a big store has the
  heavy-tailed entities a real one has;
* other words of four letters or more, stop words aside, are swapped for another
  corpus word of the same length with probability ``swap``, so variants of one
  article are not near-duplicates of each other.

Every replacement has the length of the word it replaces, and the mapping is the
same in every field of every article of a variant: character offsets stay valid
and a name renamed in one article is renamed alike in all.  Digits are kept, so
figures and dates still agree with the text.  Variant 0 is the article unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[A-Za-z]+")
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"


def _draw(*parts: object) -> int:
    """A deterministic 64-bit number from the parts (stable across runs and processes)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _made_up(word: str, variant: int) -> str:
    """A pronounceable made-up lower-case word of the same length."""
    n = _draw("name", word, variant)
    letters = []
    for i in range(len(word)):
        pool = _CONSONANTS if i % 2 == 0 else _VOWELS
        letters.append(pool[n % len(pool)])
        n //= len(pool)
        if n == 0:
            n = _draw("more", word, variant, i)
    return "".join(letters)


def _recase(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[0].isupper():
        return word[0].upper() + word[1:]
    return word


class Vocabulary:
    """What the perturbation needs to know about a corpus: its words and proper nouns."""

    def __init__(self, texts: Iterable[str], keep_share: float = 0.02) -> None:
        lower_seen: set[str] = set()
        capital_docs: Counter = Counter()
        n_docs = 0
        for text in texts:
            n_docs += 1
            capitals = set()
            for w in _WORD.findall(text):
                if w[0].isupper():
                    capitals.add(w.lower())
                else:
                    lower_seen.add(w)
            capital_docs.update(capitals)
        self.proper = {w for w in capital_docs if w not in lower_seen and len(w) >= 3}
        self.kept = {w for w in self.proper if capital_docs[w] > keep_share * max(n_docs, 1)}
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for w in sorted(lower_seen):
            if len(w) >= 4 and w not in STOP_WORDS:
                self.by_length[len(w)].append(w)


class Perturbation:
    """The word mapping of one variant; :meth:`apply` rewrites a string with it."""

    def __init__(self, vocab: Vocabulary, variant: int, rename: float = 0.5, swap: float = 0.3) -> None:
        self.vocab, self.variant = vocab, variant
        self.rename, self.swap = rename, swap
        self._cache: dict[str, str] = {}

    def word(self, lower: str) -> str:
        """The replacement of one lower-case word (itself when it is kept)."""
        found = self._cache.get(lower)
        if found is not None:
            return found
        out = lower
        if self.variant:
            chance = _draw("p", lower, self.variant) % 1000 / 1000
            if lower in self.vocab.proper:
                if lower not in self.vocab.kept and chance < self.rename:
                    out = _made_up(lower, self.variant)
            elif len(lower) >= 4 and lower not in STOP_WORDS and chance < self.swap:
                same = self.vocab.by_length.get(len(lower))
                if same:
                    out = same[_draw("w", lower, self.variant) % len(same)]
        self._cache[lower] = out
        return out

    def apply(self, text: str | None) -> str | None:
        """``text`` with every word mapped; the result has the same length."""
        if not text or not self.variant:
            return text
        return _WORD.sub(lambda m: _recase(m.group(), self.word(m.group().lower())), text)
