import pytest

from dyad.model import (BODY, CleanArticle, Extractions, Line, Mention, Metadata, Paragraph, ProcessedArticle,
                         RawArticle, Sentence)
from dyad.store import Store


def _processed(doc_id="d1", text="Putin met Xi in Beijing. Power of Siberia 2 was not agreed.", version="v1"):
    raw = RawArticle(source="src.txt", stem="src", text=text)
    clean = CleanArticle(raw, [Line(1, text, BODY)], text, [Paragraph(0, len(text), BODY, [1])],
                         Metadata(title="T", authors=["A B"], published="2024-05"))
    cut = text.index(".") + 1
    sentences = [Sentence(0, 0, cut, text[:cut], 0), Sentence(1, cut + 1, len(text), text[cut + 1:], 0)]
    found = Extractions(sentences=sentences, mentions=[Mention(0, 5, "Putin", "PERSON", 0)])
    return ProcessedArticle(doc_id, clean, found, version)


@pytest.fixture
def store(store_location):
    with Store(store_location) as s:
        yield s


def _fts_rows(store):
    if store.dialect == "postgresql":
        return store.conn.execute("SELECT COUNT(*) FROM sentences WHERE tsv IS NOT NULL").fetchone()[0]
    return store.conn.execute("SELECT COUNT(*) FROM sentences_fts").fetchone()[0]


def test_save_twice_keeps_one_copy(store):
    store.save_article(_processed(), "src.txt", "src")
    store.save_article(_processed(version="v2"), "src.txt", "src")
    counts = store.counts()
    assert (counts["documents"], counts["sentences"], counts["mentions"], counts["sources"]) == (1, 2, 1, 1)
    assert _fts_rows(store) == 2
    assert store.pipeline_version_of("d1") == "v2"


def test_changed_content_supersedes_the_old_document(store):
    store.save_article(_processed("d1"), "src.txt", "src")
    store.save_article(_processed("d2", text="New text about trade. It grew."), "src.txt", "src")
    assert [d["id"] for d in store.documents()] == ["d2"]
    assert store.search("Siberia") == [] and _fts_rows(store) == 2


def test_search_ranks_and_marks(store):
    store.save_article(_processed(), "src.txt", "src")
    [hit] = store.search("power of siberia", mark=("<", ">"))
    assert hit["idx"] == 1 and "<Power>" in hit["snippet"] and "<Siberia>" in hit["snippet"] and hit["stem"] == "src"


@pytest.mark.parametrize("query", ['"', "NEAR(", "a AND", "*", "col:x", "') OR 1=1 --", ""])
def test_search_never_reads_user_text_as_syntax(store, query):
    store.save_article(_processed(), "src.txt", "src")
    assert isinstance(store.search(query), list)


def test_errors_are_upserted_and_cleared_by_success(store):
    store.record_error("src.txt", "E001", "file is empty")
    store.record_error("src.txt", "E001", "file is empty")
    [row] = store.errors()
    assert row["attempts"] == 2
    store.save_article(_processed(), "src.txt", "src")
    assert store.errors() == []


def test_resolve_document_by_id_prefix_and_stem(store):
    store.save_article(_processed("abcdef0123"), "src.txt", "src")
    assert store.resolve_document("abcdef0123") == "abcdef0123"
    assert store.resolve_document("abcdef0") == "abcdef0123"
    assert store.resolve_document("abc") is None  # too short to be read as an id prefix
    assert store.resolve_document("src") == "abcdef0123"
    assert store.resolve_document("zzz") is None


def test_failed_write_rolls_back(store):
    bad = _processed()
    bad.sentences.append(Sentence(1, 0, 1, "duplicate index", 0))  # violates UNIQUE(doc_id, idx)
    with pytest.raises(Exception):
        store.save_article(bad, "src.txt", "src")
    assert store.counts()["documents"] == 0 and store.counts()["sentences"] == 0


def test_the_same_document_and_version_is_not_rewritten(tmp_path):
    from dyad.store import Store

    with Store(tmp_path / "s.db") as store:
        assert store.save_article(_processed(), "src.txt", "src") is True
        before = store.conn.execute("SELECT MIN(id), MAX(id) FROM sentences").fetchone()
        assert store.save_article(_processed(), "copy.txt", "copy") is False  # another writer's copy
        assert tuple(store.conn.execute("SELECT MIN(id), MAX(id) FROM sentences").fetchone()) == tuple(before)
        assert {r["source"] for r in store.conn.execute("SELECT source FROM sources")} == {"src.txt", "copy.txt"}
        assert store.save_article(_processed(version="v2"), "src.txt", "src") is True


class _Aborted(Exception):
    """What psycopg raises when PostgreSQL aborts a transaction (sqlstate as in its errors)."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_a_write_aborted_as_a_deadlock_is_tried_again(store, monkeypatch):
    calls = []
    once = Store._save_article_once

    def flaky(self, *args):
        calls.append(1)
        if len(calls) == 1:
            raise _Aborted("40P01")
        return once(self, *args)

    monkeypatch.setattr(Store, "_save_article_once", flaky)
    assert store.save_article(_processed(), "src.txt", "src") is True and len(calls) == 2
    assert store.counts()["documents"] == 1
    monkeypatch.setattr(Store, "_save_article_once", lambda self, *a: (_ for _ in ()).throw(_Aborted("23505")))
    with pytest.raises(_Aborted):
        store.save_article(_processed("d2"), "other.txt", "other")
