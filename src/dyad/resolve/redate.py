"""Re-anchor event dates of documents whose publication date the stories narrowed.

An article that never states its date is parsed against a coarse inferred
anchor ("2023"), so "on Tuesday" cannot be resolved.  Once the story stage has
narrowed its date from dated peers (:mod:`dyad.resolve.dates`), each event's date
expression is resolved again against the narrowed date, and events without one
take it as their default, as events of dated articles do at parse time; so do
figures stated without a period.
"""

from __future__ import annotations

from dyad.nlp.dates import resolve


def run(store, doc_ids: list[str] | None = None) -> dict:
    """Re-date the events (and undated figures) of every document with a refined publication date.

    ``doc_ids``: only those documents' (the ones whose refined date an
    incremental run wrote; the others were re-dated when theirs was).
    """
    changed = dated_figures = 0
    refined = store.xrefined_dates() if doc_ids is None else store.resolve_refined_dates(doc_ids)
    for row in refined:
        anchor = row["published"]
        updates = []
        for event in store.xevents_to_redate(row["doc_id"]):
            if event["date_text"]:
                tense = "future" if event["status"] == "scheduled" else "past"
                value, precision = resolve(event["date_text"], anchor, tense)
            else:
                value, precision = anchor, _precision(anchor)
            if value and (value, precision) != (event["date"], event["date_precision"]):
                updates.append((value, precision, row["doc_id"], event["idx"]))
        store.write_event_dates(updates)
        changed += len(updates)
        periods = [(anchor, row["doc_id"], idx) for idx in store.xfigures_without_period(row["doc_id"])]
        store.write_figure_periods(periods)
        dated_figures += len(periods)
    return {"documents": len(refined), "events_redated": changed, "figures_dated": dated_figures}


def _precision(iso: str) -> str:
    return {4: "year", 7: "month"}.get(len(iso), "day")
