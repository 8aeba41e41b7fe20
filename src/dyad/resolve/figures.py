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
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

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


def load(store) -> list[dict]:
    """Figure records with the fields grouping needs."""
    stories = store.xstory_map()
    dups = store.xduplicate_map()
    out = []
    for f in store.resolve_figures():
        words_, scope = concept(f["measure"])
        out.append({"doc_id": f["doc_id"], "idx": f["idx"], "value": f["value"], "unit": f["unit"],
                    "family": unit_family(f["unit"]), "concept": words_, "scope": scope, "measure": f["measure"],
                    "period": f["period"], "period_interval": interval_of(f["period"]),
                    "period_words": " ".join(words(f["period"] or "")), "status": f["status"], "surface": f["surface"],
                    "approx": bool(f["approx"]) or bool(f["qualifier"]), "attributed_to": f["attributed_to"],
                    "story": stories.get(f["doc_id"]), "group": dups.get(f["doc_id"], f["doc_id"])})
    return out


def group_figures(figs: list[dict]) -> list[list[dict]]:
    """Figures grouped by measure: same unit family and concept words; a measure whose words all
    lie within exactly one longer measure's joins it ("trade" alone never does: one word says too little).

    Grouping is by key, not by chains of pairwise likeness, so one vague measure
    cannot pull unrelated figures together.
    """
    by_key: dict[tuple[str, str, frozenset[str]], list[dict]] = defaultdict(list)
    for f in figs:
        if f["concept"]:
            by_key[(f["family"], _anchor(f), f["concept"])].append(f)
    target = {k: k for k in by_key}
    by_anchor: dict[tuple[str, str], list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for k in by_key:
        by_anchor[k[:2]].append(k)
    for family, anchor, concept_ in sorted(by_key, key=lambda k: (len(k[2]), k[0], k[1], sorted(k[2]))):
        if len(concept_) < 2:
            continue
        supers = [k for k in by_anchor[(family, anchor)] if concept_ < k[2]]
        kinds = concept_ & _KIND_WORDS
        supers = [k for k in supers if not kinds or kinds <= k[2]]
        if len(supers) == 1:
            target[(family, anchor, concept_)] = supers[0]
    groups: dict[tuple[str, str, frozenset[str]], list[dict]] = defaultdict(list)
    for key, members in by_key.items():
        root = key
        while target[root] != root:
            root = target[root]
        groups[root] += members
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1], sorted(k[2])))]


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
    rows, members = [], []
    for group in group_figures(figs):
        if len({f["group"] for f in group}) < 2 and len(group) < 2:
            continue  # a figure no other source speaks of
        first = min(group, key=lambda f: (f["doc_id"], f["idx"]))
        gid = "f" + hashlib.sha1(f"{first['doc_id']}:{first['idx']}".encode()).hexdigest()[:10]
        kind, note, n = verdict(group)
        scope = sorted(set().union(*(f["scope"] for f in group)))
        rows.append({"id": gid, "measure": min((f["measure"] for f in group), key=lambda m: (len(m), m)),
                     "unit": first["family"], "scope": ", ".join(gazetteer().name(s) for s in scope) or None,
                     "verdict": kind, "note": note, "n_sources": n,
                     "value_min": min(f["value"] for f in group), "value_max": max(f["value"] for f in group)})
        members += [(gid, f["doc_id"], f["idx"]) for f in group]
    store.write_figure_groups(rows, members)
    counts = {"figure_groups": len(rows)}
    for v in ("corroborated", "differing", "conflicting", "single"):
        counts[v] = sum(1 for r in rows if r["verdict"] == v)
    return counts
