"""A Markdown briefing of one story, every line cited to a document sentence.

Sections: sources, what happened (the merged timeline), outcomes (agreed, pointedly
not agreed, still scheduled or hoped for), key figures with their corroboration
marks, who said what, projects, and open contradictions.  Citations read
``[stem s12]``: sentence 12 of the article whose file stem is ``stem`` (the web app
opens it at ``/doc/ID#s12``).
"""

from __future__ import annotations

from collections import defaultdict

from dyad.resolve import api

MARKS = {"corroborated": "✔ corroborated", "differing": "≠ differing", "conflicting": "✖ conflicting",
         "single": "· single source"}
OUTCOME_TYPES = frozenset({"AGREE", "COOPERATE", "SUPPORT", "AID", "CONCEDE", "REJECT", "RETREAT"})
MAX_EVENTS = 25
MAX_QUOTES_PER_SPEAKER = 3


class UnknownStory(LookupError):
    """No story matches the reference (run `dyad resolve`?)."""


def brief(store, ref: str) -> str:
    """The briefing of the story ``ref`` (a story id, or a member document's id or stem)."""
    story = store.xstory(ref)
    if story is None:
        raise UnknownStory(f"no story matches {ref!r} (run `dyad resolve` first?)")
    docs = story["docs"]
    stems = {d["doc_id"]: d["stem"] for d in docs}
    events = api.timeline(store, story["id"])["events"]
    sentence_of = {(d, e["idx"]): e["sentence"] for d in stems for e in store.rows("events", d)}
    for event in events:  # evidence names the event; cite its sentence
        for x in event["evidence"]:
            x["sentence_idx"] = sentence_of.get((x["doc_id"], x["idx"]))
    window = (story.get("date_from") or "")[:7], (story.get("date_to") or "9999")[:7]
    parts = [f"# {story['label']}", "", *_sources(docs), *_timeline(events), *_outcomes(events, window),
             *_figures(store, story["id"], stems), *_quotes(store, stems), *_projects(store, story["id"], stems),
             *_contradictions(store, story["id"], stems)]
    return "\n".join(parts).rstrip() + "\n"


def _cite(stem: str | None, idx: int | None) -> str:
    return f"[{stem} s{idx}]" if idx is not None else f"[{stem}]"


def _sources(docs: list[dict]) -> list[str]:
    lines = ["## Sources", ""]
    for d in docs:
        date = d.get("refined") or d.get("published") or "undated"
        lines.append(f"- `{d['stem']}` {d.get('title') or '(untitled)'} — {d.get('publisher') or 'unknown outlet'}, "
                     f"{date}")
    return lines + [""]


def _evidence(event: dict) -> str:
    return " ".join(_cite(x["stem"], x["sentence_idx"]) for x in event["evidence"])


def _actors(event: dict) -> str:
    source = ", ".join(event["source_actor"]) or "?"
    target = ", ".join(event["target_actor"])
    return f"{source} → {target}" if target else source


def _timeline(events: list[dict]) -> list[str]:
    lines = ["## What happened", ""]
    happened = [e for e in events if e["status"] == "happened"]
    # The happenings most sources report first, then by date, capped for readability.
    chosen = sorted(happened, key=lambda e: (-e["n_independent"], e["date"] or "9999"))[:MAX_EVENTS]
    for e in sorted(chosen, key=lambda e: (e["date"] or "9999", e["id"])):
        lines.append(f"- {e['date'] or 'undated'} — {e['type']} ({e['subtype']}): {_actors(e)}. "
                     f"“{e['evidence'][0]['sentence']}” {_evidence(e)}")
    return lines + (["- nothing dated was extracted"] if not chosen else []) + [""]


def outcome_groups(events: list[dict], window: tuple[str, str]) -> dict[str, list[dict]]:
    """Events sorted into ``agreed``, ``not_agreed`` and ``scheduled``.

    Agreed or done: an outcome type that happened during the story (``window``,
    two ``YYYY-MM`` bounds; older agreements are background); not agreed: denied;
    scheduled or hoped for: scheduled or hypothetical.
    """
    def during(e: dict) -> bool:
        return bool(e["date"]) and window[0] <= e["date"][:7] <= window[1]

    return {"agreed": [e for e in events if e["type"] in OUTCOME_TYPES and e["status"] == "happened" and during(e)],
            "not_agreed": [e for e in events if e["status"] == "denied"],
            "scheduled": [e for e in events if e["status"] in ("scheduled", "hypothetical")]}


OUTCOME_TITLES = {"agreed": "Agreed or done", "not_agreed": "Not agreed", "scheduled": "Scheduled or hoped for"}


def _outcomes(events: list[dict], window: tuple[str, str]) -> list[str]:
    groups = {OUTCOME_TITLES[k]: v for k, v in outcome_groups(events, window).items()}
    lines = ["## Outcomes", ""]
    for title, items in groups.items():
        lines.append(f"**{title}**")
        lines += [f"- {e['type']} ({e['subtype']}): {_actors(e)}. “{e['evidence'][0]['sentence']}” {_evidence(e)}"
                  for e in items[:MAX_EVENTS]] or ["- none found"]
        lines.append("")
    return lines


def _figure_sentences(store, doc_ids) -> dict[tuple[str, int], int]:
    return {(d, f["idx"]): f["sentence"] for d in doc_ids for f in store.rows("figures", d)}


def _figures(store, story_id: str, stems: dict[str, str]) -> list[str]:
    sentence_of = _figure_sentences(store, stems)
    groups = store.story_figure_groups(story_id)
    lines = ["## Key figures", ""]
    for g in sorted(groups, key=lambda g: (-g["n_sources"], g["measure"] or ""))[:MAX_EVENTS]:
        members = [f for f in g["figures"] if f["doc_id"] in stems]
        cites = " ".join(_cite(f["stem"], sentence_of.get((f["doc_id"], f["idx"]))) for f in members)
        values = "; ".join(f"{f['surface']} ({f['status']}, {f['period'] or 'no period'}"
                           f"{', ' + f['attributed_to'] if f['attributed_to'] else ''})" for f in members)
        note = f" — {g['note']}" if g["note"] else ""
        lines.append(f"- {MARKS.get(g['verdict'], g['verdict'])}: {g['measure'] or g['unit']}: {values}{note} {cites}")
    grouped = {(f["doc_id"], f["idx"]) for g in groups for f in g["figures"]}
    singles = [(d, f) for d in stems for f in store.rows("figures", d) if (d, f["idx"]) not in grouped]
    for doc_id, f in singles[:MAX_EVENTS]:
        who = f", {f['attributed_to']}" if f["attributed_to"] else ""
        lines.append(f"- {MARKS['single']}: {f['measure'] or f['unit']}: {f['surface']} ({f['status']}, "
                     f"{f['period'] or 'no period'}{who}) {_cite(stems[doc_id], f['sentence'])}")
    return lines + (["- no figures extracted"] if not groups and not singles else []) + [""]


def _quotes(store, stems: dict[str, str]) -> list[str]:
    by_speaker: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    for doc_id, stem in stems.items():
        for q in store.rows("quotes", doc_id):
            if q["speaker"] and q["kind"] == "full":
                by_speaker[q["speaker"]].append((q, stem))
    lines = ["## Who said what", ""]
    for speaker, said in sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        role = next((q["speaker_role"] for q, _ in said if q["speaker_role"]), None)
        lines.append(f"**{speaker}**" + (f", {role}" if role else ""))
        lines += [f"- “{q['text']}” {_cite(stem, q['sentence'])}" for q, stem in said[:MAX_QUOTES_PER_SPEAKER]]
        lines.append("")
    return lines if by_speaker else lines + ["- no attributed quotes", ""]


def _projects(store, story_id: str, stems: dict[str, str]) -> list[str]:
    rows = store.xproject_status(story_id=story_id)
    lines = ["## Projects and initiatives", ""]
    for p in rows:
        cites = " ".join(_cite(stems.get(x["doc_id"]), x["sentence"]) for x in p["evidence"][:3])
        lines.append(f"- {p['summary']} {cites}")
    return lines + (["- none named"] if not rows else []) + [""]


def _contradictions(store, story_id: str, stems: dict[str, str]) -> list[str]:
    sentence_of = _figure_sentences(store, stems)
    lines = ["## Open contradictions", ""]
    found = [g for g in store.story_figure_groups(story_id) if g["verdict"] == "conflicting"]
    for g in found:
        cites = " ".join(_cite(f["stem"], sentence_of.get((f["doc_id"], f["idx"]))) for f in g["figures"])
        values = " vs ".join(f"{f['surface']} ({f['stem']})" for f in g["figures"])
        lines.append(f"- {g['measure'] or g['unit']}: {values} {cites}")
    return lines + (["- none found among the extracted figures"] if not found else [])
