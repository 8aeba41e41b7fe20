"""PLOVER events, one per triggering clause (pipeline component ``dyad_events``).

For each sentence: find the triggers (:mod:`dyad.nlp.event_triggers`, lexicon in
``data/event_triggers.tsv``), then give each event its actors
(:mod:`dyad.nlp.event_actors`, :mod:`dyad.nlp.event_args`), status
(:mod:`dyad.nlp.event_status`) and date (:mod:`dyad.nlp.event_time`).  Results
ride on ``doc._.events`` as :class:`dyad.model.Event` records.

Left out on purpose: words inside a quotation (what a speaker claims is evidence
for the quote, not a reported event) and headings without a full stop (titles,
section heads, captions repeat the body).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyad.model import Event
from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)
from dyad.nlp.date_tense import FUTURE_CUES
from dyad.nlp.event_actors import ActorIndex, load_places
from dyad.nlp.event_args import location_token, source_and_target
from dyad.nlp.event_lexicon import Lexicon, load_lexicon
from dyad.nlp.event_status import DENIED, HAPPENED, SCHEDULED, event_status
from dyad.nlp.event_time import DateIndex
from dyad.nlp.extensions import doc_text
from dyad.nlp.event_triggers import Trigger, find_triggers

# A quotation long enough to be a statement (four words or more); shorter quoted
# words ("no-limits" partnership) are the writer's own sentence.
_QUOTE = re.compile(r"[“\"][^“”\"\n]+[”\"]")
_QUOTE_MIN_WORDS = 4
PAIR_DEFAULT_TYPES = frozenset({"AGREE", "COOPERATE"})
_SENTENCE_FINAL = (".", "!", "?", "…")
_CLOSERS = frozenset({")", "]", "”", "’", "\"", "'"})


class EventExtractor:
    """Find PLOVER events in a parsed Doc (``doc._.events``)."""

    def __init__(self, lexicon: Lexicon, skip_quotes: bool = True, skip_headings: bool = True) -> None:
        self.lexicon = lexicon
        self.skip_quotes = skip_quotes
        self.skip_headings = skip_headings

    def __call__(self, doc: Doc) -> Doc:
        actors = ActorIndex(doc, load_places())
        dates = DateIndex(doc)
        quoted = _quoted_tokens(doc) if self.skip_quotes else frozenset()

        def names_actor(token: Token) -> bool:
            # A pronoun ("his visit") points back to a known event, not a new participant.
            return token.pos_ != "PRON" and bool(actors.resolve(token))

        verbs, nouns = self.lexicon.candidates(doc)
        verbs = [i for i in verbs if i not in quoted]
        nouns = [i for i in nouns if i not in quoted]
        events: list[Event] = []
        reported: set[tuple] = set()  # (type, source, target) of every event so far
        for sent in doc.sents:
            if self.skip_headings and _is_heading(sent):
                continue
            in_sent = (slice(bisect_left(verbs, sent.start), bisect_left(verbs, sent.end)),
                       slice(bisect_left(nouns, sent.start), bisect_left(nouns, sent.end)))
            if in_sent[0].start == in_sent[0].stop and in_sent[1].start == in_sent[1].stop:
                continue
            triggers = find_triggers(sent, self.lexicon, verbs[in_sent[0]], nouns[in_sent[1]], names_actor)
            trigger_tokens = {t.i for trig in triggers for t in trig.tokens}
            for trigger in triggers:
                event = _event(trigger, sent, actors, dates, trigger_tokens, doc._.published, reported)
                if event is not None:
                    events.append(event)
        doc._.events = events
        return doc


def _event(trigger: Trigger, sent: Span, actors: ActorIndex, dates: DateIndex, trigger_tokens: set[int],
           published: str | None, reported: set[tuple]) -> Event | None:
    """The :class:`Event` record of one trigger, or None for a nominal naming an event
    already ``reported`` with the same type and stated parties ("Putin's visit to
    China" after "Putin visited Beijing"); adds the event's key to ``reported``."""
    source, target = source_and_target(trigger, actors.actors)
    if trigger.kind == "noun" and source and (trigger.type, frozenset(source), frozenset(target)) in reported:
        return None
    if not source and trigger.kind == "noun" and trigger.type in PAIR_DEFAULT_TYPES:
        # An agreement or cooperation whose parties go unnamed is, in an article
        # about a pair of states, one between that pair.
        source = actors.pair()
    if source and not target:
        # In an article about a pair of states, an act by one of them that names no
        # other party is directed at the other ("China offered political support").
        target = actors.other_party(source)
    reported.add((trigger.type, frozenset(source), frozenset(target)))
    status = event_status(trigger.token, trigger.noun)
    when = dates.date_of(trigger, sent, trigger_tokens, realis=status in (HAPPENED, DENIED))
    if status == HAPPENED and when.text and (
            (published and _after(when.value, published)) or FUTURE_CUES & set(when.text.lower().split())):
        status = SCHEDULED  # a date after publication ("later on Wednesday"): not yet happened
    place = location_token(trigger)
    token = trigger.token
    return Event(type=trigger.type, subtype=trigger.subtype, trigger_start=token.idx,
                 trigger_end=token.idx + len(token.text), status=status, source_actor=source, target_actor=target,
                 location=actors.location(place) if place is not None else None, date=when.value,
                 date_text=when.text, date_precision=when.precision)


def _after(value: str | None, published: str) -> bool:
    """The date (or range) begins after the publication date, compared at the coarser precision."""
    if not value:
        return False
    start, anchor = value.split("/")[0], published.split("/")[0]
    n = min(len(start), len(anchor))
    return start[:n] > anchor[:n]


def _quoted_tokens(doc: Doc) -> frozenset[int]:
    """Indices of tokens inside quotations of four words or more.

    The quotations come from ``dyad_quotes`` when it ran (it pairs marks across a
    paragraph's unclosed quotes); else from pairs of quote marks within a line.
    """
    if doc._.quotes is not None:
        spans = [(q.start, q.end) for q in doc._.quotes]
    else:
        spans = [m.span() for m in _QUOTE.finditer(doc_text(doc))]
    inside: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and sum(not t.is_punct for t in span) >= _QUOTE_MIN_WORDS:
            inside.update(range(span.start, span.end))
    return frozenset(inside)


def _is_heading(sent: Span) -> bool:
    """No closing punctuation: a title, section head or caption fragment."""
    for token in reversed(sent):
        if token.is_space or token.is_quote or token.text in _CLOSERS:
            continue
        return not token.text.endswith(_SENTENCE_FINAL)
    return True


@Language.factory("dyad_events", default_config={"skip_quotes": True, "skip_headings": True},
                  assigns=["doc._.events"], requires=["doc.ents", "token.dep", "token.lemma", "doc._.entities"])
def make_events(nlp: Language, name: str, skip_quotes: bool, skip_headings: bool) -> EventExtractor:
    """Factory for :class:`EventExtractor` (after ``dyad_entities`` and ``dyad_dates``)."""
    return EventExtractor(load_lexicon(), skip_quotes=skip_quotes, skip_headings=skip_headings)
