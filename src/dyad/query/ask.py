"""Answer analysts' questions with ranked, cited sentences from the store.

:func:`ask` analyses a question (:mod:`dyad.query.question`), gathers candidate
sentences (:mod:`dyad.query.retrieve`), ranks them (:mod:`dyad.query.rank`) and
returns :class:`Answer` records that cite document, stem, sentence and offsets.
:func:`ask_batch` answers many questions in the ``--answers`` format of the shared
scorer: ``{question: [sentence, …]}``, where a question written
``"<stem>::<question>"`` is answered from that article alone.

Deterministic and offline: no language model, no network; the optional embedding
feature (:mod:`dyad.query.embed`) is used only when asked for.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dyad.query import embed
from dyad.query.question import analyse, stems_of
from dyad.query.rank import score_all
from dyad.query.retrieve import gather
from dyad.store import Store

KEY_SEPARATOR = "::"
WORD_RE = re.compile(r"[^\W_]+")  # a token as the FTS index sees it


@dataclass
class Answer:
    """One answer sentence and where it comes from."""

    doc_id: str
    stem: str | None
    idx: int                  # sentence index in the document
    start: int                # character offsets into the document's clean text
    end: int
    text: str
    score: float
    story: str | None = None  # story id from the resolve stage, when the store has one
    features: dict[str, float] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)  # stems of question words found in the sentence

    def to_dict(self) -> dict:
        """A JSON-ready dict of every field."""
        return asdict(self)

    def highlights(self) -> list[tuple[int, int]]:
        """Spans ``(start, end)`` within :attr:`text` of the words that matched the question."""
        found = set(self.matched)
        spans = [(m.start(), m.end()) for m in WORD_RE.finditer(self.text)]
        stems = stems_of(" ".join(self.text[a:b] for a, b in spans))
        return [span for span, stem in zip(spans, stems) if stem in found]


class UnknownScope(ValueError):
    """A --doc or --story that names nothing in the store."""


def ask(store: Store, question: str, k: int = 10, story: str | None = None, doc: str | None = None,
        embeddings: bool = False) -> list[Answer]:
    """The ``k`` best answer sentences to ``question``, best first.

    ``doc`` (a stem or document id) or ``story`` (a story id of the resolve stage)
    restrict the answers to those documents; an unknown one raises
    :class:`UnknownScope`.  ``embeddings`` adds sentence-embedding similarity as a
    feature when :func:`dyad.query.embed.available` (it is ignored otherwise).

    >>> ask(store, "What were the main outcomes of the visit?", k=3)  # doctest: +SKIP
    [Answer(doc_id='196f…', stem='001_…', idx=37, start=…, text='In terms of concrete outcomes, …', …)]
    """
    doc_ids = scope(store, story=story, doc=doc)
    q = analyse(question)
    # Independent reads run two at a time, on a second connection when the store has one.
    with store.beside() as beside:
        pool = gather(store, q, doc_ids, beside)
        if not pool.ids:
            return []
        later_notes = beside.submit(lambda side: side.ask_annotations(pool.ids))
        rows = store.ask_sentences(pool.ids)
        notes = later_notes()
    previous = {r["id"]: r["previous"] for r in rows if r["previous"] is not None}
    cosines = embed.cosines(question, rows) if embeddings and embed.available() else None
    ranked = score_all(q, rows, pool, notes, previous, cosines)[:max(k, 0)]
    stories = store.ask_stories(sorted({s.row["doc_id"] for s in ranked}))
    return [_answer(s, stories) for s in ranked]


def _answer(s, stories: dict[str, str]) -> Answer:
    r = s.row
    return Answer(doc_id=r["doc_id"], stem=r["stem"], idx=r["idx"], start=r["start"], end=r["end"],
                  text=r["text"], score=s.score, story=stories.get(r["doc_id"]),
                  features={k: round(v, 4) for k, v in s.features.items()}, matched=s.matched)


def scope(store: Store, story: str | None = None, doc: str | None = None) -> list[str] | None:
    """Document ids to search (None: the whole store); both given means their intersection."""
    doc_ids: list[str] | None = None
    if story is not None:
        doc_ids = store.ask_story_doc_ids(story)
        if not doc_ids:
            why = "the store has no stories yet (run the resolve stage)" if doc_ids is None else "no such story"
            raise UnknownScope(f"story {story!r}: {why}")
    if doc is not None:
        doc_id = store.ask_doc_for_stem(doc)
        if doc_id is None:
            raise UnknownScope(f"no document {doc!r} (give a stem or a document id)")
        doc_ids = [doc_id] if doc_ids is None or doc_id in doc_ids else []
    return doc_ids


def split_key(store: Store, key: str) -> tuple[str | None, str]:
    """``"<stem>::<question>"`` -> (stem, question) when the stem names a document; else (None, key)."""
    head, sep, tail = key.partition(KEY_SEPARATOR)
    if sep and tail.strip() and store.ask_doc_for_stem(head.strip()):
        return head.strip(), tail.strip()
    return None, key


def ask_batch(store: Store, questions: list[str], k: int = 10, embeddings: bool = False) -> dict[str, list[str]]:
    """``{question: [sentence, …]}`` ranked, the ``--answers`` format of the shared scorer.

    Each key is the question as given; a ``"<stem>::<question>"`` key is answered
    from that article only (the scorer lets such keys override plain ones, so the
    same generic question can get per-article answers).
    """
    out: dict[str, list[str]] = {}
    for key in questions:
        if key in out or not key.strip():
            continue
        stem, question = split_key(store, key)
        out[key] = [a.text for a in ask(store, question, k=k, doc=stem, embeddings=embeddings)]
    return out


def read_questions(path: Path) -> list[str]:
    """Questions from a file: one per line (``#`` comments), a JSON list of strings,
    or gold annotation JSON (a ``<stem>.json`` file or a folder of them, whose
    ``questions`` become ``"<stem>::<question>"`` keys)."""
    if path.is_dir():
        return [q for p in sorted(path.glob("*.json")) for q in _json_questions(p)]
    if path.suffix.lower() == ".json":
        return _json_questions(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _json_questions(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        return [q for q in data if isinstance(q, str) and q.strip()]
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        return [f"{path.stem}{KEY_SEPARATOR}{q['question']}" for q in data["questions"]
                if isinstance(q, dict) and isinstance(q.get("question"), str)]
    return []


def write_answers(answers: dict[str, list[str]], out: Path) -> None:
    """Write an answers file (UTF-8 JSON, keys in the order asked)."""
    out.write_text(json.dumps(answers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
