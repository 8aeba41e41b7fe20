"""Retrieval queries for question answering.

Mixed into :class:`dyad.store.Store`; every statement goes through ``self.conn``
and is parameterised.  The SQL is portable between SQLite and PostgreSQL except
full-text search, which uses FTS5 (``bm25``) on SQLite and the ``tsv`` column
(``ts_rank_cd``) on PostgreSQL.  :class:`PorterStems` also lives here: it asks
SQLite itself for the porter stems of words, so the question side stems exactly
as the ``sentences_fts`` index does.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
import time
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from dyad.store.queries import _WINDOW_ROWS, EntityWindow

# unicode61 splits on everything that is not a letter or a digit (the underscore too).
_WORD = re.compile(r"[^\W_]+")
# Far below SQLite's 32766 bound variables; callers pass a few thousand ids at most.
MAX_IDS = 30000


def _in(values) -> tuple[str, list]:
    """Placeholders and arguments for ``x IN (…)`` over distinct values (sorted: stable plans)."""
    items = sorted(set(values))[:MAX_IDS] or [None]
    return ", ".join("?" * len(items)), items


class AskQueries:
    """Retrieval queries for question answering."""

    conn: sqlite3.Connection

    def _postgres(self) -> bool:
        return getattr(self, "dialect", "sqlite") == "postgresql"

    # ------------------------------------------------------------ scope
    def ask_sentence_total(self) -> int:
        """Number of sentences in the store (the N of IDF), read as the highest sentence id.

        Ids only grow, so this is exact until documents are removed and an upper
        bound after (IDF barely moves); counting every row grew with the store.
        """
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM sentences").fetchone()[0]

    def ask_doc_for_stem(self, ref: str) -> str | None:
        """The document a stem, a full id or a unique id prefix names, else None."""
        return self.resolve_document(ref)

    def ask_doc_sentence_ids(self, doc_ids: list[str], limit: int) -> list[int]:
        """Ids of every sentence of the given documents (in document order), at most ``limit``."""
        marks, args = _in(doc_ids)
        sql = f"SELECT id FROM sentences WHERE doc_id IN ({marks}) ORDER BY doc_id, idx LIMIT ?"
        return [r[0] for r in self.conn.execute(sql, (*args, limit))]

    def ask_doc_count(self, doc_ids: list[str]) -> int:
        """Number of sentences in the given documents."""
        marks, args = _in(doc_ids)
        return self.conn.execute(f"SELECT COUNT(*) FROM sentences WHERE doc_id IN ({marks})", args).fetchone()[0]

    # ------------------------------------------------------------ full text
    def ask_fts(self, terms: list[str], doc_ids: list[str] | None, limit: int, window: int,
                every: bool = False) -> dict[int, float]:
        """``{sentence id: score}`` of sentences holding any of ``terms`` (all, with ``every``), best first.

        ``terms`` are lower-case words or phrases of letters and digits only (see
        :func:`dyad.query.retrieve.search_terms`); the score is FTS5's bm25 on SQLite
        and minus ``ts_rank_cd`` on PostgreSQL: lower is better on both, ties by id.
        Only the ``window`` most recently stored matches are ranked, so common
        words cost no more than rare ones.
        """
        if not terms:
            return {}
        where, args = "", []
        if doc_ids is not None:
            marks, args = _in(doc_ids)
            where = f" AND s.doc_id IN ({marks})"
        if self._postgres():
            match = pg_tsquery(terms, every)
            # Each match costs PostgreSQL a heap row and its tsvector (about 20 µs), FTS5 a
            # few µs from its own doclists: the window is narrower there.
            window = min(window, PG_FTS_WINDOW)
            # Ranked outside the window's subquery: a rank computed beside ORDER BY id is
            # computed for every match the bitmap scan yields before the sort keeps 300
            # (2,517 ts_rank_cd calls, 10 ms, for "blair & elect" in 100k documents).
            # "s.id + 0" cannot be read off the primary key, which leaves the planner one way:
            # every match from the GIN index, then the newest.  See _pg_few_matches.
            order = "s.id + 0" if doc_ids is None and self._pg_few_matches(terms, every, window) else "s.id"
            sql = ("SELECT id, -ts_rank_cd(tsv, to_tsquery('english', ?)) AS score FROM ("
                   f"SELECT s.id AS id, s.tsv AS tsv FROM sentences s WHERE s.tsv @@ to_tsquery('english', ?){where} "
                   f"ORDER BY {order} DESC LIMIT ?) hit ORDER BY score, id LIMIT ?")
            return {r[0]: r[1] for r in self.conn.execute(sql, (match, match, *args, window, limit))}
        join = " JOIN sentences s ON s.id = sentences_fts.rowid" if where else ""
        sql = (f"SELECT id, score FROM (SELECT sentences_fts.rowid AS id, bm25(sentences_fts) AS score "
               f"FROM sentences_fts{join} WHERE sentences_fts MATCH ?{where} ORDER BY sentences_fts.rowid DESC LIMIT ?) "
               "hit ORDER BY score, id LIMIT ?")
        return {r[0]: r[1] for r in self.conn.execute(sql, (fts5_match(terms, every), *args, window, limit))}

    def ask_document_frequency(self, term: str) -> int:
        """How many sentences hold one term (a lower-case word or phrase of letters and digits).

        On PostgreSQL a common word's count is read from the planner's statistics
        (``pg_stats.most_common_elems`` of ``sentences.tsv``, within a few percent);
        counting it would visit every matching row, and a rarer one is counted up
        to :data:`PG_COUNT_CAP`.
        """
        if self._postgres():
            lexemes = self._pg_lexemes(term)
            common = _pg_common_lexemes(self)
            if len(lexemes) == 1 and lexemes[0] in common.freqs:
                return round(common.freqs[lexemes[0]] * common.rows)
            sql = "SELECT COUNT(*) FROM (SELECT 1 FROM sentences WHERE tsv @@ to_tsquery('english', ?) LIMIT ?) m"
            return self.conn.execute(sql, (pg_tsquery([term]), PG_COUNT_CAP)).fetchone()[0]
        sql = "SELECT COUNT(*) FROM sentences_fts WHERE sentences_fts MATCH ?"
        return self.conn.execute(sql, (fts5_match([term]),)).fetchone()[0]

    def _pg_lexemes(self, term: str) -> tuple[str, ...]:
        """The lexemes PostgreSQL's ``english`` configuration makes of a term (cached: they never change)."""
        kept = _pg_lexeme_cache.get(term)
        if kept is None:
            kept = tuple(r[0] for r in self.conn.execute("SELECT lexeme FROM unnest(to_tsvector('english', ?))",
                                                         (term,)))
            if len(_pg_lexeme_cache) < 100_000:
                _pg_lexeme_cache[term] = kept
        return kept

    def _pg_few_matches(self, terms: list[str], every: bool, window: int) -> bool:
        """Whether the query's matches are few enough that reading every one of them (a bitmap scan
        of the GIN index) beats walking the newest sentences until ``window`` of them match.

        The planner makes this choice itself but prices a tsvector test at a fraction of
        its cost: for "blair & said" in 100,000 documents it walked 240,000 sentences
        (90 ms) where the 6,000 matches took 20 ms.  Matches are estimated from the
        planner's own lexeme frequencies (a word not among them is rarer than all of
        them), assuming words independent; the walk costs about ``window × N / matches``
        rows at a fifth of a match's cost, so the crossover is at
        ``sqrt(window × N / 5)`` matches.
        """
        common = _pg_common_lexemes(self)
        if not common.freqs or common.rows <= 0:
            return False  # no statistics yet: the planner decides
        rarest = min(common.freqs.values())
        shares = [min(common.freqs.get(x, rarest) for x in lexemes)  # a phrase: as rare as its rarest word
                  for lexemes in map(self._pg_lexemes, terms) if lexemes]
        if not shares:
            return False
        share = math.prod(shares) if every else 1 - math.prod(1 - x for x in shares)
        return share * common.rows < math.sqrt(window * common.rows / 5)

    # ------------------------------------------------------------ entities
    def ask_entity_names(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names of the stored entities called ``name`` (their canonical name or a mention, any
        case), the ``limit`` named in most documents.

        Mentions are sampled (the first 100 in the index): a name as common as a
        head of government's has tens of thousands, nearly all of one entity.  On a
        store of 100,000 documents 100 found the same two most-named entities as 500
        for sixteen names, at 2 ms instead of 5 on PostgreSQL.
        """
        sql = ("SELECT DISTINCT canonical FROM entity_body WHERE lower(canonical) = ? "
               "UNION SELECT DISTINCT e.canonical FROM (SELECT doc_id, entity_id FROM entity_mentions "
               "WHERE lower(text) = ? LIMIT 100) m JOIN entities e ON e.doc_id = m.doc_id AND e.id = m.entity_id")
        key = name.lower()
        names = sorted({r[0] for r in self.conn.execute(sql, (key, key))})[:MAX_IDS]
        if not names:
            return []
        marks, args = _in(names)
        counts = {r[0]: r[1] for r in self.conn.execute(
            f"SELECT canonical, SUM(documents) FROM entity_months WHERE canonical IN ({marks}) GROUP BY canonical",
            args)}
        return sorted(names, key=lambda n: (-counts.get(n, 0), n))[:limit]

    def ask_entity_forms(self, windows: list[EntityWindow], limit: int = 12) -> list[str]:
        """The surface forms of entities in their windows: canonical names and mentions, most frequent
        first (one form per spelling, any case)."""
        if not windows:
            return []
        rows, args = _window_union(windows)
        sql = (
            "SELECT MIN(form) AS form, COUNT(*) AS n FROM ("
            f"  SELECT e.canonical AS form FROM ({rows}) w JOIN entities e ON e.doc_id = w.doc_id AND e.id = w.id "
            f"  UNION ALL SELECT m.text AS form FROM ({rows}) w JOIN entity_mentions m "
            "  ON m.doc_id = w.doc_id AND m.entity_id = w.id"
            ") forms GROUP BY lower(form) ORDER BY n DESC, MIN(form) LIMIT ?"
        )
        return [r["form"] for r in self.conn.execute(sql, (*args, *args, limit))]

    def ask_entity_sentence_ids(self, windows: list[EntityWindow], doc_ids: list[str] | None,
                                limit: int) -> list[int]:
        """Ids of sentences holding a mention of the windows' entities, newest documents first: within
        the windows, or anywhere in ``doc_ids`` when given."""
        if not windows:
            return []
        if doc_ids is None:
            rows, args = _window_union(windows)
        else:
            names, name_args = _in(w.name for w in windows)
            docs, doc_args = _in(doc_ids)
            # "|| ''" keeps both planners on the scope's documents, not on every row of the name.
            rows = f"SELECT doc_id, id FROM entities WHERE doc_id IN ({docs}) AND canonical || '' IN ({names})"
            args = [*doc_args, *name_args]
        mentions = self.conn.execute(f"SELECT DISTINCT m.doc_id, m.start FROM ({rows}) w JOIN entity_mentions m "
                                     "ON m.doc_id = w.doc_id AND m.entity_id = w.id", args).fetchall()
        # Newest documents first (the windows' order), and only as many documents as
        # ``limit`` mentions need: their sentences are read, not every window's.
        rank = {d: i for i, d in enumerate(dict.fromkeys(d for w in windows for d in w.docs))}
        mentions.sort(key=lambda m: (rank.get(m[0], len(rank)), m[0], m[1]))
        docs = list(dict.fromkeys(m[0] for m in mentions[:limit]))
        if not docs:
            return []
        # Mentions are placed in sentences by bisecting sentence starts: a range join
        # against the sentences table costs a scan of the document per mention.
        starts: dict[str, tuple[list[int], list[int]]] = {}
        marks, doc_args = _in(docs)
        for doc_id, start, sid in self.conn.execute(
                f"SELECT doc_id, start, id FROM sentences WHERE doc_id IN ({marks}) ORDER BY doc_id, start", doc_args):
            pos, ids = starts.setdefault(doc_id, ([], []))
            pos.append(start)
            ids.append(sid)
        found: dict[int, None] = {}
        for doc_id, start in mentions:
            if doc_id not in starts:
                break
            pos, ids = starts[doc_id]
            i = bisect_right(pos, start) - 1
            if i >= 0:
                found.setdefault(ids[i])
        return list(found)[:limit]

    # ------------------------------------------------------------ candidates
    def ask_sentences(self, ids: list[int]) -> list[dict]:
        """Candidate sentences with their document, stem, paragraph kind, position and ``previous``:
        the text of the sentence before it in its document (None for a first sentence)."""
        # The ids travel as one JSON array, so the statement's text is the same for any number of
        # them and PostgreSQL plans it once (planning an IN list of 130 ids cost 2.7 ms of 8 on a
        # store of 100,000 documents).
        sql = (
            "SELECT s.id, s.doc_id, s.idx, s.paragraph, s.start, s.\"end\", s.text, "
            "(SELECT MIN(stem) FROM sources src WHERE src.doc_id = s.doc_id) AS stem, "
            "(SELECT kind FROM paragraphs p WHERE p.doc_id = s.doc_id AND p.idx = s.paragraph) AS kind, "
            "(SELECT b.text FROM sentences b WHERE b.doc_id = s.doc_id AND b.idx = s.idx - 1) AS previous, "
            "d.title FROM sentences s JOIN documents d ON d.id = s.doc_id "
            "WHERE s.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ORDER BY s.doc_id, s.idx"
        )
        return [dict(r) for r in self.conn.execute(sql, [json.dumps(sorted(set(ids))[:MAX_IDS])])]

    def ask_annotations(self, ids: list[int]) -> dict[int, dict]:
        """What the extractors found in each sentence: counts by kind and event types.

        ``{id: {"figures": n, "quotes": n, "dates": n, "events": [(type, status)],
        "labels": {mention label: n}}}``; sentences with nothing are absent.
        """
        out: dict[int, dict] = defaultdict(lambda: {"figures": 0, "quotes": 0, "dates": 0, "events": [],
                                                    "labels": defaultdict(int)})
        # One statement (a round trip, not five, on PostgreSQL): (sentence, kind, name, detail, n).
        # The candidates are looked up once, into "c", not once per kind.
        parts = [f"SELECT s.id, '{table}', NULL, NULL, COUNT(*) FROM c s JOIN {table} x "
                 "ON x.doc_id = s.doc_id AND x.sentence = s.idx GROUP BY s.id"
                 for table in ("figures", "quotes")]
        parts.append("SELECT s.id, 'dates', NULL, NULL, COUNT(*) FROM c s JOIN dates x ON x.doc_id = s.doc_id "
                     "AND x.start >= s.start AND x.start < s.\"end\" GROUP BY s.id")
        parts.append("SELECT s.id, 'events', x.type, x.status, x.idx FROM c s JOIN events x "
                     "ON x.doc_id = s.doc_id AND x.sentence = s.idx")
        parts.append("SELECT s.id, 'labels', x.label, NULL, COUNT(*) FROM c s JOIN mentions x "
                     "ON x.doc_id = s.doc_id AND x.sentence = s.idx GROUP BY s.id, x.label")
        sql = ('WITH c AS MATERIALIZED (SELECT id, doc_id, idx, start, "end" FROM sentences '
               "WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))) " + " UNION ALL ".join(parts))
        events: list[tuple[int, int, str, str]] = []
        for sid, kind, name, detail, n in self.conn.execute(sql, [json.dumps(sorted(set(ids)))]):
            if kind == "events":
                events.append((sid, n, name, detail))
            elif kind == "labels":
                out[sid]["labels"][name] = n
            else:
                out[sid][kind] = n
        for sid, _, etype, status in sorted(events):
            out[sid]["events"].append((etype, status))
        return dict(out)

    # ------------------------------------------------------------ stories
    def _has_story_documents(self) -> bool:
        if getattr(self, "dialect", "sqlite") == "postgresql":
            # A catalog lookup on the search path; information_schema costs a millisecond.
            sql = "SELECT 1 WHERE to_regclass('story_documents') IS NOT NULL"
        else:
            sql = "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'story_documents'"
        return self.conn.execute(sql).fetchone() is not None

    def ask_stories(self, doc_ids: list[str]) -> dict[str, str]:
        """``{doc id: story id}`` from the resolve stage's ``story_documents``; {} without it."""
        if not doc_ids or not self._has_story_documents():
            return {}
        marks, args = _in(doc_ids)
        sql = f"SELECT doc_id, MIN(story_id) FROM story_documents WHERE doc_id IN ({marks}) GROUP BY doc_id"
        return {r[0]: str(r[1]) for r in self.conn.execute(sql, args) if r[1] is not None}

    def ask_story_doc_ids(self, story: str) -> list[str] | None:
        """Documents of one story ([] if no such story); None when the store has no stories yet."""
        if not self._has_story_documents():
            return None
        rows = self.conn.execute("SELECT DISTINCT doc_id FROM story_documents WHERE story_id = ? ORDER BY doc_id",
                                 (str(story),)).fetchall()
        if not rows and self.conn.execute("SELECT 1 FROM story_documents LIMIT 1").fetchone() is None:
            return None
        return [r[0] for r in rows]


class PorterStems:
    """Porter stems exactly as ``sentences_fts`` computes them, cached.

    SQLite's own tokenizer runs in a private in-memory database: a batch of words is
    indexed once and read back through ``fts5vocab``, so the question side and the
    index can never disagree about a stem.
    """

    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute("CREATE VIRTUAL TABLE words USING fts5(w, tokenize='porter unicode61 remove_diacritics 2')")
        self._conn.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(words, instance)")
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def stems(self, words: list[str]) -> list[str]:
        """The stem of each word (a word is one token: letters and digits only)."""
        missing = sorted({w for w in words if w not in self._cache})
        if missing:
            with self._lock:
                self._stem_batch(missing)
        return [self._cache.get(w, "") for w in words]

    def _stem_batch(self, words: list[str]) -> None:
        c = self._conn
        cur = c.execute("INSERT INTO words (w) VALUES (?)", (" ".join(words),))
        rowid = cur.lastrowid
        found = {off: term for term, off in c.execute("SELECT term, offset FROM vocab WHERE doc = ?", (rowid,))}
        c.execute("DELETE FROM words WHERE rowid = ?", (rowid,))
        for i, word in enumerate(words):
            self._cache[word] = found.get(i, _fallback(word))


@dataclass(frozen=True)
class _CommonLexemes:
    """The most common lexemes of ``sentences.tsv`` with the share of rows holding each, and the row count."""

    freqs: dict[str, float]
    rows: float
    read_at: float


# Per database: statistics move only when ANALYZE runs, so they are read again at most this often.
PG_STATS_TTL_S = 600.0
PG_COUNT_CAP = 5000
PG_FTS_WINDOW = 300
_pg_common: dict[str, _CommonLexemes] = {}
_pg_lexeme_cache: dict[str, tuple[str, ...]] = {}


def _pg_common_lexemes(store) -> _CommonLexemes:
    """The planner's most-common-lexeme statistics of ``sentences.tsv`` (empty before ANALYZE)."""
    key = getattr(store, "path", "")
    kept = _pg_common.get(key)
    if kept is not None and time.monotonic() - kept.read_at < PG_STATS_TTL_S:
        return kept
    row = store.conn.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'sentences' AND attname = 'tsv'").fetchone()
    rows = store.conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'sentences'::regclass").fetchone()[0]
    # The frequency array ends with three summary numbers (minimum, maximum, null share).
    freqs = dict(zip(row[0], row[1][:len(row[0])])) if row and row[0] else {}
    kept = _CommonLexemes(freqs, max(float(rows or 0), 0.0), time.monotonic())
    _pg_common[key] = kept
    return kept


def _window_union(windows: list[EntityWindow]) -> tuple[str, list]:
    """SQL selecting the ``(doc_id, id)`` entity rows of every window, and its arguments."""
    sql = " UNION ALL ".join(f"SELECT doc_id, id FROM {_WINDOW_ROWS} w{i}" for i in range(len(windows)))
    return sql, [a for w in windows for a in (w.name, w.rows)]


def fts5_match(terms: list[str], every: bool = False) -> str:
    """An FTS5 OR (AND, with ``every``) over terms, each reduced to its words and double-quoted
    (a string, never syntax)."""
    return (" AND " if every else " OR ").join('"' + " ".join(words(t)).lower() + '"' for t in terms)


def pg_tsquery(terms: list[str], every: bool = False) -> str:
    """A to_tsquery OR (AND, with ``every``) over terms: words single-quoted, a phrase's words joined by ``<->``."""
    return (" & " if every else " | ").join(
        "(" + " <-> ".join(f"'{w.lower()}'" for w in words(t)) + ")" for t in terms if words(t))


def _fallback(word: str) -> str:
    # Only reached for a word the tokenizer split in two (it should not happen).
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def words(text: str) -> list[str]:
    """The tokens unicode61 would index in ``text``, in order (original case)."""
    return _WORD.findall(text)
