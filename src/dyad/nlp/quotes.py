"""Quotes extractor (pipeline component ``dyad_quotes``): results on ``doc._.quotes``.

Each :class:`dyad.model.Quote` holds the quoted words without their marks, whether
they are a full statement or a quoted phrase, and who said them.  The work is split
over modules with one job each:

- :mod:`dyad.nlp.quote_marks` pairs the quotation marks (typography only);
- :mod:`dyad.nlp.quote_cues` finds the token naming the speaker (parse walks);
- :mod:`dyad.nlp.quote_speakers` maps that token onto ``doc._.entities``
  (pronouns, titles, surnames, groups, documents);
- :mod:`dyad.nlp.quote_links` carries speakers over continued quotations, lists
  and headlines;
- :mod:`dyad.nlp.quote_phrases` (sentence index, role phrases) and
  :mod:`dyad.nlp.quote_lexicon` (word lists) support them.

Quoted phrases with no speaker (scare quotes, names: the so-called "Global South")
are not quotations of anyone and are left out; full statements with no speaker
are kept with ``speaker=None``, never a guessed one.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyad.model import Quote
from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)
from dyad.nlp.extensions import doc_text
from dyad.nlp.quote_cues import CueFinder
from dyad.nlp.quote_lexicon import NAMING_VERBS, SCARE_MARKERS, WORK_NOUNS
from dyad.nlp.quote_links import Draft, Paragraphs, link_speakers
from dyad.nlp.quote_marks import MarkedSpan, find_marked_spans
from dyad.nlp.quote_phrases import Sentences
from dyad.nlp.quote_speakers import SpeakerResolver

FULL, FRAGMENT = "full", "fragment"
_CLAUSE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_WORD_RE = re.compile(r"\w+")
_SENTENCE_END = ".?!…"
# Participles that introduce a name: "a group called 'X'", "a plan dubbed 'Y'".
_NAMED_BY = NAMING_VERBS | {"call", "dub", "label", "brand"}


class QuoteExtractor:
    """Find quotations in a parsed Doc and attribute them to speakers.

    ``min_letters`` drops quoted single letters and numbers (section "D").
    """

    def __init__(self, min_letters: int = 2) -> None:
        self.min_letters = min_letters

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans = [s for s in find_marked_spans(text) if self._is_candidate(text, s)]
        if not spans:
            doc._.quotes = []
            return doc
        ranges = [(s.open_at, s.close_at + 1 if s.close_at >= 0 else s.end) for s in spans]
        quoted = _quoted_tokens(doc, ranges)
        sents = Sentences(doc)
        finder, resolver = CueFinder(doc, quoted, text, sents), SpeakerResolver(doc, ranges, text, sents)
        paras = Paragraphs(text)
        drafts = []
        for span in spans:
            draft = _draft(doc, text, span, paras, sents)
            if draft is None:
                continue
            if draft.paragraph == 0 and paras.headline:
                # A headline compresses speech: its quotes are phrases ("'Debate
                # needed' on donations cap"), attributed only by a cue.
                draft.quote.kind = FRAGMENT
            self._attribute(draft, finder, resolver, quoted, paras.headline)
            drafts.append(draft)
        link_speakers(doc, drafts, paras, resolver, quoted)
        doc._.quotes = [d.quote for d in drafts if d.quote.speaker or d.quote.kind == FULL]
        return doc

    def _is_candidate(self, text: str, span: MarkedSpan) -> bool:
        """Enough letters, and not the author's own scare quotes ("so-called 'X'")."""
        if not _has_letters(text, span.start, span.end, self.min_letters):
            return False
        before = text[max(0, span.open_at - 16):span.open_at].lower().split()
        tail = " ".join(before[-2:])
        return not any(tail.endswith(marker) for marker in SCARE_MARKERS)

    @staticmethod
    def _attribute(draft: Draft, finder: CueFinder, resolver: SpeakerResolver, quoted: list[bool],
                   headline: bool) -> None:
        doc, span = draft.inner.doc, draft.span
        open_tok = _token_at(doc, span.open_at)
        close_tok = _token_at(doc, span.close_at) if span.close_at >= 0 else None
        # Headlines say 'UK "needs true immigration data"': a claim about the subject,
        # made by someone else, so a quoted verb phrase is not its subject's words.
        in_headline = draft.paragraph == 0 and headline
        for cand in finder.candidates(draft.inner, open_tok, close_tok, full=draft.quote.kind == FULL,
                                      quoted_verbs=not in_headline):
            if cand.token is not None and (draft.inner.start <= cand.token.i < draft.inner.end
                                           or (quoted[cand.token.i] and not cand.decisive)):
                continue  # the quoted words, or a name inside quoted words, are not the speaker
            speaker = resolver.resolve(cand.token) if cand.token is not None else None
            if speaker is not None:
                draft.attribute(speaker, cand.cue)
                return
            if cand.decisive:
                draft.blocked = True
                return


def _has_letters(text: str, start: int, end: int, wanted: int) -> bool:
    """At least ``wanted`` letters in ``text[start:end]`` (stops counting early)."""
    letters = 0
    for i in range(start, end):
        if letters >= wanted:
            break
        letters += text[i].isalpha()
    return letters >= wanted


def _draft(doc: Doc, text: str, span: MarkedSpan, paras: Paragraphs, sents: Sentences) -> Draft | None:
    start, end = span.start, span.end
    # A comma or colon before the closing mark belongs to the sentence, not the quote.
    while end > start and text[end - 1] in ",;:":
        end -= 1
    inner = doc.char_span(start, end, alignment_mode="expand")
    if inner is None or not len(inner):
        return None
    words = text[start:end]
    first, last = sents.index(inner.start), sents.index(inner.end - 1)
    kind = FRAGMENT if _names_a_work(doc, span) else quote_kind(inner, words, several=first != last)
    quote = Quote(start=start, end=end, text=words, kind=kind)
    return Draft(span, quote, inner, paras.index(start), first)


def quote_kind(inner: Span, words: str, several: bool = False) -> str:
    """``full`` for a quoted statement (a clause, ``several`` sentences, or a
    capitalised sentence with its own final stop), ``fragment`` for a phrase."""
    if several and len(_WORD_RE.findall(words)) > 3:
        return FULL
    # The top of the quoted words (or a clause conjoined to it) must itself be a
    # clause with its subject inside: "nuclear wars cannot be won" is a statement,
    # "too much freedom to spend money as it wished" is a phrase.
    tops = [t for t in inner if not inner.start <= t.head.i < inner.end or t.head.i == t.i]
    tops += [c for t in tops for c in t.children if c.dep_ == "conj" and inner.start <= c.i < inner.end]
    for top in tops:
        if any(c.dep_ in _CLAUSE_SUBJECTS and inner.start <= c.i < inner.end for c in top.children):
            return FULL
    if words[:1].isupper() and words.rstrip("”\"’'")[-1:] in _SENTENCE_END and len(words.split()) >= 3:
        return FULL
    return FRAGMENT


def _names_a_work(doc: Doc, span: MarkedSpan) -> bool:
    """Quoted words right after "the study", "a book entitled", "a group called" are
    a title, even when they form a sentence."""
    mark = _token_at(doc, span.open_at)
    if mark.i == 0:
        return False
    prev = doc[mark.i - 1]
    while prev.is_space and prev.i > 0:
        prev = doc[prev.i - 1]
    lemma = prev.lemma_.lower()
    return ((lemma in WORK_NOUNS or prev.lower_ in WORK_NOUNS) and prev.pos_ == "NOUN") or (
        prev.tag_ == "VBN" and lemma in _NAMED_BY)


def _token_at(doc: Doc, offset: int) -> Token:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


def _quoted_tokens(doc: Doc, ranges: list[tuple[int, int]]) -> list[bool]:
    """Per token: does it lie within a quotation (marks included)?"""
    flags = [False] * len(doc)
    for start, end in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                flags[i] = True
    return flags


@Language.factory("dyad_quotes", default_config={"min_letters": 2}, assigns=["doc._.quotes"],
                  requires=["doc._.entities", "token.dep", "token.lemma", "doc.sents"])
def make_quotes(nlp: Language, name: str, min_letters: int) -> QuoteExtractor:
    """Factory for :class:`QuoteExtractor` (after the parser and ``dyad_entities``)."""
    return QuoteExtractor(min_letters=min_letters)
