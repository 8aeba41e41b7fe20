"""Publication dates narrowed from a story's dated peers (stored apart; documents.published is kept).

A document whose date is only inferred (to a year or a month), or unknown, sits
in a story with peers whose dates are stated.  The peers place the happening:
the short date range they cite most often within a month before publication
("last week's forum" = 2023-10-16/2023-10-22, relative to 2023-10-24), or else
the week before the earliest stated date.  Then:

* if the document names exactly one weekday in a sentence that reports the
  past ("arrived in Beijing on Tuesday"), and that weekday falls once in the
  window, that day is its date (news reports the latest happening with its
  weekday, on that day);
* else, if the window lies within one month and the document's own date is
  coarser and compatible, that month is its date.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from dyad.resolve.profiles import Profile, interval_of

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_FUTURE = re.compile(r"\b(will|is to|are to|is due|are due|scheduled|expected to|next|plans? to)\b", re.I)
_WEEKDAY = re.compile(r"^(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", re.I)
MAX_RANGE_DAYS = 10
LOOKBACK_DAYS = 31


def refine(store, profiles: list[Profile], clusters: list[list[int]], events: dict,
           scoped: bool = False) -> list[tuple[str, str, str]]:
    """``(doc id, refined date, reason)`` for every document the rule above narrows.

    ``scoped``: read the date mentions of ``profiles`` only, not the whole store's.
    """
    out = []
    mentions = _mentions(store, [p.doc_id for p in profiles] if scoped else None)
    for ms in clusters:
        group = [profiles[i] for i in ms]
        peers = [p for p in group if p.how in ("stated", "source") and p.published and len(p.published) == 10]
        if not peers:
            continue
        window, why = _window(peers, mentions)
        for p in group:
            if p in peers or (p.published and len(p.published) >= 10):
                continue
            refined = _refine_one(p, window, why, mentions.get(p.doc_id, []))
            if refined:
                out.append((p.doc_id, *refined))
    return sorted(out)


def _mentions(store, doc_ids: list[str] | None = None) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for row in store.resolve_date_mentions(doc_ids):
        by_doc.setdefault(row["doc_id"], []).append(row)
    return by_doc


def _window(peers: list[Profile], mentions: dict[str, list[dict]]) -> tuple[tuple[date, date], str]:
    """The days the peers place the happening in, and why."""
    cited = Counter()
    for p in peers:
        published = date.fromisoformat(p.published)
        for m in mentions.get(p.doc_id, []):
            iv = interval_of(m["value"]) if m["value"] else None
            if not iv or iv[0] == iv[1]:
                continue
            lo, hi = date.fromordinal(iv[0]), date.fromordinal(iv[1])
            if (hi - lo).days < MAX_RANGE_DAYS and timedelta(0) <= published - hi <= timedelta(LOOKBACK_DAYS):
                cited[(lo, hi, p.stem or p.doc_id, m["text"], p.published)] += 1
    if cited:
        (lo, hi, stem, text, pub), _ = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        why = f"its story's dated peer {stem} places the happening in {lo}/{hi} ('{text}', relative to {pub})"
        return (lo, hi), why
    first = min(peers, key=lambda p: p.published)
    end = date.fromisoformat(first.published)
    return (end - timedelta(7), end), f"its story's earliest dated peer {first.stem or first.doc_id} is from {end}"


def _refine_one(p: Profile, window: tuple[date, date], why: str, mentions: list[dict]) -> tuple[str, str] | None:
    own = p.interval
    lo, hi = window
    if own and (hi.toordinal() < own[0] or lo.toordinal() > own[1]):
        return None  # the document's own date contradicts the story's: leave it
    past = {m["text"].strip().lower().removeprefix("on ") for m in mentions
            if _WEEKDAY.match(m["text"].strip()) and not _FUTURE.search(m["sentence"] or "")}
    if len(past) == 1:
        name = past.pop()
        days = [lo + timedelta(k) for k in range((hi - lo).days + 1)
                if (lo + timedelta(k)).weekday() == WEEKDAYS.index(name)]
        if len(days) == 1:
            return days[0].isoformat(), f"reports '{name.title()}' as past; {why}, so it is {days[0]}"
    if (lo.year, lo.month) == (hi.year, hi.month) and (not p.published or len(p.published) < 7):
        month = f"{lo.year:04d}-{lo.month:02d}"
        return month, f"{why}; the document's own date ({p.published or 'none'}) is coarser"
    return None
