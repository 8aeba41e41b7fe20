"""Small inline SVG charts drawn on the server: no script, no library, no CDN.

Every text that reaches the SVG (labels, tooltips, links) goes through
``markupsafe.escape``; numbers are formatted here.  Colours are presentation
attributes, not ``style`` attributes, so the strict CSP allows them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from dyad.web.text import entity_href, format_value

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999933")
# Corroboration marks on charts: corroborated, differing, conflicting.
_BADGE_COLOURS = {"✔": "#00613a", "≠": "#b27a00", "✖": "#c0392b"}


@dataclass
class Point:
    """One mark on a time chart: an ISO date prefix, a value, a tooltip and a link."""

    when: str
    value: float
    label: str
    href: str
    series: int = 0
    precise: bool = True  # False: dated to the year only, drawn hollow at mid-year
    badge: str = ""       # a corroboration mark drawn beside the dot (✔ ≠ ✖)


def year_fraction(iso: str) -> float | None:
    """``2024`` → 2024.5, ``2024-05`` → 2024.37, ``2024-05-16`` → 2024.37…: the middle of the period."""
    try:
        parts = [int(p) for p in iso.split("-")[:3]]
        if len(parts) == 1:
            return parts[0] + 0.5
        if len(parts) == 2:
            return parts[0] + (parts[1] - 0.5) / 12
        day = date(*parts)
        return parts[0] + (day.timetuple().tm_yday - 0.5) / (366 if _leap(parts[0]) else 365)
    except (ValueError, TypeError):
        return None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    exp = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * exp:
            return step * exp
    return 10 * exp


def _x_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Year ticks, or month ticks when the span is short."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if hi - lo > 2.5:
        step = max(1, math.ceil((hi - lo) / 6))
        return [(float(y), str(y)) for y in range(math.ceil(lo), math.floor(hi) + 1, step)]
    ticks = []
    every = 1 if hi - lo <= 0.6 else (3 if hi - lo <= 1.5 else 6)
    m = math.ceil(lo * 12)
    while m / 12 <= hi:
        if m % every == 0:
            y, mo = divmod(m, 12)
            ticks.append((m / 12, f"{months[mo]} {y}" if mo == 0 or not ticks else months[mo]))
        m += 1
    return ticks


def time_chart(points: list[Point], *, width: int = 560, height: int = 180, stems: bool = False,
               title: str = "") -> Markup:
    """A scatter (or lollipop, with ``stems``) of values over time; each mark links to its source."""
    placed = [(year_fraction(p.when), p) for p in points]
    placed = [(x, p) for x, p in placed if x is not None]
    if not placed:
        return Markup('<p class="muted">No dated values to chart.</p>')
    left, right, top, bottom = 58, 14, 12, 26
    xs = [x for x, _ in placed]
    lo, hi = min(xs), max(xs)
    pad = max((hi - lo) * 0.06, 0.08)
    lo, hi = lo - pad, hi + pad
    low = min(0.0, min(p.value for _, p in placed))
    step = _nice_step(max(p.value for _, p in placed) * 1.05 - low)
    vmin = math.floor(low / step) * step
    vmax = max(step, math.ceil(max(p.value for _, p in placed) * 1.05 / step) * step)

    def sx(x: float) -> float:
        return left + (x - lo) / (hi - lo) * (width - left - right)

    def sy(v: float) -> float:
        return top + (vmax - v) / ((vmax - vmin) or 1) * (height - top - bottom)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{escape(title or "values over time")}">']
    for i in range(round((vmax - vmin) / step) + 1):
        v = vmin + step * i
        y = sy(v)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e4e4"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
                   f"{escape(format_value(v))}</text>")
    for x, label in _x_ticks(lo, hi):
        out.append(f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{top}" y2="{height - bottom}" stroke="#f0f0f0"/>'
                   f'<text x="{sx(x):.1f}" y="{height - 8}" text-anchor="middle" class="tick">{escape(label)}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(0):.1f}" y2="{sy(0):.1f}" stroke="#888"/>')
    for x, p in placed:
        colour = PALETTE[p.series % len(PALETTE)]
        cx, cy = sx(x), sy(p.value)
        stem = (f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{sy(0):.1f}" y2="{cy:.1f}" stroke="{colour}" '
                f'stroke-width="3"/>' if stems else "")
        fill = (f'fill="{colour}" fill-opacity="0.85" stroke="#fff" stroke-width="1.5"' if p.precise
                else f'fill="#fff" stroke="{colour}" stroke-width="2.5"')
        badge = (f'<text x="{cx + 8:.1f}" y="{cy - 5:.1f}" class="badge" fill="{_BADGE_COLOURS.get(p.badge, "#333")}">'
                 f"{escape(p.badge)}</text>" if p.badge else "")
        out.append(f'<a href="{escape(p.href)}" class="pt">{stem}<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" {fill}>'
                   f"<title>{escape(p.label)}</title></circle>{badge}</a>")
    out.append("</svg>")
    return Markup("".join(out))


def cooccurrence_graph(graph: dict, *, width: int = 600, height: int = 380, side_links: int = 14) -> Markup:
    """The entity in the middle, the entities it shares sentences with around it; links to their pages.

    Only the ``side_links`` strongest links between the neighbours are drawn, so
    the picture stays readable.
    """
    nodes, edges = graph["nodes"], graph["edges"]
    if len(nodes) < 2:
        return Markup('<p class="muted">Not named together with any other entity.</p>')
    cx, cy = width / 2, height / 2
    rx, ry = min(width / 2 - 150, 170), height / 2 - 40  # room for labels at the sides
    pos = {nodes[0]["name"]: (cx, cy)}
    n = len(nodes) - 1
    for i, node in enumerate(nodes[1:]):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        pos[node["name"]] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    centre = nodes[0]["name"]
    side = sorted((e for e in edges if e["a"] != centre), key=lambda e: -e["sentences"])[:side_links]
    edges = side + [e for e in edges if e["a"] == centre]
    top = max((e["sentences"] for e in edges), default=1) or 1
    out = [f'<svg class="graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="Entities named in the same sentences">']
    c = cx
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        w = 0.8 + 5 * e["sentences"] / top
        colour = "#5b8fc7" if e["a"] == nodes[0]["name"] else "#cfcfcf"
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                   f'stroke-width="{w:.1f}"><title>{escape(e["a"])} – {escape(e["b"])}: '
                   f'{e["sentences"]} sentence(s)</title></line>')
    biggest = max(node["sentences"] for node in nodes[1:]) or 1
    for i, node in enumerate(nodes):
        x, y = pos[node["name"]]
        r = 14 if i == 0 else 5 + 7 * node["sentences"] / biggest
        anchor = "middle" if i == 0 or abs(x - c) < 8 else ("start" if x > c else "end")
        dx = 0 if anchor == "middle" else (r + 4 if anchor == "start" else -r - 4)
        dy = r + 14 if i == 0 or (anchor == "middle" and y > cy) else (-r - 6 if anchor == "middle" else 4)
        label = node["name"] if len(node["name"]) <= 28 else node["name"][:27] + "…"
        fill = "#0072B2" if i == 0 else "#E69F00"
        out.append(f'<a href="{escape(entity_href(node["name"]))}" class="node">'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="#fff" stroke-width="2">'
                   f'<title>{escape(node["name"])}: {node["sentences"]} sentence(s), {node["documents"]} document(s)'
                   f'</title></circle><text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" '
                   f'paint-order="stroke" '
                   f'stroke="#fff" stroke-width="4" stroke-linejoin="round" '
                   f'class="{"centre" if i == 0 else "lbl"}">{escape(label)}</text></a>')
    out.append("</svg>")
    return Markup("".join(out))


# Event status → colour on the story timeline (Okabe–Ito).
STATUS_COLOURS = {"happened": "#0072B2", "scheduled": "#E69F00", "hypothetical": "#CC79A7", "denied": "#D55E00"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Mark:
    """One event on the story timeline."""

    date: str | None      # an ISO date, prefix or range ("2023-10", "1990/1999"); None: undated
    status: str
    label: str            # tooltip
    href: str             # its source sentence
    outcome: bool = False  # an outcome type: drawn as a diamond
    sources: int = 1       # independent sources: two or more get a dark ring


def date_label(date: str | None) -> str:
    """``2023-10-17`` → ``17 Oct 2023``, ``2023-10`` → ``Oct 2023``, ``1990/1999`` → ``1990–1999``."""
    if not date:
        return "undated"
    if "/" in date:
        a, _, b = date.partition("/")
        first, last = date_label(a), date_label(b)
        # Shared trailing words are said once: "16–17 May 2024", "Mar–May 2023".
        fa, la = first.split(), last.split()
        k = 0
        while len(fa) == len(la) and k < len(fa) - 1 and fa[-1 - k] == la[-1 - k]:
            k += 1
        if k:
            return " ".join(fa[:-k]) + "–" + last
        return f"{first}–{last}"
    parts = date.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return date


def event_timeline(marks: list[Mark], window: tuple[str, str] | None = None, *, width: int = 1270,
                   max_rows: int = 12, window_label: str = "") -> Markup:
    """The story's events as columns of marks, one column per distinct date (oldest left, undated last).

    Dates are placed in order, not to scale: a story's background reaches back
    years while its own events crowd into days.  Columns inside ``window``
    (ISO month prefixes) are shaded as the story's own period.  Every mark links
    to its source sentence; its tooltip says what happened.
    """
    if not marks:
        return Markup('<p class="muted">No events were extracted for this story.</p>')
    columns: dict[str | None, list[Mark]] = {}
    for m in sorted(marks, key=lambda m: (m.date is None, m.date or "")):
        columns.setdefault(m.date, []).append(m)
    # Columns share the width, within bounds; past the lower bound the picture scrolls sideways.
    col_width = max(56, min(110, (width - 16) // len(columns)))
    step, per_row = 13, max(2, (col_width - 8) // 13)
    rows = min(max_rows, max(-(-len(ms) // per_row) for ms in columns.values()))
    left, top, label_room = 8, 30, 74
    base = top + rows * step + 6
    # Room for the caption however few the columns.
    width, height = max(left * 2 + col_width * len(columns), 380), base + label_room
    out = [f'<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="Timeline of the story\'s events">']
    for i, (when, ms) in enumerate(columns.items()):
        x0 = left + i * col_width
        inside = bool(window and when and window[0] <= when[:7] <= window[1])
        if inside:
            out.append(f'<rect x="{x0}" y="4" width="{col_width}" height="{base - 2}" fill="#fff4cc"/>')
        if when is None and i:
            out.append(f'<line x1="{x0}" x2="{x0}" y1="4" y2="{base}" stroke="#999" stroke-dasharray="3 3"/>')
        out.extend(_column(ms, x0, base, col_width, per_row, rows, step))
        lx, ly = x0 + col_width / 2 + 4, base + 10
        out.append(f'<text x="{lx:.1f}" y="{ly}" transform="rotate(-40 {lx:.1f} {ly})" text-anchor="end" '
                   f'class="tick{" in" if inside else ""}">{escape(date_label(when))}</text>')
    out.append(f'<line x1="{left}" x2="{width - left}" y1="{base}" y2="{base}" stroke="#888"/>')
    if window:
        label = window_label or f"{date_label(window[0])} – {date_label(window[1])}"
        out.append(f'<text x="{left + 2}" y="14" class="tick">shaded: the story\'s own dates ({escape(label)})</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _column(ms: list[Mark], x0: float, base: float, col_width: int, per_row: int, rows: int, step: int) -> list[str]:
    """The marks of one date, stacked upwards from the baseline; overflow becomes a "+N" note."""
    out = []
    shown = ms[: per_row * rows]
    inner = per_row * step
    for j, m in enumerate(shown):
        row, col = divmod(j, per_row)
        cx = x0 + (col_width - inner) / 2 + col * step + step / 2
        cy = base - 8 - row * step
        colour = STATUS_COLOURS.get(m.status, "#666")
        ring = 'stroke="#1d2329" stroke-width="1.6"' if m.sources > 1 else 'stroke="#fff" stroke-width="1"'
        if m.outcome:
            shape = (f'<path d="M{cx:.1f} {cy - 6.5:.1f} L{cx + 6.5:.1f} {cy:.1f} L{cx:.1f} {cy + 6.5:.1f} '
                     f'L{cx - 6.5:.1f} {cy:.1f} Z" fill="{colour}" {ring}>')
            close = "</path>"
        else:
            shape = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5.2" fill="{colour}" {ring}>'
            close = "</circle>"
        out.append(f'<a href="{escape(m.href)}" class="ev">{shape}<title>{escape(m.label)}</title>{close}</a>')
    if len(ms) > len(shown):
        out.append(f'<text x="{x0 + col_width / 2:.1f}" y="{base - 8 - rows * step:.1f}" text-anchor="middle" '
                   f'class="tick">+{len(ms) - len(shown)} more</text>')
    return out
