"""Write one ``<stem>.json`` per article in the evaluation schema (eval/SCHEMA.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dyad.resolve.cross import cross_annotations
from dyad.store import Store

_POSSESSIVE = re.compile(r"[’']s$")


def document_annotations(store: Store, doc_id: str, stem: str) -> dict:
    """The schema object of one stored document."""
    doc = store.document(doc_id)
    if doc is None:
        raise KeyError(doc_id)
    sentences = {s["idx"]: s["text"] for s in store.sentences(doc_id)}
    entities = _entities(store, doc_id)
    lines = store.lines(doc_id, kind="boilerplate")
    # A date narrowed across the story beats the article's own coarse inference.
    refined = store.xrefined_date(doc_id) or {}
    return {
        "doc": {
            "id": doc_id,
            "file": next((Path(s["source"]).name for s in doc["sources"] if s["stem"] == stem), None),
            "title": doc["title"],
            "standfirst": doc["standfirst"],
            "publisher": doc["publisher"],
            "authors": doc["authors"],
            "published": refined.get("published", doc["published"]),
            "published_how": "story" if refined else doc["published_how"],
            "published_note": refined.get("reason", doc["published_reason"]),
            "dateline": doc["dateline"],
            "url": doc["url"],
            "story": store.xstory_of(doc_id),
            "boilerplate_lines": [ln["text"] for ln in lines],
            "boilerplate_line_numbers": [ln["number"] for ln in lines],
            "non_body_entities": [e for e in entities if not e.pop("body")],
        },
        "entities": [e for e in entities if e.pop("body", True)],
        "quotes": [_quote(q, sentences) for q in store.rows("quotes", doc_id)],
        "figures": [_figure(f, sentences) for f in store.rows("figures", doc_id)],
        "events": [_event(e, sentences) for e in store.rows("events", doc_id)],
    }


def _entities(store: Store, doc_id: str) -> list[dict]:
    forms: dict[int, list[str]] = {}
    for m in store.rows("entity_mentions", doc_id):
        forms.setdefault(m["entity_id"], []).append(_POSSESSIVE.sub("", " ".join(m["text"].split())))
    return [
        {"canonical": e["canonical"], "type": e["label"], "mentions": list(dict.fromkeys(forms.get(e["id"], []))),
         "roles": e["roles"], "count": len(forms.get(e["id"], [])), "body": bool(e["body"])}
        for e in store.rows("entities", doc_id)
    ]


def _quote(q: dict, sentences: dict[int, str]) -> dict:
    return {"speaker": q["speaker"], "text": q["text"], "kind": q["kind"], "sentence": sentences.get(q["sentence"]),
            "speaker_role": q["speaker_role"], "cue": q["cue"], "span": [q["start"], q["end"]]}


def _figure(f: dict, sentences: dict[int, str]) -> dict:
    return {"value": f["value"], "unit": f["unit"], "surface": f["surface"], "approx": bool(f["approx"]),
            "qualifier": f["qualifier"], "measure": f["measure"], "period": f["period"],
            "attributed_to": f["attributed_to"], "status": f["status"], "sentence": sentences.get(f["sentence"]),
            "span": [f["start"], f["end"]]}


def _event(e: dict, sentences: dict[int, str]) -> dict:
    return {"type": e["type"], "subtype": e["subtype"], "source_actor": e["source_actor"],
            "target_actor": e["target_actor"], "date": e["date"], "date_text": e["date_text"],
            "status": e["status"], "location": e["location"], "sentence": sentences.get(e["sentence"]),
            "trigger": [e["trigger_start"], e["trigger_end"]]}


def export_annotations(store: Store, outdir: str | Path) -> list[Path]:
    """Write ``<stem>.json`` for every stored source, and ``cross.json``; return the paths.

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
    cross = cross_annotations(store)
    if cross["story_clusters"] or cross["same_entity"]:
        path = out / "cross.json"
        path.write_text(json.dumps(cross, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
