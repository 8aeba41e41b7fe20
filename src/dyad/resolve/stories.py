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
not with the square of the corpus.

New documents are placed without recomputing the rest (:func:`place_new`):
only they are profiled; their candidate story-mates are the stored profiles
that share a rare index term with them (``profile_terms``) within
``STORY_WINDOW_DAYS``; they are compared with those and with the members of the
stories those belong to, and only the stories they join (or that lost
documents) are rewritten.  The cost depends on the new documents and the
stories they touch, not on the size of the store.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse

from dyad.resolve.profiles import (
    STORY_WINDOW_DAYS,
    Profile,
    build_profiles,
    from_row,
    gap_days,
    index_terms,
    store_profiles,
    tfidf_matrix,
)

LINK = 0.5          # best link between two clusters
AVERAGE = 0.35      # average similarity between two clusters
CANDIDATE = 0.2     # pairs below this are never looked at
# Incremental placement: an index term held by more stored documents than this
# is too common to find story-mates with; each new document is compared with at
# most ``CANDIDATES_PER_DOC`` stored documents, those sharing most terms with it.
# On the BBC store (2,036 documents, each taken as new) these candidates hold
# every pair of similarity ``LINK`` or more; a pair below ``LINK`` never merges.
TERM_MAX_DF = 100
CANDIDATES_PER_DOC = 20
# Up to this many documents a full run compares all pairs; above it, candidates only.
EXACT_PAIRS_MAX = 20_000
_BLOCK = 2_000


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
    if only is None and len(profiles) > EXACT_PAIRS_MAX:
        return _candidate_similarities(profiles, m)
    rows_of = np.arange(len(profiles)) if only is None else np.asarray(sorted(only), dtype=int)
    prod = (m[rows_of] @ m.T).tocoo()
    rows, cols = rows_of[prod.row], prod.col
    keep = (rows != cols) & (prod.data >= CANDIDATE)
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    return {(int(i), int(j)): float(v) for i, j, v in zip(lo, hi, prod.data[keep], strict=True)}


def _candidate_similarities(profiles: list[Profile], m: sparse.csr_matrix) -> dict[tuple[int, int], float]:
    """:func:`similarities` over candidate pairs only, for stores too large for all pairs.

    Every document shares common words with most others, so the all-pairs product
    grows with the square of the store (100,000 documents: billions of pairs).
    Instead each document is compared with the ``CANDIDATES_PER_DOC`` documents
    sharing most of its index terms held by at most ``TERM_MAX_DF`` documents
    (the candidates of incremental runs), within ``STORY_WINDOW_DAYS`` when
    both are dated; their exact cosines come from the same vectors.
    """
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, p in enumerate(profiles):
        for term in index_terms(p):
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
    terms = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                              shape=(len(profiles), len(vocab)))
    df = np.asarray(terms.sum(axis=0)).ravel()
    terms = terms[:, np.flatnonzero((df >= 2) & (df <= TERM_MAX_DF))].tocsr()
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(profiles), _BLOCK):
        shared = (terms[start:start + _BLOCK] @ terms.T).tocsr()
        for k in range(shared.shape[0]):
            i = start + k
            lo, hi = shared.indptr[k], shared.indptr[k + 1]
            mates = [(-c, j) for j, c in zip(shared.indices[lo:hi], shared.data[lo:hi])
                     if j != i and _near(profiles[i], profiles[j])]
            pairs.update((min(i, j), max(i, j)) for _, j in sorted(mates)[:CANDIDATES_PER_DOC])
    if not pairs:
        return {}
    a, b = (np.fromiter(x, dtype=np.int64, count=len(pairs)) for x in zip(*sorted(pairs)))
    sims = np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()
    keep = sims >= CANDIDATE
    return {(int(i), int(j)): float(v) for i, j, v in zip(a[keep], b[keep], sims[keep], strict=True)}


def _near(p: Profile, q: Profile) -> bool:
    """Whether two documents may be one story in time (undated ones always may)."""
    return p.interval is None or q.interval is None or gap_days(p.interval, q.interval) <= STORY_WINDOW_DAYS


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
    story takes its id from its anchor document.  ``new_only``: see :func:`build`
    (:func:`place_new` does the same work without reading the whole store).
    Every profile is stored for later incremental runs.
    """
    from dyad.resolve.profiles import actor_index

    previous = store.xstory_map()
    profiles, clusters, sims = build(store, new_only)
    xrows = {x["id"]: x for x in store.xentity_list(min_docs=1, limit=None)}
    actors = actor_index(store)
    events = defaultdict(list)
    for e in store.resolve_events():
        events[e["doc_id"]].append(e)
    dup_of = store.xduplicate_map()
    stories, members, refined = _story_rows(store, profiles, clusters, sims, previous, dup_of, xrows, actors,
                                            events)
    store.write_stories(stories, members, refined)
    if not new_only:
        store_profiles(store, profiles, replace=True)
    sizes = Counter(s["n_docs"] for s in stories)
    return {"stories": len(stories), "multi_doc_stories": sum(1 for s in stories if s["n_docs"] > 1),
            "largest": max(sizes) if sizes else 0, "refined_dates": len(refined)}


def _story_rows(store, profiles: list[Profile], clusters: list[list[int]], sims: dict[tuple[int, int], float],
                previous: dict[str, str], dup_of: dict[str, str], xrows: dict, actors: dict, events: dict,
                scoped: bool = False, fresh_ok=None) -> tuple[list[dict], list[tuple], list[tuple[str, str, str]]]:
    """Story rows, ``(story, doc, score, how)`` rows and refined dates of clustered profiles.

    ``fresh_ok(sid)`` says whether a new id is free (incremental runs: stories
    outside ``profiles`` keep theirs).
    """
    from dyad.resolve import dates, story_labels

    scores = member_scores(clusters, sims)
    refined = dates.refine(store, profiles, clusters, events, scoped=scoped)
    narrowed = {doc_id: value for doc_id, value, _ in refined}
    stories, members = [], []
    taken: set[str] = set()
    for ms in sorted(clusters, key=lambda ms: (-len(ms), ms[0])):
        group = [profiles[i] for i in ms]
        sid = _keep_id(group, previous, taken) or _fresh_id(group, taken, fresh_ok)
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
    return stories, members, refined


def _fresh_id(group: list[Profile], taken: set[str], fresh_ok=None) -> str:
    """The id of a story that keeps none: from its anchor, or, when another story already has
    that id (it kept the id of a story this anchor used to anchor), from its next member, or
    else from its anchor and a number."""
    ordered = sorted(group, key=lambda p: (p.interval is None, p.interval or (0, 0), p.doc_id))
    # Lazily: building all len(taken) fallback names for every story made a full run quadratic.
    names = itertools.chain((p.doc_id for p in ordered),
                            (f"{ordered[0].doc_id}#{k}" for k in range(2, len(taken) + 3)))
    for name in names:
        sid = story_id(name)
        if sid not in taken and (fresh_ok is None or fresh_ok(sid)):
            return sid
    raise AssertionError("unreachable: more names than ids taken")


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


def place_new(store, new_ids: list[str], regrouped: list[str] = ()) -> dict:
    """Place documents that have no story yet into the stored stories; return what changed.

    Only the new documents are profiled (and their profiles stored).  Their
    candidate story-mates (:func:`_candidates`) are compared with them; the new
    documents, the candidates they link to (similarity ``LINK`` or more), their
    republished copies, and every member of the stories those belong to (or of
    stories that lost documents, or whose documents' duplicate group changed:
    ``regrouped``) are then clustered as :func:`build` with
    ``new_only`` would: stored stories stay together, only pairs involving a new
    document are compared, and a story keeps its id.  Only those stories are
    rewritten.

    Returns counts plus ``changed_docs`` (documents whose story is new or
    changed), ``refined_docs``, ``stories`` (ids written) and ``removed`` (ids dropped).
    """
    from dyad.resolve.profiles import actor_index

    docs = {d["id"]: d for d in store.resolve_documents(new_ids)}
    new_profiles = build_profiles(store, [docs[d] for d in sorted(docs)], scoped=True)
    store_profiles(store, new_profiles)
    new_set = {p.doc_id for p in new_profiles}
    n_total = store.resolve_profile_count()
    candidates, df = _candidates(store, new_profiles)
    universe, previous, story_docs, dup_of = _universe(store, new_profiles, candidates, df, n_total, regrouped)
    df = _df_of(store, universe, df)
    index = {p.doc_id: i for i, p in enumerate(universe)}
    # Every pair of the universe is compared (for the scores); only pairs with a new document cluster.
    sims = similarities_with(universe, list(range(len(universe))), df, n_total)
    new_idx = {index[d] for d in new_set}
    sims_new = {(i, j): v for (i, j), v in sims.items() if i in new_idx or j in new_idx}
    fixed = [g for g in (sorted(index[d] for d in ds if d in index) for ds in story_docs.values()) if len(g) > 1]
    by_group = defaultdict(list)
    for d, g in sorted(dup_of.items()):
        if d in index:
            by_group[g].append(index[d])
    fixed += [sorted(g, key=lambda i: (universe[i].doc_id != gid, i)) for gid, g in by_group.items() if len(g) > 1]
    clusters = cluster(universe, sims_new, fixed)

    ids = [p.doc_id for p in universe]
    actors = actor_index(store, ids)
    xrows = store.resolve_xentity_rows(sorted({x for p in universe for x in p.xentities} | set(actors.values())))
    events = defaultdict(list)
    for e in store.resolve_events(ids):
        events[e["doc_id"]].append(e)
    removed = set(story_docs)
    stories, members, refined = _story_rows(
        store, universe, clusters, sims, previous, dup_of, xrows, actors, events, scoped=True,
        fresh_ok=lambda sid: sid in removed or not store.resolve_existing_ids("stories", [sid]))
    store.write_story_updates(sorted(removed), stories, members, refined, ids)
    now = {d: s for s, d, _, _ in members}
    return {"profiled": len(new_profiles), "candidates": len(candidates), "compared": len(universe),
            "stories_written": len(stories), "stories_removed": len(removed - {s["id"] for s in stories}),
            "refined_dates": len(refined),
            "changed_docs": sorted(d for d in ids if previous.get(d) != now.get(d)),
            "refined_docs": sorted(d for d, _, _ in refined),
            "stories": sorted(s["id"] for s in stories), "removed": sorted(removed)}


def _candidates(store, new_profiles: list[Profile]) -> tuple[list[str], dict[str, int]]:
    """Stored documents that may be story-mates of the new ones, and document frequencies read so far.

    A new document's candidates are the ``CANDIDATES_PER_DOC`` stored documents
    sharing most of its index terms held by at most ``TERM_MAX_DF`` documents,
    dated (when both are) within ``STORY_WINDOW_DAYS`` of it.  On the BBC store
    these hold every pair of similarity ``LINK`` or more.
    """
    new_set = {p.doc_id for p in new_profiles}
    df = store.resolve_profile_df(sorted({f for p in new_profiles for f in p.features}))
    found: set[str] = set()
    for p in new_profiles:
        terms = [t for t in index_terms(p) if 2 <= df.get(t, 0) <= TERM_MAX_DF]
        if not terms:
            continue
        lo, hi = (p.interval[0] - STORY_WINDOW_DAYS, p.interval[1] + STORY_WINDOW_DAYS) if p.interval \
            else (None, None)
        hits = store.resolve_term_postings(terms, lo, hi, limit=CANDIDATES_PER_DOC + len(new_set))
        found.update([d for d, _ in hits if d not in new_set][:CANDIDATES_PER_DOC])
    return sorted(found), df


def _universe(store, new_profiles: list[Profile], candidates: list[str], df: dict[str, int], n_total: int,
              regrouped: list[str] = ()) -> tuple[list[Profile], dict[str, str], dict[str, list[str]], dict[str, str]]:
    """What the new documents may change: (profiles by id, the stored story of each stored one,
    the members of each story touched, the duplicate group of each)."""
    new_set = {p.doc_id for p in new_profiles}
    profiles = new_profiles + _stored_profiles(store, candidates)
    sims = _pair_sims(profiles, new_set, _df_of(store, profiles, df), n_total)
    linked = {profiles[k].doc_id for pair, v in sims.items() if v >= LINK for k in pair} - new_set
    # Republished copies of new documents share their story.
    groups = sorted({g for _, g, _ in store.resolve_duplicate_rows(sorted(new_set))})
    mates = ({d for d, _, _ in store.resolve_duplicate_rows([], groups)} | set(regrouped)) - new_set
    touched = set(store.resolve_story_map(sorted(linked | mates)).values()) | set(store.resolve_dirty("story"))
    story_docs = store.resolve_story_docs(sorted(touched))
    story_docs.update({s: [] for s in touched if s not in story_docs})  # every document gone
    old_ids = sorted({d for ds in story_docs.values() for d in ds} | linked | mates)
    wanted = new_set | set(old_ids)
    have = {p.doc_id: p for p in profiles if p.doc_id in wanted}
    have.update({p.doc_id: p for p in _stored_profiles(store, [d for d in old_ids if d not in have])})
    universe = [have[d] for d in sorted(have)]
    dup_of = {d: g for d, g, _ in store.resolve_duplicate_rows(sorted(have))}
    return universe, store.resolve_story_map(old_ids), story_docs, dup_of


def _stored_profiles(store, doc_ids: list[str]) -> list[Profile]:
    """Stored profiles of some documents (a document without one is left out)."""
    if not doc_ids:
        return []
    docs = {d["id"]: d for d in store.resolve_documents(doc_ids)}
    return [from_row(r, docs[r["doc_id"]]) for r in store.resolve_profiles(doc_ids) if r["doc_id"] in docs]


def _df_of(store, profiles: list[Profile], known: dict[str, int]) -> dict[str, int]:
    """Stored document frequencies of every feature of ``profiles`` (``known`` ones not read again)."""
    need = sorted({f for p in profiles for f in p.features} - known.keys())
    return {**known, **store.resolve_profile_df(need)} if need else known


def _pair_sims(profiles: list[Profile], new_set: set[str], df: dict[str, int], n: int) -> dict[tuple[int, int], float]:
    """Similarities of the pairs of ``profiles`` that involve a new document."""
    return similarities_with(profiles, [i for i, p in enumerate(profiles) if p.doc_id in new_set], df, n)


def similarities_with(profiles: list[Profile], only: list[int], df: dict[str, int],
                      n: int) -> dict[tuple[int, int], float]:
    """As :func:`similarities` with ``only``, weighting by the store's document frequencies ``df`` over ``n``."""
    if len(profiles) < 2 or not only:
        return {}
    m = tfidf_matrix(profiles, df, n)
    rows_of = np.asarray(sorted(only), dtype=int)
    prod = (m[rows_of] @ m.T).tocoo()
    rows, cols = rows_of[prod.row], prod.col
    keep = (rows != cols) & (prod.data >= CANDIDATE)
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    return {(int(i), int(j)): float(v) for i, j, v in zip(lo, hi, prod.data[keep], strict=True)}
