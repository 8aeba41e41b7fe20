"""The document page's text: clean text with every extracted span marked up by kind.

Spans of different kinds overlap freely (an entity inside a quote inside a
sentence; a quote across two sentences), but HTML elements must nest.  The text is
cut at every span boundary; each piece is wrapped in the spans covering it, in a
fixed order of kinds, and an element that crosses a boundary it cannot nest
across is closed and reopened (only its first fragment carries the ``id``).
Everything from the article is escaped; only the tags built here are markup.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape

# Outer to inner.  The highlight sits just inside the sentence so that it wraps
# every kind of span it covers.
PRIORITY = {"sentence": 0, "hl": 1, "quote": 2, "figure": 3, "event": 4, "date": 5, "entity": 6}
KINDS = ("entity", "quote", "figure", "event", "date")


@dataclass(eq=False)
class Span:
    """One element to draw over ``[start, end)`` of the clean text."""

    start: int
    end: int
    kind: str
    tag: str = "span"
    attrs: dict[str, str] = field(default_factory=dict)
    seq: int = 0

    def key(self) -> tuple:
        return PRIORITY[self.kind], self.start, -self.end, self.seq


def _open(span: Span, tag: str, first: bool) -> str:
    attrs = {k: v for k, v in span.attrs.items() if first or k != "id"}
    if tag != "a":
        attrs.pop("href", None)
    rendered = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
    return f"<{tag}{rendered}>"


def render_paragraph(text: str, start: int, end: int, spans: list[Span]) -> str:
    """HTML for ``text[start:end]`` with ``spans`` (already clipped to it) nested properly."""
    cuts = {start, end}
    for s in spans:
        cuts.update((s.start, s.end))
    points = sorted(c for c in cuts if start <= c <= end)
    out: list[str] = []
    stack: list[tuple[Span, str]] = []  # open spans with the tag each was opened as
    opened: set[int] = set()
    for a, b in zip(points, points[1:]):
        want = sorted((s for s in spans if s.start <= a and s.end >= b), key=Span.key)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep][0] is want[keep]:
            keep += 1
        while len(stack) > keep:
            span, tag = stack.pop()
            out.append(_sentence_anchor(span, a) + f"</{tag}>")
        for span in want[keep:]:
            # Links never nest: an entity inside another link is drawn as a plain span.
            tag = "span" if span.tag == "a" and any(t == "a" for _, t in stack) else span.tag
            out.append(_open(span, tag, id(span) not in opened))
            opened.add(id(span))
            stack.append((span, tag))
        out.append(str(escape(text[a:b])))
    while stack:
        span, tag = stack.pop()
        out.append(_sentence_anchor(span, end) + f"</{tag}>")
    return "".join(out)


def _sentence_anchor(span: Span, at: int) -> str:
    """A small permalink at the very end of a sentence (shown on hover)."""
    if span.kind != "sentence" or span.end != at:
        return ""
    target = span.attrs["id"]
    return f'<a class="sl" href="#{target}" title="Link to this sentence">#</a>'


def document_spans(page: dict, hl: tuple[int, int] | None) -> list[Span]:
    """Every span of the document page data, sentences and the highlight included."""
    spans: list[Span] = []
    for s in page["sentences"]:
        cls = "s hl-s" if hl and s["start"] < hl[1] and hl[0] < s["end"] else "s"
        spans.append(Span(s["start"], s["end"], "sentence", attrs={"id": f"s{s['idx']}", "class": cls}))
    if hl:
        spans.append(Span(hl[0], hl[1], "hl", tag="mark", attrs={"id": "hl", "class": "hl"}))
    for e in page["entities"]:
        title = f"{e['canonical']} ({e['label']})" + ("" if e["body"] else " — byline/credit only")
        for m in e["mentions"]:
            spans.append(Span(m["start"], m["end"], "entity", tag="a", attrs={
                "class": f"x x-entity lab-{e['label']}", "href": entity_href(e["canonical"]), "title": title}))
    for q in page["quotes"]:
        who = q["speaker"] or "unattributed"
        spans.append(Span(q["start"], q["end"], "quote", attrs={
            "class": "x x-quote", "id": f"q{q['idx']}", "title": f"Quote ({q['kind']}) — {who}"
            + (f", {q['cue']}" if q["cue"] else "")}))
    for f in page["figures"]:
        spans.append(Span(f["start"], f["end"], "figure", attrs={
            "class": "x x-figure", "id": f"f{f['idx']}", "title": figure_title(f)}))
    for v in page["events"]:
        actors = ", ".join(v["source_actor"]) or "?"
        targets = ", ".join(v["target_actor"])
        spans.append(Span(v["trigger_start"], v["trigger_end"], "event", attrs={
            "class": "x x-event", "id": f"e{v['idx']}",
            "title": f"Event {v['type']}/{v['subtype']} ({v['status']}): {actors}"
            + (f" → {targets}" if targets else "")
            + (f", {v['date']}" if v["date"] else "")}))
    for d in page["dates"]:
        spans.append(Span(d["start"], d["end"], "date", attrs={
            "class": "x x-date", "title": f"Date: {d['value'] or 'unresolved'}" + (
                f" ({d['precision']})" if d["precision"] else "")}))
    for i, s in enumerate(spans):
        s.seq = i
    return spans


def figure_title(f: dict) -> str:
    """A one-line description of a figure for tooltips."""
    parts = [f"Figure: {format_value(f['value'])} {f['unit']}"]
    if f.get("measure"):
        parts.append(f"— {f['measure']}")
    if f.get("period"):
        parts.append(f"({f['period']})")
    if f.get("attributed_to"):
        parts.append(f"according to {f['attributed_to']}")
    if f.get("status") and f["status"] != "actual":
        parts.append(f"[{f['status']}]")
    return " ".join(parts)


def format_value(value: float | None) -> str:
    """A number as an analyst reads it: 200 bn, 1.4 m, 47, 2.5."""
    if value is None:
        return "—"
    v = float(value)
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(v) >= size:
            return f"{v / size:,.3g}{suffix}"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.3g}"


def entity_href(name: str) -> str:
    """The entity page of a canonical name (every character outside the safe set escaped)."""
    return "/entity/" + quote(name, safe="")


def render_document(page: dict, hl: tuple[int, int] | None) -> Markup:
    """The article body: paragraphs with marked-up spans, boilerplate collapsed in place."""
    text = page["document"]["clean_text"]
    spans = document_spans(page, hl)
    blocks = _boilerplate_blocks(page)
    out: list[str] = []
    by_start = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in by_start]
    for p in page["paragraphs"]:
        first_line = min(p["line_numbers"]) if p["line_numbers"] else None
        while blocks and first_line is not None and blocks[0][0] < first_line:
            out.append(_boilerplate_html(blocks.pop(0)[1]))
        inside = by_start[: bisect_left(starts, p["end"])]
        clipped = [_clip(s, p["start"], p["end"]) for s in inside if s.end > p["start"]]
        body = render_paragraph(text, p["start"], p["end"], [c for c in clipped if c is not None])
        out.append(f'<p class="para k-{escape(p["kind"])}" data-para="{p["idx"]}">{body}</p>')
    out.extend(_boilerplate_html(b) for _, b in blocks)
    return Markup("\n".join(out))


def _clip(span: Span, start: int, end: int) -> Span | None:
    if span.end <= start or span.start >= end:
        return None
    if span.start >= start and span.end <= end:
        return span
    # A span crossing a paragraph break is drawn in each paragraph; one id only.
    attrs = span.attrs if span.start >= start else {k: v for k, v in span.attrs.items() if k != "id"}
    return Span(max(span.start, start), min(span.end, end), span.kind, span.tag, attrs, span.seq)


def _boilerplate_blocks(page: dict) -> list[tuple[int, list[dict]]]:
    """Runs of removed lines not separated by kept text, as ``(last line number, lines)``."""
    kept = sorted(n for p in page["paragraphs"] for n in p["line_numbers"])
    blocks: list[tuple[int, list[dict]]] = []
    for line in page["boilerplate"]:
        if blocks:
            last = blocks[-1][0]
            i = bisect_left(kept, last)
            if not (i < len(kept) and kept[i] < line["number"]):
                blocks[-1][1].append(line)
                blocks[-1] = (line["number"], blocks[-1][1])
                continue
        blocks.append((line["number"], [line]))
    return blocks


def _boilerplate_html(lines: list[dict]) -> str:
    reasons = ", ".join(dict.fromkeys(ln["reason"] or "boilerplate" for ln in lines))
    items = "".join(
        f'<li value="{ln["number"]}"><span class="why">{escape(ln["reason"] or "boilerplate")}</span> '
        f'{escape(ln["text"])}</li>' for ln in lines)
    noun = "line" if len(lines) == 1 else "lines"
    return (f'<details class="boilerplate"><summary>{len(lines)} {noun} removed: {escape(reasons)}</summary>'
            f"<ol>{items}</ol></details>")
