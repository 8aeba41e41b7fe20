"""Near-duplicate detection: a syndicated copy is found, a different article is not."""

import random

from dyad.resolve.duplicates import find_groups, from_blob, is_copy, shingles, signature, to_blob

random.seed(7)
_VOCAB = [f"word{i}" for i in range(400)]


def _article(n=300):
    return " ".join(random.choice(_VOCAB) for _ in range(n))


def test_syndicated_copy_with_header_and_edits_is_one_group():
    original = _article()
    words = original.split()
    words[50] = "edited"
    copy = "Republished with permission from The Outlet. " + " ".join(words) + " Read the original article."
    other = _article()
    rows = find_groups({"a": original, "b": copy, "c": other}, {"a": (False, "2024-05-01"), "b": (False, "2024-05-03"),
                                                               "c": (False, "2024-05-02")})
    groups = {d: g for d, g, _ in rows}
    assert groups["a"] == groups["b"] == "a"  # the earliest published copy names the group
    assert groups["c"] == "c"


def test_truncated_copy_counts_through_containment():
    original = _article(400)
    cut = " ".join(original.split()[:250])
    ok, jaccard = is_copy(shingles(original), shingles(cut))
    assert ok and jaccard < 0.7


def test_signature_round_trips_through_bytes():
    sig = signature(shingles(_article()))
    assert from_blob(to_blob(sig)).jaccard(sig) == 1.0
