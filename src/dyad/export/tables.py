"""Dump every table to one JSONL file: one row per line, ``table`` says which.

Load it with pandas as ``df = pd.read_json(path, lines=True)`` and pick a table with
``df[df.table == "sentences"].dropna(axis=1, how="all")``.
"""

from __future__ import annotations

import json
from pathlib import Path

from dyad.store import Store
from dyad.store.sqlite import TABLES


def export_jsonl(store: Store, path: str | Path, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    """Write the rows of ``tables`` to ``path``; return the row count per table."""
    counts = {}
    with Path(path).open("w", encoding="utf-8") as out:
        for table in tables:
            n = 0
            for row in store.iter_table(table):
                out.write(json.dumps({"table": table} | row, ensure_ascii=False) + "\n")
                n += 1
            counts[table] = n
    return counts
