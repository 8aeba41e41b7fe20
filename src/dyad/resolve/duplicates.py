"""Near-duplicates and syndication: republished copies of one article across outlets.

Each document's clean text is reduced to word 5-shingles and a MinHash
signature (stored in ``doc_minhash``, so a later run only hashes new
documents).  LSH proposes candidate pairs; a pair is a copy when the shingle
sets overlap enough either way (Jaccard) or one is nearly contained in the
other (a republished copy that dropped or added a paragraph).  Copies form one
group, named after its original: the earliest published member, then the
smallest id.  Later stages count a group as one source.

Cost: hashing is linear in the text; LSH lookups are near-constant per
document.  The LSH band keys of every signature are stored (``minhash_bands``),
so new documents (:func:`add_new`) are hashed and looked up alone, and only the
groups they join are rewritten.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
LSH_THRESHOLD = 0.5     # candidate pairs; verified below
MIN_JACCARD = 0.6       # a copy with light edits
MIN_CONTAINMENT = 0.85  # a copy that is a cut or an extension of the other
MIN_SHINGLES = 20       # shorter texts are too small to call copies
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Word ``size``-grams of a text, case-folded (punctuation and spacing ignored)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(shingle_set: set[str]) -> MinHash:
    """The MinHash of a shingle set (fixed seed, so signatures are comparable across runs)."""
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return m


def to_blob(m: MinHash) -> bytes:
    """A signature as bytes (the hash values fit in 32 bits)."""
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def from_blob(blob: bytes) -> MinHash:
    """A MinHash from :func:`to_blob` bytes."""
    values = np.frombuffer(blob, dtype="<u4")
    # datasketch >= 2 asks which hashing scheme made stored values: ours, the default one.
    scheme = getattr(MinHash(num_perm=1, seed=1), "scheme", None)
    if scheme is None:
        return MinHash(num_perm=len(values), seed=1, hashvalues=values.astype(np.uint64))
    return MinHash(num_perm=len(values), seed=1, hashvalues=values.copy(), scheme=scheme)


def is_copy(a: set[str], b: set[str]) -> tuple[bool, float]:
    """Whether two shingle sets are copies of one text, and their Jaccard similarity."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return a == b and bool(a), 1.0 if a == b and a else 0.0
    inter = len(a & b)
    jaccard = inter / len(a | b)
    containment = inter / min(len(a), len(b))
    return jaccard >= MIN_JACCARD or containment >= MIN_CONTAINMENT, jaccard


def find_groups(texts: dict[str, str], order: dict[str, tuple]) -> list[tuple[str, str, float]]:
    """``(doc id, group id, similarity)`` for every document of ``texts``.

    ``order`` gives each document's sort key for choosing a group's original
    (earliest first).  Documents without a copy are their own group.
    """
    sets = {d: shingles(t) for d, t in texts.items()}
    sigs = {d: signature(s) for d, s in sets.items()}
    pairs = candidate_pairs(sigs)
    return group_rows(sets, pairs, order)


def candidate_pairs(sigs: dict[str, MinHash]) -> list[tuple[str, str]]:
    """Pairs of documents whose signatures LSH puts in a common bucket (each pair once, sorted)."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    pairs = set()
    for doc_id in sorted(sigs):
        for other in lsh.query(sigs[doc_id]):
            pairs.add((min(doc_id, other), max(doc_id, other)))
        lsh.insert(doc_id, sigs[doc_id])
    return sorted(pairs)


def group_rows(sets: dict[str, set[str]], pairs: list[tuple[str, str]],
               order: dict[str, tuple]) -> list[tuple[str, str, float]]:
    """Verify candidate pairs on the shingle sets and group the copies."""
    return _regroup(sets, [], [(a, b) for a, b in pairs if is_copy(sets[a], sets[b])[0]], order)


def band_keys(m: MinHash) -> list[int]:
    """The signature's LSH band keys, one per band, as signed 64-bit integers.

    Two signatures share a key exactly when :class:`MinHashLSH` (same threshold
    and permutations) puts them in a common bucket of that band.
    """
    bands = _bands()
    values = np.asarray(m.hashvalues, dtype="<u4")
    keys = []
    for b, (start, end) in enumerate(bands):
        digest = hashlib.blake2b(b.to_bytes(2, "little") + values[start:end].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


_BANDS: list[tuple[int, int]] = []


def _bands() -> list[tuple[int, int]]:
    if not _BANDS:
        _BANDS.extend(MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges)
    return _BANDS


def band_rows(sigs: dict[str, MinHash]) -> list[tuple[int, str]]:
    """``(band key, doc id)`` rows of some signatures, for ``minhash_bands``."""
    return [(k, d) for d in sorted(sigs) for k in band_keys(sigs[d])]


def publication_order(docs: list[dict]) -> dict[str, tuple]:
    """Sort key per document: dated before undated, earliest first."""
    return {d["id"]: (d["published"] is None, d["published"] or "") for d in docs}


def run(store) -> dict:
    """Find every duplicate group of the store; store signatures and groups; return counts.

    Signatures already stored are reused; only new documents are shingled for
    hashing, and texts are read again only to verify candidate pairs.
    """
    docs = store.resolve_documents()
    stored = store.resolve_minhashes()
    new_sigs = []
    sigs: dict[str, MinHash] = {}
    for doc_id, _title, text in store.resolve_texts([d["id"] for d in docs if d["id"] not in stored]):
        sigs[doc_id] = signature(shingles(text))
        new_sigs.append((doc_id, NUM_PERM, to_blob(sigs[doc_id])))
    if new_sigs:
        store.write_minhashes(new_sigs)
    for doc_id, blob in stored.items():
        sigs.setdefault(doc_id, from_blob(blob))
    sigs = {d["id"]: sigs[d["id"]] for d in docs if d["id"] in sigs}
    pairs = candidate_pairs(sigs)
    involved = sorted({d for p in pairs for d in p})
    sets = {d: set() for d in sigs}
    for doc_id, _title, text in store.resolve_texts(involved):
        sets[doc_id] = shingles(text)
    rows = group_rows(sets, pairs, publication_order(docs))
    store.write_duplicates(rows)
    # A document's text, hence its signature and bands, never changes: only new ones are added.
    banded = store.resolve_banded_doc_ids()
    store.write_minhash_bands(band_rows({d: m for d, m in sigs.items() if d not in banded}), keep=list(sigs))
    n_groups = len({g for d, g, _ in rows if d != g})
    return {"minhash_new": len(new_sigs), "candidate_pairs": len(pairs),
            "duplicate_docs": sum(1 for d, g, _ in rows if d != g), "duplicate_groups": n_groups}


def add_new(store, new_ids: list[str]) -> dict:
    """Find the copies of new documents among all documents; rewrite only the groups they join.

    New documents are hashed (unless a signature is stored), their band keys
    stored and looked up: candidates are the documents sharing one, verified on
    the shingles as in :func:`run`.  Groups joined by a new document are merged
    and get their original again, as do groups that lost a member (a deleted
    document); every other row stays.  Returns counts plus ``changed_docs``:
    documents whose group changed (new ones included).
    """
    dirty = store.resolve_dirty("duplicate_group")
    if not new_ids and not dirty:
        return {"minhash_new": 0, "candidate_pairs": 0, "duplicate_docs": 0, "changed_docs": []}
    stored = store.resolve_minhashes_of(new_ids)
    sigs: dict[str, MinHash] = {d: from_blob(b) for d, b in stored.items()}
    todo = [d for d in new_ids if d not in stored]
    new_sigs = []
    for doc_id, _title, text in store.resolve_texts(todo):
        sigs[doc_id] = signature(shingles(text))
        new_sigs.append((doc_id, NUM_PERM, to_blob(sigs[doc_id])))
    if new_sigs:
        store.write_minhashes(new_sigs)
    rows = band_rows(sigs)
    store.write_minhash_bands(rows)
    owners = defaultdict(set)
    for key, doc_id in store.resolve_band_matches(sorted({k for k, _ in rows})):
        owners[key].add(doc_id)
    pairs = sorted({(min(d, o), max(d, o)) for k, d in rows for o in owners[k] if o != d})
    involved = sorted({d for p in pairs for d in p})
    before = {d: (g, sim) for d, g, sim in store.resolve_duplicate_rows(involved)}
    groups = sorted({g for g, _ in before.values()} | set(dirty))
    before.update({d: (g, sim) for d, g, sim in store.resolve_duplicate_rows([], groups)})
    members = sorted(set(before) | set(sigs))
    docs = store.resolve_documents(members)
    sets = {d: set() for d in members}
    for doc_id, _title, text in store.resolve_texts(members):
        sets[doc_id] = shingles(text)
    # Stored groups stay together (even one whose original was deleted).
    stored_groups = defaultdict(list)
    for d, (g, _) in sorted(before.items()):
        stored_groups[g].append(d)
    kept = [(ms[0], d) for ms in stored_groups.values() for d in ms[1:]]
    verified = [(a, b) for a, b in pairs if is_copy(sets[a], sets[b])[0]]
    rows_out = _regroup(sets, kept, verified, publication_order(docs))
    changed = [r for r in rows_out if before.get(r[0]) != (r[1], r[2])]
    store.write_duplicate_updates(changed, groups)
    return {"minhash_new": len(new_sigs), "candidate_pairs": len(pairs),
            "duplicate_docs": sum(1 for d, g, _ in rows_out if d != g and d in sigs),
            "changed_docs": sorted(d for d, _, _ in changed)}


def _regroup(sets: dict[str, set[str]], kept: list[tuple[str, str]], verified: list[tuple[str, str]],
             order: dict[str, tuple]) -> list[tuple[str, str, float]]:
    """:func:`group_rows` over pairs already known to be copies."""
    parent = {d: d for d in sets}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in kept + verified:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in sorted(sets):
        groups[find(d)].append(d)
    rows = []
    for members in groups.values():
        original = min(members, key=lambda d: (order.get(d, ()), d))
        for d in members:
            sim = 1.0 if d == original else is_copy(sets[d], sets[original])[1]
            rows.append((d, original, round(sim, 4)))
    return sorted(rows)
