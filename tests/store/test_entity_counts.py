"""Counters kept as documents are written (entity_months, entity_labels, entity_body per entity,
document_counts per document) stay equal to a recount."""

from __future__ import annotations

import pytest

from dyad.model import (BODY, CleanArticle, Entity, EntityMention, Extractions, Line, Metadata, Paragraph,
                        ProcessedArticle, RawArticle, Sentence)
from dyad.store import Store


def _article(doc_id: str, entities: list[tuple], published: str | None, version: str = "v1"):
    text = " ".join(e[0] for e in entities) + " met."
    raw = RawArticle(source=f"{doc_id}.txt", stem=doc_id, text=text)
    clean = CleanArticle(raw, [Line(1, text, BODY)], text, [Paragraph(0, len(text), BODY, [1])],
                         Metadata(title=doc_id, published=published))
    found = Extractions(sentences=[Sentence(0, 0, len(text), text, 0)])
    at = 0
    for i, (name, label, *body) in enumerate(entities):
        found.entities.append(Entity(i, name, label, [EntityMention(at, at + len(name), name)], body=body != [False]))
        at += len(name) + 1
    return ProcessedArticle(doc_id, clean, found, version)


def _recount(store: Store) -> tuple[set, set, set]:
    months = {tuple(r) for r in store.conn.execute(
        "SELECT canonical, COALESCE(substr(published, 1, 7), ''), COUNT(DISTINCT doc_id) FROM entities "
        "GROUP BY 1, 2")}
    labels = {tuple(r) for r in store.conn.execute(
        "SELECT canonical, label, COUNT(DISTINCT doc_id) FROM entities GROUP BY 1, 2")}
    body = {tuple(r) for r in store.conn.execute(
        "SELECT canonical, body, COUNT(DISTINCT doc_id) FROM entities GROUP BY 1, 2")}
    documents = {tuple(r) for r in store.conn.execute(
        "SELECT d.id, " + ", ".join(f"(SELECT COUNT(*) FROM {t} x WHERE x.doc_id = d.id)"
                                     for t in ("sentences", "quotes", "figures", "events")) + " FROM documents d")}
    return months, labels, body, documents


def _counters(store: Store) -> tuple[set, set, set, set]:
    return ({tuple(r) for r in store.conn.execute("SELECT canonical, month, documents FROM entity_months")},
            {tuple(r) for r in store.conn.execute("SELECT canonical, label, documents FROM entity_labels")},
            {tuple(r) for r in store.conn.execute("SELECT canonical, body, documents FROM entity_body")},
            {tuple(r) for r in store.conn.execute(
                "SELECT doc_id, sentences, quotes, figures, events FROM document_counts")})


@pytest.fixture
def store(store_location):
    with Store(store_location) as s:
        yield s


def test_counters_follow_writes_replacements_and_removals(store):
    # Xi twice in one document (two labels): one document for the month, one per label.
    store.save_article(_article("a", [("Xi", "PERSON"), ("Putin", "PERSON"), ("Xi", "ORG"), ("Ann Li", "PERSON", False)],
                                "2024-05-16"), "a.txt", "a")
    store.save_article(_article("b", [("Xi", "PERSON")], "2024-05"), "b.txt", "b")
    store.save_article(_article("c", [("Putin", "PERSON")], None), "c.txt", "c")
    assert _counters(store) == _recount(store)
    assert store.entity_document_count("Xi") == 2
    assert [e["name"] for e in store.overview()["top_entities"]] == ["Putin", "Xi"]  # not the byline
    assert store.entity_months("Putin") == [{"month": "2024-05", "documents": 1}, {"month": None, "documents": 1}]
    # A newer pipeline rewrites a document; new content from the same source supersedes it.
    store.save_article(_article("a", [("Putin", "PERSON")], "2024-05-16", version="v2"), "a.txt", "a")
    store.save_article(_article("d", [("Lavrov", "PERSON")], "2023-10"), "b.txt", "b")
    assert _counters(store) == _recount(store)
    assert store.entity_document_count("Xi") == 0 and store.entity_profile("Xi") is None
    assert ("Xi", "2024-05") not in {(c, m) for c, m, _ in _counters(store)[0]}


def test_migration_counts_what_is_already_stored(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as s:
        s.save_article(_article("a", [("Xi", "PERSON"), ("Putin", "PERSON")], "2024-05"), "a.txt", "a")
        s.save_article(_article("b", [("Xi", "PERSON")], "2023-10-18"), "b.txt", "b")
        s.conn.executescript("DELETE FROM entity_months; DELETE FROM entity_labels; "
                             "DELETE FROM _migrations WHERE name IN ('0009_entity_counts', '0013_document_counts'); "
                             "DROP TABLE entity_months; DROP TABLE entity_labels; DROP TABLE document_counts;")
    with Store(path) as s:
        assert _counters(s) == _recount(s) and s.entity_document_count("Xi") == 2
        assert s.overview()["counts"]["sentences"] == 2 and s.overview()["counts"]["documents"] == 2
