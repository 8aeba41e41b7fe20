"""Trigger words for the entity rules, found in one C-level Matcher pass.

The rules look at a few closed word classes (head nouns of named things, job titles,
"war", "summit", "election"…).  Scanning every token in Python for each class would
cost more than the rules themselves, so one :class:`~spacy.matcher.Matcher` finds
all trigger tokens at once and each rule visits only its own.  (A PhraseMatcher on
LOWER is several times faster than a token Matcher with an ``IN`` set.)
"""

from __future__ import annotations

from collections import defaultdict

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab


class Triggers:
    """Find the tokens of named lower-case word classes: ``{"war": ["war", "invasion"]}``."""

    def __init__(self, vocab: Vocab, classes: dict[str, frozenset[str] | set[str]]) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.names: dict[int, str] = {}
        for name, words in classes.items():
            self.names[vocab.strings.add(name)] = name
            # Each word as its own one-token phrase (make_doc-free: a Doc of one word).
            self.matcher.add(name, [Doc(vocab, words=[w]) for w in sorted(words)])

    def __call__(self, doc: Doc) -> dict[str, list[Token]]:
        """Trigger tokens of each class, in document order."""
        found: dict[str, list[Token]] = defaultdict(list)
        for match_id, start, end in self.matcher(doc):
            if end == start + 1:
                found[self.names[match_id]].append(doc[start])
        for tokens in found.values():
            tokens.sort(key=lambda t: t.i)
        return found
