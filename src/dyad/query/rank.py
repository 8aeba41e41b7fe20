"""Reranking: a score for each candidate sentence from BM25 and features.

Each feature is a number in a small range; the score is their weighted sum
(:data:`WEIGHTS`).  Lexical features say how much of the question a sentence
covers (IDF-weighted, expansions at part credit, names under any stored form);
answer-type features say whether the extractors found what the question asks
for (a figure for "how much", a date for "when", an agreement for "outcomes");
shape features push down what cannot be an answer (questions, headings, scraps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dyad.query import lexicon as lx
from dyad.query.question import EXPANSION_CREDIT, STEMMER, Question, stems_of
from dyad.query.retrieve import Pool
from dyad.store.ask_queries import words

# Weights of the features; tuned lightly on the gold questions of the sample
# corpus (see tests/query), so they favour coverage of the question over any cue.
WEIGHTS = {
    "lexical": 1.0,     # IDF-weighted share of the question's terms in the sentence
    "carried": 0.8,     # the same share over this sentence and the one it continues ("This …")
    "bm25": 0.35,       # FTS5 BM25, scaled to [0, 1] over the candidates
    "names": 0.35,      # share of the question's names found (any stored form)
    "phrase": 0.15,     # a multi-word name of the question found as written
    "answer_type": 0.3,  # the sentence holds what the question asks for
    "lede": 0.05,       # first sentences of an article state its news
    "question": -1.0,   # a sentence that is itself a question
    "heading": -0.6,    # titles, headings, footnotes
    "short": -0.3,      # fewer than five words
    "embedding": 0.5,   # cosine similarity (optional, see dyad.query.embed)
}
EVENT_OUTCOME_TYPES = frozenset({"AGREE"})  # COOPERATE is as often a state ("their alliance") as a result
NON_BODY_KINDS = frozenset({"title", "heading", "footnote", "boilerplate"})
FIGURE_LABELS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
PERSON_LABELS = ("PERSON",)
PLACE_LABELS = ("GPE", "LOC", "FAC")
DATE_LABELS = ("DATE", "TIME")


@dataclass
class Scored:
    """One ranked sentence: its row, score, features and the question words it holds."""

    row: dict
    score: float
    features: dict[str, float]
    matched: list[str] = field(default_factory=list)


def score_all(q: Question, rows: list[dict], pool: Pool, notes: dict[int, dict],
              previous: dict[int, str] | None = None, cosines: dict[int, float] | None = None) -> list[Scored]:
    """Every candidate scored, best first; ties go to the lower doc id, then sentence idx.

    ``previous`` maps a sentence id to the text of the sentence before it, which an
    anaphoric opener ("This …", "But he …") continues; ``cosines`` are embedding
    similarities (optional).
    """
    best_bm25 = max((-v for v in pool.bm25.values()), default=0.0) or 1.0
    previous = previous or {}
    scored = []
    for row in rows:
        features, matched = features_of(q, row, pool, notes.get(row["id"]), previous.get(row["id"]))
        features["bm25"] = max(0.0, -pool.bm25.get(row["id"], 0.0)) / best_bm25
        if cosines is not None:
            features["embedding"] = cosines.get(row["id"], 0.0)
        score = sum(WEIGHTS[k] * v for k, v in features.items())
        scored.append(Scored(row=row, score=round(score, 6), features=features, matched=matched))
    scored.sort(key=lambda s: (-s.score, s.row["doc_id"], s.row["idx"]))
    return scored


def features_of(q: Question, row: dict, pool: Pool, note: dict | None,
                previous: str | None = None) -> tuple[dict[str, float], list[str]]:
    """Features of one sentence (all but bm25 and embedding) and the question words it holds."""
    # The text is tokenised once for every feature: ranking reads a hundred candidates a question.
    tokens = [w.lower() for w in words(row["text"])]
    stems = STEMMER.stems(tokens)
    stem_set = set(stems)
    types = type_checks(row["text"], note, set(tokens))
    lexical, matched = _lexical(q, stem_set, pool.idf, types)
    names, phrase = _names(q, stems, pool)
    carried = 0.0
    if previous and _opens_with_anaphor(tokens):
        # What the sentence talks about is partly named in the one before it.
        carried = max(0.0, _lexical(q, stem_set | set(stems_of(previous)), pool.idf, types)[0] - lexical)
    features = {
        "lexical": lexical,
        "carried": carried,
        "names": names,
        "phrase": phrase,
        "answer_type": sum(types[t] for t in q.answer_types) / len(q.answer_types) if q.answer_types else 0.0,
        "lede": 1.0 if row["idx"] <= 2 and row.get("kind") not in NON_BODY_KINDS else 0.0,
        "question": 1.0 if row["text"].rstrip(" \"'”’)").endswith("?") else 0.0,
        "heading": 1.0 if row.get("kind") in NON_BODY_KINDS or _is_title(row) else 0.0,
        "short": 1.0 if len(stems) < 5 else 0.0,
    }
    return features, matched


def _opens_with_anaphor(tokens: list[str]) -> bool:
    """Whether a sentence (its lower-cased words) opens with an anaphor, after at most one
    connective ("But he …")."""
    head = tokens[:3]
    if head and head[0] in lx.CONNECTIVES:
        head = head[1:]
    return bool(head) and head[0] in lx.ANAPHORS


def _lexical(q: Question, stem_set: set[str], idf: dict[str, float],
             types: dict[str, float]) -> tuple[float, list[str]]:
    """IDF-weighted share of the question's terms present; an expansion earns part credit.

    A type noun ("outcomes", "figure") is present when the sentence holds that kind
    of answer (an agreement, a figure); the bare word earns only part credit.
    """
    total = got = 0.0
    matched = []
    for term in q.terms:
        weight = term.weight * idf.get(term.stem, 1.0)
        total += weight
        if term.answer_type and types.get(term.answer_type):
            got += weight * types[term.answer_type]
        elif term.answer_type and term.stem in stem_set:
            got += EXPANSION_CREDIT * weight
            matched.append(term.stem)
        elif term.stem in stem_set:
            got += weight
            matched.append(term.stem)
        elif hits := term.expansion_stems & stem_set:
            got += EXPANSION_CREDIT * weight
            matched.extend(sorted(hits))
    return (got / total if total else 0.0), matched


def _names(q: Question, stems: list[str], pool: Pool) -> tuple[float, float]:
    """(share of the question's names found under any form, share of multi-word names found as written)."""
    if not q.names:
        return 0.0, 0.0
    found = 0
    for name in q.names:
        forms = pool.name_forms.get(name) or []
        if any(_contains(stems, f) for f in forms):
            found += 1
    phrase = sum(_contains(stems, p) for p in q.phrases) / len(q.phrases) if q.phrases else 0.0
    return found / len(q.names), phrase


def _contains(stems: list[str], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    if n == 0:
        return False
    if n == 1:
        return seq[0] in stems
    return any(tuple(stems[i:i + n]) == seq for i in range(len(stems) - n + 1))


def type_checks(text: str, note: dict | None, lowered: set[str] | None = None) -> dict[str, float]:
    """How well the sentence holds each kind of answer, in [0, 1].

    Uses what the extractors stored for the sentence (figures, dates, quotes,
    events, entity labels), falling back on cue words; ``lowered`` is the text's
    lower-cased words when the caller has them.
    """
    note = note or {"figures": 0, "quotes": 0, "dates": 0, "events": [], "labels": {}}
    labels = note["labels"]
    if lowered is None:
        lowered = {w.lower() for w in words(text)}
    checks = {
        "FIGURE": note["figures"] > 0 or _count(labels, FIGURE_LABELS) > 0 and any(c.isdigit() for c in text),
        "DATE": note["dates"] > 0 or _count(labels, DATE_LABELS) > 0,
        "QUOTE": note["quotes"] > 0,
        "PERSON": min(_count(labels, PERSON_LABELS), 3) / 3,
        "PLACE": min(_count(labels, PLACE_LABELS), 2) / 2,
        "OUTCOME": any(t in EVENT_OUTCOME_TYPES for t, _ in note["events"]) or bool(lowered & lx.OUTCOME_CUES),
        "REASON": bool(lowered & lx.REASON_CUES),
        "YES_NO": bool(lowered & lx.NEGATION_CUES) or any(s == "denied" for _, s in note["events"]),
    }
    return {k: float(v) for k, v in checks.items()}


def _count(labels: dict, wanted: tuple[str, ...]) -> int:
    return sum(labels.get(label, 0) for label in wanted)


def _is_title(row: dict) -> bool:
    title = (row.get("title") or "").strip()
    return bool(title) and row["idx"] <= 1 and row["text"].strip() in title
