"""Retrieval queries for question answering.

Mixed into :class:`dyad.store.Store`; every statement goes through ``self.conn``
and is parameterised.
"""

from __future__ import annotations

import sqlite3


class AskQueries:
    """Retrieval queries for question answering."""

    conn: sqlite3.Connection
