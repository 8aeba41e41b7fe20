"""Pipeline component that makes every paragraph break a sentence break.

spaCy's parser happily joins the last words of one paragraph with the first of the
next ("… in Beijing\\n\\nHolding back?").  Marking the first token after a blank
line as a sentence start before the parser runs constrains the parser to respect
paragraph boundaries; it still decides every other boundary itself.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ParagraphBoundaries:
    """Set ``is_sent_start`` on the first token of each paragraph."""

    def __init__(self, separator: str = "\n\n") -> None:
        self.separator = separator

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        gap_start = None  # end offset of the previous non-space token
        for token in doc:
            if token.is_space:
                continue
            if gap_start is not None and self.separator in text[gap_start : token.idx]:
                token.is_sent_start = True
            gap_start = token.idx + len(token.text)
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
