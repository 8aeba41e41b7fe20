"""Views over the resolve stage's cross-document tables: the story list, a story's
briefing page (and its Markdown), and the ask box.

A story page is the analyst's briefing: its sources, a timeline of the merged
events, the outcomes (by the rules of :mod:`dyad.query.brief`), the key figures
with their corroboration marks, who said what, and project status.  Every fact
carries ``href``, the link to its source sentence opened highlighted.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import HTTPException, Path, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse

from dyad.query import brief
from dyad.query.ask import UnknownScope
from dyad.query.ask import ask as ask_question
from dyad.web.charts import STATUS_COLOURS, Mark, date_label, event_timeline
from dyad.web.params import DateFrom, DateTo, EntityName, EventType, Limit, Outlet, Page, doc_filter, filter_dict
from dyad.web.render import Pager, doc_href, fact_href, highlighted, respond
from dyad.web.text import entity_href
from dyad.web.views import Store, filter_facets

NO_STORIES = ("This store has no stories yet: stories (articles grouped into one developing story) come from "
              "the resolve stage, which `dyad ingest` runs; on an older store run `dyad resolve`.")
# Figure verdicts, most in need of attention first.
VERDICT_ORDER = {"conflicting": 0, "differing": 1, "corroborated": 2, "single": 3}
VERDICT_SIGNS = {"corroborated": "✔", "differing": "≠", "conflicting": "✖", "single": "·"}
OUTCOMES = (("agreed", "Agreed or done"), ("not_agreed", "Not agreed"), ("scheduled", "Scheduled or hoped for"))
# Quotes shown per speaker before the rest fold away.
QUOTES_SHOWN = 4

StoryId = Annotated[str, Path(max_length=200, description="Story id (or a member document's id or stem).")]


def story_href(story_id: str) -> str:
    """The story page."""
    return "/story/" + quote(story_id, safe="")


def verdict_mark(verdict: str | None) -> dict | None:
    """``{"verdict", "sign", "text"}`` for a figure group's verdict (None: the figure has no group)."""
    if not verdict:
        return None
    return {"verdict": verdict, "sign": VERDICT_SIGNS.get(verdict, "?"), "text": brief.MARKS.get(verdict, verdict)}


def stories(request: Request, store: Store, page: Page = 1, limit: Limit = 25, outlet: Outlet = "",
            date_from: DateFrom = "", date_to: DateTo = "", entity: EntityName = "", event_type: EventType = "",
            min_docs: Annotated[int, Query(ge=1, le=1000, description="At least this many documents.")] = 1,
            sort: Annotated[Literal["size", "recent"],
                            Query(description="Most documents first, or latest first.")] = "size"):
    """Stories: articles grouped into one developing story, with their date range and documents.

    A story matches the outlet, date, entity and event-type filters when one of
    its documents does.
    """
    f = doc_filter(outlet, date_from, date_to, entity, event_type)
    available = store.story_count() > 0
    rows, total = store.story_list(f, min_docs, sort, limit, (page - 1) * limit) if available else ([], 0)
    pager = Pager(request, page, limit, total)
    for r in rows:
        r["href"] = story_href(r["id"])
        r["outlets"] = list(dict.fromkeys(d["publisher"] for d in r["docs"] if d["publisher"]))
        for d in r["docs"]:
            d["href"] = doc_href(d["doc_id"])
    data = {"available": available, "reason": None if available else NO_STORIES, "stories": rows,
            "filters": {**filter_dict(f), "min_docs": min_docs, "sort": sort}, "pagination": pager.as_dict()}
    return respond(request, "stories.html", data, lambda: {**filter_facets(store), "pager": pager})


def _story_or_redirect(request: Request, store: Store, story_id: str, suffix: str) -> dict | RedirectResponse:
    """The story, or a redirect to it from a member document's id or stem, or 404."""
    story = store.story_header(story_id)
    if story is not None:
        return story
    doc_id = store.resolve_document(story_id)
    found = store.xstory_of(doc_id) if doc_id else None
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}" + ("" if store.story_count() else f"; {NO_STORIES}"))
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(story_href(found) + suffix + query, status_code=307)


def story(request: Request, story_id: StoryId, store: Store):
    """One story's briefing: sources, merged timeline, outcomes, figures with corroboration marks,
    quotes by speaker and project status; every fact links to its source sentence.

    ``outcomes`` lists event ids of ``timeline``; a member of a figure group outside
    the story has ``in_story`` false.  The Markdown briefing is at ``/story/{id}.md``.
    """
    found = _story_or_redirect(request, store, story_id, ".json" if request.url.path.endswith(".json") else "")
    if isinstance(found, RedirectResponse):
        return found
    story_id = found["id"]
    docs = found.pop("docs")
    for d in docs:
        d["href"] = doc_href(d["doc_id"])
    spans = store.story_sentence_spans(story_id)
    events = _events(store, story_id)
    window = (found.get("date_from") or "")[:7], (found.get("date_to") or "9999")[:7]
    outcomes = _outcomes(events, window)
    data = {"story": found, "briefing": story_href(story_id) + ".md", "documents": docs, "timeline": events,
            "outcomes": outcomes, "figures": _figures(store, story_id), "quotes": _quotes(store, story_id),
            "projects": _projects(store, story_id, spans, {d["doc_id"]: d["stem"] for d in docs})}

    def extras() -> dict:
        by_id = {e["id"]: e for e in events}
        marks = [Mark(e["date"], e["status"], _event_title(e), e["href"], e["outcome"], e["n_independent"])
                 for e in events if e["href"]]
        happened = [e for e in events if e["status"] == "happened" and e["evidence"]]
        chosen = sorted(happened, key=lambda e: (-e["n_independent"], e["date"] or "9999"))[:brief.MAX_EVENTS]
        span = date_label(found.get("date_from"))
        if found.get("date_to") and found["date_to"] != found.get("date_from"):
            span += " – " + date_label(found["date_to"])
        return {"timeline_svg": event_timeline(marks, window if found.get("date_from") else None, window_label=span),
                "happened": sorted(chosen, key=lambda e: (e["date"] or "9999", e["id"])),
                "status_colours": STATUS_COLOURS, "date_label": date_label,
                "outcome_lists": [(title, [by_id[i] for i in outcomes[key]]) for key, title in OUTCOMES],
                "conflicts": [g for g in data["figures"] if g["verdict"] == "conflicting"],
                "quotes_shown": QUOTES_SHOWN}

    return respond(request, "story.html", data, extras)


def _actors(event: dict) -> str:
    source = ", ".join(event["source_actor"]) or "?"
    target = ", ".join(event["target_actor"])
    return f"{source} → {target}" if target else source


def _event_title(e: dict) -> str:
    first = e["evidence"][0] if e["evidence"] else {}
    return (f"{date_label(e['date'])} — {e['type']} ({e['subtype']}, {e['status']}): {e['actors']}. "
            f"{e['n_docs']} document(s). “{first.get('sentence') or ''}” [{first.get('stem')}]")


def _events(store: Store, story_id: str) -> list[dict]:
    """The story's merged events, each piece of evidence linked to its sentence (the trigger highlighted)."""
    events = store.story_events(story_id)
    for e in events:
        e["actors"] = _actors(e)
        e["outcome"] = e["type"] in brief.OUTCOME_TYPES
        for x in e["evidence"]:
            x["href"] = fact_href(x["doc_id"], x["sentence_idx"], x.pop("trigger_start"), x.pop("trigger_end"))
            for key in ("sentence_start", "sentence_end", "cluster_id"):
                x.pop(key)
        e["href"] = e["evidence"][0]["href"] if e["evidence"] else None
    return events


def _outcomes(events: list[dict], window: tuple[str, str]) -> dict[str, list[str]]:
    """Event ids per outcome, by the briefing's rules (:func:`dyad.query.brief.outcome_groups`)."""
    return {key: [e["id"] for e in group] for key, group in brief.outcome_groups(events, window).items()}


def _figure(f: dict, story_id: str) -> dict:
    f["href"] = fact_href(f["doc_id"], f["sentence"], f["start"], f["end"])
    f["in_story"] = f["story_id"] == story_id
    f["story_href"] = story_href(f["story_id"]) if f["story_id"] and not f["in_story"] else None
    f["approx"] = bool(f["approx"])
    return f


def _figures(store: Store, story_id: str) -> list[dict]:
    """Figure groups touching the story (every member, marked in or out of it), then its ungrouped figures."""
    groups = store.story_figure_groups(story_id)
    for g in groups:
        g["figures"] = [_figure(f, story_id) for f in g["figures"]]
    singles = [{"id": None, "measure": f["measure"], "unit": f["unit"], "scope": None, "verdict": "single",
                "note": "", "n_sources": 1, "value_min": f["value"], "value_max": f["value"],
                "figures": [_figure(f, story_id)]} for f in store.story_single_figures(story_id)]
    out = groups + singles
    for g in out:
        g["mark"] = verdict_mark(g["verdict"])
    out.sort(key=lambda g: (VERDICT_ORDER.get(g["verdict"], 9), g["id"] is None, -g["n_sources"],
                            -len(g["figures"]), g["measure"] or "", g["unit"]))
    return out


def _quotes(store: Store, story_id: str) -> list[dict]:
    """The story's quotes grouped by speaker (canonical name where known), most quoted first."""
    groups: dict[str, dict] = {}
    for q in store.story_quotes(story_id):
        name = q["speaker_canonical"] or q["speaker"] or "Unattributed"
        g = groups.setdefault(name, {"speaker": name, "entity_href": entity_href(name)
                                     if q["speaker_canonical"] else None, "roles": [], "quotes": []})
        if q["speaker_role"] and q["speaker_role"] not in g["roles"]:
            g["roles"].append(q["speaker_role"])
        q["href"] = fact_href(q["doc_id"], q["sentence"], q["start"], q["end"])
        g["quotes"].append(q)
    for g in groups.values():
        g["quotes"].sort(key=lambda q: q["kind"] != "full")  # stable: full quotes first, each in document order
        g["n_full"] = sum(q["kind"] == "full" for q in g["quotes"])
    return sorted(groups.values(), key=lambda g: (g["speaker"] == "Unattributed", -g["n_full"], -len(g["quotes"]),
                                                  g["speaker"]))


def _projects(store: Store, story_id: str, spans: dict, stems: dict[str, str]) -> list[dict]:
    """Project status rows of the story, each piece of evidence linked to its sentence."""
    rows = store.xproject_status(story_id=story_id)
    for p in rows:
        p["href"] = entity_href(p["project"])
        for x in p["evidence"]:
            span = spans.get((x["doc_id"], x["sentence"]))
            x["stem"] = stems.get(x["doc_id"])
            x["href"] = fact_href(x["doc_id"], x["sentence"], *(span or (None, None)))
    return rows


def story_markdown(request: Request, story_id: StoryId, store: Store):
    """One story's briefing as Markdown (``dyad brief``): every line cited ``[stem sN]``."""
    found = _story_or_redirect(request, store, story_id, ".md")
    if isinstance(found, RedirectResponse):
        return found
    text = brief.brief(store, found["id"])
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


AskText = Annotated[str, Query(max_length=300, description="A question.")]
AskStory = Annotated[str, Query(max_length=200, description="Only answer from this story (its id).")]


def ask(request: Request, store: Store, q: AskText = "", story: AskStory = ""):
    """Answers to a question: the ten best sentences, each linked to its source and to its story.

    ``highlights`` are ``[start, end]`` spans within ``text`` of the words that
    matched the question; ``score`` ranks the answers (higher is better).
    """
    try:
        found = ask_question(store, q, k=10, story=story.strip() or None) if q.strip() else []
    except UnknownScope as exc:
        raise HTTPException(404, str(exc)) from exc
    briefs = store.document_briefs(sorted({a.doc_id for a in found}))
    labels = store.story_labels(sorted({a.story for a in found if a.story} | ({story} if story else set())))
    answers = []
    for a in found:
        row = {**a.to_dict(), "highlights": [list(h) for h in a.highlights()],
               "href": fact_href(a.doc_id, a.idx, a.start, a.end),
               "story_label": labels.get(a.story) if a.story else None,
               "story_href": story_href(a.story) if a.story else None}
        meta = briefs.get(a.doc_id, {})
        row.update({k: meta.get(k) for k in ("title", "publisher", "published")})
        answers.append(row)
    data = {"q": q, "story": story or None, "story_label": labels.get(story) if story else None,
            "answers": answers}
    return respond(request, "ask.html", data,
                   lambda: {"texts": [highlighted(a["text"], a["highlights"]) for a in answers]})
