"""Line repetition across a corpus: page chrome recurs, article text does not.

:class:`LineCounts` records, for each normalised *short* line, in how many distinct
documents of a batch it occurs.  A line such as "Read more" or "Support The X!"
that recurs in many documents of one corpus is boilerplate even when no rule
knows its words.  The counts depend only on the *set* of texts added: adding the
same text twice, or adding texts in another order, gives the same counts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from dyad.clean.textutil import norm_key, text_digest

# Only short lines are counted: article sentences are long and unique, while
# chrome ("Read more", "Share this article", "28 C") is short.
MAX_WORDS = 12
MAX_CHARS = 120
# A line must occur in at least this many documents ...
MIN_DOCS = 3
# ... and in at least this share of the batch.  Together these keep the titles
# of the few duplicated stories a news corpus always has from counting as chrome.
MIN_SHARE = 0.01


class LineCounts:
    """Document frequency of normalised short lines over a batch of texts."""

    def __init__(self) -> None:
        self._df: Counter[str] = Counter()
        self._docs: set[str] = set()
        self._n_docs = 0
        self._compact = False

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> LineCounts:
        """Count the lines of every text in ``texts``."""
        counts = cls()
        for text in texts:
            counts.add(text)
        return counts

    @property
    def n_docs(self) -> int:
        """Number of distinct documents counted."""
        return self._n_docs

    @property
    def threshold(self) -> int:
        """Documents a line must occur in to count as repeated chrome."""
        return max(MIN_DOCS, math.ceil(MIN_SHARE * self.n_docs))

    def add(self, text: str) -> None:
        """Count the distinct short lines of one document (a repeat text is ignored)."""
        if self._compact:
            raise ValueError("a compacted LineCounts cannot count more texts")
        digest = text_digest(text)
        if digest in self._docs:
            return
        self._docs.add(digest)
        self._n_docs += 1
        keys = {key_of(line) for line in text.splitlines()}
        keys.discard(None)
        self._df.update(keys)

    def compact(self) -> LineCounts:
        """Once every text is counted: only the repeated lines, without the per-text digests.

        :meth:`is_repeated` answers as before, but :meth:`doc_freq` is exact only
        for repeated lines (others read 0).  The full counts grow with the corpus
        (every distinct short line of every text); the compact form holds page
        chrome only, so it is what each worker process is sent and keeps.
        """
        out = LineCounts()
        out._n_docs, out._compact = self._n_docs, True
        out._df = Counter({k: n for k, n in self._df.items() if n >= self.threshold})
        return out

    def doc_freq(self, line: str) -> int:
        """In how many counted documents the (normalised) line occurs."""
        key = key_of(line)
        return self._df.get(key, 0) if key else 0

    def is_repeated(self, line: str) -> bool:
        """True when the line is short and recurs in at least :attr:`threshold` documents."""
        return self.doc_freq(line) >= self.threshold

    def most_common(self, n: int | None = None) -> list[tuple[str, int]]:
        """The most frequent normalised lines, for inspection."""
        return sorted(self._df.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def key_of(line: str) -> str | None:
    """Normalised key of a countable line, or None when the line is blank or long."""
    if len(line) > 4 * MAX_CHARS or not line.strip():
        return None
    key = norm_key(line)
    if not key or len(key) > MAX_CHARS or len(key.split()) > MAX_WORDS:
        return None
    return key
