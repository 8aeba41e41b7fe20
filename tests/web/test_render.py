"""Rendering: nested spans stay well-formed, untrusted text is escaped, an empty store still serves every page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from dyad.web import create_app
from dyad.web.charts import Mark, Point, cooccurrence_graph, date_label, event_timeline, time_chart, year_fraction
from dyad.web.text import Span, format_value, render_paragraph
from tests.web.conftest import ASGIClient

VOID = {"meta", "link", "input", "br", "img", "hr", "rect", "circle", "line"}


class Balance(HTMLParser):
    """Checks that every element closes in order and that links never nest."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.errors.append(f"<{tag} {name}=…>")
            unsafe = ("javascript:", "data:", "//", "http")
            if name in ("href", "src") and (value or "").strip().lower().startswith(unsafe):
                self.errors.append(f"<{tag} {name}={value}>")
        if tag == "script" and dict(attrs).get("src") != "/static/dyad.js":
            self.errors.append("foreign <script>")
        if tag in ("img", "iframe", "object", "embed"):
            self.errors.append(f"<{tag}>")
        if tag in VOID:
            return
        if tag == "a" and "a" in self.stack:
            self.errors.append("nested <a>")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        stack = list(self.stack)
        self.handle_starttag(tag, attrs)
        self.stack = stack

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def balanced(html: str) -> list[str]:
    p = Balance()
    p.feed(html)
    return p.errors + ([f"unclosed {p.stack}"] if p.stack else [])


def test_overlapping_spans_nest_and_split():
    text = "Putin said <trade> grew & fell."
    spans = [
        Span(0, 31, "sentence", attrs={"id": "s0", "class": "s"}),
        Span(6, 22, "quote", attrs={"id": "q0", "class": "x x-quote"}),
        Span(0, 10, "event", attrs={"id": "e0", "class": "x x-event"}),  # crosses the quote's start
        Span(0, 5, "entity", tag="a", attrs={"href": "/entity/Putin", "class": "x x-entity"}),
        Span(2, 8, "entity", tag="a", attrs={"href": "/entity/X", "class": "x x-entity"}),  # overlaps the first
    ]
    for i, s in enumerate(spans):
        s.seq = i
    html = render_paragraph(text, 0, 31, spans)
    assert balanced(html) == []
    assert "&lt;trade&gt;" in html and "&amp;" in html and "<trade>" not in html
    assert html.count('id="e0"') == 1 and html.count('class="x x-event"') == 2  # split, one id
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") \
        == text + "#"  # the sentence permalink


def test_attribute_values_are_escaped():
    spans = [Span(0, 3, "entity", tag="a", attrs={"href": '/entity/"><script>', "title": "x\" onmouseover=\"y"})]
    html = render_paragraph("abc", 0, 3, spans)
    assert "<script>" not in html and 'onmouseover="' not in html and "&#34;" in html


def test_charts_escape_and_link():
    evil = '"><script>alert(1)</script>'
    svg = str(time_chart([Point("2024-05-16", 10, evil, "/doc/x?hl=1-2#s0"), Point("2023", 5, "b", "/doc/y")]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'href="/doc/x?hl=1-2#s0"' in svg
    assert balanced(svg) == []
    graph = {"nodes": [{"name": evil, "sentences": 2, "documents": 1}, {"name": "B/C", "sentences": 1, "documents": 1}],
             "edges": [{"a": evil, "b": "B/C", "sentences": 1}]}
    svg = str(cooccurrence_graph(graph))
    assert "<script>" not in svg and f'href="/entity/{quote("B/C", safe="")}"' in svg and balanced(svg) == []
    assert "No dated values" in str(time_chart([Point("sometime", 1, "x", "/")]))


def test_year_fraction_and_values():
    assert year_fraction("2024") == 2024.5
    assert 2024.3 < year_fraction("2024-05") < 2024.4 < year_fraction("2024-05-30") < 2024.5
    assert year_fraction("2024-02-30") is None and year_fraction("soon") is None
    assert format_value(200e9) == "200 bn" and format_value(47) == "47" and format_value(2.5) == "2.5"
    assert format_value(1_400_000) == "1.4 m" and format_value(None) == "—"


@pytest.fixture(scope="module")
def empty_api(tmp_path_factory):
    from dyad.store import Store

    path = tmp_path_factory.mktemp("empty") / "empty.db"
    Store(path).close()
    client = ASGIClient(create_app(path))
    yield client
    client.close()


@pytest.mark.parametrize("url", ["/", "/index.json", "/documents", "/documents.json", "/entities", "/entities.json",
                                 "/figures", "/figures.json?group=unit", "/search?q=trade", "/search.json?q=trade",
                                 "/stories", "/stories.json", "/ask?q=trade", "/ask.json?q=trade", "/docs"])
def test_an_empty_store_serves_every_page(empty_api, url):
    r = empty_api.get(url)
    assert r.status_code == 200, r.text[:300]


def test_hostile_article_is_escaped_in_every_page(hostile_store_path):
    client = ASGIClient(create_app(hostile_store_path))
    try:
        doc = client.get("/index.json").json()["recent_documents"][0]
        assert "<script>" in doc["title"]  # stored verbatim: it is data
        names = [e["name"] for e in client.get("/entities.json?limit=200").json()["entities"]]
        entity = next((n for n in names if "<" in n or '"' in n), "Vladimir Putin")
        urls = ["/", "/documents", f"/doc/{doc['id']}", f"/doc/{doc['id']}?hl=0-20", "/search?q=pwned",
                "/search?q=script", "/figures?group=unit", "/figures", "/entities", f"/entity/{quote(entity, safe='')}",
                "/entity/Vladimir%20Putin", "/ask?q=pwned", "/ask?q=Putin+trade", "/stories"]
        stories = client.get("/stories.json").json()["stories"]
        assert stories, "the hostile article is a story of its own"
        urls += [f"/story/{s['id']}" for s in stories] + ["/figures?group=xgroup"]
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, url
            body = r.text
            assert "<script>window" not in body and "<img src=x" not in body and "<svg onload" not in body, url
            assert balanced(body[body.index("<body"):body.index("</body>") + 7]) == [], url
        page = client.get(f"/doc/{doc['id']}").text
        assert "&lt;script&gt;window.__pwned" in page and "&lt;img src=x onerror" in page
    finally:
        client.close()


def test_date_labels_and_the_event_timeline():
    assert date_label("2024-05-16/2024-05-17") == "16–17 May 2024"
    assert date_label("2023-03/2023-05") == "Mar–May 2023" and date_label("1990/1999") == "1990–1999"
    assert date_label("2023-10-30/2023-11-02") == "30 Oct–2 Nov 2023" and date_label(None) == "undated"
    assert date_label("2001-12") == "Dec 2001" and date_label("soon") == "soon"
    marks = [Mark("2024-05", "happened", f'<script>"{i}"</script>', f"/doc/x?hl=1-2#s{i}", outcome=i % 2 == 0,
                  sources=2 if i == 0 else 1) for i in range(200)]
    marks += [Mark(None, "denied", "undated one", "/doc/y#s1"), Mark("1990/1999", "scheduled", "old", "/doc/z#s0")]
    svg = str(event_timeline(marks, ("2024-05", "2024-05")))
    assert svg.startswith('<svg class="timeline"') and "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.index(">1990–1999<") < svg.index(">May 2024<") < svg.index(">undated<")  # oldest left, undated last
    assert "more</text>" in svg  # a crowded date is capped, not unbounded
    assert svg.count("<path") > 10 and 'fill="#fff4cc"' in svg  # outcomes as diamonds; the story's window shaded
    assert 'stroke="#1d2329"' in svg  # two or more sources: a dark ring
    assert "No events" in str(event_timeline([]))
