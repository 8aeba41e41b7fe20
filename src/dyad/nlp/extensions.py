"""Doc extensions that carry dyad's results, registered once at import.

Components read and write only these attributes, so each one can be tested on a
Doc alone and the pipeline order is the only coupling between them.

- ``doc._.published``: ISO date of publication (set before the pipeline runs); the
  anchor for relative dates ("last week").
- ``doc._.published_how``: ``source``, ``stated`` or ``inferred`` — how far the
  anchor can be trusted (an inferred year is a weak default period).
- ``doc._.entities``: list of :class:`dyad.model.Entity` (in-document clusters).
- ``doc._.dates``: list of :class:`dyad.model.DateRef`.
- ``doc._.quotes``, ``doc._.figures``, ``doc._.events``: lists of records.
"""

from __future__ import annotations

from spacy.tokens import Doc

RESULT_ATTRS = ("entities", "dates", "quotes", "figures", "events")


def register() -> None:
    """Register every extension (safe to call more than once)."""
    for name in ("published", "published_how"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in RESULT_ATTRS:
        if not Doc.has_extension(name):
            # A getter-free default would be one list shared by every Doc; None
            # marks "component did not run" and results() turns it into [].
            Doc.set_extension(name, default=None)


def results(doc: Doc, name: str) -> list:
    """The list a component stored under ``doc._.<name>`` ([] when it did not run)."""
    return getattr(doc._, name) or []


register()
