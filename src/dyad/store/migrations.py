"""Schema migrations: numbered SQL files applied once each, in order, recorded.

Each ``NNNN_name.sql`` file under ``dyad/store/migrations/`` runs in its own
transaction together with the row that records it, so a crash leaves the schema
either before or after a step, never half-way.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

_TABLE = "_migrations"


def available(dialect: str = "sqlite") -> list[tuple[str, str]]:
    """``(name, sql)`` of every packaged migration for a dialect, in order.

    SQLite migrations live in ``migrations/``, PostgreSQL's (same names, same
    tables) in ``migrations/postgresql/``.
    """
    folder = resources.files("dyad.store") / "migrations"
    if dialect == "postgresql":
        folder = folder / "postgresql"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations already applied to this database."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in conn.execute(f"SELECT name FROM {_TABLE} ORDER BY name")]


def _dialect(conn) -> str:
    return getattr(conn, "dialect", "sqlite")


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of the packaged migrations not yet applied."""
    done = set(applied(conn))
    return [name for name, _ in available(_dialect(conn)) if name not in done]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every pending migration; return the names applied."""
    done = set(applied(conn))
    now = "now()::text" if _dialect(conn) == "postgresql" else "datetime('now')"
    ran = []
    for name, sql in available(_dialect(conn)):
        if name in done:
            continue
        # executescript commits any open transaction first, then runs the script
        # as written: the explicit BEGIN/COMMIT make the step atomic.
        script = f"BEGIN;\n{sql}\nINSERT INTO {_TABLE} VALUES ('{name}', {now});\nCOMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
        ran.append(name)
    return ran
