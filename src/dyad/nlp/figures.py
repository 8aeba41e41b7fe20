"""Figures extractor (pipeline component ``dyad_figures``): results on ``doc._.figures``.

A figure is a number with its unit ("nearly US$200 billion", "47 percent", "55
billion cubic meters a year", "10 jointly signed agreements", "two-day"), found by the
grammar in :mod:`dyad.nlp.figure_grammar`, then placed in context by
:mod:`dyad.nlp.figure_context`: what it measures, the period it refers to, who
claims it (the enclosing quote's speaker or a reporting verb), and whether it is an
actual value, a forecast or a target.

Values are plain numbers in base units: "US$200 billion" is 2e11 USD, "47 percent"
is 47 percent, "55 billion cubic meters a year" is 55 ``bcm_per_year``.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy
from spacy.attrs import LIKE_NUM, LOWER, SHAPE
from spacy.language import Language
from spacy.tokens import Doc, Span

from dyad.model import DateRef, Figure, Quote
from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)
from dyad.nlp import figure_context as ctx
from dyad.nlp.extensions import results, span_text
from dyad.nlp.figure_grammar import Quantity, could_start, find_quantities, zero_counts


class FigureExtractor:
    """Find figures in a parsed Doc and store them on ``doc._.figures``.

    ``default_period`` says what a figure without a date in its sentence refers to:
    ``"published"`` (the publication date: what the text reports is the state of
    things when it was written) or ``"none"``.
    """

    def __init__(self, default_period: str = "published") -> None:
        self.default_period = default_period

    def __call__(self, doc: Doc) -> Doc:
        starts, negations = _candidates(doc)
        figures: list[Figure] = []
        if starts or negations:
            context = _Context(doc, results(doc, "quotes"), self._default_period(doc))
            for sent in doc.sents:
                in_starts = starts[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
                in_negations = negations[bisect_left(negations, sent.start):bisect_left(negations, sent.end)]
                if not in_starts and not in_negations:
                    continue
                found = find_quantities(doc, sent.start, sent.end, in_starts)
                found += zero_counts(doc, sent.end, in_negations, context.dated)
                if found:
                    found.sort(key=lambda q: q.start)
                    figures.extend(self._figures(context, sent, found))
        doc._.figures = figures
        return doc

    @staticmethod
    def _figures(context: _Context, sent: Span, found: list[Quantity]) -> list[Figure]:
        """Records for the quantities of one sentence, with their context."""
        doc = context.doc
        dates = ctx.sentence_dates(context.dates, context.date_starts, sent)
        durations = [(doc[q.start].idx, _end_char(doc, q)) for q in found if q.kind == "time"]
        out: list[Figure] = []
        for k, q in enumerate(found):
            start, end = doc[q.start].idx, _end_char(doc, q)
            previous = out[-1] if out and k > 0 else None
            if previous is not None and _is_conversion(doc, found[k - 1], q):
                # "US$200 billion (£163 billion)": the same amount in another currency.
                out.append(Figure(start, end, _surface(doc, q), q.value, q.unit, previous.approx,
                                  previous.qualifier, _converted(previous.measure, q.unit), previous.period,
                                  previous.attributed_to, previous.status))
                continue
            root = ctx.quantity_root(doc, q)
            status = ctx.status(doc, q, root)
            default = context.default_period if status == "actual" else None
            quote = ctx.quote_at(context.quotes, context.quote_starts, start)
            out.append(Figure(start, end, _surface(doc, q), q.value, q.unit, q.approx, q.qualifier,
                              ctx.measure(doc, q, root),
                              ctx.period(doc, q, root, dates, durations, default, context.dates_resolved),
                              ctx.attribution(doc, sent, root, quote), status))
        return out

    def _default_period(self, doc: Doc) -> str | None:
        """The publication date, when it is known rather than inferred from the body (an
        inferred date is only a lower bound: "the latest year the text mentions")."""
        if self.default_period != "published":
            return None
        if Doc.has_extension("published_how") and doc._.get("published_how") == "inferred":
            return None
        return doc._.published


class _Context:
    """What every sentence of one Doc needs: its dates and quotes (sorted by start)."""

    def __init__(self, doc: Doc, quotes: list[Quote], default_period: str | None) -> None:
        self.doc, self.default_period = doc, default_period
        # The resolved dates of ``dyad_dates``, or spaCy's DATE spans when it did not run.
        self.dates_resolved = doc._.dates is not None
        dates = doc._.dates if self.dates_resolved else [
            DateRef(e.start_char, e.end_char, span_text(e), None, None) for e in doc.ents if e.label_ == "DATE"]
        self.dates = sorted(dates, key=lambda d: d.start)
        self.date_starts = [d.start for d in self.dates]
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quotes]
        # Tokens of explicit dates ("in 2022"): they make "no investments" a statistic.
        self.dated = {i for d in self.dates if any(c.isdigit() for c in d.text)
                      for i in range(*_token_range(doc, d.start, d.end))}


def _candidates(doc: Doc) -> tuple[list[int], list[int]]:
    """Sorted token indices where a number could start, and those of the word "no".

    spaCy's lexical attributes, read as one array, find them without a Python pass
    over every token: number-like tokens, "a" ("a million"), and digits glued to a
    suffix ("200bn", "80p"), whose word shape starts with a digit and has a letter.
    """
    if not len(doc):
        return [], []
    strings = doc.vocab.strings
    flags = doc.to_array([LIKE_NUM, LOWER, SHAPE])
    lower, shape = flags[:, 1], flags[:, 2]
    found = (flags[:, 0] != 0) | (lower == strings["a"])
    for h in set(shape.tolist()):
        if _glued_shape(h, strings):
            found |= shape == h
    # (The lower-case form from the array: no Token objects.)
    starts = [i for i, low in zip(numpy.flatnonzero(found).tolist(), lower[found].tolist())
              if could_start(strings[low])]
    negations = numpy.flatnonzero(lower == strings["no"]).tolist()
    return starts, negations


# Word shape hash -> whether it is a glued shape (a hash names one string; there are
# few shapes, the bound only guards against odd input).
_GLUED: dict[int, bool] = {}


def _glued_shape(h: int, strings) -> bool:
    glued = _GLUED.get(h)
    if glued is None:
        if len(_GLUED) > 100_000:
            _GLUED.clear()
        glued = _GLUED[h] = _is_glued_shape(strings[h])
    return glued


def _is_glued_shape(shape: str) -> bool:
    return shape[:1] == "d" and ("x" in shape or "X" in shape)


def _token_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _end_char(doc: Doc, q: Quantity) -> int:
    last = doc[q.end - 1]
    return last.idx + len(last) - _final_stop(last.text)


def _final_stop(token_text: str) -> int:
    # A sentence-final abbreviation keeps its full stop in the token ("£50m."); the
    # surface does not.
    return int(len(token_text) > 1 and token_text.endswith("."))


def _surface(doc: Doc, q: Quantity) -> str:
    """The text of the quantity (``Doc.text`` would join every token of the Doc)."""
    text = span_text(doc[q.start:q.end])
    return text[:len(text) - _final_stop(doc[q.end - 1].text)]


def _is_conversion(doc: Doc, first: Quantity, second: Quantity) -> bool:
    return (first.kind == second.kind == "money" and first.unit != second.unit and second.start >= 1
            and doc[second.start - 1].text == "(" and first.end == second.start - 1)


def _converted(measure: str | None, unit: str) -> str | None:
    return f"{measure} ({unit} equivalent)" if measure else None


@Language.factory(
    "dyad_figures",
    default_config={"default_period": "published"},
    assigns=["doc._.figures"],
    requires=["doc.sents", "doc.ents", "token.dep", "token.pos"],
)
def make_figures(nlp: Language, name: str, default_period: str) -> FigureExtractor:
    """Factory for :class:`FigureExtractor` (after ``dyad_dates`` and ``dyad_quotes``)."""
    if default_period not in ("published", "none"):
        raise ValueError(f"dyad_figures: default_period must be 'published' or 'none', not {default_period!r}")
    return FigureExtractor(default_period)
