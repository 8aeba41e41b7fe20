"""Figures across sources: figures that measure the same thing, grouped and compared.

Two figures measure the same thing when their units are of one family and the
words of their measures agree once generic words ("total", "high", "change")
are dropped and demonyms read as their states ("Russian trade" = "trade ...
Russia").  Within a group, every pair from independent sources (republished
copies count once) is compared:

* same status (actual or forecast), same period and scope, values within
  ``TOLERANCE`` (``APPROX_TOLERANCE`` when either is approximate): they agree;
* same status, period and scope, values apart: they conflict;
* anything else (another period, scope or status): they differ, and the note
  says which.

The group's verdict is ``conflicting`` if any pair conflicts, else
``corroborated`` if any pair agrees, else ``differing`` with more than one
source, else ``single``.

Each figure's grouping key and the key it falls under are stored
(``figure_keys``), so the figures of new documents (:func:`update`) regroup
only the keys of their (unit family, anchor) block and rewrite only the groups
that change.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from dyad.resolve.gazetteer import gazetteer
from dyad.resolve.profiles import interval_of, words

TOLERANCE = 0.02
APPROX_TOLERANCE = 0.1
MIN_OVERLAP = 0.6
GENERIC = {"high", "total", "volume", "turnover", "level", "amount", "value", "number", "overall", "current",
           "annual", "yearly", "bilateral", "between", "countrie", "country", "equivalent", "gbp", "usd", "last",
           "year", "nearly"}
UNIT_FAMILY = {"usd": "USD", "$": "USD", "us$": "USD", "dollar": "USD", "gbp": "GBP", "£": "GBP", "eur": "EUR",
               "€": "EUR", "percent": "percent", "%": "percent", "bcm": "bcm_per_year",
               "bcm_per_year": "bcm_per_year", "count": "count", "people": "people", "person": "people"}


def unit_family(unit: str) -> str:
    """The family of a unit ("US$" → "USD"; plural count nouns → singular)."""
    u = (unit or "count").strip().lower()
    if u in UNIT_FAMILY:
        return UNIT_FAMILY[u]
    return u[:-1] if len(u) > 3 and u.endswith("s") and not u.endswith("ss") else u


# What kind of quantity a measure is: a change and a share of one thing are different measures.
KINDS = {"increase": "change", "rise": "change", "growth": "change", "fall": "change", "decline": "change",
         "drop": "change", "switch": "change", "proportion": "share", "percentage": "share"}

_KIND_WORDS = frozenset(KINDS.values()) | {"share"}


def concept(measure: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(concept words, states in scope) of a measure text."""
    if not measure:
        return frozenset(), frozenset()
    states = frozenset(gazetteer().states_in(measure))
    keep = set()
    for w in words(measure):
        if w in GENERIC or gazetteer().lookup(w):
            continue
        keep.add(KINDS.get(w, w))
    return frozenset(keep), states


def same_measure(a: dict, b: dict) -> bool:
    """Whether two figure records (with ``concept``, ``family``) measure the same thing."""
    if a["family"] != b["family"] or not a["concept"] or not b["concept"]:
        return False
    kinds_a, kinds_b = a["concept"] & _KIND_WORDS, b["concept"] & _KIND_WORDS
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return False  # a change of something is not its share
    inter = len(a["concept"] & b["concept"])
    smaller = min(len(a["concept"]), len(b["concept"]))
    # One measure's words all within the other's ("trade" in "trade turnover")
    # only counts when it says more than one word.
    return (smaller >= 2 and inter == smaller) or inter / len(a["concept"] | b["concept"]) >= MIN_OVERLAP


def compare(a: dict, b: dict) -> tuple[str, str]:
    """('agree' | 'conflict' | 'differ', what differs) for two figures of one measure."""
    diffs = []
    if a["status"] != b["status"]:
        diffs.append(f"status: {a['status']} vs {b['status']}")
    if not _same_period(a, b):
        diffs.append(f"period: {a['period'] or 'unstated'} vs {b['period'] or 'unstated'}")
    if a["scope"] and b["scope"] and a["scope"] != b["scope"]:
        diffs.append(f"scope: {', '.join(sorted(a['scope']))} vs {', '.join(sorted(b['scope']))}")
    if diffs:
        return "differ", "; ".join(diffs)
    tol = APPROX_TOLERANCE if a["approx"] or b["approx"] else TOLERANCE
    va, vb = a["value"], b["value"]
    if va == vb or abs(va - vb) <= tol * max(abs(va), abs(vb)):
        return "agree", ""
    return "conflict", f"values: {a['surface']} vs {b['surface']}"


def _same_period(a: dict, b: dict) -> bool:
    pa, pb = a["period"], b["period"]
    if not pa and not pb:
        return a["story"] is not None and a["story"] == b["story"]
    if not pa or not pb:
        return False
    ia, ib = a["period_interval"], b["period_interval"]
    if ia and ib:
        return ia[0] <= ib[1] and ib[0] <= ia[1]
    return a["period_words"] == b["period_words"]


def load(store, doc_ids: list[str] | None = None) -> list[dict]:
    """Figure records (of every document, or of ``doc_ids``) with the fields grouping needs."""
    if doc_ids is None:
        stories = store.xstory_map()
        dups = store.xduplicate_map()
    else:
        stories = store.resolve_story_map(doc_ids)
        dups = {d: g for d, g, _ in store.resolve_duplicate_rows(doc_ids)}
    out = []
    for f in store.resolve_figures(doc_ids):
        words_, scope = concept(f["measure"])
        out.append({"doc_id": f["doc_id"], "idx": f["idx"], "value": f["value"], "unit": f["unit"],
                    "family": unit_family(f["unit"]), "concept": words_, "scope": scope, "measure": f["measure"],
                    "period": f["period"], "period_interval": interval_of(f["period"]),
                    "period_words": " ".join(words(f["period"] or "")), "status": f["status"], "surface": f["surface"],
                    "approx": bool(f["approx"]) or bool(f["qualifier"]), "attributed_to": f["attributed_to"],
                    "story": stories.get(f["doc_id"]), "group": dups.get(f["doc_id"], f["doc_id"])})
    return out


def group_figures(figs: list[dict], root_of: dict | None = None) -> list[list[dict]]:
    """Figures grouped by measure: same unit family and concept words; a measure whose words all
    lie within exactly one longer measure's joins it ("trade" alone never does: one word says too little).

    Grouping is by key, not by chains of pairwise likeness, so one vague measure
    cannot pull unrelated figures together.  ``root_of``: :func:`roots` of their
    keys, when already known.
    """
    by_key: dict[tuple[str, str, frozenset[str]], list[dict]] = defaultdict(list)
    for f in figs:
        if f["concept"]:
            by_key[figure_key(f)].append(f)
    root_of = root_of or roots(list(by_key))
    groups: dict[tuple[str, str, frozenset[str]], list[dict]] = defaultdict(list)
    for key, members in by_key.items():
        groups[root_of[key]] += members
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1], sorted(k[2])))]


Key = tuple[str, str, frozenset[str]]


def figure_key(f: dict) -> Key:
    """(unit family, anchor, concept words) of a figure record with a concept."""
    return f["family"], _anchor(f), f["concept"]


def roots(keys: list[Key]) -> dict[Key, Key]:
    """The key each key is grouped under (see :func:`group_figures`); keys of different
    (family, anchor) blocks never meet."""
    target = {k: k for k in keys}
    by_anchor: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for k in keys:
        by_anchor[k[:2]].append(k)
    for family, anchor, concept_ in sorted(keys, key=lambda k: (len(k[2]), k[0], k[1], sorted(k[2]))):
        if len(concept_) < 2:
            continue
        supers = [k for k in by_anchor[(family, anchor)] if concept_ < k[2]]
        kinds = concept_ & _KIND_WORDS
        supers = [k for k in supers if not kinds or kinds <= k[2]]
        if len(supers) == 1:
            target[(family, anchor, concept_)] = supers[0]
    out = {}
    for key in keys:
        root = key
        while target[root] != root:
            root = target[root]
        out[key] = root
    return out


def moved_roots(stored: dict[str, str], changed: set[str]) -> dict[str, str]:
    """New roots, within one block, of the keys that adding or removing ``changed`` concepts can move.

    ``stored``: ``{concept: root}`` of every key the block now holds (roots as
    they were; ``changed`` keys' may be anything).  A key's root depends only on
    the keys above it (its supersets), so only keys within a changed one can
    move; the others keep their stored roots.  Same result as :func:`roots` over
    the whole block, for ``len(block) x moved`` comparisons instead of ``len(block)^2``.
    """
    keys = {c: frozenset(c.split()) for c in stored}
    edges = [frozenset(c.split()) for c in changed]
    movable = [c for c, k in keys.items() if any(k <= e for e in edges)]
    target = {}
    for c in movable:
        k, target[c] = keys[c], c
        if len(k) < 2:
            continue
        kinds = k & _KIND_WORDS
        supers = [s for s, ks in keys.items() if k < ks and (not kinds or kinds <= ks)]
        if len(supers) == 1:
            target[c] = supers[0]
    out = {}
    for c in movable:
        root = c
        while root in target and target[root] != root:
            root = target[root]
        out[c] = root if root in target else stored[root]
    return out


def _words(concept_: frozenset[str]) -> str:
    return " ".join(sorted(concept_))


def _anchor(f: dict) -> str:
    """What a measure is of, beyond its words: the states it names, else its story when the words are few.

    "jobs" or "awards" in two unrelated stories are not one measure; "Russia-China
    trade" is, wherever it is reported.
    """
    if f["scope"]:
        return "scope:" + ",".join(sorted(f["scope"]))
    if len(f["concept"] - _KIND_WORDS) < 3:
        return "story:" + (f["story"] or f["doc_id"])
    return ""


def verdict(group: list[dict]) -> tuple[str, str, int]:
    """(verdict, note, independent sources) of one group."""
    sources = {f["group"] for f in group}
    found: dict[str, list[str]] = {"agree": [], "conflict": [], "differ": []}
    agreeing = 0
    for k, a in enumerate(group):
        for b in group[k + 1:]:
            if a["group"] != b["group"]:
                kind, why = compare(a, b)
                agreeing += kind == "agree"
                found[kind] += [part for part in why.split("; ") if part and part not in found[kind]]
    if found["conflict"]:
        return "conflicting", _brief(found["conflict"]), len(sources)
    if agreeing:
        attributed = {f["attributed_to"] for f in group if f["attributed_to"]}
        note = f"{len(sources)} independent sources agree"
        if len(attributed) == 1 and all(f["attributed_to"] for f in group):
            note += f", all quoting {attributed.pop()}"
        if found["differ"]:
            note += "; also " + _brief(found["differ"])
        return "corroborated", note, len(sources)
    if len(sources) > 1:
        return "differing", _brief(found["differ"]), len(sources)
    return "single", "", len(sources)


def _brief(parts: list[str], limit: int = 6) -> str:
    """Distinct notes, sorted, the first ``limit`` of them, and how many more there are."""
    parts = sorted(set(parts))
    more = f"; … {len(parts) - limit} more" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def run(store) -> dict:
    """Group every figure of the store and give each group a verdict; replace the tables; return counts."""
    figs = load(store)
    root_of = roots(list({figure_key(f): None for f in figs if f["concept"]}))
    rows, members = _group_rows(group_figures(figs, root_of))
    store.write_figure_groups(rows, members)
    store.write_figure_keys(key_rows(figs, root_of))
    counts = {"figure_groups": len(rows)}
    for v in ("corroborated", "differing", "conflicting", "single"):
        counts[v] = sum(1 for r in rows if r["verdict"] == v)
    return counts


def key_rows(figs: list[dict], root_of: dict[Key, Key]) -> list[tuple]:
    """``figure_keys`` rows of the figures that have a concept."""
    return [(f["doc_id"], f["idx"], f["family"], _anchor(f), _words(f["concept"]), _words(root_of[figure_key(f)][2]))
            for f in figs if f["concept"]]


def _group_rows(groups: list[list[dict]], ids=None) -> tuple[list[dict], list[tuple[str, str, int]]]:
    """``figure_groups`` rows and members of the groups more than one figure or source speaks of.

    ``ids(group)`` names a group (default: from its first figure).
    """
    rows, members = [], []
    for group in groups:
        if len({f["group"] for f in group}) < 2 and len(group) < 2:
            continue  # a figure no other source speaks of
        first = min(group, key=lambda f: (f["doc_id"], f["idx"]))
        gid = ids(group) if ids else "f" + hashlib.sha1(f"{first['doc_id']}:{first['idx']}".encode()).hexdigest()[:10]
        kind, note, n = verdict(group)
        scope = sorted(set().union(*(f["scope"] for f in group)))
        rows.append({"id": gid, "measure": min((f["measure"] for f in group), key=lambda m: (len(m), m)),
                     "unit": first["family"], "scope": ", ".join(gazetteer().name(s) for s in scope) or None,
                     "verdict": kind, "note": note, "n_sources": n,
                     "value_min": min(f["value"] for f in group), "value_max": max(f["value"] for f in group)})
        members += [(gid, f["doc_id"], f["idx"]) for f in group]
    return rows, members


def update(store, doc_ids: list[str]) -> dict:
    """Regroup the figures of some documents (new, or whose story, dates or copies changed).

    Their keys are stored again; in each (unit family, anchor) block they were
    or are in, the roots those keys can move are recomputed (:func:`moved_roots`);
    the groups whose root any of that touched are rebuilt from their figures,
    keeping the id most of their figures had.  Groups that lost a figure (a deleted
    document) are rebuilt too.  Other groups stay as they are.
    """
    dirty = store.resolve_dirty("figure_group")
    doc_ids = sorted(set(doc_ids) | set(store.resolve_member_docs("figure_group", dirty)))
    if not doc_ids and not dirty:
        return {"figures": 0, "figure_groups_written": 0, "figure_groups_removed": 0}
    figs = load(store, doc_ids)
    touched, block_roots = _rekey(store, doc_ids, [f for f in figs if f["concept"]])
    wanted: set[tuple[str, int]] = {(f["doc_id"], f["idx"]) for f in figs}
    for (family, anchor), roots_ in sorted(touched.items()):
        wanted.update(store.resolve_figures_under(family, anchor, sorted(roots_)))
    docs = sorted({d for d, _ in wanted})
    records = [f for f in load(store, docs) if (f["doc_id"], f["idx"]) in wanted]
    before = {k: g for k, g in store.resolve_figure_group_of(docs).items() if k in wanted}
    removed = set(before.values()) | set(dirty)
    # Grouped under the roots of whole blocks (a few of a block's keys alone could group
    # otherwise), members in the order :func:`group_figures` gives them.
    by_key: dict[Key, list[dict]] = defaultdict(list)
    for f in records:
        if f["concept"]:
            by_key[figure_key(f)].append(f)
    by_root: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for (family, anchor, concept_), members_ in by_key.items():
        by_root[(family, anchor, block_roots[(family, anchor)][_words(concept_)])] += members_
    groups = sorted(by_root.values(), key=lambda g: (-len(g), min((f["doc_id"], f["idx"]) for f in g)))
    taken: set[str] = set()
    rows, members = _group_rows(groups, lambda group: _group_id(store, group, before, removed, taken))
    store.write_figure_group_updates(sorted(removed), rows, members)
    return {"figures": len(records), "figure_groups_written": len(rows),
            "figure_groups_removed": len(removed - taken)}


def _rekey(store, doc_ids: list[str], keyed: list[dict]
           ) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], dict[str, str]]]:
    """Store the keys of some documents' figures (``keyed``: those with a concept) and move the
    roots they move; return, per block, the roots whose groups change and every key's root."""
    changed: dict[tuple[str, str], set[str]] = defaultdict(set)  # concepts added or removed
    touched: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _d, _i, family, anchor, concept_, root in store.resolve_figure_keys(doc_ids):
        changed[(family, anchor)].add(concept_)
        touched[(family, anchor)].add(root)
    for f in keyed:
        changed[figure_key(f)[:2]].add(_words(f["concept"]))
    before = {block: store.resolve_figure_block(*block) for block in sorted(changed)}
    # Stored with themselves as root (for now), replacing the documents' old keys.
    store.write_figure_keys(key_rows(keyed, {figure_key(f): figure_key(f) for f in keyed}), doc_ids)
    root_rows = []
    block_roots: dict[tuple[str, str], dict[str, str]] = {}
    for block, concepts in sorted(changed.items()):
        was = before[block]
        now = {c: was.get(c, c) for c in store.resolve_figure_block(*block)}
        moved = moved_roots(now, concepts)
        for concept_, root in sorted(moved.items()):
            if was.get(concept_) != root:  # its group changes, and so does the one it leaves
                touched[block] |= {was.get(concept_, root), root}
            if concept_ in concepts or was.get(concept_) != root:  # rows with another or a placeholder root
                root_rows.append((root, *block, concept_))
        touched[block] |= {moved[c] for c in concepts if c in moved}  # groups these figures join
        block_roots[block] = {**now, **moved}
    store.write_figure_roots(root_rows)
    return touched, block_roots


def _group_id(store, group: list[dict], before: dict[tuple[str, int], str], removed: set[str],
              taken: set[str]) -> str:
    """The id a rebuilt group keeps: the one most of its figures had (not yet taken), else one
    from a member that no other group uses."""
    votes = Counter(before[(f["doc_id"], f["idx"])] for f in group if (f["doc_id"], f["idx"]) in before)
    ordered = sorted(group, key=lambda f: (f["doc_id"], f["idx"]))
    fresh = ["f" + hashlib.sha1(f"{f['doc_id']}:{f['idx']}".encode()).hexdigest()[:10] for f in ordered]
    for gid in [g for g, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))] + fresh:
        if gid not in taken and (gid in votes or gid in removed
                                 or not store.resolve_existing_ids("figure_groups", [gid])):
            taken.add(gid)
            return gid
    gid = "f" + hashlib.sha1(f"{ordered[0]['doc_id']}:{ordered[0]['idx']}:{len(taken)}".encode()).hexdigest()[:10]
    taken.add(gid)
    return gid
