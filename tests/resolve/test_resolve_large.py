"""A full resolve on a store too large to compare all pairs of documents (candidates only)."""

import shutil

from dyad.resolve import stories
from dyad.resolve.profiles import build_profiles


def test_candidate_pairs_find_the_stories_all_pairs_find(resolved_store_path, tmp_path, monkeypatch):
    from dyad.resolve.run import resolve_all
    from dyad.store import Store

    path = tmp_path / "large.db"
    shutil.copy(resolved_store_path, path)
    monkeypatch.setattr(stories, "EXACT_PAIRS_MAX", 0)  # the sample corpus, treated as a large store
    with Store(resolved_store_path) as exact, Store(path) as large:
        resolve_all(large)
        assert [(s["id"], s["label"], [d["doc_id"] for d in s["docs"]]) for s in exact.xstory_list()] == \
            [(s["id"], s["label"], [d["doc_id"] for d in s["docs"]]) for s in large.xstory_list()]


def test_candidate_similarities_are_the_exact_cosines_of_a_subset(resolved):
    profiles = build_profiles(resolved, resolved.resolve_documents())
    exact = stories.similarities(profiles)
    candidates = stories._candidate_similarities(profiles, stories.tfidf_matrix(profiles))
    assert candidates and set(candidates) <= set(exact)
    assert all(abs(exact[k] - v) < 1e-9 for k, v in candidates.items())
