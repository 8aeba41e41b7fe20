"""The merged timeline: events from several documents that are one happening, with all their evidence.

Two events (from different documents) are one happening when they have the
same type, their actors overlap once resolved to cross-document entities,
their subtypes agree (same words, or one side unspecific), their places do not
contradict each other, their statuses are compatible (a scheduled event may
be the same happening as a reported one; a denied one never is), and their
dates overlap (within ``DATE_SLACK_DAYS``), or, when a date is missing, both
documents belong to one story.

Blocking: events are compared only within the same (type, actor) bucket, so
the cost grows with the bucket sizes, not the square of the event count.  The
buckets are stored (``event_keys``) with each event's dates and story, so the
events of new documents (:func:`update`) meet only the stored events they may
be, and only the merged events they join are rewritten.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from dyad.resolve.names import name_key
from dyad.resolve.profiles import interval_of, words

DATE_SLACK_DAYS = 2
_COMPATIBLE = {("happened", "happened"), ("scheduled", "scheduled"), ("happened", "scheduled"),
               ("scheduled", "happened"), ("hypothetical", "hypothetical"), ("denied", "denied")}
# Actors that say nothing about who acted ("" after normalisation).
_VAGUE = {"", "they", "both", "the two", "the two countries"}


@dataclass
class Ev:
    """One event as the timeline sees it."""

    doc_id: str
    idx: int
    type: str
    subtype: set[str]
    status: str
    src: frozenset[str]
    tgt: frozenset[str]
    location: str | None
    date: str | None
    interval: tuple[int, int] | None
    story: str | None
    group: str            # duplicate group of its document


def load_events(store, doc_ids: list[str] | None = None) -> list[Ev]:
    """Every event (or those of ``doc_ids``) with actors and place resolved to cross-document
    entity ids where possible."""
    if doc_ids is None:
        names = _name_index(store)
        stories = store.xstory_map()
        dups = store.xduplicate_map()
    else:
        from dyad.resolve.profiles import actor_index

        names = actor_index(store, doc_ids)
        stories = store.resolve_story_map(doc_ids)
        dups = {d: g for d, g, _ in store.resolve_duplicate_rows(doc_ids)}
    out = []
    for e in store.resolve_events(doc_ids):
        d = e["doc_id"]

        def resolve(n: str, d: str = d) -> str:
            return names.get((d, name_key(n)), "n:" + name_key(n))

        out.append(Ev(d, e["idx"], e["type"], set(words(e["subtype"])), e["status"],
                      frozenset(resolve(a) for a in e["source_actor"] if name_key(a) not in _VAGUE),
                      frozenset(resolve(a) for a in e["target_actor"] if name_key(a) not in _VAGUE),
                      resolve(e["location"]) if e["location"] else None, e["date"], interval_of(e["date"]),
                      stories.get(d), dups.get(d, d)))
    return out


def _name_index(store) -> dict[tuple[str, str], str]:
    from dyad.resolve.profiles import actor_index

    return actor_index(store)


def same_happening(a: Ev, b: Ev) -> bool:
    """Whether two events of different documents report one happening (see the module docstring)."""
    if a.doc_id == b.doc_id or a.type != b.type or (a.status, b.status) not in _COMPATIBLE:
        return False
    if not (a.src | a.tgt) & (b.src | b.tgt):
        return False
    if a.src and b.src and not a.src & b.src:
        return False
    if a.tgt and b.tgt and not a.tgt & b.tgt and not (a.location and a.location == b.location):
        return False  # Putin visiting Serbia is not Putin visiting Harbin
    if a.subtype and b.subtype and not a.subtype & b.subtype:
        return False
    if a.location and b.location and a.location != b.location and not (a.tgt | b.tgt) & {a.location, b.location}:
        return False
    if a.interval and b.interval:
        gap = max(0, b.interval[0] - a.interval[1], a.interval[0] - b.interval[1])
        return gap <= DATE_SLACK_DAYS
    return a.story is not None and a.story == b.story


def _candidate_pairs(events: list[Ev], idx: list[int]) -> list[tuple[int, int]]:
    """The pairs of one bucket that :func:`same_happening` can accept, in the order of the bucket.

    Two events can be one happening only if both are dated within ``DATE_SLACK_DAYS``
    of each other, or if they are of the same story: comparing just those pairs
    (a sweep over dates, and pairs within stories) gives the result of comparing
    every pair, in the same order, without a cost quadratic in the bucket.
    """
    where = {i: k for k, i in enumerate(idx)}
    found: set[tuple[int, int]] = set()
    by_story: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        if events[i].story is not None:
            by_story[events[i].story].append(i)
    for members in by_story.values():
        found.update((a, b) for n, a in enumerate(members) for b in members[n + 1:])
    dated = sorted((i for i in idx if events[i].interval), key=lambda i: events[i].interval[0])
    for n, a in enumerate(dated):
        end = events[a].interval[1] + DATE_SLACK_DAYS
        for b in dated[n + 1:]:
            if events[b].interval[0] > end:
                break
            found.add((a, b))
    return sorted(((a, b) if where[a] < where[b] else (b, a) for a, b in found), key=lambda p: (where[p[0]], where[p[1]]))


def cluster_events(events: list[Ev], fixed: list[list[int]] | None = None,
                   loose: set[int] | None = None) -> list[list[Ev]]:
    """Events grouped into happenings; events that match nothing stand alone.

    ``fixed`` lists groups of indices already merged (stored happenings);
    with ``loose``, only pairs involving one of those indices are compared.
    """
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        for actor in sorted(e.src | e.tgt) or [""]:
            buckets[(e.type, actor)].append(i)
    parent = list(range(len(events)))
    docs = [{e.doc_id} for e in events]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for group in fixed or []:
        for j in group[1:]:
            ri, rj = find(group[0]), find(j)
            if ri != rj:
                root, other = min(ri, rj), max(ri, rj)
                parent[other] = root
                docs[root] |= docs[other]
    for idx in buckets.values():
        for i, j in _candidate_pairs(events, idx):
            if loose is not None and i not in loose and j not in loose:
                continue
            ri, rj = find(i), find(j)
            # Two clusters merge only if no document would then hold two of
            # their events: the per-article extractor already told those apart.
            if ri != rj and not docs[ri] & docs[rj] and same_happening(events[i], events[j]):
                root, other = min(ri, rj), max(ri, rj)
                parent[other] = root
                docs[root] |= docs[other]
    groups: dict[int, list[Ev]] = defaultdict(list)
    for i, e in enumerate(events):
        groups[find(i)].append(e)
    return [groups[k] for k in sorted(groups)]


def cluster_row(group: list[Ev], names: dict[str, str]) -> dict:
    """The ``event_clusters`` row of one happening."""
    first = min(group, key=lambda e: (e.doc_id, e.idx))
    stories = Counter(e.story for e in group if e.story)
    subtypes = Counter(" ".join(sorted(e.subtype)) for e in group)
    statuses = Counter(e.status for e in group)
    status = "happened" if statuses["happened"] else statuses.most_common(1)[0][0]
    dated = [e for e in group if e.interval]
    best = min(dated, key=lambda e: (e.interval[1] - e.interval[0], e.date)) if dated else None
    label = lambda ids: sorted({names.get(x, x[2:] if x.startswith("n:") else x) for x in ids})  # noqa: E731
    return {"id": "e" + hashlib.sha1(f"{first.doc_id}:{first.idx}".encode()).hexdigest()[:10],
            "story_id": stories.most_common(1)[0][0] if stories else None, "type": first.type,
            "subtype": sorted(subtypes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], "status": status,
            "source_actor": label(set().union(*(e.src for e in group))),
            "target_actor": label(set().union(*(e.tgt for e in group))),
            "location": next((label({e.location})[0] for e in group if e.location), None),
            "date": best.date if best else None, "n_docs": len({e.doc_id for e in group}),
            "n_independent": len({e.group for e in group})}


def run(store) -> dict:
    """Merge the events of the whole store into happenings; replace the timeline tables; return counts."""
    events = load_events(store)
    names = {x["id"]: x["canonical"] for x in store.xentity_list(min_docs=1, limit=None)}
    groups = cluster_events(events)
    rows, members = [], []
    for group in groups:
        row = cluster_row(group, names)
        rows.append(row)
        members += [(row["id"], e.doc_id, e.idx) for e in group]
    store.write_event_clusters(rows, members)
    store.write_event_keys(key_rows(events))
    return {"event_clusters": len(rows), "merged": sum(1 for r in rows if r["n_docs"] > 1), "events": len(events)}


# Intervals of stored events are looked up by their start: none is longer than this
# (a year, or a short range) or it may be missed.
LONGEST_DAYS = 370


def key_rows(events: list[Ev]) -> list[tuple]:
    """``event_keys`` rows of some events: one per resolved actor (an event without one meets no other)."""
    rows = []
    for e in events:
        lo, hi = e.interval or (None, None)
        rows += [(e.doc_id, e.idx, e.type, actor, lo, hi, e.story) for actor in sorted(e.src | e.tgt)]
    return rows


def update(store, doc_ids: list[str]) -> dict:
    """Re-place the events of some documents (new, or whose story, date or copies changed).

    The stored happenings holding their events are taken apart; those events
    and the new ones are compared with the stored events under the same
    (type, actor) key that are dated close enough or belong to the same story,
    and with one another; stored happenings stay whole.  Happenings that lost
    an event (a deleted document) are taken apart too.  Only the happenings
    touched are rewritten; each keeps the id most of its events had.
    """
    dirty = store.resolve_dirty("event_cluster")
    if not doc_ids and not dirty:
        return {"events": 0, "event_clusters_written": 0, "event_clusters_removed": 0}
    affected = set(doc_ids)
    taken_apart = set(store.resolve_event_cluster_of(doc_ids).values()) | set(dirty)
    dissolved = store.resolve_event_cluster_members(sorted(taken_apart))
    loose_keys = {k for ms in dissolved.values() for k in ms}
    loose = [e for e in load_events(store, sorted(affected | {d for d, _ in loose_keys}))
             if e.doc_id in affected or (e.doc_id, e.idx) in loose_keys]
    loose_keys = {(e.doc_id, e.idx) for e in loose}
    store.write_event_keys(key_rows([e for e in loose if e.doc_id in affected]), doc_ids)
    found: set[tuple[str, int]] = set()
    for e in loose:
        lo, hi = e.interval or (None, None)
        for actor in sorted(e.src | e.tgt):
            found.update(store.resolve_event_neighbours(e.type, actor, lo, hi, e.story, DATE_SLACK_DAYS,
                                                        LONGEST_DAYS))
    found -= loose_keys
    cluster_of = store.resolve_event_cluster_of(sorted({d for d, _ in found}))
    fixed = store.resolve_event_cluster_members(sorted({cluster_of[k] for k in found if k in cluster_of}))
    fixed_keys = {k for ms in fixed.values() for k in ms} - loose_keys
    stored = [e for e in load_events(store, sorted({d for d, _ in fixed_keys})) if (e.doc_id, e.idx) in fixed_keys]
    events = sorted(loose + stored, key=lambda e: (e.doc_id, e.idx))
    index = {(e.doc_id, e.idx): i for i, e in enumerate(events)}
    groups = cluster_events(events, [[index[k] for k in ms if k in index] for ms in fixed.values()],
                            {index[k] for k in loose_keys})
    before = {k: cid for cid, ms in [*dissolved.items(), *fixed.items()] for k in ms}
    removed = taken_apart | set(fixed)
    ids = {x for e in events for x in e.src | e.tgt | ({e.location} if e.location else set())}
    names = {x: r["canonical"] for x, r in store.resolve_xentity_rows(sorted(ids)).items()}
    rows, members, taken = [], [], set()
    for group in sorted(groups, key=lambda g: (-len(g), min((e.doc_id, e.idx) for e in g))):
        row = cluster_row(group, names)
        votes = Counter(before[(e.doc_id, e.idx)] for e in group if (e.doc_id, e.idx) in before)
        kept = next((cid for cid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if cid not in taken),
                    None)
        row["id"] = kept or _fresh_id(group, taken, removed, store)
        taken.add(row["id"])
        rows.append(row)
        members += [(row["id"], e.doc_id, e.idx) for e in group]
    store.write_event_cluster_updates(sorted(removed), rows, members)
    return {"events": len(loose), "event_clusters_written": len(rows),
            "event_clusters_removed": len(removed - taken)}


def _fresh_id(group: list[Ev], taken: set[str], removed: set[str], store) -> str:
    """The id of a happening none of whose events had one: from its first event, or the next free one."""
    for e in sorted(group, key=lambda e: (e.doc_id, e.idx)):
        cid = "e" + hashlib.sha1(f"{e.doc_id}:{e.idx}".encode()).hexdigest()[:10]
        if cid not in taken and (cid in removed or not store.resolve_existing_ids("event_clusters", [cid])):
            return cid
    first = min(group, key=lambda e: (e.doc_id, e.idx))
    return "e" + hashlib.sha1(f"{first.doc_id}:{first.idx}:{len(taken)}".encode()).hexdigest()[:10]
