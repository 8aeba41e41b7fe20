"""What each document is about, as stories see it: a weighted feature vector and a time interval.

Features are of four families, each weighted: the cross-document entities the
document names, the happenings its events describe (type, subtype and
resolved actors), the words of its title and lead, and the words of its body.
Entities and happenings weigh most, the body least, so two analyses that share
vocabulary but report different happenings stay apart.

The time interval is the document's publication date at its precision (a
year-precise date covers the year).  Documents about one happening fall within
a few weeks of each other; documents further apart are never one story.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

from dyad.resolve.names import name_key

WEIGHTS = {"x": 1.0, "xs": 0.4, "ev": 1.0, "lead": 0.8, "w": 0.35}
LEAD_SENTENCES = 4
STORY_WINDOW_DAYS = 45
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")
_STOP = STOP_WORDS | {"said", "says", "year", "years", "new", "also", "would", "could", "told", "like", "just",
                      "including", "according", "people", "time", "mr", "mrs", "ms"}


@dataclass
class Profile:
    """One document's story features."""

    doc_id: str
    stem: str | None
    published: str | None
    how: str | None
    interval: tuple[int, int] | None          # date ordinals, inclusive
    features: Counter = field(default_factory=Counter)
    xentities: Counter = field(default_factory=Counter)   # xentity id -> mentions (body)


def interval_of(value: str | None) -> tuple[int, int] | None:
    """Ordinal day interval of an ISO date prefix or range ("2024", "2024-05", "2024-05-16/2024-05-17")."""
    if not value:
        return None
    parts = value.split("/")
    try:
        lo = _bounds(parts[0])[0]
        hi = _bounds(parts[-1])[1]
    except ValueError:
        return None
    return lo, hi


def _bounds(prefix: str) -> tuple[int, int]:
    bits = [int(b) for b in prefix.strip()[:10].split("-") if b]
    if len(bits) == 1:
        return date(bits[0], 1, 1).toordinal(), date(bits[0], 12, 31).toordinal()
    if len(bits) == 2:
        end = date(bits[0] + (bits[1] == 12), bits[1] % 12 + 1, 1).toordinal() - 1
        return date(bits[0], bits[1], 1).toordinal(), end
    day = date(bits[0], bits[1], bits[2]).toordinal()
    return day, day


def gap_days(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Days between two intervals (0 when they overlap or one is unknown)."""
    if a is None or b is None:
        return 0
    return max(0, b[0] - a[1], a[0] - b[1])


def words(text: str) -> list[str]:
    """Content words of a text: lower case, stop words dropped, a plural "s" folded."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in _STOP:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def build_profiles(store, docs: list[dict], scoped: bool = False) -> list[Profile]:
    """A :class:`Profile` for each document of ``docs`` (rows of ``resolve_documents``).

    ``scoped``: read only these documents' rows (a few new documents), not the
    whole store's.
    """
    ids = [d["id"] for d in docs] if scoped else None
    member_map = store.resolve_member_map(ids)
    if scoped:
        xrows = store.resolve_xentity_rows(list(set(member_map.values())))
    else:
        xrows = {x["id"]: x for x in store.xentity_list(min_docs=1, limit=None)}
    actors = actor_index(store, ids)
    events = defaultdict(list)
    for e in store.resolve_events(ids):
        events[e["doc_id"]].append(e)
    mentions = Counter()
    for doc_id, entity_id, _text in store.resolve_mention_texts(ids):
        mentions[(doc_id, entity_id)] += 1
    by_doc = defaultdict(list)
    for (doc_id, ref), xid in member_map.items():
        by_doc[doc_id].append((ref, xid))
    profiles = []
    for doc in docs:
        p = Profile(doc["id"], doc["stem"], doc["published"], doc["published_how"], interval_of(doc["published"]))
        for ref, xid in by_doc.get(doc["id"], []):
            p.xentities[xid] += max(1, mentions[(doc["id"], ref)])
        profiles.append(p)
    texts = {d: (t, body) for d, t, body in store.resolve_texts([p.doc_id for p in profiles])}
    for p in profiles:
        _fill_features(p, xrows, texts.get(p.doc_id, ("", "")), events.get(p.doc_id, []), actors)
    return profiles


def actor_index(store, doc_ids: list[str] | None = None) -> dict[tuple[str, str], str]:
    """``{(doc id, name key): xentity id}`` for every member name and form (of every document, or
    of ``doc_ids``), to resolve event actors."""
    index = {}
    for doc_id, xid, name, forms in store.resolve_member_forms(doc_ids):
        for form in [name, *forms]:
            index.setdefault((doc_id, name_key(form)), xid)
    return index


def _fill_features(p: Profile, xrows: dict, text: tuple[str, str], events: list[dict],
                   actors: dict[tuple[str, str], str]) -> None:
    f = p.features
    for xid, n in p.xentities.items():
        topical = (xrows.get(xid) or {}).get("relation") is not None
        f[("xs:" if topical else "x:") + xid] += n
    title, body = text
    lead = " ".join([title] + _first_sentences(body, LEAD_SENTENCES))
    lead_words = words(lead)
    for w in lead_words:
        f["lead:" + w] += 1
    for a, b in zip(lead_words, lead_words[1:], strict=False):
        f[f"lead:{a} {b}"] += 1
    for w in words(body):
        f["w:" + w] += 1
    for e in events:
        if e["status"] not in ("happened", "scheduled"):
            continue
        src = sorted({actors.get((p.doc_id, name_key(a)), name_key(a)) for a in e["source_actor"]})
        tgt = sorted({actors.get((p.doc_id, name_key(a)), name_key(a)) for a in e["target_actor"]})
        sub = " ".join(words(e["subtype"])) or e["subtype"]
        f[f"ev:{e['type']}:{sub}"] += 1
        if src or tgt:
            f[f"ev:{e['type']}:{sub}:{','.join(src)}>{','.join(tgt)}"] += 1


def _first_sentences(text: str, n: int) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [s for s in parts if s.strip()][:n]


def tfidf_matrix(profiles: list[Profile], df: Counter | dict[str, int] | None = None,
                 n: int | None = None) -> sparse.csr_matrix:
    """Rows of L2-normalised, family-weighted TF-IDF vectors (sublinear TF, smoothed IDF).

    Document frequencies and the number of documents come from ``profiles``
    themselves, or from ``df`` and ``n`` (those of the whole store, when
    ``profiles`` are only a few of its documents).
    """
    vocab: dict[str, int] = {}
    if df is None:
        df = Counter()
        for p in profiles:
            df.update(p.features.keys())
    n = len(profiles) if n is None else n
    rows, cols, vals = [], [], []
    seen: dict[str, tuple[int, float, float] | None] = {}  # feature -> (column, family weight, idf)
    for i, p in enumerate(profiles):
        for feat, tf in p.features.items():
            known = seen.get(feat, False)
            if known is False:
                if df.get(feat, 0) < 2:
                    known = None  # a feature of one document cannot link two
                else:
                    known = (vocab.setdefault(feat, len(vocab)), WEIGHTS[feat.split(":", 1)[0]],
                             math.log((1 + n) / (1 + df[feat])) + 1.0)
                seen[feat] = known
            if known is None:
                continue
            j, weight, idf = known
            rows.append(i)
            cols.append(j)
            vals.append(weight * (1 + math.log(tf)) * idf)
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(profiles), max(1, len(vocab))), dtype=np.float64)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m


# Families of the features that can link two documents: looked up in the inverted
# index (``profile_terms``) to find a new document's candidate story-mates.  Body
# words are left out: they are many, common, and weigh least.
INDEX_FAMILIES = ("x", "xs", "ev", "lead")


def index_terms(p: Profile) -> list[str]:
    """The features of a profile that go into the inverted index."""
    return [f for f in p.features if _indexed(f)]


def _indexed(feature: str) -> bool:
    return feature[:feature.find(":")] in INDEX_FAMILIES


def profile_row(p: Profile) -> tuple[str, str, str, int | None, int | None]:
    """The ``doc_profiles`` row of a profile: doc id, features and xentities as JSON, interval."""
    lo, hi = p.interval if p.interval else (None, None)
    return (p.doc_id, json.dumps(p.features, ensure_ascii=False, separators=(",", ":")),
            json.dumps(p.xentities, separators=(",", ":")), lo, hi)


def from_row(row: dict, doc: dict) -> Profile:
    """A profile from its stored row and its document (a row of ``resolve_documents``)."""
    return Profile(doc["id"], doc["stem"], doc["published"], doc["published_how"], interval_of(doc["published"]),
                   Counter(row["features"]), Counter(row["xentities"]))


def store_profiles(store, profiles: list[Profile], replace: bool = False) -> None:
    """Keep profiles for later incremental runs.

    ``replace``: they are every document's; only those that differ from the
    stored ones are written, the profiles of other documents are dropped, and
    the stored document frequencies of every feature they gain or lose are set
    from ``profiles``.  Otherwise they are added (replacing their documents' own).
    """
    rows = {p.doc_id: profile_row(p) for p in profiles}
    gone: list[str] = []
    old_terms = None
    if replace:
        stored = store.resolve_profile_encodings()
        gone = sorted(set(stored) - set(rows))
        rows = {d: r for d, r in rows.items() if stored.get(d) != r[1:]}
        old = {d: json.loads(stored[d][0]) for d in rows if d in stored}
        old_terms = [(f, d) for d, features in old.items() for f in features if _indexed(f)]
    changed = [p for p in profiles if p.doc_id in rows]
    df = Counter()
    for p in profiles if replace else changed:
        df.update(p.features.keys())
    if replace:
        lost = {f for features in old.values() for f in features}
        df = {f: df.get(f, 0) for f in lost.union(*(p.features for p in changed))}
    terms = [(t, p.doc_id, *(p.interval or (None, None))) for p in changed for t in index_terms(p)]
    store.write_profiles([rows[p.doc_id] for p in changed], terms, dict(df), gone, old_terms)
