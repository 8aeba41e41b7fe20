"""The store: every SQL statement dyad runs goes through :class:`Store`.

SQLite (a file path; WAL mode) is the embedded default, PostgreSQL (a
``postgresql://`` URL) the server store; both get the same migrations and the same
queries.  A document and everything extracted from it are written in one
transaction, keyed on the document's content hash, so ingesting the same article
twice changes nothing and a crash never leaves half a document.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from dyad.model import ProcessedArticle
from dyad.store import migrations
from dyad.store.ask_queries import AskQueries
from dyad.store.beside import Beside
from dyad.store.postgres import PgConnection
from dyad.store.queries import DocFilter, Queries
from dyad.store.resolve_queries import ResolveQueries
from dyad.store.search_queries import MARK_CLOSE, MARK_OPEN, SearchQueries

# Tables a user may dump (export jsonl); never interpolate anything else into SQL.
TABLES = ("documents", "sources", "lines", "paragraphs", "sentences", "mentions", "entities", "entity_mentions",
          "quotes", "figures", "events", "dates", "errors", "runs", "fetches")
# Tables holding what was extracted from a document, deleted with it (children first).
_DOC_TABLES = ("entity_mentions", "entities", "quotes", "figures", "events", "dates", "mentions", "sentences",
               "paragraphs", "lines")
_NO_LIMIT = 2**62
_MIGRATION_LOCK = 0x6479_6164  # "dyad": the advisory lock id that serialises migrations
# PostgreSQL aborts one of two writers that lock each other's rows (40P01, a deadlock:
# possible when a replaced document's counters are decremented while another writer
# adds its own) or that conflict (40001); the aborted write is simply tried again.
_TRANSIENT_SQLSTATES = ("40P01", "40001")
_WRITE_ATTEMPTS = 3
# Stable row order of every table, the same on both backends (exports compare equal).
_TABLE_ORDER = {
    "documents": "id", "sources": "source", "lines": "doc_id, number", "paragraphs": "doc_id, idx",
    "sentences": "doc_id, idx", "mentions": 'doc_id, start, "end", label', "entities": "doc_id, id",
    "entity_mentions": 'doc_id, entity_id, start, "end"', "quotes": "doc_id, idx", "figures": "doc_id, idx",
    "events": "doc_id, idx", "dates": 'doc_id, start, "end"', "errors": "source", "runs": "id", "fetches": "url",
}


def utcnow() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def is_server_url(location: str | Path) -> bool:
    """Whether a store location names a PostgreSQL server rather than a file."""
    return str(location).startswith(("postgresql://", "postgres://"))


class Store(Queries, SearchQueries, ResolveQueries, AskQueries):
    """A dyad knowledge base: a SQLite file or a PostgreSQL database."""

    def __init__(self, path: str | Path) -> None:
        self._open(path, read_only=False)
        if self.dialect == "postgresql":
            # Several workers may open a fresh database at once: migrate one at a time.
            self.conn.execute("SELECT pg_advisory_lock(?)", (_MIGRATION_LOCK,))
            try:
                migrations.migrate(self.conn)
            finally:
                self.conn.execute("SELECT pg_advisory_unlock(?)", (_MIGRATION_LOCK,))
        else:
            migrations.migrate(self.conn)

    @classmethod
    def reader(cls, path: str | Path) -> Store:
        """A read-only store on a database that is already migrated: no migrations run, and the
        connection refuses writes (``query_only`` on SQLite, a read-only session on PostgreSQL)."""
        store = cls.__new__(cls)
        store._open(path, read_only=True)
        return store

    def _open(self, path: str | Path, read_only: bool) -> None:
        self.path = str(path)
        if is_server_url(self.path):
            self.dialect = "postgresql"
            self.conn = PgConnection(self.path)
            if read_only:
                self.conn.execute("SET default_transaction_read_only = on")
            return
        self.dialect = "sqlite"
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        pragmas = ["query_only=ON"] if read_only else ["journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"]
        for pragma in [*pragmas, "busy_timeout=30000"]:
            self.conn.execute(f"PRAGMA {pragma}")

    def beside(self) -> Beside:
        """Reads run beside this store's own, on a second connection in another thread (see
        :mod:`dyad.store.beside`); opened on first use and kept until :meth:`close`.

        There is none for an in-memory database or inside a write transaction (a second
        connection would not see what this one has not committed): reads then run here.
        """
        memory = self.path in ("", ":memory:") or "mode=memory" in self.path
        if memory or self.conn.in_transaction:
            return Beside(self, None)
        return Beside(self, self._side_store)

    def _side_store(self) -> Store:
        side = self.__dict__.get("_side")
        if side is None:
            side = self._side = Store.reader(self.path)
        return side

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        side = self.__dict__.pop("_side", None)
        if side is not None:
            side.close()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def exclusive(self, job: str) -> Iterator[None]:
        """Run a multi-transaction job (e.g. resolve) in one process at a time.

        PostgreSQL takes a session advisory lock named after the job; on SQLite each
        step's ``BEGIN IMMEDIATE`` already keeps writers apart.
        """
        if self.dialect != "postgresql":
            yield
            return
        self.conn.execute("SELECT pg_advisory_lock(hashtextextended(?, 0))", (f"dyad:{job}",))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(hashtextextended(?, 0))", (f"dyad:{job}",))

    # ------------------------------------------------------------------ writes
    def start_run(self, paths: list[str]) -> int:
        """Record the start of an ingest run; return its id."""
        with self.transaction() as c:
            row = c.execute("INSERT INTO runs (started_at, paths) VALUES (?, ?) RETURNING id",
                            (utcnow(), json.dumps(paths))).fetchone()
            return int(row[0])

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        """Record a run's end and its counts (new, updated, unchanged, failed)."""
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, new = ?, updated = ?, unchanged = ?, failed = ? WHERE id = ?",
                (utcnow(), counts["new"], counts["updated"], counts["unchanged"], counts["failed"], run_id),
            )

    def save_article(self, article: ProcessedArticle, source: str, stem: str) -> bool:
        """Write one processed article and its source link in one transaction; False if it was already there.

        An older version of the same document (same hash, older pipeline) is
        replaced; the same version, stored meanwhile by another writer, is kept
        as it is (same content, same pipeline: same rows), so concurrent writers
        never delete rows under each other's feet.  A document that this source
        used to point to and that no other source names any more is removed,
        since the new content supersedes it.  A write PostgreSQL aborts as a
        deadlock or a serialisation conflict is tried again (three times in all).
        """
        for _ in range(_WRITE_ATTEMPTS - 1):
            try:
                return self._save_article_once(article, source, stem)
            except Exception as e:  # noqa: BLE001 - only PostgreSQL's transient failures are retried
                if getattr(e, "sqlstate", None) not in _TRANSIENT_SQLSTATES:
                    raise
        return self._save_article_once(article, source, stem)

    def _save_article_once(self, article: ProcessedArticle, source: str, stem: str) -> bool:
        now = utcnow()
        with self.transaction() as c:
            if self.dialect == "postgresql":
                # Concurrent writers of the same document take turns (SQLite's
                # BEGIN IMMEDIATE already serialises all writers).
                c.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (article.doc_id,))
            stored = c.execute("SELECT pipeline_version FROM documents WHERE id = ?", (article.doc_id,)).fetchone()
            written = not stored or stored[0] != article.pipeline_version
            if written:
                self._delete_document(c, article.doc_id)
                self._insert_document(c, article, now)
            self._link_source(c, source, stem, article.doc_id, now)
            c.execute("DELETE FROM errors WHERE source = ?", (source,))
        return written

    def link_source(self, source: str, stem: str, doc_id: str) -> None:
        """Note that ``source`` (unchanged) still holds document ``doc_id``."""
        with self.transaction() as c:
            self._link_source(c, source, stem, doc_id, utcnow())
            c.execute("DELETE FROM errors WHERE source = ?", (source,))

    def record_error(self, source: str, code: str, reason: str) -> None:
        """Record (or update) the latest failure of an input."""
        now = utcnow()
        with self.transaction() as c:
            c.execute(
                "INSERT INTO errors (source, code, reason, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET code = excluded.code, reason = excluded.reason, "
                "last_seen = excluded.last_seen, attempts = errors.attempts + 1",
                (source, code, reason, now, now),
            )

    def _link_source(self, c: sqlite3.Connection, source: str, stem: str, doc_id: str, now: str) -> None:
        row = c.execute("SELECT doc_id FROM sources WHERE source = ?", (source,)).fetchone()
        c.execute(
            "INSERT INTO sources (source, stem, doc_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(source) DO UPDATE SET stem = excluded.stem, doc_id = excluded.doc_id, "
            "last_seen = excluded.last_seen",
            (source, stem, doc_id, now, now),
        )
        old = row["doc_id"] if row else None
        if old and old != doc_id and not c.execute("SELECT 1 FROM sources WHERE doc_id = ?", (old,)).fetchone():
            self._delete_document(c, old)

    @staticmethod
    def _delete_document(c: sqlite3.Connection, doc_id: str) -> None:
        _count_entities(c, doc_id, -1)
        # Children first and explicitly, so the FTS trigger sees every sentence.
        for table in (*_DOC_TABLES, "document_counts"):
            c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    @staticmethod
    def _insert_document(c: sqlite3.Connection, a: ProcessedArticle, now: str) -> None:
        clean, meta = a.clean, a.clean.meta
        c.execute(
            "INSERT INTO documents (id, title, standfirst, publisher, authors, published, published_how, "
            "published_reason, dateline, url, format, encoding, raw_text, clean_text, n_words, "
            "pipeline_version, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (a.doc_id, meta.title, meta.standfirst, meta.publisher, json.dumps(meta.authors), meta.published,
             meta.published_how, meta.published_reason, meta.dateline, meta.url, clean.raw.fmt,
             clean.raw.encoding, clean.raw.text, clean.text, len(clean.text.split()), a.pipeline_version, now),
        )
        c.executemany(
            "INSERT INTO lines (doc_id, number, kind, reason, text) VALUES (?, ?, ?, ?, ?)",
            [(a.doc_id, ln.number, ln.kind, ln.reason, ln.text) for ln in clean.lines],
        )
        c.executemany(
            'INSERT INTO paragraphs (doc_id, idx, start, "end", kind, line_numbers) VALUES (?, ?, ?, ?, ?, ?)',
            [(a.doc_id, i, p.start, p.end, p.kind, json.dumps(p.line_numbers)) for i, p in enumerate(clean.paragraphs)],
        )
        c.executemany(
            'INSERT INTO sentences (doc_id, idx, paragraph, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(a.doc_id, s.index, s.paragraph, s.start, s.end, s.text) for s in a.sentences],
        )
        c.executemany(
            'INSERT INTO mentions (doc_id, sentence, start, "end", text, label) VALUES (?, ?, ?, ?, ?, ?)',
            [(a.doc_id, m.sentence, m.start, m.end, m.text, m.label) for m in a.mentions],
        )
        _insert_extractions(c, a)
        x = a.extractions  # every item of these lists was inserted above: their lengths are the counts
        c.execute("INSERT INTO document_counts (doc_id, sentences, quotes, figures, events) VALUES (?, ?, ?, ?, ?)",
                  (a.doc_id, len(a.sentences), len(x.quotes), len(x.figures), len(x.events)))
        # Last in the transaction: on PostgreSQL the counter rows stay locked until commit.
        _count_entities(c, a.doc_id, +1)

    def fetch_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` recorded for a URL's last good fetch, or None."""
        row = self.conn.execute("SELECT etag, last_modified FROM fetches WHERE url = ?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else None

    def record_fetch(self, url: str, status: int, etag: str | None, last_modified: str | None) -> None:
        """Remember a fetched URL's validators for the next conditional GET."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO fetches (url, etag, last_modified, status, fetched_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "status = excluded.status, fetched_at = excluded.fetched_at",
                (url, etag, last_modified, status, utcnow()),
            )

    # ------------------------------------------------------------------ reads
    def rows(self, table: str, doc_id: str) -> list[dict]:
        """Rows of one per-document table for a document, in their natural order."""
        if table not in _DOC_TABLES:
            raise ValueError(f"not a per-document table: {table}")
        order = {"entity_mentions": 'entity_id, start', "entities": "id", "dates": "start",
                 "mentions": "start", "lines": "number"}.get(table, "idx")
        rows = [dict(r) for r in self.conn.execute(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY {order}",
                                                   (doc_id,))]
        for row in rows:
            row.pop("doc_id", None)
            for key in _JSON_COLUMNS.intersection(row):
                row[key] = json.loads(row[key])
        return rows

    def pipeline_version_of(self, doc_id: str) -> str | None:
        """The pipeline version a stored document was processed with, or None."""
        row = self.conn.execute("SELECT pipeline_version FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row["pipeline_version"] if row else None

    def documents(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Documents with their first stem and counts, newest publication first."""
        sql = (
            "SELECT d.id, d.published, d.publisher, d.title, d.n_words, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = d.id) AS stem, "
            "(SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id) AS sentences, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions, "
            "(SELECT COUNT(*) FROM lines l WHERE l.doc_id = d.id AND l.kind = 'boilerplate') AS boilerplate "
            "FROM documents d ORDER BY d.published DESC NULLS LAST, stem LIMIT ? OFFSET ?"
        )
        return [dict(r) for r in self.conn.execute(sql, (_NO_LIMIT if limit is None else limit, offset))]

    def resolve_document(self, ref: str) -> str | None:
        """A document id from a full id, a unique id prefix, or a source stem."""
        row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (ref,)).fetchone()
        if row:
            return row["id"]
        rows = self.conn.execute("SELECT DISTINCT doc_id FROM sources WHERE stem = ?", (ref,)).fetchall()
        if len(rows) == 1:
            return rows[0]["doc_id"]
        if len(ref) < 6:  # a short prefix is more likely a word than an id
            return None
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (ref, ref + "\uffff")
        ).fetchall()
        return rows[0]["id"] if len(rows) == 1 else None

    def document(self, doc_id: str) -> dict | None:
        """One document row (authors decoded) with its stems and sources."""
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = dict(row)
        doc["authors"] = json.loads(doc["authors"])
        doc["sources"] = [
            dict(r) for r in self.conn.execute(
                "SELECT source, stem FROM sources WHERE doc_id = ? ORDER BY source", (doc_id,)
            )
        ]
        return doc

    def lines(self, doc_id: str, kind: str | None = None) -> list[dict]:
        """Raw lines of a document with their cleaning verdicts, optionally one kind."""
        sql = "SELECT number, kind, reason, text FROM lines WHERE doc_id = ?"
        args: tuple = (doc_id,)
        if kind:
            sql, args = sql + " AND kind = ?", (doc_id, kind)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY number", args)]

    def sentences(self, doc_id: str) -> list[dict]:
        """Sentences of a document in order."""
        return [dict(r) for r in self.conn.execute(
            'SELECT idx, paragraph, start, "end", text FROM sentences WHERE doc_id = ? ORDER BY idx', (doc_id,)
        )]

    def mentions(self, doc_id: str) -> list[dict]:
        """Entity mentions of a document in text order."""
        return [dict(r) for r in self.conn.execute(
            'SELECT sentence, start, "end", text, label FROM mentions WHERE doc_id = ? ORDER BY start, "end"',
            (doc_id,),
        )]

    def stems(self) -> list[tuple[str, str]]:
        """``(stem, doc_id)`` for every source, sorted by stem then source."""
        return [(r["stem"], r["doc_id"]) for r in self.conn.execute(
            "SELECT stem, doc_id FROM sources ORDER BY stem, source"
        )]

    def errors(self) -> list[dict]:
        """Inputs whose latest attempt failed."""
        return [dict(r) for r in self.conn.execute("SELECT * FROM errors ORDER BY source")]

    def search(self, query: str, limit: int = 10, mark: tuple[str, str] = ("**", "**")) -> list[dict]:
        """Sentences matching every word of ``query``, best first (:meth:`search_sentences`, unfiltered),
        each with its document's stem; matched words are wrapped in ``mark`` in ``snippet``.

        The query is reduced to words and each is quoted, so user text can never
        be read as full-text query syntax.
        """
        rows, _ = self.search_sentences(query, DocFilter(), limit, 0)
        briefs = self.document_briefs(sorted({r["doc_id"] for r in rows}))
        for r in rows:
            r["stem"] = briefs.get(r["doc_id"], {}).get("stem")
            r["snippet"] = r["snippet"].replace(MARK_OPEN, mark[0]).replace(MARK_CLOSE, mark[1])
        return rows

    def iter_table(self, table: str) -> Iterator[dict]:
        """Every row of one of :data:`TABLES`, in a stable order."""
        if table not in TABLES:
            raise ValueError(f"unknown table: {table}")
        for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY {_TABLE_ORDER[table]}"):
            row = dict(row)
            row.pop("tsv", None)  # PostgreSQL's full-text column is an index, not data
            yield row

    def counts(self) -> dict[str, int]:
        """Row counts of every table."""
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


_JSON_COLUMNS = frozenset({"roles", "source_actor", "target_actor", "line_numbers", "authors"})


# Per-entity document counts (migrations 0009, 0010), by month of publication, label and body.
_ENTITY_COUNTS = {
    "entity_months": ("month", "COALESCE(substr(published, 1, 7), '')"),
    "entity_labels": ("label", "label"),
    "entity_body": ("body", "body"),
}


def _count_entities(c: sqlite3.Connection, doc_id: str, step: int) -> None:
    """Add (``step`` +1) or remove (-1) one document's contribution to the entity counters.

    Keys are taken in sorted order, so concurrent PostgreSQL writers adding documents
    lock counter rows in one order and do not deadlock each other (a writer replacing
    a document takes two passes; if that deadlocks, ``save_article`` tries again).  A
    counter that falls to zero is removed.
    """
    for table, (column, expr) in _ENTITY_COUNTS.items():
        keys = f"SELECT DISTINCT canonical, {expr} FROM entities WHERE doc_id = ?"
        if step > 0:
            c.execute(f"INSERT INTO {table} (canonical, {column}, documents) SELECT k.*, 1 FROM ({keys}) k "
                      f"ORDER BY 1, 2 ON CONFLICT (canonical, {column}) DO UPDATE "
                      f"SET documents = {table}.documents + 1", (doc_id,))
            continue
        rows = c.execute(f"{keys} ORDER BY 1, 2", (doc_id,)).fetchall()
        c.executemany(f"UPDATE {table} SET documents = documents - 1 WHERE canonical = ? AND {column} = ?",
                      [tuple(r) for r in rows])
        c.executemany(f"DELETE FROM {table} WHERE canonical = ? AND {column} = ? AND documents <= 0",
                      [tuple(r) for r in rows])


def _insert_extractions(c: sqlite3.Connection, a: ProcessedArticle) -> None:
    x, d = a.extractions, a.doc_id
    c.executemany(
        "INSERT INTO entities (doc_id, id, canonical, label, roles, body, published) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(d, e.id, e.canonical, e.label, json.dumps(e.roles), int(e.body), a.clean.meta.published)
         for e in x.entities],
    )
    c.executemany(
        'INSERT INTO entity_mentions (doc_id, entity_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
        [(d, e.id, m.start, m.end, m.text) for e in x.entities for m in e.mentions],
    )
    c.executemany(
        'INSERT INTO quotes (doc_id, idx, sentence, start, "end", text, kind, speaker, speaker_entity, '
        "speaker_role, cue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d, i, q.sentence, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_entity, q.speaker_role, q.cue)
         for i, q in enumerate(x.quotes)],
    )
    c.executemany(
        'INSERT INTO figures (doc_id, idx, sentence, start, "end", surface, value, unit, approx, qualifier, '
        "measure, period, attributed_to, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d, i, f.sentence, f.start, f.end, f.surface, f.value, f.unit, int(f.approx), f.qualifier, f.measure,
          f.period, f.attributed_to, f.status) for i, f in enumerate(x.figures)],
    )
    c.executemany(
        "INSERT INTO events (doc_id, idx, sentence, type, subtype, trigger_start, trigger_end, status, "
        "source_actor, target_actor, location, date, date_text, date_precision) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d, i, e.sentence, e.type, e.subtype, e.trigger_start, e.trigger_end, e.status,
          json.dumps(e.source_actor), json.dumps(e.target_actor), e.location, e.date, e.date_text,
          e.date_precision) for i, e in enumerate(x.events)],
    )
    c.executemany(
        'INSERT INTO dates (doc_id, start, "end", text, value, precision) VALUES (?, ?, ?, ?, ?, ?)',
        [(d, r.start, r.end, r.text, r.value, r.precision) for r in x.dates],
    )
