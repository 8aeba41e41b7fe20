"""Discourse rules that give a speaker to quotations with no cue of their own.

News prose attributes once and lets the reader carry the speaker along:

- a quotation that runs on into a new paragraph (a new opening mark, no closing
  one) is one stretch of speech: every piece gets the speaker found for any piece;
- a full quotation with no reporting clause continues the last reported speech
  before it: an indirect "X said she was shocked" or the previous quotation in the
  same or the previous paragraph, unless someone else has been named since ("…,"
  Krutikhin said. "And its construction…");
- a quoted name with no cue shortly after an attributed quoted name in the same
  paragraph continues it ('what it calls its "Global Security Initiative" ... This
  comes alongside a "Global Development Initiative"'); lower-case scare quotes do
  not;
- items of a bulleted list take the speaker of the lead-in that introduces the
  list ("The statement includes several passages:");
- a headline compresses "X says '...'" to "X [verb] '...'": a quoted noun phrase
  in the headline belongs to the person the headline is about (its subject),
  unless it is a predicate or an epithet of that subject (said *about* X).

None of these invents a speaker the text does not name nearby.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyad.model import Quote
from dyad.nlp.quote_cues import is_cue_verb, subject_of
from dyad.nlp.quote_marks import MarkedSpan
from dyad.nlp.quote_speakers import Speaker, SpeakerResolver

_BULLET_RE = re.compile(r"\s*(?:[•·▪◦‣●■\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
# A fragment continues the previous quotation's speaker over at most this many
# sentence boundaries.
_FRAGMENT_REACH = 2
_HEADLINE_MAX_WORDS = 25


@dataclass
class Draft:
    """A quotation being attributed: its marks, record, words and place in the text."""

    span: MarkedSpan
    quote: Quote
    inner: Span
    paragraph: int
    sentence: int
    blocked: bool = False  # the governing verb names an unnamed speaker: keep it so

    @property
    def open(self) -> bool:
        """Still without a speaker and free to receive one from the discourse rules."""
        return not self.quote.speaker and not self.blocked

    def attribute(self, speaker: Speaker | None, cue: str | None) -> None:
        """Set the speaker fields (no-op for None)."""
        if speaker is not None:
            self.quote.speaker, self.quote.speaker_entity = speaker.name, speaker.entity
            self.quote.speaker_role, self.quote.cue = speaker.role, cue

    def copy_speaker(self, other: Draft, cue: str) -> None:
        """Take ``other``'s speaker (the cue says how it was carried over)."""
        q, src = self.quote, other.quote
        q.speaker, q.speaker_entity, q.speaker_role, q.cue = src.speaker, src.speaker_entity, src.speaker_role, cue


class Paragraphs:
    """Paragraph boundaries of a Doc's text (blank-line or line-break separated)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # A "paragraph" that starts in lower case is the rest of a sentence the
        # source broke (a line break after a link): it continues the paragraph.
        self.starts = [0] + [m.end() for m in re.finditer(r"\n+", text)
                             if not text[m.end():m.end() + 1].islower()]

    def index(self, offset: int) -> int:
        """Index of the paragraph holding ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def body(self, i: int) -> str:
        """The text of paragraph ``i``."""
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[i]:end].strip()

    @property
    def headline(self) -> bool:
        """Does the text open with a headline (a short first line with no final stop,
        followed by more paragraphs)?"""
        head = self.body(0).rstrip("\"'”’ ")
        return (len(self.starts) > 1 and bool(head) and head[-1] not in ".!?:"
                and len(head.split()) <= _HEADLINE_MAX_WORDS)

    def is_bullet(self, i: int) -> bool:
        """Does paragraph ``i`` start with a bullet or an item number?"""
        return 0 <= i < len(self.starts) and bool(_BULLET_RE.match(self.body(i) + " "))


def link_speakers(doc: Doc, drafts: list[Draft], paras: Paragraphs, resolver: SpeakerResolver,
                  quoted: list[bool]) -> None:
    """Apply the discourse rules of this module to ``drafts`` (in text order), in place.

    ``quoted`` flags the tokens inside quotations (see :class:`~dyad.nlp.quote_cues.CueFinder`).
    """
    _share_runs(drafts, paras)
    _list_items(doc, drafts, paras, resolver)
    _continue_speakers(doc, drafts, paras, resolver, quoted)
    _headline(doc, drafts, paras, resolver)
    _share_runs(drafts, paras)


def _share_runs(drafts: list[Draft], paras: Paragraphs) -> None:
    """Pieces of one quotation split by re-opening marks share one speaker."""
    runs: list[list[Draft]] = []
    for i, d in enumerate(drafts):
        prev = drafts[i - 1] if i else None
        if prev is not None and prev.span.continued and _reopens(prev, d, paras):
            runs[-1].append(d)
        else:
            runs.append([d])
    for run in runs:
        source = next((d for d in run if d.quote.speaker), None)
        if source is not None:
            for d in run:
                if d.open:
                    d.copy_speaker(source, source.quote.cue or "continued")


def _reopens(prev: Draft, nxt: Draft, paras: Paragraphs) -> bool:
    between = paras.text[prev.span.end:nxt.span.open_at]
    return not between.strip()


def _continue_speakers(doc: Doc, drafts: list[Draft], paras: Paragraphs, resolver: SpeakerResolver,
                       quoted: list[bool]) -> None:
    """A full quotation continues the reported speech right before it; see the
    module docstring."""
    last: Draft | None = None
    for i, d in enumerate(drafts):
        if d.open and d.quote.kind == "full":
            floor = max(drafts[i - 1].span.end if i else 0, paras.starts[max(0, d.paragraph - 1)])
            reporter = _reporting_clause(doc, floor, d.span.open_at, quoted)
            if reporter is not None:
                d.attribute(resolver.resolve(reporter[0]), "continued")
        if d.open and last is not None and last.quote.speaker and _may_continue(last, d, resolver):
            d.copy_speaker(last, "continued")
        # Only the quotation right before may hand on its speaker: an unattributed
        # one in between breaks the chain.
        last = d


def _reporting_clause(doc: Doc, start: int, end: int, quoted: list[bool]) -> tuple[Token, Token] | None:
    """The last reported-speech clause ("X said she was shocked") between two offsets,
    as (subject, verb): a quotation right after it continues X's words."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    for tok in reversed(span):
        if not quoted[tok.i] and is_cue_verb(tok):
            subject = subject_of(tok)
            return (subject, tok) if subject is not None and not quoted[subject.i] else None
    return None


def _may_continue(last: Draft, d: Draft, resolver: SpeakerResolver) -> bool:
    if d.quote.kind == "fragment":
        # A run of quoted names ("its 'Global Security Initiative' ... a 'Global
        # Development Initiative'") keeps its speaker within the paragraph; a
        # lower-case scare quote after an attributed phrase does not.
        return (last.quote.kind == "fragment" and d.paragraph == last.paragraph
                and d.sentence - last.sentence <= _FRAGMENT_REACH
                and _is_name(d.quote.text) and _is_name(last.quote.text))
    if d.paragraph - last.paragraph > 1:
        return False
    # Someone else made the subject of a sentence since the last quotation takes
    # the floor (a name in passing does not).  A speaker without an entity (a
    # "spokesman") keeps it only while no named subject intervenes.
    others = resolver.subjects_between(last.span.end, d.span.open_at) - {last.quote.speaker_entity}
    return not others


def _is_name(words: str) -> bool:
    """A quoted name: capitalised, a few words, no sentence punctuation."""
    return words[:1].isupper() and len(words.split()) <= 6 and not any(ch in words for ch in ".,;:!?")


def _list_items(doc: Doc, drafts: list[Draft], paras: Paragraphs, resolver: SpeakerResolver) -> None:
    """Quotations in list items take the speaker of the list's lead-in."""
    cache: dict[int, Speaker | None] = {}
    leads: dict[int, int | None] = {}
    for d in drafts:
        if not d.open:
            continue
        if d.paragraph not in leads:
            leads[d.paragraph] = _lead_in(paras, d.paragraph)
        lead = leads[d.paragraph]
        if lead is None:
            continue
        if lead not in cache:
            cache[lead] = _lead_in_speaker(doc, paras, lead, resolver)
        d.attribute(cache[lead], "list")


def _lead_in(paras: Paragraphs, i: int) -> int | None:
    """The paragraph ending in ':' that introduces the list holding paragraph ``i``."""
    if not paras.is_bullet(i) and not (i > 0 and paras.is_bullet(i - 1) and paras.is_bullet(i + 1)):
        return None  # a paragraph between two items belongs to the list; one after it does not
    j = i - 1
    while j >= 0:
        if paras.is_bullet(j):
            j -= 1
        elif paras.body(j).endswith(":"):
            return j
        elif j > 0 and paras.is_bullet(j - 1):
            j -= 1  # a follow-on paragraph of the item above
        else:
            return None
    return None


def _lead_in_speaker(doc: Doc, paras: Paragraphs, lead: int, resolver: SpeakerResolver) -> Speaker | None:
    """The subject of the lead-in's last sentence ("It also includes ... passages:")."""
    end = paras.text.find("\n", paras.starts[lead])
    end = len(paras.text) if end < 0 else end
    span = doc.char_span(paras.starts[lead], end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = resolver.sents.of(span[-1]).root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return resolver.resolve(subject) if subject is not None else None


def _headline(doc: Doc, drafts: list[Draft], paras: Paragraphs, resolver: SpeakerResolver) -> None:
    """Quoted phrases in the headline belong to the person who is its subject."""
    if not paras.headline:
        return
    for d in drafts:
        if d.paragraph != 0 or not d.open:
            continue
        # 'Blair "said he would stand down"', 'Tory "stalking horse" Meyer dies': a
        # quoted predicate or an epithet of the subject is said *about* the subject.
        if any(t.pos_ in ("VERB", "AUX") for t in d.inner):
            continue
        root = resolver.sents.of(d.inner[0]).root
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is not None and not subject.left_edge.i <= d.inner.start <= subject.right_edge.i:
            speaker = resolver.resolve(subject)
            if resolver.is_person(speaker):
                d.attribute(speaker, "headline")
