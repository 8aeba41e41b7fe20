"""Date expressions resolved against the publication date (component ``dyad_dates``).

spaCy's DATE spans find the expressions; :func:`resolve` normalises one to an ISO
prefix or range at the precision the text gives.  The common forms go through
dyad's own grammar (:mod:`dyad.nlp.date_grammar`); dateparser, which is slow and
reads "may" and "90% of" as dates, is asked only about a span the grammar does not
know that still names a month, weekday or year, and its answers are cached.
"""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from dyad.model import DateRef
from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)
from dyad.nlp.date_grammar import MONTHS, NOT_A_DATE, WEEKDAYS, Anchor, normalise, parse
from dyad.nlp.date_tense import span_tense
from dyad.nlp.extensions import span_text

# Only spans naming a calendar unit are worth dateparser's time.
_CALENDAR_WORD = re.compile(r"\b(?:" + "|".join(list(MONTHS) + list(WEEKDAYS)) + r")\b|\b\d{4}\b|\d+/\d+/\d+")
# dateparser answers at day precision for "March 2006"; its period says what it knew.
_PERIOD_PRECISION = {"day": "day", "week": "range", "month": "month", "year": "year"}


def resolve(text: str, anchor: str | None, tense: str | None = None) -> tuple[str | None, str | None]:
    """``(iso_value, precision)`` of a date expression, relative to ``anchor``.

    ``anchor`` is an ISO date prefix (the publication date) or None; ``tense``
    ("past", "future" or None) is the tense of the clause holding the expression and
    decides between the previous and the next "Tuesday" or "March".  The value is an
    ISO prefix (``2023``, ``2023-10``, ``2023-10-17``) or a range ``A/B``; precision is
    one of day, month, season, quarter, year, decade, range.  Returns ``(None, None)``
    for durations ("five years"), frequencies ("annual") and anything unresolvable.
    """
    return _resolve(" ".join(text.split()), anchor or None, tense)


@functools.lru_cache(maxsize=4096)
def _resolve(text: str, anchor: str | None, tense: str | None) -> tuple[str | None, str | None]:
    base = Anchor.parse(anchor)
    found = parse(text, base, tense)
    if found == NOT_A_DATE:
        return None, None
    if found is not None:
        return found
    norm = normalise(text)
    if not _CALENDAR_WORD.search(norm):
        return None, None
    return _dateparser(norm, anchor, tense)


@functools.lru_cache(maxsize=1024)
def _dateparser(text: str, anchor: str | None, tense: str | None) -> tuple[str | None, str | None]:
    base = Anchor.parse(anchor)
    day = (base.year, base.month, base.day) if base is not None and base.date is not None else None
    data = _date_data_parser("future" if tense == "future" else "past", day).get_date_data(text)
    if data is None or data.date_obj is None:
        return None, None
    precision = _PERIOD_PRECISION.get(data.period or "day", "day")
    when = data.date_obj.date()
    value = {"year": f"{when.year:04d}", "month": f"{when.year:04d}-{when.month:02d}"}.get(
        precision, when.isoformat())
    return value, precision


@functools.lru_cache(maxsize=256)
def _date_data_parser(prefer: str, relative_base: tuple[int, int, int] | None):
    """One dateparser parser per settings (it keeps no state between texts when it
    does not try previous locales, its default)."""
    # Imported lazily: loading dateparser costs about a second, and most documents
    # never need it.
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": prefer, "REQUIRE_PARTS": [], "STRICT_PARSING": False}
    if relative_base is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(*relative_base)
    return DateDataParser(languages=["en"], settings=settings)


def resolve_span(span: Span, anchor: str | None) -> tuple[str | None, str | None]:
    """:func:`resolve` for a DATE span, with the tense of the clause that holds it."""
    return resolve(span_text(span), anchor, span_tense(list(span)))


class DateResolver:
    """Resolve every DATE entity of a Doc onto ``doc._.dates`` (unresolved ones keep value None)."""

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.published
        dates = []
        for ent in doc.ents:
            if ent.label_ == "DATE":
                value, precision = resolve_span(ent, anchor)
                dates.append(DateRef(ent.start_char, ent.end_char, span_text(ent), value, precision))
        doc._.dates = dates
        return doc


@Language.factory("dyad_dates", default_config={}, assigns=["doc._.dates"], requires=["doc.ents"])
def make_dates(nlp: Language, name: str) -> DateResolver:
    """Factory for :class:`DateResolver`."""
    return DateResolver()
