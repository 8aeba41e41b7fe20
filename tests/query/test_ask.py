"""Question answering on a real store built from the sample corpus."""

import json
import sqlite3

import pytest

from dyad.query import embed
from dyad.query.ask import UnknownScope, ask, ask_batch, read_questions, split_key
from dyad.store import Store
from tests.paths import GOLD

# Measured on the sample corpus (24 gold questions): R@3 1.0 and R@1 0.875 per
# article; over the whole store with plain keys R@3 0.917, R@1 0.458.  The floors
# leave one question of slack, since the extractors whose output feeds the
# answer-type features are still changing.
FLOOR_R3_PER_ARTICLE = 0.95
FLOOR_R1_PER_ARTICLE = 0.83
FLOOR_R3_WHOLE_STORE = 0.87

HOSTILE = ['Who said "no limits"?', "NEAR(Putin Xi, 3)", "trade*", "Russia AND China OR NOT India",
           "text: sanctions", "^Putin", '"', "((", "-", "Ζεύς?", "", "sentences_fts MATCH 'x'"]


def test_recall_per_article_on_gold_questions(corpus_store, recall):
    questions = read_questions(GOLD)
    assert len(questions) >= 20 and all("::" in q for q in questions)
    r1, r3 = recall(ask_batch(corpus_store, questions, k=3))
    assert r3 >= FLOOR_R3_PER_ARTICLE, r3
    assert r1 >= FLOOR_R1_PER_ARTICLE, r1


def test_recall_over_the_whole_store_with_plain_questions(corpus_store, recall):
    plain = list(dict.fromkeys(q.split("::", 1)[1] for q in read_questions(GOLD)))
    _, r3 = recall(ask_batch(corpus_store, plain, k=3))
    assert r3 >= FLOOR_R3_WHOLE_STORE, r3


def test_answers_cite_document_offsets_and_stem(corpus_store):
    answers = ask(corpus_store, "What trade volume did Putin forecast?", k=5)
    assert answers and answers == sorted(answers, key=lambda a: -a.score)
    for a in answers:
        doc = corpus_store.document(a.doc_id)
        assert doc["clean_text"][a.start:a.end] == a.text
        assert a.stem in {s["stem"] for s in doc["sources"]}
        assert a.story is None  # no resolve stage in this store
    assert any("$200 billion" in a.text for a in answers[:3])


def test_ranking_is_deterministic(corpus_store):
    q = "What were the main outcomes of the visit?"
    first = [(a.doc_id, a.idx, a.score) for a in ask(corpus_store, q, k=10)]
    assert first == [(a.doc_id, a.idx, a.score) for a in ask(corpus_store, q, k=10)]


def test_questions_in_the_text_are_not_answers(corpus_store):
    stem = "001_c4c0ccb9bb6ced48"
    answers = ask(corpus_store, "What were the main outcomes of the meeting?", k=3, doc=stem)
    assert answers and not any(a.text.rstrip().endswith("?") for a in answers)
    assert all(a.stem == stem for a in answers)


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_questions_never_break_fts(corpus_store, question):
    answers = ask(corpus_store, question, k=3)
    assert isinstance(answers, list)
    assert ask_batch(corpus_store, [question], k=3).get(question, []) == [a.text for a in answers]


def test_stem_keys_restrict_to_that_article(corpus_store):
    stem = "000_1004d9197fc22b22"
    key = f"{stem}::Was an agreement reached on Power of Siberia 2?"
    assert split_key(corpus_store, key) == (stem, "Was an agreement reached on Power of Siberia 2?")
    assert split_key(corpus_store, "nothing::here?") == (None, "nothing::here?")
    answers = ask_batch(corpus_store, [key], k=5)[key]
    own = {s["text"] for s in corpus_store.sentences(corpus_store.resolve_document(stem))}
    assert answers and set(answers) <= own


def test_unknown_scope_is_an_error(corpus_store):
    with pytest.raises(UnknownScope):
        ask(corpus_store, "trade", doc="no-such-stem")
    with pytest.raises(UnknownScope, match="no stories"):
        ask(corpus_store, "trade", story="BRF-2023-10")


def test_story_from_resolve_stage(corpus_store, tmp_path):
    path = tmp_path / "stories.db"
    with sqlite3.connect(path) as dst:
        corpus_store.conn.backup(dst)
        dst.execute("INSERT INTO stories (id, label, n_docs) VALUES ('S1', 'Belt and Road Forum', 2)")
        dst.executemany("INSERT INTO story_documents (story_id, doc_id, score, how) VALUES ('S1', ?, 1, 'seed')",
                        [(corpus_store.resolve_document(s),) for s in ("000_1004d9197fc22b22", "002_739b598d2f55f936")])
    with Store(path) as store:
        answers = ask(store, "Power of Siberia 2", k=10, story="S1")
        assert answers and {a.story for a in answers} == {"S1"}
        assert {a.stem[:3] for a in answers} <= {"000", "002"}
        assert any(a.story is None for a in ask(store, "Power of Siberia 2", k=20))


def test_embeddings_are_optional(corpus_store, monkeypatch):
    monkeypatch.setattr(embed, "available", lambda: False)
    plain = ask(corpus_store, "Has China supplied weapons to Russia?", k=5)
    assert [a.idx for a in ask(corpus_store, "Has China supplied weapons to Russia?", k=5, embeddings=True)] == \
        [a.idx for a in plain]
    assert all("embedding" not in a.features for a in plain)


def test_embedding_feature_is_used_when_available(corpus_store, monkeypatch):
    monkeypatch.setattr(embed, "available", lambda: True)
    monkeypatch.setattr(embed, "cosines", lambda question, rows: {r["id"]: 0.5 for r in rows})
    answers = ask(corpus_store, "Has China supplied weapons to Russia?", k=3, embeddings=True)
    assert answers and all(a.features["embedding"] == 0.5 for a in answers)


def test_read_questions(tmp_path):
    txt = tmp_path / "q.txt"
    txt.write_text("# a comment\nWhat happened?\n\n000_x::Who came?\n", encoding="utf-8")
    assert read_questions(txt) == ["What happened?", "000_x::Who came?"]
    lst = tmp_path / "q.json"
    lst.write_text(json.dumps(["One?", 3, "Two?"]), encoding="utf-8")
    assert read_questions(lst) == ["One?", "Two?"]
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "007_a.json").write_text(json.dumps({"questions": [{"question": "Why?"}]}), encoding="utf-8")
    (gold / "cross.json").write_text(json.dumps({"story_clusters": []}), encoding="utf-8")
    assert read_questions(gold) == ["007_a::Why?"]


def test_answers_are_the_same_with_and_without_a_second_connection(corpus_store, monkeypatch):
    from dyad.store.beside import Beside

    questions = ["What were the main outcomes of the visit?", "How much trade did Putin forecast?",
                 "What did Gabuev say about Power of Siberia 2?"]
    with corpus_store.beside() as beside:
        assert beside.parallel
    parallel = [[(a.doc_id, a.idx, a.score) for a in ask(corpus_store, q, k=10)] for q in questions]
    monkeypatch.setattr(Store, "beside", lambda self: Beside(self, None))
    assert parallel == [[(a.doc_id, a.idx, a.score) for a in ask(corpus_store, q, k=10)] for q in questions]
