"""Read queries for the web app and API, mixed into :class:`dyad.store.Store`.

Every statement is parameterised; table and column names are never taken from
the caller.
"""

from __future__ import annotations

import sqlite3


class Queries:
    """Read-only queries over the store (``self.conn`` is the store's connection)."""

    conn: sqlite3.Connection
