"""The ingest job end to end on the real sample corpus and a real SQLite file."""

import shutil

from dyad.pipeline import Ingester, document_id
from dyad.model import RawArticle
from dyad.store import Store
from tests.paths import CORPUS


def test_corpus_is_stored_with_offsets_that_round_trip(corpus_store):
    docs = corpus_store.documents()
    assert len(docs) == 5
    for row in docs:
        doc = corpus_store.document(row["id"])
        text = doc["clean_text"]
        sentences = corpus_store.sentences(row["id"])
        assert sentences, row
        for s in sentences:
            assert text[s["start"]:s["end"]] == s["text"]
        for m in corpus_store.mentions(row["id"]):
            assert text[m["start"]:m["end"]] == m["text"]
        assert doc["raw_text"].count("\n") + 1 == len(corpus_store.lines(row["id"]))


def test_fts_index_matches_sentences(corpus_store):
    c = corpus_store.conn
    assert c.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)") is not None
    n = c.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
    assert c.execute("SELECT COUNT(*) FROM sentences_fts").fetchone()[0] == n


def test_reingest_changes_nothing(store_location, nlp):
    with Store(store_location) as store:
        ingester = Ingester(store, nlp)
        first = ingester.ingest([CORPUS])
        before = {t: list(store.iter_table(t)) for t in ("documents", "sentences", "mentions", "lines")}
        second = ingester.ingest([CORPUS])
        after = {t: list(store.iter_table(t)) for t in ("documents", "sentences", "mentions", "lines")}
    assert first.counts["new"] == 5 and second.counts == {"new": 0, "updated": 0, "unchanged": 5, "failed": 0}
    assert before == after


def test_bad_inputs_are_recorded_and_the_run_goes_on(tmp_path, store_location, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "000_1004d9197fc22b22.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\xff\x10" * 300)
    (folder / "bad.jsonl").write_text('{"text": "A short article about trade between two states."}\n{oops\n')
    with Store(store_location) as store:
        report = Ingester(store, nlp).ingest([folder])
        errors = {e["source"].rsplit("/", 1)[-1]: e["code"] for e in store.errors()}
        assert len(store.documents()) == 2
    assert report.exit_code == 3
    assert report.counts["new"] == 2 and report.counts["failed"] == 3
    assert errors == {"bad.jsonl:2": "E007", "binary.txt": "E002", "empty.txt": "E001"}


def test_strict_stops_at_first_failure_and_nothing_succeeds_means_exit_1(tmp_path, nlp):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"")
    with Store(tmp_path / "s.db") as store:
        report = Ingester(store, nlp).ingest([tmp_path / "a.txt", tmp_path / "b.txt"], strict=True)
    assert report.stopped_early and report.counts["failed"] == 1 and report.exit_code == 1


def test_document_id_is_a_content_hash():
    a = RawArticle(source="x.txt", stem="x", text="same")
    b = RawArticle(source="y.txt", stem="y", text="same")
    c = RawArticle(source="x.txt", stem="x", text="same", meta={"title": "T"})
    assert document_id(a) == document_id(b) != document_id(c)
