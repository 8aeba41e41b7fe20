"""Query parameters shared by several views, validated before any SQL runs.

Every free-text parameter is length-bounded and every date is an ISO prefix
pattern, so the views never see unbounded input.  An empty string means "no
filter" (that is what an untouched HTML form field sends).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from dyad.store.queries import DocFilter

ISO_OR_EMPTY = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"

Page = Annotated[int, Query(ge=1, le=100_000, description="1-based page number.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page (at most 200).")]
Outlet = Annotated[str, Query(max_length=200, description="Only documents from this publisher.")]
DateFrom = Annotated[str, Query(alias="from", max_length=10, pattern=ISO_OR_EMPTY,
                                description="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")]
DateTo = Annotated[str, Query(alias="to", max_length=10, pattern=ISO_OR_EMPTY,
                              description="Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).")]
EntityName = Annotated[str, Query(max_length=200, description="Only where this entity (canonical name) appears.")]
EventType = Annotated[str, Query(max_length=40, description="Only where an event of this PLOVER type appears.")]
SearchText = Annotated[str, Query(max_length=300, description="Words to find (every word must match).")]
Highlight = Annotated[str, Query(max_length=21, pattern=r"^(\d{1,9}-\d{1,9})?$",
                                 description="Character range START-END of the clean text to highlight.")]


def doc_filter(outlet: str, date_from: str, date_to: str, entity: str, event_type: str) -> DocFilter:
    """A :class:`DocFilter` from form values (empty strings dropped, whitespace trimmed)."""
    return DocFilter(outlet=outlet.strip() or None, date_from=date_from or None, date_to=date_to or None,
                     entity=entity.strip() or None, event_type=event_type.strip() or None)


def filter_dict(f: DocFilter) -> dict:
    """The applied filters as they appear in JSON responses and form fields."""
    return {"outlet": f.outlet or "", "from": f.date_from or "", "to": f.date_to or "",
            "entity": f.entity or "", "event_type": f.event_type or ""}


def parse_highlight(hl: str) -> tuple[int, int] | None:
    """``"120-180"`` → (120, 180); None when empty or not a forward range."""
    if not hl:
        return None
    start, end = (int(x) for x in hl.split("-"))
    return (start, end) if end > start else None
