"""Library functions behind the CLI commands ``dyad entities``, ``entity``, ``stories``, ``timeline``, ``figures``.

Each returns plain dicts and lists (JSON-ready); the CLI only prints them.
"""

from __future__ import annotations

from dyad.resolve.gazetteer import gazetteer
from dyad.resolve.names import name_key, person_key
from dyad.resolve.projects import project_history


def entities(store, label: str | None = None, min_docs: int = 2, limit: int = 50) -> list[dict]:
    """Cross-document entities named in at least ``min_docs`` documents, most documents first."""
    rows = store.xentity_list(label=label, min_docs=min_docs, limit=limit)
    for r in rows:
        r["stands_for"] = gazetteer().name(r["state"]) if r["state"] and r["relation"] != "state" else None
    return rows


def find_entity(store, name: str) -> dict | None:
    """The cross-document entity best matching ``name`` (id, canonical, alias, or a variant's key)."""
    hits = store.xentity_find(name)
    if not hits:
        for key in (f"person:{person_key(name)}", f"acr:{name.replace('.', '').upper()}"):
            hits = store.xentity_find_by_key(key)
            if hits:
                break
    if not hits:
        hits = [x for x in store.xentity_list(min_docs=1, limit=None)
                if name_key(name) in {name_key(a) for a in x["aliases"]}]
    return hits[0] if hits else None


def entity(store, name: str) -> dict | None:
    """One entity with everything known across documents: aliases, members, linked names, events, projects."""
    x = find_entity(store, name)
    if x is None:
        return None
    out = dict(x)
    out["members"] = store.xentity_members(x["id"])
    out["documents"] = sorted({m["stem"] for m in out["members"] if m["stem"]})
    if x.get("relation") == "state":
        out["linked"] = store.xentity_linked(x["state"])
    elif x.get("state"):
        out["stands_for"] = {"state": gazetteer().name(x["state"]), "relation": x["relation"]}
    out["events"] = store.xevent_clusters(xentity=x["canonical"])
    history = project_history(store, x["id"])
    out["project_status"] = history or None
    return out


def stories(store, min_docs: int = 1, limit: int | None = None) -> list[dict]:
    """Stories with label, dates and documents (stem, title, publisher, published, refined date)."""
    return store.xstory_list(min_docs=min_docs, limit=limit)


def timeline(store, ref: str | None = None) -> dict:
    """The merged timeline of a story (id or a member's stem), of an entity (name), or of everything.

    Returns ``{"scope": ..., "events": [...]}``: each event is a happening with
    its date, type, actors, how many documents (and independent sources) report
    it, and every piece of evidence.
    """
    if ref:
        story = store.xstory(ref)
        if story:
            return {"scope": {"story": story["id"], "label": story["label"]},
                    "events": store.xevent_clusters(story_id=story["id"])}
        x = find_entity(store, ref)
        if x:
            return {"scope": {"entity": x["id"], "canonical": x["canonical"]},
                    "events": store.xevent_clusters(xentity=x["canonical"])}
        return {"scope": {"unknown": ref}, "events": []}
    return {"scope": {"all": True}, "events": store.xevent_clusters()}


def figures(store, conflicts: bool = False) -> list[dict]:
    """Figure groups with their verdicts; ``conflicts`` keeps only conflicting and differing ones."""
    return store.xfigure_groups(("conflicting", "differing") if conflicts else None)


def projects(store, name: str | None = None) -> list[dict]:
    """Project status per story (optionally of one project, by name or id)."""
    if name:
        x = find_entity(store, name)
        return store.xproject_status(x["id"]) if x else []
    return store.xproject_status()
