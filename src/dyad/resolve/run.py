"""Run the resolve stage: every cross-document step, in order, over the whole store.

Order matters: entities first (every later step speaks of resolved entities),
then duplicates (so copies count once), stories (which use both), and then
the steps that work within stories: the merged timeline, figure groups and
project status.

:func:`resolve_all` recomputes everything (BBC, 2,127 documents: about 30-60 s
on two busy cores) and keeps what later runs need (document profiles, LSH band
keys, timeline and figure keys); :func:`resolve_new` places only the documents
that have no story yet, and every step after it touches only what they touch:
its cost depends on the new documents and the stories, happenings and figure
groups they join, not on the size of the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dyad.resolve import duplicates, entities, figures, projects, redate, stories, timeline
from dyad.store.sqlite import utcnow

STEPS: list[tuple[str, Callable]] = [
    ("entities", entities.run),
    ("duplicates", duplicates.run),
    ("stories", stories.run),
    ("redate", redate.run),
    ("timeline", timeline.run),
    ("figures", figures.run),
    ("projects", projects.run),
]


def resolve_all(store, progress: Callable[[str, dict], None] | None = None) -> dict:
    """Run every resolve step over ``store``; return ``{step: counts}`` with seconds per step.

    Each step replaces its own tables in one transaction, so an interrupted
    run leaves every table either as before or as after its step.  MinHash
    signatures are kept between runs, so only new documents are hashed again.
    """
    with store.exclusive("resolve"):
        # Marked unfinished first: a run killed between steps is redone by the next ingest.
        run_id = store.start_resolve_run(utcnow(), "full")
        report = _timed_steps(store, STEPS, progress)
        store.finish_resolve_run(run_id, utcnow(), report, len(store.resolve_documents()))
    return report


# Above this share of new documents, placing them one by one is no cheaper than starting over.
INCREMENTAL_MAX_SHARE = 0.2


def resolve_new(store, progress: Callable[[str, dict], None] | None = None) -> dict:
    """Place the documents added since the last run without recomputing the rest.

    New documents' entities join stored entities by key (:func:`entities.assign_new`);
    their MinHash signatures are looked up among the stored band keys
    (:func:`duplicates.add_new`); only they are profiled, and they join stored
    stories or form new ones, compared with the stored documents that share rare
    terms with them (:func:`stories.place_new`).  Then only the documents whose
    story, copies or date changed are re-dated and re-placed in the timeline and
    figure groups, and only the stories written get their project status again.
    Stored entities, stories, happenings and figure groups keep their ids.  With
    no stories yet (or none from a run that kept profiles), after an interrupted
    run, or when new documents exceed ``INCREMENTAL_MAX_SHARE`` of the store,
    this is :func:`resolve_all`.
    """
    with store.exclusive("resolve"):  # re-entrant: the steps below take it again
        return _resolve_new(store, progress)


def _resolve_new(store, progress: Callable[[str, dict], None] | None) -> dict:
    new = store.resolve_unresolved_doc_ids()
    total = store.resolve_document_count()
    # After an interrupted run the stored tables may be from different steps' runs: start over.
    if not store.resolve_incremental_ready() or len(new) > INCREMENTAL_MAX_SHARE * total \
            or store.resolve_interrupted():
        return resolve_all(store, progress)
    run_id = store.start_resolve_run(utcnow(), "incremental")
    # What each step changed, for the steps after it (kept out of the report).
    delta: dict[str, list[str]] = {}

    def keep(counts: dict, *keys: str) -> dict:
        for key in keys:
            delta[key] = counts.pop(key)
        return counts

    def affected() -> list[str]:
        """Documents whose events and figures must be placed again: new, moved, re-dated, regrouped."""
        return sorted(set(new) | set(delta["changed_docs"]) | set(delta["refined_docs"]) | set(delta["dup_docs"]))

    steps = [
        ("entities", lambda s: entities.assign_new(s, new)),
        ("duplicates", lambda s: keep(_renamed(duplicates.add_new(s, new), "changed_docs", "dup_docs"), "dup_docs")),
        ("stories", lambda s: keep(stories.place_new(s, new, delta["dup_docs"]), "changed_docs", "refined_docs",
                                   "stories", "removed")),
        ("redate", lambda s: redate.run(s, delta["refined_docs"])),
        ("timeline", lambda s: timeline.update(s, affected())),
        ("figures", lambda s: figures.update(s, affected())),
        ("projects", lambda s: projects.update(s, sorted(set(delta["stories"]) | set(delta["removed"])))),
    ]
    report = _timed_steps(store, steps, progress)
    report["new_documents"] = len(new)
    store.finish_resolve_run(run_id, utcnow(), report, total)
    return report


def _renamed(counts: dict, old: str, new: str) -> dict:
    counts[new] = counts.pop(old)
    return counts


def _timed_steps(store, steps: list[tuple[str, Callable]], progress: Callable[[str, dict], None] | None) -> dict:
    """Run steps in order; ``{step: counts with seconds}`` plus ``total_seconds``."""
    report: dict = {}
    total = time.perf_counter()
    for name, step in steps:
        t0 = time.perf_counter()
        counts = step(store)
        counts["seconds"] = round(time.perf_counter() - t0, 3)
        report[name] = counts
        if progress:
            progress(name, counts)
    report["total_seconds"] = round(time.perf_counter() - total, 3)
    return report
