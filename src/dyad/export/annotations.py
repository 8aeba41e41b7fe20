"""Write one ``<stem>.json`` per article in the evaluation schema (eval/SCHEMA.md).

Only what dyad extracts so far is filled in; the other lists are present and empty
so that consumers can rely on the keys.
"""

from __future__ import annotations

import json
from pathlib import Path

from dyad.export.entities import group_entities
from dyad.store import Store


def document_annotations(store: Store, doc_id: str, stem: str) -> dict:
    """The schema object of one stored document."""
    doc = store.document(doc_id)
    if doc is None:
        raise KeyError(doc_id)
    lines = store.lines(doc_id, kind="boilerplate")
    return {
        "doc": {
            "id": doc_id,
            "file": next((Path(s["source"]).name for s in doc["sources"] if s["stem"] == stem), None),
            "title": doc["title"],
            "standfirst": doc["standfirst"],
            "publisher": doc["publisher"],
            "authors": doc["authors"],
            "published": doc["published"],
            "published_how": doc["published_how"],
            "published_note": doc["published_reason"],
            "dateline": doc["dateline"],
            "url": doc["url"],
            "story": None,
            "boilerplate_lines": [ln["text"] for ln in lines],
            "boilerplate_line_numbers": [ln["number"] for ln in lines],
        },
        "entities": group_entities(store.mentions(doc_id)),
        "events": [],
        "figures": [],
        "quotes": [],
    }


def export_annotations(store: Store, outdir: str | Path) -> list[Path]:
    """Write ``<stem>.json`` for every stored source into ``outdir``; return the paths.

    Two sources with the same stem but different content get ``<stem>-<id8>.json``
    for the second, so nothing is silently overwritten.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    paths = []
    for stem, doc_id in store.stems():
        name = stem if written.get(stem, doc_id) == doc_id else f"{stem}-{doc_id[:8]}"
        if name in written:
            continue
        written[name] = doc_id
        path = out / f"{name}.json"
        data = document_annotations(store, doc_id, stem)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
