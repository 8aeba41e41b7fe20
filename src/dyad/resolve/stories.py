"""Stories: documents about the same happening, clustered, with stable ids and readable labels.

Documents are compared on :mod:`dyad.resolve.profiles` vectors (entities,
happenings, lead, body).  Clustering runs in two passes:

1. documents with a publication date are merged, most similar pairs first,
   while the best link between two clusters reaches ``LINK`` and their average
   similarity ``AVERAGE``, and every pair of members lies within
   ``STORY_WINDOW_DAYS`` of each other: two reports of the same kind of
   meeting months apart are two stories, however alike their words;
2. undated documents then join the cluster they resemble most (same two
   thresholds), or form clusters among themselves.

Republished copies (``duplicate_groups``) always share their original's story.
A story's id derives from its anchor document (earliest published, then
smallest id), so it does not change when later reports join.

Cost: similarities come from one sparse matrix product; pairs below
``CANDIDATE`` are dropped, so memory grows with the number of similar pairs,
not with the square of the corpus.  A new document can be placed by comparing
it with the stored stories only (:func:`assign_new`).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import numpy as np

from dyad.resolve.profiles import STORY_WINDOW_DAYS, Profile, build_profiles, gap_days, tfidf_matrix

LINK = 0.5          # best link between two clusters
AVERAGE = 0.35      # average similarity between two clusters
CANDIDATE = 0.2     # pairs below this are never looked at


class _Clusters:
    """Clusters under construction: members, time span, and the pairwise similarities."""

    def __init__(self, profiles: list[Profile], sims: dict[tuple[int, int], float]) -> None:
        self.profiles = profiles
        self.sims = sims
        self.of = list(range(len(profiles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}

    def sim(self, i: int, j: int) -> float:
        return self.sims.get((min(i, j), max(i, j)), 0.0)

    def linkage(self, a: int, b: int) -> tuple[float, float]:
        """(best, average) similarity between clusters ``a`` and ``b``."""
        values = [self.sim(i, j) for i in self.members[a] for j in self.members[b]]
        return max(values), sum(values) / len(values)

    def time_ok(self, a: int, b: int) -> bool:
        return all(gap_days(self.profiles[i].interval, self.profiles[j].interval) <= STORY_WINDOW_DAYS
                   for i in self.members[a] for j in self.members[b])

    def merge(self, a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        for i in self.members[b]:
            self.of[i] = a
        self.members[a] += self.members.pop(b)


def similarities(profiles: list[Profile], only: list[int] | None = None) -> dict[tuple[int, int], float]:
    """``{(i, j): cosine}`` for i < j, pairs at or above ``CANDIDATE`` only.

    With ``only``, just the pairs that involve one of those documents (the new
    ones): the cost is then proportional to their number, not the corpus's square.
    """
    if len(profiles) < 2:
        return {}
    m = tfidf_matrix(profiles)
    rows_of = np.arange(len(profiles)) if only is None else np.asarray(sorted(only), dtype=int)
    prod = (m[rows_of] @ m.T).tocoo()
    rows, cols = rows_of[prod.row], prod.col
    keep = (rows != cols) & (prod.data >= CANDIDATE)
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    return {(int(i), int(j)): float(v) for i, j, v in zip(lo, hi, prod.data[keep], strict=True)}


def cluster(profiles: list[Profile], sims: dict[tuple[int, int], float],
            fixed: list[list[int]] | None = None) -> list[list[int]]:
    """Indices of ``profiles`` grouped into stories (see the module docstring).

    ``fixed`` lists groups that must stay together (republished copies); their
    first member stands for the group while clustering.
    """
    c = _Clusters(profiles, sims)
    for group in fixed or []:
        for i in group[1:]:
            if c.of[i] != c.of[group[0]]:
                c.merge(c.of[group[0]], c.of[i])
    dated = {i for i, p in enumerate(profiles) if p.interval is not None}
    pairs = sorted(((v, i, j) for (i, j), v in sims.items() if v >= LINK), key=lambda t: (-t[0], t[1], t[2]))
    for _v, i, j in pairs:
        if i in dated and j in dated:
            _try_merge(c, i, j)
    _attach_undated(c, dated)
    for _v, i, j in pairs:
        if i not in dated and j not in dated:
            _try_merge(c, i, j)
    return sorted((sorted(ms) for ms in c.members.values()), key=lambda ms: ms[0])


def _try_merge(c: _Clusters, i: int, j: int) -> bool:
    a, b = c.of[i], c.of[j]
    if a == b or not c.time_ok(a, b):
        return False
    best, avg = c.linkage(a, b)
    if best >= LINK and avg >= AVERAGE:
        c.merge(a, b)
        return True
    return False


def _attach_undated(c: _Clusters, dated: set[int]) -> None:
    """Each undated document joins the dated cluster it resembles most, if enough."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for (i, j), v in c.sims.items():
        if v >= LINK:  # a cluster can only qualify through a link this strong
            neighbours[i].add(j)
            neighbours[j].add(i)
    for i in range(len(c.profiles)):
        if i in dated or len(c.members.get(c.of[i], [])) > 1 and any(k in dated for k in c.members[c.of[i]]):
            continue
        own = c.of[i]
        scores = []
        for root in sorted({c.of[j] for k in c.members[own] for j in neighbours[k]}):
            ms = c.members[root]
            if root == own or not any(k in dated for k in ms):
                continue
            best, avg = c.linkage(own, root)
            if best >= LINK and avg >= AVERAGE and c.time_ok(own, root):
                scores.append((avg, best, -root, root))
        if scores:
            c.merge(own, max(scores)[3])


def story_id(anchor_doc: str) -> str:
    """The stable id of a story anchored on a document."""
    return "s" + hashlib.sha1(anchor_doc.encode("utf-8")).hexdigest()[:10]


def anchor(profiles: list[Profile]) -> Profile:
    """The story's anchor: the earliest-published member (dated first), then the smallest id."""
    return min(profiles, key=lambda p: (p.interval is None, p.interval or (0, 0), p.doc_id))


def build(store, new_only: bool = False) -> tuple[list[Profile], list[list[int]], dict[tuple[int, int], float]]:
    """Profiles, story clusters (indices) and similarities of every document of the store.

    ``new_only`` keeps the stored stories as they are and places only the
    documents that have none yet (comparing them with every document).
    """
    docs = store.resolve_documents()
    profiles = build_profiles(store, docs)
    index = {p.doc_id: i for i, p in enumerate(profiles)}
    fixed = []
    new = None
    if new_only:
        new = [index[d] for d in store.resolve_unresolved_doc_ids() if d in index]
        stories = defaultdict(list)
        for doc_id, sid in sorted(store.xstory_map().items()):
            if doc_id in index:
                stories[sid].append(index[doc_id])
        fixed += [sorted(g) for g in stories.values() if len(g) > 1]
    sims = similarities(profiles, new)
    groups = defaultdict(list)
    for doc_id, group_id in sorted(store.xduplicate_map().items()):
        if doc_id in index:
            groups[group_id].append(index[doc_id])
    fixed += [sorted(g, key=lambda i: (profiles[i].doc_id != gid, i)) for gid, g in groups.items() if len(g) > 1]
    return profiles, cluster(profiles, sims, fixed), sims


def member_scores(clusters: list[list[int]], sims: dict[tuple[int, int], float]) -> dict[int, float]:
    """Each document's average similarity to the rest of its story (1.0 when alone)."""
    out = {}
    for ms in clusters:
        for i in ms:
            others = [sims.get((min(i, j), max(i, j)), 0.0) for j in ms if j != i]
            out[i] = float(np.mean(others)) if others else 1.0
    return out


def run(store, new_only: bool = False) -> dict:
    """Cluster every document into stories, label them, and replace the story tables; return counts.

    A story keeps the id it had when it holds documents of a stored story (the
    one it shares most documents with), so ids survive new documents; a new
    story takes its id from its anchor document.  ``new_only``: see :func:`build`.
    """
    from dyad.resolve import dates, story_labels
    from dyad.resolve.profiles import actor_index

    previous = store.xstory_map()
    profiles, clusters, sims = build(store, new_only)
    scores = member_scores(clusters, sims)
    xrows = {x["id"]: x for x in store.xentity_list(min_docs=1, limit=None)}
    actors = actor_index(store)
    events = defaultdict(list)
    for e in store.resolve_events():
        events[e["doc_id"]].append(e)
    dup_of = store.xduplicate_map()
    refined = dates.refine(store, profiles, clusters, events)
    narrowed = {doc_id: value for doc_id, value, _ in refined}
    stories, members = [], []
    taken: set[str] = set()
    for ms in sorted(clusters, key=lambda ms: (-len(ms), ms[0])):
        group = [profiles[i] for i in ms]
        sid = _keep_id(group, previous, taken) or story_id(anchor(group).doc_id)
        taken.add(sid)
        span = story_labels.story_span([narrowed.get(p.doc_id, p.published) for p in group])
        top = Counter()
        for p in group:
            top.update({x: 1 for x in p.xentities})
        stories.append({"id": sid, "label": story_labels.label(group, events, xrows, actors),
                        "date_from": span[0], "date_to": span[1], "n_docs": len(group),
                        "entities": [x for x, _ in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:8]],
                        "keywords": _keywords(group)})
        for i in ms:
            p = profiles[i]
            how = ("alone" if len(ms) == 1 else "duplicate" if dup_of.get(p.doc_id, p.doc_id) != p.doc_id
                   else "attached" if p.interval is None else "linked")
            members.append((sid, p.doc_id, round(scores[i], 4), how))
    store.write_stories(stories, members, refined)
    sizes = Counter(s["n_docs"] for s in stories)
    return {"stories": len(stories), "multi_doc_stories": sum(1 for s in stories if s["n_docs"] > 1),
            "largest": max(sizes) if sizes else 0, "refined_dates": len(refined)}


def _keep_id(group: list[Profile], previous: dict[str, str], taken: set[str]) -> str | None:
    """The stored story id most of the group's documents had (not yet given to a larger story)."""
    counts = Counter(previous[p.doc_id] for p in group if p.doc_id in previous)
    for sid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if sid not in taken:
            return sid
    return None


def _keywords(group: list[Profile], n: int = 6) -> list[str]:
    """Lead words most documents of the story share."""
    counts = Counter(w for p in group
                     for w in {f[5:] for f in p.features if f.startswith("lead:") and " " not in f[5:]})
    return [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]
