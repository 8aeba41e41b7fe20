"""PostgreSQL behind the same interface as :mod:`sqlite3`, so one Store serves both.

The store writes SQL in SQLite's dialect with ``?`` placeholders; this adapter
rewrites the few constructs that differ (placeholders, ``INSERT OR IGNORE``,
``GROUP_CONCAT``, case-insensitive ``LIKE``) and returns rows that, like
``sqlite3.Row``, can be read by column name or position.  What cannot be
rewritten mechanically (full-text search, ``rowid``) is chosen by the Store from
its ``dialect``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

_STRING_OR_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\?")
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.I)
_GROUP_CONCAT = re.compile(r"\bGROUP_CONCAT\s*\(", re.I)
_LIKE = re.compile(r"\bLIKE\b", re.I)
_BEGIN_IMMEDIATE = re.compile(r"^\s*BEGIN\s+IMMEDIATE\s*$", re.I)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """SQLite-dialect SQL with ``?`` placeholders → PostgreSQL with ``%s``."""
    if _BEGIN_IMMEDIATE.match(sql):
        return "BEGIN"
    sql = sql.replace("%", "%%")
    sql = _STRING_OR_PLACEHOLDER.sub(lambda m: "%s" if m.group() == "?" else m.group(), sql)
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql) + " ON CONFLICT DO NOTHING"
    sql = _GROUP_CONCAT.sub("STRING_AGG(", sql)
    return _LIKE.sub("ILIKE", sql)


class Row(dict):
    """A result row readable as ``row["name"]`` or ``row[0]``, like ``sqlite3.Row``."""

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)


def _row_factory(cursor):
    names = [c.name for c in cursor.description or ()]
    return lambda values: Row(zip(names, values))


class PgConnection:
    """The subset of ``sqlite3.Connection`` the store uses, over psycopg 3."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        # Autocommit: transactions are opened explicitly with BEGIN, as on SQLite.
        self.raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        self.row_factory = None  # accepted and ignored, rows are always Row

    def execute(self, sql: str, params: Sequence = ()):
        """Run one statement; returns a cursor (iterable, fetchone, fetchall)."""
        return self.raw.execute(translate(sql), tuple(params) if params else None)

    def executemany(self, sql: str, seq: Iterable[Sequence]):
        """Run one statement for each parameter tuple."""
        rows = list(seq)
        cur = self.raw.cursor()
        if rows:
            cur.executemany(translate(sql), rows)
        return cur

    def executescript(self, script: str) -> None:
        """Run a script of several statements (no parameters)."""
        self.raw.execute(script)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def rollback(self) -> None:
        """Abandon the open transaction."""
        self.raw.execute("ROLLBACK")

    def set_progress_handler(self, handler, n: int) -> None:
        """SQLite's query-time bound; PostgreSQL uses ``statement_timeout`` instead."""

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()
