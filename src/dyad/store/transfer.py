"""Copy a whole store into another: a SQLite file onto a shared PostgreSQL server, or back.

Both ends are opened as :class:`~dyad.store.Store`, so both are migrated to the
same schema first.  Every table the two have in common is then copied in the
order the migrations create them (parents before children), columns matched by
name; columns a backend computes itself (PostgreSQL's ``tsv``, SQLite's FTS
index, filled by its triggers) are left to it.  The copy is one transaction on
the target, so a failure leaves it empty; the target must be empty to begin with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from dyad.store import migrations
from dyad.store.sqlite import Store

_CREATE_TABLE = re.compile(r"^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)", re.I | re.M)
_BATCH = 5000


class TargetNotEmpty(ValueError):
    """The target store already holds documents."""


def table_order(dialect: str) -> list[str]:
    """Tables in the order the migrations of ``dialect`` create them."""
    return [m for _, sql in migrations.available(dialect) for m in _CREATE_TABLE.findall(sql)]


def columns(store: Store, table: str) -> list[str]:
    """Stored (not computed) column names of ``table``, in order; empty when it does not exist."""
    if store.dialect == "postgresql":
        return [r[0] for r in store.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,))]
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]


def copy_store(source: str, target: str, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of the store at ``source`` into the empty store at ``target``; ``{table: rows}``.

    ``progress(table, rows)`` is called after each batch of rows.  Raises
    :class:`TargetNotEmpty` when the target already holds documents.
    """
    with Store(source) as src, Store(target) as dst:
        if dst.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]:
            raise TargetNotEmpty(f"the target store already holds documents: {_shown(target)}")
        copied: dict[str, int] = {}
        with dst.transaction() as c:
            for table in table_order(dst.dialect):
                present = set(columns(src, table))
                shared = [col for col in columns(dst, table) if col in present]
                if not shared:
                    continue
                names = ", ".join(f'"{col}"' for col in shared)
                rows = _rows(src, table, names)
                copied[table] = _write(dst, c, table, names, len(shared), rows, progress)
            if dst.dialect == "postgresql":
                _advance_identities(c)
        if dst.dialect == "postgresql":
            # Fresh statistics: without them the planner guesses at every table it just saw filled.
            dst.conn.execute("ANALYZE")
        return copied


def _rows(src: Store, table: str, names: str) -> Iterator[tuple]:
    cursor = src.conn.execute(f"SELECT {names} FROM {table}")
    while batch := cursor.fetchmany(_BATCH):
        yield from (tuple(r) for r in batch)


def _write(dst: Store, c, table: str, names: str, width: int, rows: Iterator[tuple],
           progress: Callable[[str, int], None] | None) -> int:
    n = 0
    if dst.dialect == "postgresql":
        # COPY: an order of magnitude faster than INSERTs for millions of rows.
        with c.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
                if progress and n % _BATCH == 0:
                    progress(table, _BATCH)
        if progress:
            progress(table, n % _BATCH)
        return n
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * width)})"
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            c.executemany(insert, batch)
            n += len(batch)
            if progress:
                progress(table, len(batch))
            batch = []
    c.executemany(insert, batch)
    if progress:
        progress(table, len(batch))
    return n + len(batch)


def _advance_identities(c) -> None:
    """Move each identity column's sequence past the copied ids, so new rows get fresh ones."""
    for table, column in c.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall():
        c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                  f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)")


def _shown(location: str) -> str:
    """A store location fit for a message: never a password."""
    return location.rpartition("@")[2] if "://" in location else location
