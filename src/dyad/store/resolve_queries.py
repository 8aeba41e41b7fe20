"""Cross-document tables: canonical entities, duplicates, stories, merged events, figure groups.

Mixed into :class:`dyad.store.Store`; every statement goes through ``self.conn``
and is parameterised.
"""

from __future__ import annotations

import sqlite3


class ResolveQueries:
    """Cross-document tables: canonical entities, duplicates, stories, merged events, figure groups."""

    conn: sqlite3.Connection
