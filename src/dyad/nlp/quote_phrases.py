"""Text helpers for the quotes component: a sentence index, and the words of a
speaker's description and role.

``Token.sent`` walks the sentence each time it is asked, which makes many quotes in
one long sentence quadratic; :class:`Sentences` answers from one pass over
``doc.sents``.  spaCy's tokenizer splits hyphenated words ("co-chairman" → co / - /
chairman), and the small parser then often makes the first piece the head; the
phrase helpers look at the whole word.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from dyad.nlp.quote_lexicon import HONORIFICS, ROLE_NOUNS

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_DEFINITE = frozenset({"the", "this", "that"})
_EDGE = " ,;:-–—()"


class Sentences:
    """Sentence boundaries of a Doc, looked up by token index."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [sent.start for sent in doc.sents] or [0]

    def index(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        return bisect_right(self.starts, i) - 1

    def span(self, k: int) -> Span:
        """Sentence ``k`` as a Span."""
        end = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.doc)
        return self.doc[self.starts[k]:end]

    def of(self, tok: Token) -> Span:
        """The sentence holding ``tok`` (what ``tok.sent`` gives, without the walk)."""
        return self.span(self.index(tok.i))


def word_head(tok: Token) -> Token:
    """The last piece of a hyphenated word ("co-chairman" → "chairman")."""
    doc = tok.doc
    while (tok.i + 2 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text == "-"
           and not doc[tok.i + 1].whitespace_):
        tok = doc[tok.i + 2]
    return tok


def word_start(tok: Token) -> Token:
    """The first piece of a hyphenated word."""
    doc = tok.doc
    while tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ \
            and not doc[tok.i - 2].whitespace_:
        tok = doc[tok.i - 2]
    return tok


def is_definite(tok: Token) -> bool:
    """Does the noun phrase of ``tok`` start with "the"/"this"/"that" or a possessor?"""
    first = word_start(tok)
    if any(c.dep_ == "poss" for c in (*tok.children, *first.children)):
        return True
    return first.left_edge.lower_ in _DEFINITE or any(
        c.dep_ == "det" and c.lower_ in _DEFINITE for c in (*tok.children, *first.children))


def name_phrase(tok: Token) -> str:
    """A proper name the NER missed: the head and its proper-noun modifiers."""
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.pos_ == "PROPN"]
    start = min([tok.i] + [c.i for c in left])
    return tok.doc[start:tok.i + 1].text


def noun_phrase(tok: Token) -> str:
    """A common-noun speaker as written, without determiner or numbers: "Russian
    officials", "Cabinet Office spokeswoman", "prime minister's spokesman"."""
    first = word_start(tok)
    keep = [c for c in (*first.lefts, *tok.lefts) if c.dep_ in ("amod", "compound", "nmod", "poss")]
    start = min([first.i] + [c.left_edge.i for c in keep])
    doc = tok.doc
    while start < first.i and (doc[start].dep_ == "det" or doc[start].tag_ == "CD" or doc[start].is_punct):
        start += 1
    return _text(doc[start:tok.i + 1]) or tok.text


def role_of(tok: Token) -> str | None:
    """The role the text gives a speaker: an apposition ("Gabuev, a leading expert"),
    an "of ..." affiliation after a comma ("Krutikhin, of RusEnergy"), a second
    comma-separated subject ("Colin Asplin, Blackpool Hotel Association said") or a
    title in front of the name ("Russian foreign minister Sergei Lavrov")."""
    doc = tok.doc
    appos = [c for c in tok.rights if c.dep_ == "appos"]
    if appos:
        return _text(doc[min(c.left_edge.i for c in appos):max(c.right_edge.i for c in appos) + 1])
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and doc[child.i - 1].is_punct:
            return _text(doc[child.i + 1:child.right_edge.i + 1])
    if tok.dep_ in _SUBJECT_DEPS:
        others = [c for c in tok.head.children if c.dep_ in _SUBJECT_DEPS and c.i > tok.i and c.pos_ == "PROPN"
                  and any(t.is_punct for t in doc[tok.i + 1:c.left_edge.i])]
        if others:
            return _text(doc[others[0].left_edge.i:others[0].i + 1])
    return _title(tok)


def _title(tok: Token) -> str | None:
    """Words before the name inside its noun phrase, when they include a noun."""
    if tok.ent_type_ != "PERSON":
        return None
    titles = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.ent_type_ != "PERSON"
              and (c.pos_ != "PROPN" or c.lemma_.lower() in ROLE_NOUNS)]
    # A title needs a noun ("foreign minister", "Tory leader"); adjectives alone
    # describe, they are no role.
    if not any(t.pos_ in ("NOUN", "PROPN") for t in titles):
        return None
    doc = tok.doc
    start = min(t.left_edge.i for t in titles)
    end = start
    while end < tok.i and doc[end].ent_type_ != "PERSON":
        end += 1
    words = doc[start:end]
    while len(words) and words[-1].text.rstrip(".") in HONORIFICS:
        words = words[:-1]
    # The parser sometimes runs a preceding noun into the title ("After the
    # announcement WLGA finance spokesman ..."): a title starts with a name, an
    # adjective or a title word.
    while len(words) and (words[0].dep_ == "det" or words[0].pos_ in ("ADP", "PUNCT") or (
            words[0].pos_ == "NOUN" and words[0].lemma_.lower() not in ROLE_NOUNS)) and len(words) > 1:
        words = words[1:]
    return _text(words)


def _text(span: Span) -> str | None:
    text = span.text.strip(_EDGE)
    if text.lower().startswith("of "):
        text = text[3:]
    return text or None
