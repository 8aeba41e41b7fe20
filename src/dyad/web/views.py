"""Views over documents: overview, document list, document page and search
(stories and the ask box are in :mod:`dyad.web.views_stories`).

Each view returns :func:`dyad.web.render.respond`, so one function serves both
the page and its ``.json`` twin.  Views never touch SQL: they call
:class:`dyad.store.queries.Queries` methods on the borrowed store.
"""

from __future__ import annotations

import copy
import time
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from dyad.web.db import WebStore
from dyad.web.deps import get_store
from dyad.web.params import (DateFrom, DateTo, EntityName, EventType, Highlight, Limit, Outlet, Page, SearchText,
                             doc_filter, filter_dict, parse_highlight)
from dyad.web.render import Pager, doc_href, fact_href, marked, respond, unmarked
from dyad.web.text import KINDS, render_document

Store = Annotated[WebStore, Depends(get_store)]

# Facet choices change only as documents arrive, yet every filtered HTML page shows
# them, and counting them takes a scan of documents and events: they are kept this long.
FACETS_TTL_S = 60.0
_facets: dict[str, tuple[float, dict]] = {}


def filter_facets(store: WebStore) -> dict:
    """Choices for the filter form (HTML only), recounted at most every :data:`FACETS_TTL_S` seconds."""
    now = time.monotonic()
    kept = _facets.get(store.path)
    if kept is None or now - kept[0] >= FACETS_TTL_S:
        kept = now, {"outlets": store.facet_outlets(), "event_types": store.facet_event_types()}
        _facets[store.path] = kept
    return copy.deepcopy(kept[1])


def overview(request: Request, store: Store):
    """Overview: counts, date span, recent documents, most-covered entities, outlets."""
    data = store.overview()
    for d in data["recent_documents"]:
        d["href"] = doc_href(d["id"])
    return respond(request, "index.html", data)


def documents(request: Request, store: Store, page: Page = 1, limit: Limit = 25, outlet: Outlet = "",
              date_from: DateFrom = "", date_to: DateTo = "", entity: EntityName = "", event_type: EventType = ""):
    """Documents, newest first, filtered by outlet, publication date range, entity and event type."""
    f = doc_filter(outlet, date_from, date_to, entity, event_type)
    rows, total = store.list_documents(f, limit, (page - 1) * limit)
    pager = Pager(request, page, limit, total)
    for d in rows:
        d["href"] = doc_href(d["id"])
    data = {"documents": rows, "filters": filter_dict(f), "pagination": pager.as_dict()}
    return respond(request, "documents.html", data, lambda: {**filter_facets(store), "pager": pager})


DocId = Annotated[str, Path(max_length=200, description="Document id (or a unique id prefix, or a source stem).")]


def document(request: Request, doc_id: DocId, store: Store, hl: Highlight = ""):
    """One document: metadata, clean text, removed boilerplate and every extracted span.

    ``hl=START-END`` highlights a character range (and its sentence); ``#sN`` in the
    page URL targets sentence N.  A source stem or unique id prefix redirects to the id.
    """
    page = store.document_page(doc_id)
    if page is None:
        resolved = store.resolve_document(doc_id)
        if resolved is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        suffix = ".json" if request.url.path.endswith(".json") else ""
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(doc_href(resolved) + suffix + query, status_code=307)
    highlight = parse_highlight(hl)
    _add_fact_links(doc_id, page)
    page["highlight"] = {"start": highlight[0], "end": highlight[1]} if highlight else None
    text = page["document"]["clean_text"]
    if highlight:
        page["highlight"]["text"] = text[highlight[0]:highlight[1]]

    def extras() -> dict:
        return {"body": render_document(page, highlight), "kinds": KINDS, "counts": _kind_counts(page),
                "quotes_by_speaker": _by_speaker(page["quotes"])}

    return respond(request, "document.html", page, extras)


def _add_fact_links(doc_id: str, page: dict) -> None:
    """Give every fact the link to its source sentence (JSON readers get it too)."""
    for q in page["quotes"]:
        q["href"] = fact_href(doc_id, q["sentence"], q["start"], q["end"])
    for f in page["figures"]:
        f["href"] = fact_href(doc_id, f["sentence"], f["start"], f["end"])
    for v in page["events"]:
        v["href"] = fact_href(doc_id, v["sentence"], v["trigger_start"], v["trigger_end"])
    for e in page["entities"]:
        first = e["mentions"][0] if e["mentions"] else None
        e["href"] = fact_href(doc_id, None, first["start"], first["end"]) + "#hl" if first else None
    for s in page["sentences"]:
        s["href"] = f"{doc_href(doc_id)}#s{s['idx']}"


def _kind_counts(page: dict) -> dict:
    return {"entity": sum(len(e["mentions"]) for e in page["entities"]), "quote": len(page["quotes"]),
            "figure": len(page["figures"]), "event": len(page["events"]), "date": len(page["dates"])}


def _by_speaker(quotes: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for q in quotes:
        groups.setdefault(q["speaker"] or "Unattributed", []).append(q)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "Unattributed", -len(kv[1]), kv[0]))


def search(request: Request, store: Store, q: SearchText = "", page: Page = 1, limit: Limit = 20,
           outlet: Outlet = "", date_from: DateFrom = "", date_to: DateTo = "", entity: EntityName = "",
           event_type: EventType = ""):
    """Full-text search over sentences (every word must match; best BM25 first) with filters.

    The entity and event-type filters keep sentences that themselves name the
    entity or hold an event of that type.
    """
    f = doc_filter(outlet, date_from, date_to, entity, event_type)
    offset = (page - 1) * limit
    rows, total = store.search_sentences(q, f, limit, offset)
    # Pages run over the ranked matches; "matches" counts them all (see search_window).
    pager = Pager(request, page, limit, min(total, store.search_window()))
    raw = [r.pop("snippet") for r in rows]
    for r, snippet in zip(rows, raw):
        r["snippet"] = unmarked(snippet)
        r["href"] = fact_href(r["doc_id"], r["idx"], r["start"], r["end"])
    data = {"q": q, "results": rows, "entities": store.entity_names_like(q) if q else [],
            "matches": total,
            "filters": filter_dict(f), "pagination": pager.as_dict()}
    return respond(request, "search.html", data,
                   lambda: {**filter_facets(store), "pager": pager, "snippets": [marked(s) for s in raw]})
