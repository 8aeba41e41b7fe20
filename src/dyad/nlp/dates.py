"""Date expressions resolved against the publication date (component ``dyad_dates``).

spaCy's DATE spans find the expressions (dateparser's own search finds dates in
"may" and "90% of"); :func:`resolve` normalises one expression to an ISO prefix or
range at the precision the text gives.
"""

from __future__ import annotations

from datetime import datetime

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from dyad.model import DateRef
from dyad.nlp import extensions  # noqa: F401  (registers the Doc extensions)


def resolve(text: str, anchor: str | None) -> tuple[str | None, str | None]:
    """``(iso_value, precision)`` of a date expression, relative to ``anchor``.

    ``anchor`` is an ISO date prefix (the publication date) or None.  Returns
    ``(None, None)`` when the expression cannot be resolved.
    """
    base = _anchor_date(anchor)
    settings = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if base:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None, None
    return parsed.date().isoformat(), "day"


def _anchor_date(anchor: str | None) -> datetime | None:
    if not anchor:
        return None
    parts = [int(p) for p in anchor.split("/")[0].split("-")[:3]]
    return datetime(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class DateResolver:
    """Resolve every DATE entity of a Doc onto ``doc._.dates``."""

    def __call__(self, doc: Doc) -> Doc:
        dates = []
        for ent in doc.ents:
            if ent.label_ == "DATE":
                value, precision = resolve(ent.text, doc._.published)
                dates.append(DateRef(ent.start_char, ent.end_char, ent.text, value, precision))
        doc._.dates = dates
        return doc


@Language.factory("dyad_dates", default_config={}, assigns=["doc._.dates"], requires=["doc.ents"])
def make_dates(nlp: Language, name: str) -> DateResolver:
    """Factory for :class:`DateResolver`."""
    return DateResolver()

