"""Pipeline component that makes every paragraph break a sentence break.

spaCy's parser happily joins the last words of one paragraph with the first of the
next ("… in Beijing\\n\\nHolding back?").  Marking the first token after a blank
line as a sentence start before the parser runs constrains the parser to respect
paragraph boundaries; it still decides every other boundary itself.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from dyad.nlp.extensions import doc_text


class ParagraphBoundaries:
    """Set ``is_sent_start`` on the first token of each paragraph."""

    def __init__(self, separator: str = "\n\n") -> None:
        self.separator = separator

    def __call__(self, doc: Doc) -> Doc:
        # A non-space token starts a paragraph when the gap between the end of the
        # previous non-space token and its start holds the separator.  Rather than
        # walk every token, look up the token after each occurrence of the separator.
        text, sep = doc_text(doc), self.separator
        found = []
        at = text.find(sep)
        while at >= 0:
            found.append(at)
            at = text.find(sep, at + 1)
        if not found:
            return doc
        arr = doc.to_array([IDX, LENGTH, IS_SPACE]).astype(numpy.int64)
        words = numpy.flatnonzero(arr[:, 2] == 0)  # the non-space tokens
        starts = arr[words, 0]
        ends = starts + arr[words, 1]
        seps = numpy.array(found, dtype=numpy.int64)
        nxt = numpy.searchsorted(starts, seps + len(sep))  # first word starting after each separator
        ok = (nxt > 0) & (nxt < len(words))
        nxt, seps = nxt[ok], seps[ok]
        for k in numpy.unique(nxt[ends[nxt - 1] <= seps]).tolist():
            doc[int(words[k])].is_sent_start = True
        return doc


@Language.factory(
    "dyad_paragraph_boundaries",
    default_config={"separator": "\n\n"},
    requires=[],
    assigns=["token.is_sent_start"],
)
def make_paragraph_boundaries(nlp: Language, name: str, separator: str) -> ParagraphBoundaries:
    """Factory for :class:`ParagraphBoundaries` (place it before the parser)."""
    return ParagraphBoundaries(separator)
