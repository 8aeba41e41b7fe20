"""Candidate retrieval: which sentences are worth ranking for a question.

Candidates are the union of (a) an FTS5 OR query over the question's words, their
expansions and its multi-word names, best BM25 first, (b) sentences that mention
an entity the question names (under any of its stored forms), and (c) when the
scope is a handful of documents, simply every sentence of them.  Every search term is
a run of letters and digits that the store quotes, so no user text is ever read
as FTS syntax.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dyad.query.question import Question, stems_of
from dyad.store import Store
from dyad.store.ask_queries import words

FTS_LIMIT = 300          # BM25 candidates kept from the whole store
ENTITY_LIMIT = 300       # sentences naming a question entity
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


def gather(store: Store, q: Question, doc_ids: list[str] | None) -> Pool:
    """The candidate pool for ``q`` within ``doc_ids`` (None: the whole store)."""
    raw_forms = {name: [name] + store.ask_entity_forms([name]).get(name, []) for name in q.names}
    name_forms = _name_forms(raw_forms)
    texts = q.search_words() + [n for n in q.names if len(words(n)) > 1]
    texts += [" ".join(f) for forms in name_forms.values() for f in forms if len(f) > 1]
    bm25 = store.ask_fts(search_terms(texts), doc_ids, FTS_LIMIT)
    ids = set(bm25)
    entity_ids: set[int] = set()
    forms = [f for fs in raw_forms.values() for f in fs]
    if forms:
        entity_ids = set(store.ask_entity_sentence_ids(forms, doc_ids, ENTITY_LIMIT))
        ids |= entity_ids
    if doc_ids is not None and store.ask_doc_count(doc_ids) <= WHOLE_SCOPE_LIMIT:
        ids |= set(store.ask_doc_sentence_ids(doc_ids, WHOLE_SCOPE_LIMIT))
    return Pool(ids=sorted(ids), bm25=bm25, idf=_idf(store, q), name_forms=name_forms, entity_ids=entity_ids)


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
