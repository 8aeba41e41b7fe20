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


def build_profiles(store, docs: list[dict]) -> list[Profile]:
    """A :class:`Profile` for each document of ``docs`` (rows of ``resolve_documents``)."""
    member_map = store.resolve_member_map()
    xrows = {x["id"]: x for x in store.xentity_list(min_docs=1, limit=None)}
    actors = actor_index(store)
    events = defaultdict(list)
    for e in store.resolve_events():
        events[e["doc_id"]].append(e)
    mentions = Counter()
    for doc_id, entity_id, _text in store.resolve_mention_texts():
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


def actor_index(store) -> dict[tuple[str, str], str]:
    """``{(doc id, name key): xentity id}`` for every member name and form, to resolve event actors."""
    index = {}
    for doc_id, xid, name, forms in store.resolve_member_forms():
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


def tfidf_matrix(profiles: list[Profile]) -> sparse.csr_matrix:
    """Rows of L2-normalised, family-weighted TF-IDF vectors (sublinear TF, smoothed IDF)."""
    vocab: dict[str, int] = {}
    df = Counter()
    for p in profiles:
        df.update(p.features.keys())
    n = len(profiles)
    rows, cols, vals = [], [], []
    for i, p in enumerate(profiles):
        for feat, tf in p.features.items():
            if df[feat] < 2:
                continue  # a feature of one document cannot link two
            j = vocab.setdefault(feat, len(vocab))
            family = feat.split(":", 1)[0]
            idf = math.log((1 + n) / (1 + df[feat])) + 1.0
            rows.append(i)
            cols.append(j)
            vals.append(WEIGHTS[family] * (1 + math.log(tf)) * idf)
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))), dtype=np.float64)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m
