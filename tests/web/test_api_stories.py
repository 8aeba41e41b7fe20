"""The cross-document pages' JSON (stories, a story's briefing, ask, figure verdicts, entity identity),
in-process over the resolved sample-corpus store, checked against the resolve stage's own API."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

import pytest

from tests.web.test_api import assert_no_inline_script, get_json


@pytest.fixture(scope="module")
def db(resolved_store_path):
    conn = sqlite3.connect(f"file:{resolved_store_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def store(resolved_store_path):
    from dyad.store import Store

    with Store(resolved_store_path) as s:
        yield s


@pytest.fixture(scope="module")
def story_ids(store) -> list[str]:
    from dyad.resolve import api

    ids = [s["id"] for s in api.stories(store)]
    assert len(ids) >= 2, "the sample corpus makes at least two stories"
    return ids


def clean_text(db, doc_id: str) -> str:
    return db.execute("SELECT clean_text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]


def span_of(href: str) -> tuple[str, int | None, int | None, int | None]:
    """``/doc/ID?hl=A-B#sN`` → (ID, A, B, N)."""
    m = re.fullmatch(r"/doc/([0-9a-f]+)(?:\?hl=(\d+)-(\d+))?(?:#s(\d+))?", href)
    assert m, href
    doc, a, b, n = m.groups()
    return doc, *(int(x) if x is not None else None for x in (a, b, n))


def assert_sentence_link(db, href: str, sentence: int | None = None, text: str | None = None) -> None:
    """The link opens a document at a sentence, highlighting a range inside that sentence."""
    doc, a, b, n = span_of(href)
    assert n is not None and a is not None, href
    if sentence is not None:
        assert n == sentence, href
    s = db.execute('SELECT start, "end", text FROM sentences WHERE doc_id = ? AND idx = ?', (doc, n)).fetchone()
    assert s is not None, href
    assert a < b and s["start"] <= a and (b <= s["end"] or a < s["end"]), href  # a quote may run on
    if text is not None:
        assert clean_text(db, doc)[a:b] == text, href


def test_stories_list_matches_the_resolve_stage(api, store):
    from dyad.resolve import api as resolve_api

    want = {s["id"]: s for s in resolve_api.stories(store)}
    data = get_json(api, "/stories.json")
    assert data["available"] is True and data["reason"] is None
    assert data["pagination"]["total"] == len(want) == len(data["stories"])
    for s in data["stories"]:
        w = want[s["id"]]
        assert (s["label"], s["date_from"], s["date_to"], s["n_docs"]) == (w["label"], w["date_from"], w["date_to"],
                                                                           w["n_docs"])
        assert {d["stem"] for d in s["docs"]} == {d["stem"] for d in w["docs"]}
        assert s["href"] == f"/story/{s['id']}" and all(d["href"] == f"/doc/{d['doc_id']}" for d in s["docs"])
    sizes = [s["n_docs"] for s in data["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    first = get_json(api, "/stories.json?limit=1")
    assert len(first["stories"]) == 1 and first["pagination"]["next"]
    second = get_json(api, first["pagination"]["next"])
    assert second["stories"][0]["id"] != first["stories"][0]["id"]
    recent = [s["date_to"] for s in get_json(api, "/stories.json?sort=recent")["stories"]]
    assert recent == sorted(recent, reverse=True)


def test_stories_filters(api, db):
    moscow = get_json(api, "/stories.json?outlet=The%20Moscow%20Times")
    assert moscow["stories"] and all("The Moscow Times" in s["outlets"] for s in moscow["stories"])
    want = {r[0] for r in db.execute("SELECT DISTINCT sd.story_id FROM story_documents sd JOIN documents d "
                                     "ON d.id = sd.doc_id WHERE d.publisher = 'The Moscow Times'")}
    assert {s["id"] for s in moscow["stories"]} == want
    in_2024 = get_json(api, "/stories.json?from=2024-01-01")
    assert in_2024["stories"] and all(s["date_to"] >= "2024" for s in in_2024["stories"])
    krut = get_json(api, "/stories.json?entity=Mikhail%20Krutikhin")
    want = {r[0] for r in db.execute("SELECT DISTINCT sd.story_id FROM story_documents sd JOIN entities e "
                                     "ON e.doc_id = sd.doc_id WHERE e.canonical = 'Mikhail Krutikhin'")}
    assert {s["id"] for s in krut["stories"]} == want and want
    big = get_json(api, "/stories.json?min_docs=3")
    assert all(s["n_docs"] >= 3 for s in big["stories"])
    assert get_json(api, "/stories.json?entity=Nobody%20At%20All")["stories"] == []
    for bad in ("/stories.json?sort=sideways", "/stories.json?min_docs=0", "/stories.json?from=soon"):
        assert api.get(bad).status_code == 422, bad


def test_story_timeline_is_the_resolve_stages_with_sentence_links(api, store, db, story_ids):
    from dyad.resolve import api as resolve_api

    for sid in story_ids:
        data = get_json(api, f"/story/{sid}.json")
        assert data["story"]["id"] == sid and data["briefing"] == f"/story/{sid}.md"
        want = resolve_api.timeline(store, sid)["events"]
        assert [e["id"] for e in data["timeline"]] == [e["id"] for e in want]
        for got, w in zip(data["timeline"], want):
            assert (got["type"], got["status"], got["date"]) == (w["type"], w["status"], w["date"])
            assert [(x["doc_id"], x["idx"]) for x in got["evidence"]] == [(x["doc_id"], x["idx"]) for x in w["evidence"]]
            for x in got["evidence"]:
                ev = db.execute("SELECT sentence, trigger_start, trigger_end FROM events WHERE doc_id = ? AND idx = ?",
                                (x["doc_id"], x["idx"])).fetchone()
                assert x["sentence_idx"] == ev["sentence"]
                assert x["href"] == f"/doc/{x['doc_id']}?hl={ev['trigger_start']}-{ev['trigger_end']}#s{ev['sentence']}"
        docs = {r[0] for r in db.execute("SELECT doc_id FROM story_documents WHERE story_id = ?", (sid,))}
        assert {d["doc_id"] for d in data["documents"]} == docs


def test_story_outcomes_follow_the_briefing_rules(api, story_ids):
    from dyad.query.brief import OUTCOME_TYPES

    for sid in story_ids:
        data = get_json(api, f"/story/{sid}.json")
        events = {e["id"]: e for e in data["timeline"]}
        out = data["outcomes"]
        assert set(out) == {"agreed", "not_agreed", "scheduled"}
        assert all(events[i]["type"] in OUTCOME_TYPES and events[i]["status"] == "happened" for i in out["agreed"])
        assert out["not_agreed"] == [i for i, e in events.items() if e["status"] == "denied"]
        assert out["scheduled"] == [i for i, e in events.items() if e["status"] in ("scheduled", "hypothetical")]
    assert any(get_json(api, f"/story/{sid}.json")["outcomes"]["agreed"] for sid in story_ids)


def test_story_figures_carry_verdicts_and_link_to_their_span(api, store, db, story_ids):
    from dyad.resolve import api as resolve_api

    verdicts = {g["id"]: g["verdict"] for g in resolve_api.figures(store)}
    for sid in story_ids:
        data = get_json(api, f"/story/{sid}.json")
        docs = {d["doc_id"] for d in data["documents"]}
        seen = []
        for g in data["figures"]:
            assert g["mark"]["verdict"] == g["verdict"] and g["mark"]["sign"] in "✔≠✖·"
            if g["id"] is not None:
                assert verdicts[g["id"]] == g["verdict"]
            else:
                assert g["verdict"] == "single" and len(g["figures"]) == 1
            assert any(f["in_story"] for f in g["figures"])
            for f in g["figures"]:
                assert_sentence_link(db, f["href"], f["sentence"], f["surface"])
                assert f["in_story"] == (f["doc_id"] in docs)
                if f["in_story"]:
                    seen.append((f["doc_id"], f["idx"]))
        want = [(r[0], r[1]) for r in db.execute(
            "SELECT f.doc_id, f.idx FROM figures f JOIN story_documents sd ON sd.doc_id = f.doc_id "
            "WHERE sd.story_id = ?", (sid,))]
        assert sorted(seen) == sorted(want), "every figure of the story, once"
        order = [g["verdict"] for g in data["figures"]]
        rank = {"conflicting": 0, "differing": 1, "corroborated": 2, "single": 3}
        assert [rank[v] for v in order] == sorted(rank[v] for v in order)
    assert any(g["verdict"] != "single" for sid in story_ids for g in get_json(api, f"/story/{sid}.json")["figures"])


def test_story_quotes_by_speaker_and_projects(api, store, db, story_ids):
    from dyad.resolve import api as resolve_api

    for sid in story_ids:
        data = get_json(api, f"/story/{sid}.json")
        n = db.execute("SELECT COUNT(*) FROM quotes q JOIN story_documents sd ON sd.doc_id = q.doc_id "
                       "WHERE sd.story_id = ?", (sid,)).fetchone()[0]
        assert sum(len(g["quotes"]) for g in data["quotes"]) == n
        assert len({g["speaker"] for g in data["quotes"]}) == len(data["quotes"])
        for g in data["quotes"]:
            for q in g["quotes"]:
                assert g["speaker"] in (q["speaker_canonical"], q["speaker"], "Unattributed")
                assert_sentence_link(db, q["href"], q["sentence"])
        want = [p for p in resolve_api.projects(store) if p["story_id"] == sid]
        assert [(p["xentity_id"], p["status"]) for p in data["projects"]] == [(p["xentity_id"], p["status"]) for p in want]
        for p in data["projects"]:
            for x in p["evidence"]:
                doc, a, b, n_ = span_of(x["href"])
                assert doc == x["doc_id"] and n_ == x["sentence"]
                assert clean_text(db, doc)[a:b] == x["text"]
    assert any(get_json(api, f"/story/{sid}.json")["projects"] for sid in story_ids)


def test_story_references_and_errors(api, db, story_ids, unresolved_api):
    doc_id, stem, sid = db.execute("SELECT sd.doc_id, s.stem, sd.story_id FROM story_documents sd "
                                   "JOIN sources s ON s.doc_id = sd.doc_id ORDER BY s.stem LIMIT 1").fetchone()
    for ref in (stem, doc_id):
        r = api.get(f"/story/{ref}.json")
        assert r.status_code == 307 and r.headers["location"] == f"/story/{sid}.json"
    r = api.get(f"/story/{stem}")
    assert r.status_code == 307 and r.headers["location"] == f"/story/{sid}"
    assert "no story" in get_json(api, "/story/nope.json", 404)["error"]
    assert api.get("/story/nope").status_code == 404
    assert "dyad resolve" in get_json(unresolved_api, f"/story/{sid}.json", 404)["error"]
    data = get_json(unresolved_api, "/stories.json")
    assert data["available"] is False and data["stories"] == [] and "dyad resolve" in data["reason"]


def test_markdown_briefing(api, store, story_ids):
    from dyad.query.brief import brief

    for sid in story_ids:
        r = api.get(f"/story/{sid}.md")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
        assert r.text == brief(store, sid)
        assert r.text.startswith("# ") and "## Key figures" in r.text
    stem = store.conn.execute("SELECT stem FROM sources ORDER BY stem LIMIT 1").fetchone()[0]
    r = api.get(f"/story/{stem}.md")
    assert r.status_code == 307 and r.headers["location"].endswith(".md")
    assert api.get("/story/nope.md").status_code == 404


def test_ask_answers_link_to_sentence_and_story(api, store, db):
    from dyad.query.ask import ask

    q = "What did Putin say about trade with China?"
    data = get_json(api, f"/ask.json?q={quote(q)}")
    want = ask(store, q, k=10)
    assert data["q"] == q and 0 < len(data["answers"]) <= 10
    assert [(a["doc_id"], a["idx"]) for a in data["answers"]] == [(a.doc_id, a.idx) for a in want]
    labels = {r[0]: r[1] for r in db.execute("SELECT id, label FROM stories")}
    for a in data["answers"]:
        assert a["href"] == f"/doc/{a['doc_id']}?hl={a['start']}-{a['end']}#s{a['idx']}"
        assert clean_text(db, a["doc_id"])[a["start"]:a["end"]] == a["text"]
        assert a["story"] in labels and a["story_href"] == f"/story/{a['story']}"
        assert a["story_label"] == labels[a["story"]]
        assert a["highlights"], "every answer shares a word with the question"
        for s, e in a["highlights"]:
            assert 0 <= s < e <= len(a["text"]) and re.fullmatch(r"\w+", a["text"][s:e])
    first = {data["answers"][0]["text"][s:e].lower() for s, e in data["answers"][0]["highlights"]}
    assert first & {"putin", "trade", "china"}
    sid = data["answers"][0]["story"]
    scoped = get_json(api, f"/ask.json?q={quote(q)}&story={sid}")
    assert scoped["answers"] and {a["story"] for a in scoped["answers"]} == {sid}
    assert scoped["story_label"] == labels[sid]
    assert "no such story" in get_json(api, f"/ask.json?q={quote(q)}&story=nope", 404)["error"]
    assert get_json(api, "/ask.json")["answers"] == [] and get_json(api, "/ask.json?q=%20")["answers"] == []
    assert api.get("/ask.json?q=" + "x" * 301).status_code == 422


def test_figures_page_carries_verdicts(api, db, unresolved_api):
    groups = {(r["doc_id"], r["idx"]): (r["group_id"], r["verdict"]) for r in db.execute(
        "SELECT m.doc_id, m.idx, m.group_id, g.verdict FROM figure_group_members m "
        "JOIN figure_groups g ON g.id = m.group_id")}
    assert groups
    data = get_json(api, "/figures.json?limit=100&per_group=1000")
    rows = [f for g in data["groups"] for f in g["figures"]]
    for f in rows:
        got = (f["xgroup"], f["verdict"]) if f["xgroup"] else None
        assert got == groups.get((f["doc_id"], f["idx"]))
        assert (f["mark"] is None) == (f["verdict"] is None)
    disputed = get_json(api, "/figures.json?verdict=disputed&limit=100")
    found = [f for g in disputed["groups"] for f in g["figures"]]
    assert found and {f["verdict"] for f in found} <= {"conflicting", "differing"}
    assert len(found) == sum(1 for _, v in groups.values() if v in ("conflicting", "differing"))
    gid = found[0]["xgroup"]
    one = get_json(api, f"/figures.json?xgroup={gid}&group=unit")
    assert sorted((f["doc_id"], f["idx"]) for g in one["groups"] for f in g["figures"]) == \
        sorted(k for k, (g, _) in groups.items() if g == gid)
    assert api.get("/figures.json?verdict=maybe").status_code == 422
    plain = get_json(unresolved_api, "/figures.json?limit=100")
    assert all(f["verdict"] is None for g in plain["groups"] for f in g["figures"])


def test_entity_identity_across_documents(api, unresolved_api):
    china = get_json(api, "/entity/China.json")
    assert china["identity"]["relation"] == "state"
    assert {"Beijing"} <= {n["canonical"] for n in china["identity"]["linked"]}
    assert china["stories"] and all(s["href"] == f"/story/{s['id']}" for s in china["stories"])
    beijing = get_json(api, "/entity/Beijing.json")["identity"]
    assert beijing["relation"] == "capital" and beijing["state"] == "China" and beijing["state_href"] == "/entity/China"
    project = get_json(api, "/entity/Power%20of%20Siberia%202.json")["identity"]
    assert project["projects"] and len(project["aliases"]) >= 2
    assert all(p["story_href"].startswith("/story/") for p in project["projects"])
    assert get_json(unresolved_api, "/entity/China.json")["identity"] is None


def test_story_pages_are_html_with_no_inline_script(api, story_ids):
    for url in [f"/story/{sid}" for sid in story_ids] + ["/stories?min_docs=2&sort=recent", "/ask?q=gas&story=nope"]:
        if url.endswith("nope"):
            assert api.get(url).status_code == 404
        assert_no_inline_script(api.get(url))


def test_story_page_links_every_fact_to_a_sentence(api, db, story_ids):
    html = api.get(f"/story/{story_ids[0]}").text
    links = re.findall(r'<a class="(?:fact|cite)" href="([^"]+)"', html)
    assert len(links) > 50
    for href in links:
        doc, a, b, n = span_of(href.replace("&amp;", "&"))
        assert n is not None and a is not None
    assert '<svg class="timeline"' in html and html.count('class="ev"') > 10
    assert 'href="/story/' + story_ids[0] + '.md"' in html
    assert ">≠</span>" in html  # the sample's trade figures differ across sources
