"""The cross-document evaluation object (``cross.json``, eval/SCHEMA.md) from the resolve tables."""

from __future__ import annotations

from dyad.resolve.gazetteer import STATE, gazetteer


def cross_annotations(store, min_docs: int = 2) -> dict:
    """``{"story_clusters": [...], "same_entity": [...]}`` for ``cross.json``.

    ``story_clusters`` lists every story as ``{story, label, docs: [stems]}``;
    ``same_entity`` every cross-document entity named in at least ``min_docs``
    documents as ``{canonical, type, members: [{doc: stem, forms: [...]}]}``.
    Run :func:`dyad.resolve.run.resolve_all` first; an unresolved store gives
    empty lists.
    """
    stories = [{"story": s["id"], "label": s["label"], "docs": sorted({d["stem"] for d in s["docs"] if d["stem"]})}
               for s in store.xstory_list()]
    same = []
    for x in store.xentity_clusters(min_docs=min_docs):
        members: dict[str, list[str]] = {}
        for m in x["members"]:
            if m["doc"]:
                members.setdefault(m["doc"], [])
                members[m["doc"]] += [f for f in m["forms"] if f not in members[m["doc"]] and _own_form(f, x)]
        same.append({"canonical": x["canonical"], "type": x["label"],
                     "members": [{"doc": d, "forms": f} for d, f in sorted(members.items())]})
    return {"story_clusters": stories, "same_entity": same}


def _own_form(form: str, xentity: dict) -> bool:
    """False for a demonym, capital or seat listed under the state it stands for.

    "Russian" in "the Russian side" may stand for Russia, but it is the name of
    the demonym entity; listing it under both would make the two look alike.
    """
    if xentity.get("relation") != STATE:
        return True
    hit = gazetteer().lookup(form)
    return hit is None or hit[1] == STATE
