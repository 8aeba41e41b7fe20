"""Views across documents that the current store supports: entities and figures.

Entities are grouped by canonical name across documents; the entity page adds
the cross-document identity the resolve stage found (aliases across documents,
the state a capital or demonym stands for, project status, stories).  Figures
are grouped by measure (or unit) and charted over time, each marked with its
cross-source verdict where the resolve stage compared it.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from urllib.parse import quote

from fastapi import HTTPException, Path, Query, Request

from dyad.resolve.gazetteer import gazetteer
from dyad.store.queries import EntityWindow, iso_prefix, measure_key
from dyad.web.charts import PALETTE, Point, cooccurrence_graph, time_chart
from dyad.web.params import DateFrom, DateTo, EntityName, EventType, Limit, Outlet, Page, doc_filter, filter_dict
from dyad.web.render import Pager, doc_href, fact_href, respond
from dyad.web.text import entity_href, figure_title, format_value
from dyad.web.views import Store, filter_facets
from dyad.web.views_stories import story_href, verdict_mark

VerdictFilter = Annotated[Literal["", "corroborated", "differing", "conflicting", "single", "disputed"],
                          Query(description="Only figures whose cross-source group has this verdict "
                                            "(disputed: conflicting or differing).")]

# Figures charted at most per request: a bound on work, not a page size.
_FIGURE_CAP = 5000


def entities(request: Request, store: Store,
             q: Annotated[str, Query(max_length=200, description="Name contains.")] = "",
             label: Annotated[str, Query(max_length=40, description="Only this entity label.")] = "",
             page: Page = 1, limit: Limit = 50):
    """Entities by canonical name, most documents first, with their labels and mention counts."""
    rows, total = store.entity_index(q.strip() or None, label.strip() or None, limit, (page - 1) * limit)
    pager = Pager(request, page, limit, total)
    for r in rows:
        r["href"] = entity_href(r["name"])
    data = {"entities": rows, "filters": {"q": q, "label": label}, "pagination": pager.as_dict()}
    return respond(request, "entities.html", data, lambda: {"labels": store.entity_labels(), "pager": pager})


EntityPathName = Annotated[str, Path(max_length=300, description="Canonical entity name, URL-encoded (/ as %2F).")]


def entity(request: Request, name: EntityPathName, store: Store):
    """One entity across documents: aliases, roles, mentions over time, events, quotes, figures, neighbours."""
    window = store.entity_window_rows(name)  # read once, shared by the profile, identity and stories
    profile = store.entity_profile(name, window=window)
    if profile is None:
        raise HTTPException(404, f"no entity named {name!r}")
    for d in profile["documents"]:
        d["href"] = fact_href(d["id"], d["first_sentence"], d["first_start"], d["first_end"]) \
            if d["first_start"] is not None else doc_href(d["id"])
    for v in profile["events"]:
        v["href"] = fact_href(v["doc_id"], v["sentence"], v["trigger_start"], v["trigger_end"])
    for x in profile["quotes"] + profile["figures"]:
        x["href"] = fact_href(x["doc_id"], x["sentence"], x["start"], x["end"])
    profile["identity"] = _identity(store, name, window)
    profile["stories"] = store.entity_stories(name, window=window)
    for st in profile["stories"]:
        st["href"] = story_href(st["id"])
    profile["cooccurrence"] = store.entity_cooccurrence(name)
    profile["mentions_over_time"] = [
        {"published": d["published"], "doc_id": d["id"], "mentions": d["mentions"], "href": d["href"]}
        for d in profile["documents"]]

    def extras() -> dict:
        points = [Point(d["published"], d["mentions"],
                        f"{d['title'] or d['stem'] or d['id']} — {d['publisher'] or 'unknown outlet'}, "
                        f"{d['published']}: {d['mentions']} mention(s)", d["href"], precise=len(d["published"]) > 4)
                  for d in profile["documents"] if d["published"]]
        return {"timeline": time_chart(points, stems=True, height=160, title=f"Mentions of {name} over time"),
                "graph": cooccurrence_graph(profile["cooccurrence"]),
                "undated": [d for d in profile["documents"] if not d["published"]]}

    return respond(request, "entity.html", profile, extras)


def _identity(store: Store, name: str, window: EntityWindow) -> dict | None:
    """The cross-document entity this name belongs to: aliases across documents, the state it is
    or stands for, linked names (capital, demonym…), project status.  None before the resolve stage."""
    hits = store.entity_identity(name, window=window)
    if not hits:
        return None
    x = hits[0]
    out = {k: x[k] for k in ("id", "canonical", "label", "aliases", "roles", "n_docs", "n_mentions", "relation")}
    out["state"] = gazetteer().name(x["state"]) if x["state"] else None
    out["also"] = [h["canonical"] for h in hits[1:]]
    out["linked"] = store.xentity_linked(x["state"]) if x["state"] and x["relation"] == "state" else []
    projects = store.xproject_status(x["id"])
    out["projects"] = [{"status": p["status"], "date": p["date"], "summary": p["summary"], "story_id": p["story_id"],
                        "story": p["story"], "story_href": story_href(p["story_id"])} for p in projects]
    names = [out["canonical"], *(n["canonical"] for n in out["linked"]), *([out["state"]] if out["state"] else [])]
    pages = store.entity_names_present(names)
    out["href"] = entity_href(out["canonical"]) if out["canonical"] in pages and out["canonical"] != name else None
    out["state_href"] = entity_href(out["state"]) if out["state"] in pages and out["state"] != name else None
    for n in out["linked"]:
        n["href"] = entity_href(n["canonical"]) if n["canonical"] in pages else None
    return out


def figures(request: Request, store: Store,
            group: Annotated[Literal["measure", "unit", "xgroup"],
                             Query(description="Chart per measure, per unit, or per cross-source figure group "
                                               "(the figures the resolve stage compared).")] = "measure",
            unit: Annotated[str, Query(max_length=40, description="Only this unit.")] = "",
            measure: Annotated[str, Query(max_length=200, description="Measure contains.")] = "",
            page: Page = 1, limit: Annotated[int, Query(ge=1, le=100, description="Groups per page.")] = 20,
            per_group: Annotated[int, Query(ge=1, le=1000, description="Figures shown per group, newest first.")] = 30,
            outlet: Outlet = "", date_from: DateFrom = "", date_to: DateTo = "", entity: EntityName = "",
            event_type: EventType = "", verdict: VerdictFilter = "",
            xgroup: Annotated[str, Query(max_length=64, description="Only the members of this figure group.")] = ""):
    """Figures grouped per measure (or per unit), each group every source's value over time.

    Here ``entity`` means the figure is attributed to that entity.  A figure is
    placed in time by its period when that starts with a date, else by its
    document's publication date.  A figure that the resolve stage compared across
    sources carries its group (``xgroup``), the group's ``verdict`` and ``mark``
    (✔ corroborated, ≠ differing, ✖ conflicting, · single source) and ``note``;
    ``verdict=disputed`` keeps conflicting and differing ones.
    """
    f = doc_filter(outlet, date_from, date_to, entity, event_type)
    verdicts = ("conflicting", "differing") if verdict == "disputed" else ((verdict,) if verdict else ())
    rows = store.figure_rows(f, unit.strip() or None, measure.strip() or None, _FIGURE_CAP, verdicts,
                             xgroup.strip() or None)
    groups = _group_figures(rows, group)
    pager = Pager(request, page, limit, len(groups))
    shown = [_cap(g, per_group) for g in groups[pager.offset: pager.offset + limit]]
    data = {"group_by": group, "groups": shown, "figures": len(rows), "truncated": len(rows) >= _FIGURE_CAP,
            "filters": {**filter_dict(f), "unit": unit, "measure": measure, "verdict": verdict, "xgroup": xgroup},
            "pagination": pager.as_dict()}

    def extras() -> dict:
        # A group of one is a table row, not a chart with a single dot.
        charted = [g for g in shown if len(g["figures"]) > 1]
        return {**filter_facets(store), "units": store.facet_units(), "pager": pager, "charted": charted,
                "verdict_counts": store.figure_verdict_counts(),
                "charts": [_group_chart(g) for g in charted],
                "single": [g["figures"][0] for g in shown if len(g["figures"]) == 1]}

    return respond(request, "figures.html", data, extras)


def _cap(group: dict, n: int) -> dict:
    """A group with at most ``n`` figures, the newest (undated last); ``count`` keeps the full number."""
    members = sorted(group["figures"], key=lambda m: m["when"] or "", reverse=True)
    return {**group, "count": len(members), "figures": members[:n], "capped": len(members) > n}


def _group_figures(rows: list[dict], by: str) -> list[dict]:
    """Figures into groups keyed by (measure, unit) or unit; biggest groups first."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        r["href"] = fact_href(r["doc_id"], r["sentence"], r["start"], r["end"])
        period = iso_prefix(r["period"])
        r["when"] = period or iso_prefix(r["published"])
        r["when_from"] = "period" if period else ("published" if r["when"] else None)
        r["approx"] = bool(r["approx"])
        r["mark"] = verdict_mark(r["verdict"])
        r["xgroup_href"] = f"/figures?xgroup={quote(r['xgroup'], safe='')}" if r["xgroup"] else None
        if by == "xgroup":  # figures never compared stay alone
            key = (r["xgroup"] or f"{r['doc_id']}:{r['idx']}", r["unit"])
        else:
            key = (r["unit"],) if by == "unit" else (measure_key(r["measure"]), r["unit"])
        groups.setdefault(key, []).append(r)
    out = []
    for key, members in groups.items():
        names = Counter(m["measure"] for m in members if m["measure"])
        outlets = list(dict.fromkeys(m["publisher"] or "unknown outlet" for m in members))
        out.append({"measure": None if by == "unit" else (names.most_common(1)[0][0] if names else None),
                    "xgroup": members[0]["xgroup"] if by == "xgroup" else None,
                    "verdict": members[0]["verdict"] if by == "xgroup" else None,
                    "unit": key[-1], "outlets": outlets, "figures": members,
                    "documents": len({m["doc_id"] for m in members}),
                    "verdicts": dict(Counter(m["verdict"] for m in members if m["verdict"]))})
    # Figures with no measure are not comparable with each other: their groups go last.
    out.sort(key=lambda g: (by == "measure" and g["measure"] is None, -g["documents"], -len(g["figures"]),
                            g["unit"], g["measure"] or ""))
    return out


def _group_chart(g: dict) -> dict:
    """The chart of one group and its legend (outlet → colour)."""
    series = {name: i for i, name in enumerate(g["outlets"])}
    points = []
    for m in g["figures"]:
        if m["when"]:
            label = (f"{m['surface']} — {format_value(m['value'])} {m['unit']}, {m['when']} "
                     f"({m['publisher'] or 'unknown outlet'}): {figure_title(m)}")
            badge = m["mark"]["sign"] if m["mark"] and m["verdict"] != "single" else ""
            if m["mark"]:
                label += f" — {m['mark']['text']}" + (f": {m['note']}" if m["note"] else "")
            points.append(Point(m["when"], m["value"], label, m["href"], series[m["publisher"] or "unknown outlet"],
                                precise=len(m["when"]) > 4, badge=badge))
    title = f"{g['measure'] or g['unit']} over time"
    return {"svg": time_chart(points, title=title),
            "legend": [(name, PALETTE[i % len(PALETTE)]) for name, i in series.items()]}
