"""Candidate retrieval: which sentences are worth ranking for a question.

Candidates are the union of (a) an FTS5 OR query over the question's words, their
expansions and its multi-word names, best BM25 first, (b) sentences holding every
content word of the question, (c) sentences that mention an entity the question
names, and (d) when the scope is a handful of documents, simply every sentence of
them.  Every search term is a run of letters and digits that the store quotes, so
no user text is ever read as FTS syntax.

Each step reads a bounded slice of a large store: the full-text queries rank the
:data:`FTS_WINDOW` most recently stored matches (sentences with every content word
are rarely that many, so (b) finds the best of them whatever their age), and an
entity's forms and sentences come from the :data:`ENTITY_DOCS` newest documents
naming it.  An answer reads about as many rows in a store of a thousand documents
as in one of a hundred thousand (the full-text index still finds every match).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dyad.query.question import Question, stems_of
from dyad.store import Store
from dyad.store.ask_queries import words
from dyad.store.beside import Beside

FTS_LIMIT = 60           # BM25 candidates kept (any question word)
EVERY_WORD_LIMIT = 30    # candidates holding every content word of the question
ENTITY_LIMIT = 40        # sentences naming a question entity
FTS_WINDOW = 2000        # matches ranked by the any-word query: the most recently stored
EVERY_WORD_WINDOW = 500  # matches ranked by the every-word query, which keeps far fewer
ENTITY_DOCS = 30         # newest documents naming an entity, where its forms and sentences are read
WHOLE_SCOPE_LIMIT = 1500  # below this many sentences in scope, rank them all


@dataclass
class Pool:
    """Candidates of one question: BM25 by sentence id, IDF by stem, entity forms by name."""

    ids: list[int]
    bm25: dict[int, float]
    idf: dict[str, float]
    name_forms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    entity_ids: set[int] = field(default_factory=set)


def search_term(text: str) -> str | None:
    """One search term (a word or a phrase) from any text; None when it has no word.

    Only letters and digits survive, lower-cased and space-joined; the store quotes
    each term, so ``NEAR(``, ``*``, ``AND`` or a stray quote are plain words, never
    operators.
    """
    tokens = [w.lower() for w in words(text)]
    return " ".join(tokens) if tokens else None


def search_terms(texts: list[str]) -> list[str]:
    """Search terms of several texts, repeats dropped, order kept."""
    return list(dict.fromkeys(t for x in texts if (t := search_term(x))))


def gather(store: Store, q: Question, doc_ids: list[str] | None, beside: Beside | None = None) -> Pool:
    """The candidate pool for ``q`` within ``doc_ids`` (None: the whole store).

    With ``beside``, the every-word query and the IDF counts, which need nothing
    else, run on its second connection while the entity and any-word queries run
    on ``store``'s.
    """
    every = search_terms([t.word for t in q.terms if t.answer_type is None])

    def every_word_and_idf(side: Store) -> tuple[dict[int, float], dict[str, float]]:
        found = side.ask_fts(every, doc_ids, EVERY_WORD_LIMIT, EVERY_WORD_WINDOW, every=True) if len(every) > 1 else {}
        return found, _idf(side, q)

    later = (beside or Beside(store, None)).submit(every_word_and_idf)
    windows = {name: [store.entity_window_rows(c, ENTITY_DOCS) for c in store.ask_entity_names(name)]
               for name in q.names}
    raw_forms = {name: [name] + [f for f in store.ask_entity_forms(windows[name]) if f.lower() != name.lower()]
                 for name in q.names}
    name_forms = _name_forms(raw_forms)
    texts = q.search_words() + [n for n in q.names if len(words(n)) > 1]
    texts += [" ".join(f) for forms in name_forms.values() for f in forms if len(f) > 1]
    terms = search_terms(texts)
    bm25 = store.ask_fts(terms, doc_ids, FTS_LIMIT, FTS_WINDOW)
    entity_ids: set[int] = set()
    for found in windows.values():
        entity_ids |= set(store.ask_entity_sentence_ids(found, doc_ids, ENTITY_LIMIT))
    ids = set(entity_ids)
    if doc_ids is not None and store.ask_doc_count(doc_ids) <= WHOLE_SCOPE_LIMIT:
        ids |= set(store.ask_doc_sentence_ids(doc_ids, WHOLE_SCOPE_LIMIT))
    complete, idf = later()
    bm25 = _merge_scales(bm25, complete)
    ids |= set(bm25)
    return Pool(ids=sorted(ids), bm25=bm25, idf=idf, name_forms=name_forms, entity_ids=entity_ids)


def _merge_scales(bm25: dict[int, float], complete: dict[int, float]) -> dict[int, float]:
    """The OR query's scores, and those of sentences holding every word that it did not rank.

    The two queries score on different scales (BM25 sums over the query's terms), so
    the every-word scores are scaled to put the best of them level with the best OR
    candidate; looking each one up in the OR query instead costs milliseconds a row.
    """
    if not complete:
        return bm25
    best_any = min(bm25.values(), default=0.0)
    best_every = min(complete.values())
    factor = best_any / best_every if best_every < 0 and best_any < 0 else 1.0
    return {**{i: score * factor for i, score in complete.items()}, **bm25}


def _name_forms(raw_forms: dict[str, list[str]]) -> dict[str, list[tuple[str, ...]]]:
    """For each name of the question, the stem sequences of all its forms (itself first)."""
    out = {}
    for name, forms in raw_forms.items():
        stemmed = [tuple(stems_of(f)) for f in forms]
        out[name] = list(dict.fromkeys(f for f in stemmed if f and not _generic(f)))
    return out


def _generic(form: tuple[str, ...]) -> bool:
    # "the Russian president" is a fine alias, but "the" or "it" alone would match anything.
    return all(len(s) < 3 for s in form)


def _idf(store: Store, q: Question) -> dict[str, float]:
    """BM25-style IDF of each question term's stem over the whole store."""
    total = max(store.ask_sentence_total(), 1)
    idf = {}
    for term in q.terms:
        word = search_term(term.word)
        df = store.ask_document_frequency(word) if word else 0
        idf[term.stem] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    return idf
