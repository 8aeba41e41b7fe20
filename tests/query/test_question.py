"""Question analysis and FTS-syntax safety (no store needed)."""

import pytest

from dyad.query.question import analyse
from dyad.query.retrieve import search_term, search_terms
from dyad.store.ask_queries import fts5_match, pg_tsquery


@pytest.mark.parametrize("text, wh", [
    ("What trade volume did Putin forecast?", "what"),
    ("How much has trade grown since the invasion?", "how_much"),
    ("How many containers were shipped?", "how_much"),
    ("When did Putin visit Beijing?", "when"),
    ("Whom did he meet?", "who"),
    ("And where did Xi travel?", "where"),
    ("Was an agreement reached on Power of Siberia 2?", "yes_no"),
    ("Has China supplied weapons to Russia?", "yes_no"),
    ("Tell me about the summit", "other"),
])
def test_wh_type(text, wh):
    assert analyse(text).wh == wh


@pytest.mark.parametrize("text, expected", [
    ("How much has Russia–China trade grown?", {"FIGURE"}),
    ("What trade volume did Putin forecast?", {"FIGURE"}),
    ("When were the talks scheduled?", {"DATE"}),
    ("Who said the partnership had no limits?", {"PERSON", "QUOTE"}),
    ("Which officials accompanied the president?", {"PERSON"}),
    ("Where did the minister travel?", {"PLACE"}),
    ("Why did the talks fail?", {"REASON"}),
    ("What were the main outcomes of the meeting?", {"OUTCOME"}),
    ("Did the two sides sign a deal?", {"OUTCOME", "YES_NO"}),
])
def test_answer_types(text, expected):
    assert analyse(text).answer_types == expected


def test_terms_drop_stop_and_meta_words_and_merge_stems():
    q = analyse("Which Chinese global initiatives does the article mention, and which initiative?")
    stems = [t.stem for t in q.terms]
    assert "articl" not in stems and "mention" not in stems and "which" not in stems
    assert stems.count("initi") == 1


def test_names_and_phrases():
    q = analyse("How did Putin characterise the Greater Eurasian Partnership compared with the BRI?")
    assert q.names == ["Putin", "Greater Eurasian Partnership", "BRI"]
    assert q.phrases == [("greater", "eurasian", "partnership")]
    assert analyse("Was an agreement reached on Power of Siberia 2?").names == ["Power of Siberia 2"]
    assert analyse("What did the U.S. say?").names == ["U.S"]


def test_names_weigh_more_and_expand_to_places():
    q = analyse("Did China openly back the war?")
    china = next(t for t in q.terms if t.stem == "china")
    back = next(t for t in q.terms if t.stem == "back")
    assert china.weight > back.weight
    assert {"beijing", "chinese"} <= set(china.expansions)
    assert "support" in back.expansions


def test_acronym_is_kept_though_it_spells_a_stop_word():
    q = analyse("What did US officials say?")
    assert "us" in [t.stem for t in q.terms]


@pytest.mark.parametrize("text", [
    'Who said "no limits"?', "NEAR(putin xi)", "trade*", "Russia AND China OR NOT India",
    "text: sanctions", "^start", "-minus", "a \"unbalanced quote", "((()))", "", "???", "Ζεύς café",
])
def test_fts_terms_are_always_quoted_words(text):
    term = search_term(text)
    assert term is None or all(w.isalnum() for w in term.split())
    for part in fts5_match(search_terms([text, "plain"])).split(" OR "):
        assert part.startswith('"') and part.endswith('"') and '"' not in part[1:-1]
        assert not set(part) & set("()*:^-")
    for part in pg_tsquery(search_terms([text, "plain"])).split(" | "):
        assert part.startswith("('") and part.endswith("')")
        assert all(w.startswith("'") and w.endswith("'") for w in part[1:-1].split(" <-> "))


def test_empty_question_has_no_terms():
    q = analyse("   ?  ")
    assert q.terms == [] and q.names == []
