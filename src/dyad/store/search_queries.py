"""Full-text search for the web app and API, mixed into :class:`dyad.store.Store`.

Sentences are found through FTS5 (``sentences_fts``, BM25) on SQLite and the
``tsv`` column (``ts_rank_cd``) on PostgreSQL.  User text is reduced to words and
every word is quoted, so it is never read as query syntax.  A page ranks a bounded
window of the matches (:data:`SEARCH_WINDOW`, :data:`PG_SEARCH_WINDOW`), so a word
found in every other sentence of a large store costs no more than a rare one.
"""

from __future__ import annotations

import json
import re
import sqlite3

from dyad.store.queries import DocFilter

# Private-use characters that mark matched words in FTS snippets: they survive
# HTML escaping untouched, so the web layer can swap them for <mark> afterwards.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
# Search ranks at most this many matching sentences (the most recently stored).
SEARCH_WINDOW = 10_000
# On PostgreSQL: 1,000 kept every query of the latency benchmark under 25 ms on a store of
# 100,000 documents, and the commonest words ("said": 267,000 matches) under 15 (10,000
# cost 80–200 ms for words of 25,000–40,000 matches).
PG_SEARCH_WINDOW = 1_000
_FTS_WORD = re.compile(r"\w+", re.UNICODE)

# Words a question is made of that say nothing about its subject.
_QUESTION_WORDS = frozenset(
    "a an the of to in on at for by with about from and or is are was were be been did do does what who whom "
    "whose which when where why how has have had it its this that these those there their they he she his her "
    "say said says tell told any all".split())


def _query_words(query: str, any_word: bool = False) -> list[str]:
    """The words of user text a search looks for: all of them, or with ``any_word`` (questions)
    those that say something about the subject (all, when none does)."""
    words = _FTS_WORD.findall(query)
    if any_word:
        words = [w for w in words if w.lower() not in _QUESTION_WORDS] or words
    return words


def _fts_match(query: str, any_word: bool = False) -> str | None:
    """An FTS5 MATCH expression from user text: every word quoted, so never syntax.

    By default every word must match; with ``any_word`` (questions) any content
    word may, and BM25 ranks sentences holding more of them first.
    """
    words = _query_words(query, any_word)
    return (" OR " if any_word else " ").join(f'"{w}"' for w in words) if words else None


def _pg_match(query: str, any_word: bool = False) -> str:
    """The PostgreSQL ``to_tsquery`` twin of :func:`_fts_match`: every word quoted, so never syntax."""
    return (" | " if any_word else " & ").join("'" + w.lower() + "'" for w in _query_words(query, any_word))


class SearchQueries:
    """Full-text search over sentences, and entity names by prefix (``self.conn`` is the store's)."""

    conn: sqlite3.Connection

    def search_sentences(self, query: str, f: DocFilter, limit: int, offset: int,
                         any_word: bool = False) -> tuple[list[dict], int]:
        """Sentences matching every word of ``query`` (any word, with ``any_word``) under ``f``, and the total.

        Best BM25 first (``ts_rank_cd`` on PostgreSQL), ties by sentence id; ``snippet``
        holds matched words between :data:`MARK_OPEN` and :data:`MARK_CLOSE`.  When
        more than :meth:`search_window` sentences match, the ranking covers the most
        recently stored of them, so a word found in every other sentence costs no
        more than a rare one.  ``total`` counts every match, or stops at the window
        plus one ("more than" the window) where counting would cost more than the
        ranking: under filters, and on PostgreSQL for a word too common to count.
        """
        if _fts_match(query, any_word) is None:
            return [], 0
        if getattr(self, "dialect", "sqlite") == "postgresql":
            ranked, total = self._search_ranked_pg(query, f, limit, offset, any_word)
        else:
            ranked, total = self._search_ranked(query, f, limit, offset, any_word)
        return self._search_details(query, ranked, any_word), total

    def search_window(self) -> int:
        """How many of the most recently stored matches a search ranks.

        Fewer on PostgreSQL, where each match costs a heap row and its tsvector; FTS5
        reads its own doclists.
        """
        return PG_SEARCH_WINDOW if getattr(self, "dialect", "sqlite") == "postgresql" else SEARCH_WINDOW

    def _search_ranked(self, query: str, f: DocFilter, limit: int, offset: int,
                       any_word: bool) -> tuple[list[tuple[int, float]], int]:
        """SQLite: ``[(sentence id, score)]`` of one page (lower score is better) and the number of matches.

        The count runs beside the ranking, on a second connection when there is one.
        """
        clauses, params = f.where("d", sentence="s")
        match = _fts_match(query, any_word)
        if clauses:
            # The sentence and document joins are paid only when a filter needs them.
            source = "sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.doc_id"
            where = " WHERE " + " AND ".join(["sentences_fts MATCH ?", *(f"({c})" for c in clauses)])
            count_sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {source}{where} LIMIT ?) m"
            count_args = (match, *params, SEARCH_WINDOW + 1)
        else:
            source, where = "sentences_fts", " WHERE sentences_fts MATCH ?"
            count_sql, count_args = f"SELECT COUNT(*) FROM {source}{where}", (match,)
        # Newest first along the index's own order (FTS5 rowids).
        sql = (f"SELECT id, score FROM (SELECT sentences_fts.rowid AS id, bm25(sentences_fts) AS score "
               f"FROM {source}{where} ORDER BY sentences_fts.rowid DESC LIMIT ?) hit "
               "ORDER BY score, id LIMIT ? OFFSET ?")
        with self.beside() as beside:
            total = beside.submit(lambda side: side.conn.execute(count_sql, count_args).fetchone()[0])
            ranked = [(r[0], r[1]) for r in self.conn.execute(sql, (match, *params, SEARCH_WINDOW, limit, offset))]
            return ranked, total()

    def _search_ranked_pg(self, query: str, f: DocFilter, limit: int, offset: int,
                          any_word: bool) -> tuple[list[tuple[int, float]], int]:
        """PostgreSQL: :meth:`_search_ranked`.

        The window's newest matches come either from walking the primary key down
        until the window is full (a common word: the count then stops at the window
        plus one) or from every match the GIN index yields, newest kept (a rarer one;
        see ``_pg_few_matches``: those are then counted exactly, beside the ranking,
        on a second connection when there is one).  The rank is computed for the
        window's rows only, outside the subquery that picks them.
        """
        window = self.search_window()
        clauses, params = f.where("d", sentence="s")
        terms = [w.lower() for w in _query_words(query, any_word)]
        few = not clauses and self._pg_few_matches(terms, not any_word, window)
        source = "sentences s JOIN documents d ON d.id = s.doc_id" if clauses else "sentences s"
        where = " AND ".join(["s.tsv @@ to_tsquery('english', ?)", *(f"({c})" for c in clauses)])
        sql = ("SELECT id, score, seen FROM ("
               "SELECT id, -ts_rank_cd(tsv, q) AS score, COUNT(*) OVER () AS seen, "
               "ROW_NUMBER() OVER (ORDER BY id DESC) AS age FROM ("
               f"SELECT s.id AS id, s.tsv AS tsv FROM {source} WHERE {where} "
               f"ORDER BY {'s.id + 0' if few else 's.id'} DESC LIMIT ?) hit, "
               "to_tsquery('english', ?) q) ranked WHERE age <= ? ORDER BY score, id LIMIT ? OFFSET ?")
        match = _pg_match(query, any_word)
        args = [match, *params, window + 1, match, window]
        with self.beside() as beside:
            # Counting inside the ranking statement kept every match's row in a window
            # aggregate: 7 ms of 26 for a word in 9,000 sentences.
            exact = beside.submit(lambda side: side.conn.execute(
                "SELECT COUNT(*) FROM sentences s WHERE s.tsv @@ to_tsquery('english', ?)", (match,)
            ).fetchone()[0]) if few else None
            rows = self.conn.execute(sql, (*args, limit, offset)).fetchall()
            if not rows and offset and exact is None:
                rows = self.conn.execute(sql, (*args, 1, 0)).fetchall()  # a page past the last: the total alone
                return [], rows[0][2] if rows else 0
            ranked = [(r[0], r[1]) for r in rows]
            return ranked, exact() if exact is not None else (rows[0][2] if rows else 0)

    def _search_details(self, query: str, ranked: list[tuple[int, float]], any_word: bool) -> list[dict]:
        """The page's sentences, in rank order, with their document and a marked snippet."""
        if not ranked:
            return []
        ids = json.dumps([i for i, _ in ranked])
        rows = {r["id"]: dict(r) for r in self.conn.execute(
            'SELECT s.id, s.doc_id, s.idx, s.start, s."end", s.text, d.title, d.publisher, d.published '
            "FROM sentences s JOIN documents d ON d.id = s.doc_id "
            "WHERE s.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))", (ids,))}
        if getattr(self, "dialect", "sqlite") == "postgresql":
            sql = ("SELECT s.id, ts_headline('english', s.text, q, 'StartSel=' || ? || ', StopSel=' || ? || "
                   "', MaxWords=40, MinWords=15') FROM sentences s, to_tsquery('english', ?) q "
                   "WHERE s.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")
            snippets = dict(self.conn.execute(sql, (MARK_OPEN, MARK_CLOSE, _pg_match(query, any_word), ids)))
        else:
            # One index probe per row: snippet() needs the match, and a rowid
            # equality lets FTS5 look the row up instead of scanning every match.
            sql = ("SELECT snippet(sentences_fts, 0, ?, ?, '…', 32) FROM sentences_fts "
                   "WHERE sentences_fts MATCH ? AND rowid = ?")
            match = _fts_match(query, any_word)
            snippets = {i: (self.conn.execute(sql, (MARK_OPEN, MARK_CLOSE, match, i)).fetchone() or [""])[0]
                        for i, _ in ranked}
        out = []
        for i, score in ranked:
            row = rows[i]
            del row["id"]
            out.append({**row, "snippet": snippets.get(i, row["text"]), "score": score})
        return out

    def entity_names_like(self, query: str, limit: int = 8) -> list[dict]:
        """Entities whose canonical name, or one of whose mentions, starts with ``query``, any case
        (search suggestions: "putin" finds Vladimir Putin through the mention "Putin").

        Ranges over the lower-case name indexes, not a substring scan: on a store of
        100,000 documents a ``LIKE '%…%'`` over every entity row took longer than
        the search itself.
        """
        prefix = " ".join(query.split()).lower()
        if not prefix:
            return []
        bounds = (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))
        # The inner LIMITs make both planners start from the name ranges (PostgreSQL
        # otherwise walks every entity in name order to serve the DISTINCT).
        names = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT canonical FROM (SELECT canonical FROM entity_body WHERE lower(canonical) >= ? "
            "AND lower(canonical) < ? LIMIT 100) c", bounds)}
        # Mentions add the names a word does not start ("Putin" → Vladimir Putin), from a
        # sample: a common word has thousands of mentions, nearly all of a few entities
        # (300 cost "chelsea" 3 ms on PostgreSQL at 100,000 documents, 2,000 cost 13).
        names |= {r[0] for r in self.conn.execute(
            "SELECT DISTINCT e.canonical FROM (SELECT doc_id, entity_id FROM entity_mentions "
            "WHERE lower(text) >= ? AND lower(text) < ? LIMIT 300) m JOIN entities e ON e.doc_id = m.doc_id "
            "AND e.id = m.entity_id LIMIT 50", bounds)}
        counted = [{"name": r[0], "documents": r[1]} for r in self.conn.execute(
            "SELECT canonical, SUM(documents) FROM entity_months WHERE canonical IN "
            "(SELECT value FROM json_each(?)) GROUP BY canonical", (json.dumps(sorted(names)),))]
        return sorted(counted, key=lambda r: (-r["documents"], r["name"]))[:limit]
