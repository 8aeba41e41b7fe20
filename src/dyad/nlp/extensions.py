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

:func:`doc_text` is ``doc.text`` read once per Doc (spaCy rebuilds it from every
token on each access); components share it through ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

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


# doc.user_data key of the cached text: (id of the Doc, its length in tokens, its
# text).  Id and length keep a copied user_data (Doc.copy, Span.as_doc, pickling)
# from lending its text to another Doc; a Doc's own text never changes (the
# retokenizer keeps it).
_TEXT_KEY = "dyad.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc and then cached."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and cached[0] == id(doc) and cached[1] == len(doc):
        return cached[2]
    text = doc.text
    doc.user_data[_TEXT_KEY] = (id(doc), len(doc), text)
    return text


def span_text(span: Span) -> str:
    """``span.text``, sliced from :func:`doc_text` (Span.text joins its tokens)."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def set_doc_text(doc: Doc, text: str) -> None:
    """Record ``text`` as the text of ``doc`` (fresh from ``nlp.make_doc(text)``),
    so that :func:`doc_text` never rebuilds it.  Ignored if the lengths disagree."""
    last = doc[-1] if len(doc) else None
    if (last.idx + len(last.text_with_ws) if last is not None else 0) == len(text):
        doc.user_data[_TEXT_KEY] = (id(doc), len(doc), text)


def results(doc: Doc, name: str) -> list:
    """The list a component stored under ``doc._.<name>`` ([] when it did not run)."""
    return getattr(doc._, name) or []


register()
