"""The timeline compares only the pairs that can be one happening, with the result of comparing all."""

import random
from collections import defaultdict

from dyad.resolve.timeline import Ev, cluster_events, same_happening


def _every_pair(events: list[Ev]) -> list[list[Ev]]:
    """The clustering as it was defined: every pair of a (type, actor) bucket, in bucket order."""
    buckets = defaultdict(list)
    for i, e in enumerate(events):
        for actor in sorted(e.src | e.tgt) or [""]:
            buckets[(e.type, actor)].append(i)
    parent = list(range(len(events)))
    docs = [{e.doc_id} for e in events]

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for idx in buckets.values():
        for k, i in enumerate(idx):
            for j in idx[k + 1:]:
                ri, rj = find(i), find(j)
                if ri != rj and not docs[ri] & docs[rj] and same_happening(events[i], events[j]):
                    parent[max(ri, rj)] = min(ri, rj)
                    docs[min(ri, rj)] |= docs[max(ri, rj)]
    groups = defaultdict(list)
    for i, e in enumerate(events):
        groups[find(i)].append(e)
    return [groups[k] for k in sorted(groups)]


def _random_events(rng: random.Random, n: int) -> list[Ev]:
    actors = ["RU", "CN", "US", "n:putin", "n:xi"]
    out = []
    for k in range(n):
        start = rng.choice([None, rng.randrange(0, 40)])
        interval = None if start is None else (start, start + rng.choice([0, 0, 1, 5, 30]))
        out.append(Ev(doc_id=f"d{rng.randrange(n // 2 + 1)}", idx=k, type=rng.choice(["MEET", "AGREE"]),
                      subtype={rng.choice(["visit", "summit", "talks"])}, status=rng.choice(["happened", "scheduled"]),
                      src=frozenset(rng.sample(actors, rng.randrange(0, 3))),
                      tgt=frozenset(rng.sample(actors, rng.randrange(0, 2))), location=rng.choice([None, "Beijing"]),
                      date=None, interval=interval, story=rng.choice([None, "s1", "s2", "s3"]), group=""))
    return out


def test_candidate_pairs_cluster_as_every_pair_does():
    rng = random.Random(7)
    for _ in range(300):
        events = _random_events(rng, rng.randrange(2, 40))
        key = lambda groups: [[(e.doc_id, e.idx) for e in g] for g in groups]  # noqa: E731
        assert key(cluster_events(events)) == key(_every_pair(events))

