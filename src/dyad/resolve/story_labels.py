"""Readable story labels: "Putin in Beijing, 16–17 May 2024", "third Belt and Road Forum, Oct 2023".

A label names, in order of preference, a gathering or other named happening
that several of the story's documents name; else the visit at its heart (who
went where, when), from its CONSULT events; else the entities and words its
documents share most.  The date is the most precise date the evidence gives.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from dyad.resolve.names import name_key
from dyad.resolve.profiles import Profile, words

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Places that stand for where something happened (a city beats its state).
_PLACE_RANK = {"capital": 0, None: 1, "state": 2}


def format_date(value: str | None, long_months: bool = True) -> str:
    """An ISO prefix or range in words: "2024-05-16/2024-05-17" → "16–17 May 2024"."""
    if not value:
        return ""
    parts = value.split("/")
    a = _ISO.match(parts[0])
    b = _ISO.match(parts[-1]) if len(parts) > 1 else None
    if not a:
        return value
    months = MONTHS_LONG if long_months else MONTHS
    if b and b.groups() != a.groups():
        (y1, m1, d1), (y2, m2, d2) = a.groups(), b.groups()
        if d1 and d2 and (y1, m1) == (y2, m2):
            return f"{int(d1)}–{int(d2)} {months[int(m1) - 1]} {y1}"
        return f"{format_date(parts[0], long_months)} – {format_date(parts[-1], long_months)}"
    y, m, d = a.groups()
    if d:
        return f"{int(d)} {months[int(m) - 1]} {y}"
    if m:
        return f"{MONTHS[int(m) - 1]} {y}"
    return y


def story_span(dates: list[str | None]) -> tuple[str | None, str | None]:
    """Earliest and latest of a story's publication dates, from its most precise ones.

    A year-only date says less than a day in the same year, so coarser dates
    count only when no document has a finer one.
    """
    dated = [d for d in dates if d]
    if not dated:
        return None, None
    finest = max(len(d) for d in dated)
    precise = [d for d in dated if len(d) >= min(finest, 7)]
    return min(precise), max(precise)


def most_precise_date(profiles: list[Profile]) -> str | None:
    """The story's most precise publication date: the earliest among equals, but the latest year.

    A year alone is usually inferred from the latest year an article mentions,
    a lower bound: the latest of them says most.
    """
    # A year inferred from the years an article mentions is too weak to print.
    dated = [p.published for p in profiles if p.published and (len(p.published) > 4 or p.how != "inferred")]
    if not dated:
        return None
    finest = max(len(d) for d in dated)
    same = [d for d in dated if len(d) == finest]
    return max(same) if finest == 4 else min(same)


def label(profiles: list[Profile], events: dict[str, list[dict]], xrows: dict[str, dict],
          actors: dict[tuple[str, str], str]) -> str:
    """The label of one story (see the module docstring)."""
    when = most_precise_date(profiles)
    happening = _named_happening(profiles, xrows)
    if happening:
        return f"{happening}, {format_date(when[:7] if when else None, False)}".rstrip(", ")
    visit = _visit(profiles, events, xrows, actors)
    if visit:
        who, where, on = visit
        return f"{who} in {where}, {format_date(on or (when[:7] if when else None))}".rstrip(", ")
    return _fallback(profiles, xrows, when)


def _named_happening(profiles: list[Profile], xrows: dict[str, dict]) -> str | None:
    if len(profiles) < 2:
        return None
    # A named happening labels the story only if the leads of two of its
    # documents name it: one merely mentioned in passing ("the general
    # election") is background, not the story.
    counts = Counter(x for p in profiles for x in p.xentities if (xrows.get(x) or {}).get("label") == "EVENT")
    for xid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        row = xrows[xid]
        if n < 2 or row["key"].startswith("event:war:"):
            continue
        names = [row["canonical"], *row.get("aliases", [])]
        in_lead = sum(1 for p in profiles if xid in p.xentities and any(_in_lead(p, name) for name in names))
        if in_lead >= 2:
            return row["canonical"]
    return None


def _in_lead(p: Profile, name: str) -> bool:
    """Whether every content word of ``name`` is among the words of the document's title and lead."""
    needed = words(name)
    return bool(needed) and all(f"lead:{w}" in p.features for w in needed)


def _visit(profiles: list[Profile], events: dict[str, list[dict]], xrows: dict[str, dict],
           actors: dict[tuple[str, str], str]) -> tuple[str, str, str | None] | None:
    """(visitor's surname, place, date) of the visit most of the story's documents report."""
    docs_by_person: dict[str, set[str]] = defaultdict(set)
    places: dict[str, Counter] = defaultdict(Counter)
    dates: dict[str, Counter] = defaultdict(Counter)
    for p in profiles:
        for e in events.get(p.doc_id, []):
            if e["type"] != "CONSULT" or e["status"] != "happened":
                continue
            for person in _persons(e["source_actor"], p.doc_id, xrows, actors):
                docs_by_person[person].add(p.doc_id)
                for place in _places([e["location"]] + e["target_actor"], p.doc_id, xrows, actors):
                    places[person][place] += 1
                if e["date"] and e["date_precision"] in ("day", "range"):
                    dates[person][e["date"]] += 1
    ranked = sorted(docs_by_person, key=lambda x: (-len(docs_by_person[x]), x))
    for person in ranked:
        if not places[person]:
            continue
        where = sorted(places[person].items(),
                       key=lambda kv: (_PLACE_RANK.get(xrows[kv[0]]["relation"], 1), -kv[1], kv[0]))[0][0]
        on = sorted(dates[person].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0] if dates[person] else None
        return xrows[person]["canonical"].split()[-1], xrows[where]["canonical"], on
    return None


def _persons(names: list[str], doc_id: str, xrows: dict, actors: dict) -> list[str]:
    out = []
    for n in names:
        xid = actors.get((doc_id, name_key(n)))
        if xid and xrows.get(xid, {}).get("label") == "PERSON":
            out.append(xid)
    return out


def _places(names: list[str | None], doc_id: str, xrows: dict, actors: dict) -> list[str]:
    out = []
    for n in names:
        xid = actors.get((doc_id, name_key(n))) if n else None
        if xid and xrows.get(xid, {}).get("label") in ("GPE", "LOC", "FAC"):
            out.append(xid)
    return out


def _fallback(profiles: list[Profile], xrows: dict[str, dict], when: str | None) -> str:
    """The two entities and the lead word most documents of the story share."""
    docs = Counter(x for p in profiles for x in p.xentities if x in xrows)
    weight = Counter()
    for p in profiles:
        for x, n in p.xentities.items():
            weight[x] += n
    ranked = sorted(docs, key=lambda x: (xrows[x]["relation"] is not None, -docs[x], -weight[x], x))
    names = [xrows[x]["canonical"] for x in ranked[:2]]
    lead = Counter(w for p in profiles for w in {f[5:] for f in p.features if f.startswith("lead:") and " " not in f})
    known = {w for n in names for w in words(n)}
    topic = next((w for w, _ in sorted(lead.items(), key=lambda kv: (-kv[1], kv[0])) if w not in known), "")
    text = ", ".join(names) or "Untitled"
    if topic:
        text += f": {topic}"
    year = when[:4] if when else None
    return f"{text} ({year})" if year else text
