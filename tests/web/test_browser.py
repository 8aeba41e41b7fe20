"""The pages in a real headless Chromium (Debian's, driven by Playwright), screenshots saved as artifacts.

Screenshots go to ``tests/web/artifacts/`` (ignored by git; CI keeps them).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.web.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "/",
    "documents": "/documents",
    "entities": "/entities",
    "entity": "/entity/Vladimir%20Putin",
    "figures": "/figures?group=xgroup",
    "figures-by-measure": "/figures",
    "figures-by-unit": "/figures?group=unit",
    "search": "/search?q=trade",
    "figures-disputed": "/figures?verdict=disputed",
    "stories-recent": "/stories?sort=recent",
    "ask-pipeline": "/ask?q=gas+pipeline",
    "ask-empty": "/ask",
    "api-docs": "/docs",
}


def shot(page, name: str, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def clean(page) -> None:
    """No console error, no CSP violation, no script error, no dialog."""
    assert page.problems == [] and page.dialogs == []


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads(page, live_server, name):
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    assert page.locator("header.top nav").is_visible()
    assert page.title().endswith("· dyad")
    # The stylesheet applied (sticky dark header), so assets load under the CSP.
    assert page.eval_on_selector("header.top", "e => getComputedStyle(e).position") == "sticky"
    shot(page, name)
    clean(page)


def test_document_page(page, live_server):
    page.goto(live_server.url + "/documents")
    page.locator("table.grid tbody a").first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}$"))
    assert page.locator(".doctext .x-entity").count() > 10
    shot(page, "document")
    # The legend hides a kind of span (the page script runs under the CSP).
    page.locator('#legend input[data-kind="entity"]').uncheck()
    assert "hide-entity" in page.eval_on_selector("body", "b => b.className")
    page.locator('#legend input[data-kind="entity"]').check()
    clean(page)


def test_click_a_figure_to_its_highlighted_sentence(page, live_server):
    page.goto(live_server.url + "/figures?group=unit")
    fact = page.locator(".figgroup table a.fact").first
    surface = fact.inner_text()
    fact.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+#s\d+$"))
    mark = page.locator("mark#hl")
    assert mark.inner_text() == surface
    assert _in_viewport(page, "#hl")
    sentence = page.locator(".s.hl-s").first
    assert surface in sentence.inner_text()
    target = page.url.rsplit("#", 1)[1]
    assert page.eval_on_selector(f"#{target}", "e => e.matches(':target')")
    shot(page, "figure-to-sentence", full=False)
    clean(page)


def test_click_a_chart_dot_to_its_sentence(page, live_server):
    page.goto(live_server.url + "/figures?group=unit")
    dot = page.locator("svg.chart a.pt").first
    dot.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+"))
    assert page.locator("mark#hl").count() == 1
    assert _in_viewport(page, "#hl")
    clean(page)


def test_entity_graph_and_search_result_links(page, live_server):
    page.goto(live_server.url + "/entity/Vladimir%20Putin")
    assert page.locator("svg.graph a.node").count() > 3
    page.locator("svg.graph a.node").nth(1).click()
    page.wait_for_url(re.compile(r"/entity/(?!Vladimir)"))
    assert page.locator("h1").inner_text() != "Vladimir Putin"
    page.goto(live_server.url + "/search?q=Power+of+Siberia")
    first = page.locator("ol.results a.fact").first
    words = first.locator("mark").all_inner_texts()
    assert {w.lower() for w in words} >= {"power", "siberia"}
    first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert "Siberia" in page.locator(".s.hl-s").first.inner_text()
    assert _in_viewport(page, "#hl")
    shot(page, "search-to-sentence", full=False)
    clean(page)


def test_filters_narrow_the_document_list(page, live_server):
    page.goto(live_server.url + "/documents")
    before = page.locator("table.grid tbody tr").count()
    page.select_option('select[name="outlet"]', "The Conversation")  # auto-submits
    page.wait_for_url(re.compile(r"outlet=The\+Conversation"))
    after = page.locator("table.grid tbody tr").count()
    assert 0 < after < before
    assert set(page.locator("table.grid tbody td:nth-child(2)").all_inner_texts()) == {"The Conversation"}
    clean(page)


def test_stories_to_a_story_briefing_to_a_figures_sentence(page, live_server):
    page.goto(live_server.url + "/stories")
    cards = page.locator("ol.storylist li.story-card")
    assert cards.count() >= 2
    shot(page, "stories")
    label = cards.first.locator("h2 a").inner_text()
    cards.first.locator("h2 a").click()
    page.wait_for_url(re.compile(r"/story/s[0-9a-f]+$"))
    assert page.locator("h1").inner_text() == label
    assert page.locator("svg.timeline a.ev").count() > 10
    assert page.locator(".outcomes .outcome").count() == 3
    assert page.locator("table.figtable .vmark").count() > 0
    assert page.locator(".speaker").count() > 2
    shot(page, "story")
    # A figure in the story's figures table opens its sentence, highlighted.
    fact = page.locator("table.figtable tr:not(.other) a.fact").first
    surface = fact.inner_text()
    fact.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+#s\d+$"))
    assert page.locator("mark#hl").inner_text() == surface
    assert _in_viewport(page, "#hl")
    assert surface in page.locator(".s.hl-s").first.inner_text()
    shot(page, "story-figure-to-sentence", full=False)
    clean(page)


def test_story_timeline_mark_and_briefing_link(page, live_server):
    page.goto(live_server.url + "/stories")
    page.locator("ol.storylist li.story-card h2 a").first.click()
    page.wait_for_url(re.compile(r"/story/s[0-9a-f]+$"))
    story_url = page.url
    page.locator("svg.timeline a.ev").first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+#s\d+$"))
    assert page.locator("mark#hl").count() == 1 and _in_viewport(page, "#hl")
    page.goto(story_url)
    href = page.locator("a.button", has_text="Briefing").get_attribute("href")
    md = page.request.get(live_server.url + href)
    assert md.status == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text().startswith("# " + page.locator("h1").inner_text())
    clean(page)


def test_ask_a_question_and_open_an_answer(page, live_server):
    page.goto(live_server.url + "/ask")
    page.fill("#ask-q", "What did Putin say about trade with China?")
    page.locator("form.bigsearch button").click()
    page.wait_for_url(re.compile(r"/ask\?q=What"))
    answers = page.locator("ol.answers a.answer")
    assert 0 < answers.count() <= 10
    assert answers.first.locator("mark").count() > 0
    assert page.locator("ol.answers a.story-link").count() > 0
    shot(page, "ask")
    text = answers.first.inner_text()
    answers.first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+#s\d+$"))
    assert page.locator("mark#hl").inner_text() == text
    assert _in_viewport(page, "#hl")
    shot(page, "ask-to-sentence", full=False)
    page.go_back()
    page.locator("ol.answers a.story-link").first.click()
    page.wait_for_url(re.compile(r"/story/s[0-9a-f]+$"))
    assert page.locator("svg.timeline").count() == 1
    clean(page)


def test_figures_verdict_marks_and_conflict_filter(page, live_server):
    page.goto(live_server.url + "/figures")
    marks = page.locator("table a.vmark")
    assert marks.count() > 0
    page.select_option('select[name="verdict"]', "disputed")  # auto-submits
    page.wait_for_url(re.compile(r"verdict=disputed"))
    signs = set(page.locator("table a.vmark").all_inner_texts())
    assert signs and signs <= {"✖", "≠"}
    page.locator("table a.vmark").first.click()
    page.wait_for_url(re.compile(r"xgroup="))
    assert page.locator("table a.fact").count() >= 2
    clean(page)


def _in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""")


HOSTILE_PAGES = ["/", "/documents", "/search?q=pwned", "/figures?group=unit", "/entities", "/entity/Vladimir%20Putin",
                 "/ask?q=script+pwned", "/ask?q=Putin+trade", "/stories"]


def test_hostile_article_renders_as_text_and_runs_nothing(page, hostile_server):
    doc = page.request.get(hostile_server.url + "/index.json").json()["recent_documents"][0]
    names = [e["name"] for e in page.request.get(hostile_server.url + "/entities.json?limit=200").json()["entities"]]
    odd = [f"/entity/{quote(n, safe='')}" for n in names if "<" in n or '"' in n]
    stories = [f"/story/{s['id']}" for s in page.request.get(hostile_server.url + "/stories.json").json()["stories"]]
    assert stories
    for url in [f"/doc/{doc['id']}", f"/doc/{doc['id']}?hl=0-40", *HOSTILE_PAGES, *odd, *stories]:
        page.goto(hostile_server.url + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # room for an onerror/onload to fire, if one could
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("img").count() == 0, url
        assert page.locator("main script, main svg[onload], main [onerror]").count() == 0, url
        assert page.evaluate("document.scripts.length") == 1, url
        clean(page)
    page.goto(hostile_server.url + f"/doc/{doc['id']}")
    assert "<script>" in page.locator("h1").inner_text()
    text = page.locator("#doctext").inner_text()
    assert '<script>window.__pwned = "body"</script>' in text
    assert "<img src=x onerror=window.__pwned=1>" in text
    assert page.locator("#doctext a[href^='javascript']").count() == 0
    shot(page, "hostile-article")
    page.goto(hostile_server.url + "/search?q=pwned")
    shot(page, "hostile-search")
    clean(page)
