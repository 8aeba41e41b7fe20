"""When an event happened: the date expression that governs its clause.

Each resolved DATE span of a sentence attaches to the nearest trigger or verb
above it.  An event takes, in order: a date attached to one of its own tokens
("talks *on Wednesday*"), a date on the verb chain that embeds it ("*Last month*,
while visiting Beijing, Blinken warned"), the nearest other date of its sentence,
and finally the publication date — news reports an undated event as of the day
it is published (the document creation time of TimeML).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyad.nlp.dates import resolve_span
from dyad.nlp.event_triggers import Trigger
from dyad.nlp.extensions import span_text

_MAX_WALK = 8
_IRREALIS_AUX = frozenset({"will", "would", "could", "might", "may", "should", "can", "must", "shall", "'ll", "wo"})


@dataclass(frozen=True)
class EventDate:
    """An event's date: ISO value, the words that gave it (None for the fallback), precision."""

    value: str | None
    text: str | None
    precision: str | None


@dataclass(frozen=True)
class _Dated:
    span: Span
    value: str
    precision: str


class DateIndex:
    """The resolved DATE spans of one Doc, grouped by sentence start."""

    def __init__(self, doc: Doc) -> None:
        self.fallback = _fallback(doc._.published, doc._.published_how)
        self.dated: list[_Dated] = []  # in text order
        if doc._.dates is not None:  # dyad_dates ran: reuse its resolutions
            for ref in doc._.dates:
                span = doc.char_span(ref.start, ref.end, alignment_mode="expand") if ref.value else None
                if span is not None:
                    self.dated.append(_Dated(span, ref.value, ref.precision or "day"))
        else:
            for ent in doc.ents:
                if ent.label_ == "DATE":
                    value, precision = resolve_span(ent, doc._.published)
                    if value:
                        self.dated.append(_Dated(ent, value, precision or "day"))
        self._starts = [d.span.start for d in self.dated]

    def in_sentence(self, sent: Span) -> list[_Dated]:
        """The resolved dates inside one sentence."""
        return self.dated[bisect_left(self._starts, sent.start):bisect_left(self._starts, sent.end)]

    def date_of(self, trigger: Trigger, sent: Span, trigger_tokens: set[int], realis: bool = True) -> EventDate:
        """The date of one event; ``trigger_tokens`` are the tokens of every trigger in the sentence.

        ``realis`` events (ones that happened) do not borrow a date from another
        clause's future or modal verb ("trade could reach $200bn by early 2024,
        Putin said in an interview").
        """
        dated = self.in_sentence(sent)
        if not dated:
            return self.fallback
        own = {t.i for t in trigger.tokens}
        chain = {t.i for t in _verb_chain(trigger.token)}
        attached = [(d, _attachment(d.span.root, trigger_tokens)) for d in dated]
        for wanted in (own, chain):
            hits = [d for d, at in attached if at is not None and at.i in wanted]
            if hits:
                return _as_event_date(_nearest(hits, trigger.token))
        # Another clause's date, unless it belongs to a future or modal clause (for
        # an event that happened), to a relative clause ("a rail link which was
        # closed in 1969"), or dates a thing rather than an event ("the Soviets'
        # 1945 liberation", "the previous forums in 2017").
        others = [d for d, at in attached if not (realis and at is not None and _irrealis(at))
                  and not (at is not None and at.dep_ == "relcl") and not _dates_a_noun(d.span.root, trigger_tokens)]
        return _as_event_date(_nearest(others, trigger.token)) if others else self.fallback


def _fallback(published: str | None, how: str | None) -> EventDate:
    """The publication date as an undated event's date; not a year the cleaner only
    guessed (``published_how`` "inferred"), which would date every event wrongly."""
    parts = published.split("/")[0].split("-") if published else []
    if not parts or (how == "inferred" and len(parts) == 1):
        return EventDate(None, None, None)
    return EventDate("-".join(parts), None, ("year", "month", "day")[min(len(parts), 3) - 1])


def _as_event_date(d: _Dated) -> EventDate:
    return EventDate(d.value, span_text(d.span), d.precision)


def _nearest(dated: list[_Dated], token: Token) -> _Dated:
    return min(dated, key=lambda d: min(abs(d.span.start - token.i), abs(d.span.end - 1 - token.i)))


def _attachment(token: Token, trigger_tokens: set[int]) -> Token | None:
    """The first trigger or verb above a date's root token."""
    node = token
    for _ in range(_MAX_WALK):
        if node.head == node:
            return None
        node = node.head
        if node.i in trigger_tokens or node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _dates_a_noun(token: Token, trigger_tokens: set[int]) -> bool:
    """The date modifies a noun that is no event trigger (reached before any verb)."""
    node = token
    for _ in range(_MAX_WALK):
        if node.head == node:
            return False
        node = node.head
        if node.i in trigger_tokens or node.pos_ in ("VERB", "AUX"):
            return False
        if node.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def _irrealis(verb: Token) -> bool:
    """The verb carries a modal or future auxiliary ("could reach", "will rise")."""
    return any(c.dep_ == "aux" and c.lower_ in _IRREALIS_AUX for c in verb.children)


def _verb_chain(token: Token) -> list[Token]:
    """The trigger's governing verb and the verbs that embed it (xcomp, advcl, conj)."""
    chain = []
    node = token
    for _ in range(_MAX_WALK):
        if node.pos_ in ("VERB", "AUX"):
            chain.append(node)
            if node.dep_ not in ("xcomp", "advcl", "conj", "pcomp", "acl", "prep", "pobj"):
                break
        if node.head == node:
            break
        node = node.head
    return chain
