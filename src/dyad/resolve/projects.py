"""What became of a named project or initiative: a status per story, from what its documents say.

For every cross-document entity labelled PROJECT or INITIATIVE, the sentences
that name it are read story by story.  Each sentence gives a status from the
events found in it (an AGREE event that happened, or was denied) and from its
wording ("no agreement", "was not mentioned", "lack of progress", "signed",
"talks").  A story's status is the most decisive one its documents report:
an outcome (agreed, no agreement, not among the agreements, stalled) before
an intention (under discussion, planned) before a bare mention.

Example summary: "Power of Siberia 2: stalled, Oct 2023; not among the
agreements, May 2024".
"""

from __future__ import annotations

import re
from collections import defaultdict

from dyad.resolve.story_labels import format_date

LABELS = ("PROJECT", "INITIATIVE")
# (status, pattern), most decisive first; the first match in a sentence wins.
CUES: list[tuple[str, re.Pattern]] = [
    ("not among the agreements", re.compile(
        r"\b(was|were|is|are) not (mentioned|included|among)|\bnot among\b|\babsent from\b|\bleft out\b|"
        r"\bno mention\b", re.I)),
    ("no agreement", re.compile(
        r"\bno (agreement|deal|breakthrough)\b|\bfailed to (agree|reach|sign)|\bdid not (agree|sign)|"
        r"\bwithout (an |any )?(agreement|deal)|\brefused\b", re.I)),
    ("stalled", re.compile(
        r"\black of (genuine |real |any )?progress|\bstall(ed|s)?\b|\bdelay(ed|s)?\b|\bshelved\b|\bsuspended\b|"
        r"\bon hold\b|\bdeadlock", re.I)),
    ("agreed", re.compile(r"\b(signed|agreed|approved|finali[sz]ed|launched|completed|inaugurated)\b", re.I)),
    ("under discussion", re.compile(
        r"\b(talks|negotiat\w*|discuss\w*|trying to|seek\w*|push\w* for|lobb\w*|rais\w* .{0,20}interest)\b", re.I)),
    ("planned", re.compile(r"\b(will|plans?|planned|expected to|aims? to|would)\b", re.I)),
]
RANK = {status: i for i, (status, _) in enumerate(CUES)} | {"mentioned": len(CUES)}


def sentence_status(text: str, agree_events: list[str]) -> str:
    """The status one sentence gives a project it names."""
    for status, pattern in CUES[:3]:
        if pattern.search(text):
            return status
    if "denied" in agree_events:
        return "no agreement"
    if "happened" in agree_events:
        return "agreed"
    for status, pattern in CUES[3:]:
        if pattern.search(text):
            return status
    return "mentioned"


def run(store) -> dict:
    """Give each named project a status per story; replace ``project_status``; return counts."""
    rows = _rows(store, store.xstory_map(), {s["id"]: s for s in store.xstory_list()}, None)
    store.write_project_status(rows)
    return {"project_status": len(rows), "projects": len({r["xentity_id"] for r in rows}),
            "decided": sum(1 for r in rows if RANK[r["status"]] < RANK["under discussion"])}


def update(store, story_ids: list[str]) -> dict:
    """Recompute the project status rows of some stories (written or removed by an incremental run)."""
    if not story_ids:
        return {"project_status_written": 0, "stories": 0}
    story_docs = store.resolve_story_docs(story_ids)
    stories = {d: s for s, ds in story_docs.items() for d in ds}
    rows = _rows(store, stories, store.resolve_story_rows(list(story_docs)), sorted(stories))
    store.write_project_status_updates(story_ids, rows)
    return {"project_status_written": len(rows), "stories": len(story_ids)}


def _rows(store, stories: dict[str, str], story_rows: dict[str, dict], doc_ids: list[str] | None) -> list[dict]:
    """Status rows per (project, story) from the sentences of ``doc_ids`` (None: every document)."""
    agree = defaultdict(list)
    for e in store.resolve_events(doc_ids):
        if e["type"] == "AGREE":
            agree[(e["doc_id"], e["sentence"])].append(e["status"])
    found: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for row in store.resolve_xentity_sentences(LABELS, doc_ids):
        story = stories.get(row["doc_id"])
        if story:
            status = sentence_status(row["text"], agree.get((row["doc_id"], row["idx"]), []))
            found[(row["xentity_id"], story)].append((status, row))
    return [_row(xid, story, items, story_rows.get(story, {})) for (xid, story), items in sorted(found.items())]


def _row(xid: str, story: str, items: list[tuple[str, dict]], story_row: dict) -> dict:
    docs_by_status: dict[str, set[str]] = defaultdict(set)
    for status, row in items:
        docs_by_status[status].add(row["doc_id"])
    status = min(docs_by_status, key=lambda s: (RANK[s], -len(docs_by_status[s]), s))
    when = story_row.get("date_to") or story_row.get("date_from")
    when_text = format_date(when[:7], long_months=False) if when else ""
    name = items[0][1]["canonical"]
    others = sorted((s for s in docs_by_status if s != status and RANK[s] < RANK["under discussion"]),
                    key=lambda s: RANK[s])
    summary = f"{name}: {status}" + (f" (also reported: {', '.join(others)})" if others else "")
    summary += f", {when_text}" if when_text else ""
    evidence = [{"doc_id": row["doc_id"], "sentence": row["idx"], "text": row["text"], "status": s}
                for s, row in sorted(items, key=lambda it: (RANK[it[0]], it[1]["doc_id"], it[1]["idx"]))]
    return {"xentity_id": xid, "story_id": story, "status": status, "date": when, "summary": summary,
            "evidence": evidence}


def project_history(store, name: str) -> str:
    """One line per project: "Power of Siberia 2: stalled, Oct 2023; not among the agreements, May 2024"."""
    rows = [r for r in store.xproject_status() if r["project"].lower() == name.lower() or r["xentity_id"] == name]
    parts = []
    for r in sorted(rows, key=lambda r: (r["date"] or "", r["story_id"])):
        when = format_date(r["date"][:7], long_months=False) if r["date"] else ""
        parts.append(f"{r['status']}, {when}" if when else r["status"])
    return f"{rows[0]['project']}: " + "; ".join(parts) if rows else ""
