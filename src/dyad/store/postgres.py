"""PostgreSQL behind the same interface as :mod:`sqlite3`, so one Store serves both.

The store writes SQL in SQLite's dialect with ``?`` or ``:name`` placeholders; this
adapter rewrites the few constructs that differ (placeholders, ``INSERT OR IGNORE``,
``GROUP_CONCAT``, ``json_each``, ``COLLATE NOCASE`` equality, case-insensitive
``LIKE``) and returns rows that, like
``sqlite3.Row``, can be read by column name or position.  What cannot be
rewritten mechanically (full-text search, ``rowid``) is chosen by the Store from
its ``dialect``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

_STRING_OR_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\?|(?<!:):[A-Za-z_]\w*")
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.I)
_GROUP_CONCAT_1 = re.compile(r"\bGROUP_CONCAT\s*\(\s*(DISTINCT\s+)?([^(),]*)\)", re.I)
_GROUP_CONCAT = re.compile(r"\bGROUP_CONCAT\s*\(", re.I)
_JSON_EACH = re.compile(r"\bjson_each\s*\(([^()]*)\)", re.I)
_PARAM_IS_NULL = re.compile(r"(%s|%\(\w+\)s)\s+IS\s+(NOT\s+)?NULL", re.I)
_NOCASE_EQ = re.compile(r"([\w.]+)\s*=\s*(%s|%\(\w+\)s)\s+COLLATE\s+NOCASE", re.I)
_LIKE = re.compile(r"\bLIKE\b", re.I)
_BEGIN_IMMEDIATE = re.compile(r"^\s*BEGIN\s+IMMEDIATE\s*$", re.I)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """SQLite-dialect SQL with ``?`` placeholders → PostgreSQL with ``%s``."""
    if _BEGIN_IMMEDIATE.match(sql):
        return "BEGIN"
    sql = sql.replace("%", "%%")
    sql = _STRING_OR_PLACEHOLDER.sub(_placeholder, sql)
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql) + " ON CONFLICT DO NOTHING"
    sql = _GROUP_CONCAT_1.sub(lambda m: f"STRING_AGG({m.group(1) or ''}CAST({m.group(2)} AS TEXT), ',')", sql)
    sql = _GROUP_CONCAT.sub("STRING_AGG(", sql)
    # json_each(X) over a JSON array yields a column "value", as the PostgreSQL function does.
    sql = _JSON_EACH.sub(r"json_array_elements_text(CAST(\1 AS json))", sql)
    sql = _NOCASE_EQ.sub(r"lower(\1) = lower(\2)", sql)
    # "? IS NULL" (an optional filter): PostgreSQL must be told the parameter's type.
    sql = _PARAM_IS_NULL.sub(lambda m: f"CAST({m.group(1)} AS TEXT) IS {m.group(2) or ''}NULL", sql)
    return _LIKE.sub("ILIKE", sql)


def _placeholder(match: re.Match) -> str:
    token = match.group()
    if token == "?":
        return "%s"
    if token.startswith(":"):
        return f"%({token[1:]})s"
    return token  # a string literal, left as it is


class Row(tuple):
    """A result row like ``sqlite3.Row``: a tuple of values that can also be read by
    column name, with ``keys()`` so that ``dict(row)`` works."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> tuple[str, ...]:
        """Column names, in order."""
        return self._names


@functools.lru_cache(maxsize=512)
def _row_type(names: tuple[str, ...]) -> type[Row]:
    # One Row subclass per result shape, so a row carries no per-row dict; cached,
    # because creating a class costs more than a small query's rows.
    return type("Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor):
    return _row_type(tuple(c.name for c in cursor.description or ()))


class PgConnection:
    """The subset of ``sqlite3.Connection`` the store uses, over psycopg 3."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        # Autocommit: transactions are opened explicitly with BEGIN, as on SQLite.
        self.raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        self.row_factory = None  # accepted and ignored, rows are always Row

    def execute(self, sql: str, params: Sequence | dict = ()):
        """Run one statement; returns a cursor (iterable, fetchone, fetchall)."""
        # psycopg prepares a statement once it has run five times, and PostgreSQL may then
        # plan it once for any parameters.  A full-text query's best plan depends on how
        # common its words are (a generic plan made one question 80 ms instead of 40), so
        # those are never prepared: each is planned for its own words.
        prepare = False if "to_tsquery" in sql else None
        if isinstance(params, dict):
            return self.raw.execute(translate(sql), params, prepare=prepare)
        # Always pass a (possibly empty) sequence: psycopg then reads "%%" as "%",
        # which translate() relies on.
        return self.raw.execute(translate(sql), tuple(params), prepare=prepare)

    def executemany(self, sql: str, seq: Iterable[Sequence | dict]):
        """Run one statement for each parameter tuple (or dict)."""
        rows = [r if isinstance(r, dict) else tuple(r) for r in seq]
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
