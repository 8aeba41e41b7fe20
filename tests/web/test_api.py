"""The JSON API, in-process (httpx ASGI transport) over a real store built from the sample corpus."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

import pytest


@pytest.fixture(scope="module")
def db(resolved_store_path):
    conn = sqlite3.connect(f"file:{resolved_store_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def get_json(api, url: str, status: int = 200) -> dict:
    r = api.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_overview_counts_match_the_store(api, db):
    data = get_json(api, "/index.json")
    assert data["counts"]["documents"] == db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    assert data["counts"]["figures"] == db.execute("SELECT COUNT(*) FROM figures").fetchone()[0]
    assert data["counts"]["entities"] == db.execute("SELECT COUNT(DISTINCT canonical) FROM entities WHERE body = 1").fetchone()[0]
    assert len(data["recent_documents"]) == 5
    assert data["published"]["first"] <= data["published"]["last"]
    assert all(d["href"] == f"/doc/{d['id']}" for d in data["recent_documents"])


def test_documents_list_pages(api):
    first = get_json(api, "/documents.json?limit=2")
    assert first["pagination"] == {**first["pagination"], "page": 1, "total": 5, "pages": 3, "prev": None}
    assert len(first["documents"]) == 2
    second = get_json(api, first["pagination"]["next"])
    third = get_json(api, second["pagination"]["next"])
    assert third["pagination"]["next"] is None and len(third["documents"]) == 1
    ids = [d["id"] for page in (first, second, third) for d in page["documents"]]
    assert len(set(ids)) == 5
    # Newest publication first; undated last.
    dates = [d["published"] for page in (first, second, third) for d in page["documents"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[-1] is None


def test_documents_filters(api, db):
    outlet = get_json(api, "/documents.json?outlet=The%20Conversation")
    assert outlet["pagination"]["total"] == 2
    assert {d["publisher"] for d in outlet["documents"]} == {"The Conversation"}
    # A document dated only "2023" overlaps a range inside 2023; an undated one never matches.
    in_2023 = get_json(api, "/documents.json?from=2023-06-01&to=2023-12-31")
    assert {d["published"] for d in in_2023["documents"]} == {"2023", "2023-10-24"}
    assert get_json(api, "/documents.json?from=2024-01-01")["pagination"]["total"] == 1
    entity = get_json(api, "/documents.json?entity=Mikhail%20Krutikhin")
    want = {r[0] for r in db.execute("SELECT doc_id FROM entities WHERE canonical = 'Mikhail Krutikhin'")}
    assert {d["id"] for d in entity["documents"]} == want and want
    typ = db.execute("SELECT type FROM events GROUP BY type ORDER BY COUNT(DISTINCT doc_id) LIMIT 1").fetchone()[0]
    by_type = get_json(api, f"/documents.json?event_type={typ}")
    want = {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM events WHERE type = ?", (typ,))}
    assert {d["id"] for d in by_type["documents"]} == want
    assert get_json(api, "/documents.json?entity=Nobody%20At%20All")["documents"] == []
    typed = get_json(api, "/documents.json?entity=mikhail%20KRUTIKHIN")  # the filter ignores case
    assert [d["id"] for d in typed["documents"]] == [d["id"] for d in entity["documents"]]
    assert get_json(api, "/documents.json?from=&to=&outlet=&entity=")["pagination"]["total"] == 5


def test_documents_rejects_bad_parameters(api):
    for url in ("/documents.json?from=yesterday", "/documents.json?limit=0", "/documents.json?limit=100000",
                "/documents.json?page=-1", "/documents.json?from=2024-13-01'--"):
        assert api.get(url).status_code == 422, url
    body = get_json(api, "/documents.json?limit=0", 422)
    assert "limit" in body["error"]


def test_document_offsets_point_into_clean_text(api, db):
    for (doc_id,) in db.execute("SELECT id FROM documents"):
        data = get_json(api, f"/doc/{doc_id}.json")
        text = data["document"]["clean_text"]
        for s in data["sentences"]:
            assert s["href"] == f"/doc/{doc_id}#s{s['idx']}"
        for e in data["entities"]:
            for m in e["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
        for f in data["figures"]:
            assert text[f["start"]:f["end"]] == f["surface"]
            assert f["href"] == f"/doc/{doc_id}?hl={f['start']}-{f['end']}#s{f['sentence']}"
        for q in data["quotes"]:
            assert q["text"] in text[q["start"]:q["end"]] or text[q["start"]:q["end"]] in q["text"]
        for v in data["events"]:
            assert v["href"].startswith(f"/doc/{doc_id}?hl={v['trigger_start']}-{v['trigger_end']}")
        for d in data["dates"]:
            assert text[d["start"]:d["end"]] == d["text"]
        assert data["highlight"] is None
        assert all(b["reason"] is not None for b in data["boilerplate"])


def test_document_highlight_and_redirect(api, db):
    doc_id, stem = db.execute("SELECT doc_id, stem FROM sources ORDER BY stem LIMIT 1").fetchone()
    data = get_json(api, f"/doc/{doc_id}.json?hl=0-10")
    assert data["highlight"] == {"start": 0, "end": 10, "text": data["document"]["clean_text"][:10]}
    r = api.get(f"/doc/{stem}.json?hl=0-10")
    assert r.status_code == 307 and r.headers["location"] == f"/doc/{doc_id}.json?hl=0-10"
    r = api.get(f"/doc/{doc_id[:6]}")
    assert r.status_code == 307 and r.headers["location"] == f"/doc/{doc_id}"
    assert api.get(f"/doc/{doc_id}.json?hl=abc").status_code == 422
    missing = get_json(api, "/doc/0000000000000000.json", 404)
    assert "no document" in missing["error"]


def test_entity_profile(api, db):
    name = "Vladimir Putin"
    data = get_json(api, f"/entity/{quote(name)}.json")
    assert data["name"] == name
    docs = {r[0] for r in db.execute("SELECT doc_id FROM entities WHERE canonical = ?", (name,))}
    assert {d["id"] for d in data["documents"]} == docs
    assert "Putin" in {a["alias"] for a in data["aliases"]}
    assert sum(d["mentions"] for d in data["documents"]) == sum(a["mentions"] for a in data["aliases"])
    for v in data["events"]:
        assert name in v["source_actor"] + v["target_actor"]
        assert v["role"] in ("source", "target") and v["href"].startswith(f"/doc/{v['doc_id']}?hl=")
    for f in data["figures"]:
        assert f["attributed_to"] == name
    assert data["quotes"], "Putin is quoted in the sample corpus"
    graph = data["cooccurrence"]
    assert graph["nodes"][0]["name"] == name and len(graph["nodes"]) > 3
    assert all(e["sentences"] > 0 for e in graph["edges"])
    assert [p["doc_id"] for p in data["mentions_over_time"]] == [d["id"] for d in data["documents"]]


def test_entity_errors_and_odd_names(api):
    assert "no entity" in get_json(api, "/entity/Nobody%20At%20All.json", 404)["error"]
    assert api.get("/entity/a%2Fb%3Cscript%3E.json").status_code == 404
    assert api.get("/entity/a%2Fb%3Cscript%3E").status_code == 404


def test_entities_index(api, db):
    data = get_json(api, "/entities.json?limit=10")
    assert data["pagination"]["total"] == db.execute("SELECT COUNT(DISTINCT canonical) FROM entities").fetchone()[0]
    counts = [e["documents"] for e in data["entities"]]
    assert counts == sorted(counts, reverse=True)
    people = get_json(api, "/entities.json?label=PERSON&q=putin")
    assert [e["name"] for e in people["entities"]] == ["Vladimir Putin"]
    assert get_json(api, "/entities.json?q=%25")["entities"] == []  # LIKE wildcards are literal


def test_figures_groups(api, db):
    total = db.execute("SELECT COUNT(*) FROM figures").fetchone()[0]
    by_measure = get_json(api, "/figures.json?limit=100")
    assert by_measure["figures"] == total
    assert sum(len(g["figures"]) for g in by_measure["groups"]) == total
    by_unit = get_json(api, "/figures.json?group=unit&limit=100")
    units = [g["unit"] for g in by_unit["groups"]]
    assert sorted(units) == sorted({r[0] for r in db.execute("SELECT unit FROM figures")})
    for g in by_unit["groups"]:
        for f in g["figures"]:
            assert f["unit"] == g["unit"] and f["href"].startswith(f"/doc/{f['doc_id']}?hl=")
            assert f["when_from"] in ("period", "published", None)
    usd = get_json(api, "/figures.json?unit=USD&group=unit")
    assert [g["unit"] for g in usd["groups"]] == ["USD"]
    claimed = get_json(api, "/figures.json?entity=Vladimir%20Putin&group=unit")
    assert {f["attributed_to"] for g in claimed["groups"] for f in g["figures"]} == {"Vladimir Putin"}
    assert get_json(api, "/figures.json?group=nonsense", 422)


def test_search(api):
    data = get_json(api, "/search.json?q=trade&limit=5")
    assert data["results"] and data["pagination"]["total"] >= len(data["results"])
    for r in data["results"]:
        assert "trad" in r["text"].lower() and "\ue000" not in r["snippet"]
        assert r["href"] == f"/doc/{r['doc_id']}?hl={r['start']}-{r['end']}#s{r['idx']}"
    second = get_json(api, "/search.json?q=trade&limit=5&page=2")
    assert not {(r["doc_id"], r["idx"]) for r in data["results"]} & {(r["doc_id"], r["idx"]) for r in second["results"]}
    narrowed = get_json(api, "/search.json?q=trade&entity=China")
    assert 0 < narrowed["pagination"]["total"] <= data["pagination"]["total"]
    # User text is never FTS syntax.
    for q in ('"', "NEAR(", "trade OR", "*", "a AND NOT b", "sentences_fts:x", "'; DROP TABLE documents; --"):
        assert api.get(f"/search.json?q={quote(q)}").status_code == 200, q
    assert get_json(api, "/search.json?q=")["results"] == []
    assert get_json(api, "/search.json?q=putin")["entities"][0]["name"] == "Vladimir Putin"


def test_search_pages_over_the_ranked_window(api, monkeypatch):
    import dyad.store.search_queries as queries

    everything = get_json(api, "/search.json?q=trade&limit=100")
    assert everything["matches"] == everything["pagination"]["total"] > 4
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 4)
    bounded = get_json(api, "/search.json?q=trade&limit=3")
    assert bounded["matches"] == everything["matches"] and bounded["pagination"]["total"] == 4
    assert bounded["pagination"]["pages"] == 2 and len(get_json(api, "/search.json?q=trade&limit=3&page=2")["results"]) == 1
    assert "most recently stored are ranked" in api.get("/search?q=trade").text


def test_openapi_documents_the_json_routes(api):
    schema = get_json(api, "/openapi.json")
    paths = set(schema["paths"])
    assert {"/index.json", "/documents.json", "/doc/{doc_id}.json", "/entity/{name}.json", "/figures.json",
            "/search.json", "/entities.json", "/stories.json", "/story/{story_id}.json", "/story/{story_id}.md",
            "/ask.json"} <= paths
    assert not any(not p.endswith((".json", ".md")) for p in paths)
    docs = api.get("/docs")
    assert docs.status_code == 200 and "/search.json" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


PAGES = ["/", "/documents", "/documents?outlet=The%20Conversation&page=1", "/entities", "/entity/China",
         "/figures", "/figures?group=unit", "/search?q=pipeline", "/search", "/stories", "/ask?q=trade", "/docs",
         "/story/1", "/nowhere", "/figures?verdict=disputed", "/entity/Beijing", "/ask", "/ask?q=What+did+Putin+say"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_html_with_no_inline_script(api, url):
    assert_no_inline_script(api.get(url))


def assert_no_inline_script(r) -> None:
    """An HTML page (or error page) with only the app's script, no inline code or style, no external asset."""
    assert r.status_code in (200, 404)
    assert r.headers["content-type"].startswith("text/html")
    scripts = re.findall(r"<script\b[^>]*>", r.text)
    assert scripts == ['<script src="/static/dyad.js" defer>']
    assert re.search(r"<script[^>]*>(?!</script>)", r.text) is None, "script with a body"
    assert re.search(r"<[^>]+\son\w+\s*=", r.text) is None, "inline event handler"
    assert re.search(r"<[^>]+\sstyle\s*=", r.text) is None, "inline style attribute (CSP style-src 'self')"
    assert re.search(r"""(src|href)=["']?(https?:)?//""", r.text) is None, "external asset"


def test_document_page_marks_every_kind(api, db):
    doc_id = db.execute("SELECT doc_id FROM figures GROUP BY doc_id ORDER BY COUNT(*) DESC").fetchone()[0]
    f = db.execute("SELECT start, \"end\", sentence FROM figures WHERE doc_id = ? ORDER BY idx", (doc_id,)).fetchone()
    html = api.get(f"/doc/{doc_id}?hl={f[0]}-{f[1]}").text
    for kind in ("x-entity", "x-quote", "x-figure", "x-event", "x-date"):
        assert f'class="x {kind}' in html, kind
    assert html.count('id="hl"') == 1 and f'id="s{f[2]}" class="s hl-s"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids are unique"


def test_document_page_shows_boilerplate_collapsed(api, db):
    doc_id, n = db.execute("SELECT doc_id, COUNT(*) FROM lines WHERE kind = 'boilerplate' GROUP BY doc_id "
                           "ORDER BY 2 DESC").fetchone()
    html = api.get(f"/doc/{doc_id}").text
    assert "<details class=\"boilerplate\">" in html and "<details class=\"boilerplate\" open" not in html
    assert len(re.findall(r'<li value="\d+"><span class="why">', html)) == n


def test_static_assets_are_served_from_the_package(api):
    for name, kind in (("dyad.css", "text/css"), ("dyad.js", "javascript"), ("favicon.svg", "image/svg+xml")):
        r = api.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]
    assert api.get("/static/../app.py").status_code == 404
    assert api.get("/static/%2e%2e/app.py").status_code == 404
