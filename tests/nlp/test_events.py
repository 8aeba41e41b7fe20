"""PLOVER events from the real pipeline (``dyad_events``), one per triggering clause."""

from __future__ import annotations

import pytest

from dyad.nlp.event_lexicon import load_lexicon, parse_rows

PUBLISHED = "2023-10-17"  # a Tuesday


@pytest.fixture(scope="module")
def nlp():
    from dyad.nlp import load_pipeline

    return load_pipeline()


def events(nlp, text: str, published: str | None = PUBLISHED):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.events


def only(nlp, text: str, published: str | None = PUBLISHED):
    found = events(nlp, text, published)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- triggers and types

def test_verb_trigger_with_actors_date_and_status(nlp):
    e = only(nlp, "Russia invaded Ukraine in February 2022.")
    assert (e.type, e.source_actor, e.target_actor) == ("ASSAULT", ["Russia"], ["Ukraine"])
    assert (e.date, e.date_text, e.date_precision, e.status) == ("2022-02", "February 2022", "month", "happened")


def test_light_verb_takes_the_type_of_its_event_nominal(nlp):
    e = only(nlp, "He is scheduled to hold bilateral talks with Xi Jinping on Wednesday.")
    assert (e.type, e.status, e.date) == ("CONSULT", "scheduled", "2023-10-18")
    assert e.target_actor == ["Xi Jinping"]
    assert e.trigger_end - e.trigger_start == len("hold")


def test_reporting_verbs_are_not_events(nlp):
    assert events(nlp, "Mr Blair said the economy was growing strongly.") == []


def test_complement_of_a_trigger_is_part_of_its_event(nlp):
    e = only(nlp, "China refused to supply weapons to the Wagner group.")
    assert (e.type, e.source_actor) == ("REJECT", ["China"])


def test_warning_against_is_a_request(nlp):
    e = only(nlp, "Antony Blinken warned China against supplying Russia with components.")
    assert (e.type, e.source_actor, e.target_actor) == ("REQUEST", ["Antony Blinken"], ["China"])


def test_event_nominal_with_participants(nlp):
    e = only(nlp, "It took place amid growing Western criticism of China's support for Russia.")
    assert (e.type, e.source_actor, e.target_actor) == ("ACCUSE", ["the West"], ["China"])


def test_bare_definite_nominal_refers_back_and_is_not_new(nlp):
    assert events(nlp, "The visit lasted two days.") == []


def test_temporal_preposition_starts_a_separate_event(nlp):
    found = events(nlp, "Putin and Xi hailed their partnership just weeks ahead of Russia's invasion of Ukraine.")
    assert [e.type for e in found] == ["SUPPORT", "ASSAULT"]
    assert found[1].source_actor == ["Russia"] and found[1].target_actor == ["Ukraine"]


def test_conjoined_clauses_are_separate_events(nlp):
    found = events(nlp, "Delivering a speech and staging a press conference, Putin left for Moscow.")
    assert [e.subtype for e in found] == ["speech", "press conference"]


def test_in_protest_makes_a_protest(nlp):
    e = only(nlp, "Boris Bondarev, a Russian diplomat who resigned in protest in 2022, spoke to reporters.")
    assert (e.type, e.source_actor, e.date) == ("PROTEST", ["Boris Bondarev"], "2022")


def test_passive_agent_is_the_source(nlp):
    e = only(nlp, "The peace plan was praised by Vladimir Putin.")
    assert (e.type, e.source_actor) == ("SUPPORT", ["Vladimir Putin"])


def test_capital_and_demonym_stand_for_the_state(nlp):
    e = only(nlp, "Beijing has denied supplying arms to Russia.")
    assert (e.type, e.source_actor, e.target_actor, e.status) == ("AID", ["China"], ["Russia"], "denied")
    e = only(nlp, "Russian officials warned of the dangers.")
    assert e.source_actor == ["Russia"]


def test_standing_relation_is_an_event_only_when_offered_or_new(nlp):
    assert events(nlp, "China's support for Russia has been crucial.") == []
    e = only(nlp, "China continued to offer Moscow political support.")
    assert (e.type, e.source_actor, e.target_actor) == ("SUPPORT", ["China"], ["Russia"])


def test_domestic_politics(nlp):
    e = only(nlp, "The Conservatives dismissed the maternity pay plan as desperate.")
    assert e.type == "REJECT"


# ---------------------------------------------------------------- status

@pytest.mark.parametrize(("text", "status"), [
    ("The Kremlin hopes to secure major commodity contracts.", "hypothetical"),
    ("China may have supplied Russia with dual-use goods.", "hypothetical"),
    ("Putin will attend a forum in Beijing.", "scheduled"),
    ("Putin is due to meet Xi Jinping.", "scheduled"),
    ("There was no agreement on the pipeline.", "denied"),
    ("Beijing does not openly support Moscow in the war.", "denied"),
    ("China stopped short of supplying weapons to Russia.", "denied"),
    ("The conclusion of commercial agreements can't be ruled out.", "hypothetical"),
    ("Mr Blair said he would visit China.", "scheduled"),
])
def test_status(nlp, text, status):
    assert only(nlp, text).status == status


# ---------------------------------------------------------------- dates

def test_weekday_follows_the_tense(nlp):
    assert only(nlp, "Putin arrived in Beijing on Tuesday.").date == "2023-10-17"
    assert only(nlp, "Putin will meet Xi Jinping on Thursday.").date == "2023-10-19"


def test_last_week_is_an_iso_week_range(nlp):
    e = only(nlp, "Putin visited Beijing last week.", "2023-10-24")
    assert (e.date, e.date_precision) == ("2023-10-16/2023-10-22", "range")


def test_undated_event_is_dated_to_publication(nlp):
    e = only(nlp, "China revived the pipeline project.", "2023-10")
    assert (e.date, e.date_text, e.date_precision) == ("2023-10", None, "month")
    assert only(nlp, "China revived the pipeline project.", None).date is None


def test_a_guessed_publication_year_dates_nothing(nlp):
    doc = nlp.make_doc("China revived the pipeline project.")
    doc._.published, doc._.published_how = "2023", "inferred"
    assert [e.date for e in nlp(doc)._.events] == [None]


def test_realis_event_does_not_borrow_a_future_date(nlp):
    found = events(nlp, "Trade could reach $200 billion by early 2024, Putin said in an interview.")
    assert [(e.subtype, e.date) for e in found] == [("interview", PUBLISHED)]


# ---------------------------------------------------------------- what is left out

def test_quotations_are_evidence_not_events(nlp):
    assert events(nlp, '"We will impose new sanctions on Russia next month," the minister told reporters.') == []


def test_headings_are_skipped(nlp):
    assert events(nlp, "Putin arrives in Beijing seeking support") == []


def test_pronoun_takes_the_person_named_in_the_sentence(nlp):
    found = events(nlp, "For Putin, the forum came despite his indictment by the International Criminal Court.")
    assert [(e.type, e.source_actor, e.target_actor) for e in found] == [
        ("ACCUSE", ["International Criminal Court"], ["Putin"])]


def test_pronoun_agrees_in_gender(nlp):
    found = events(nlp, "Mr Blunkett met Ms Hughes in London. She later criticised the Home Office.")
    assert [(e.type, e.source_actor) for e in found] == [("CONSULT", ["Blunkett"]), ("ACCUSE", ["Hughes"])]


def test_dyad_fills_the_missing_target(nlp):
    text = ("Russia and China signed a deal. Russia needs China. China needs Russia. "
            "China has exported large amounts of dual-use items.")
    e = events(nlp, text)[-1]
    assert (e.type, e.source_actor, e.target_actor) == ("COOPERATE", ["China"], ["Russia"])


# ---------------------------------------------------------------- lexicon

def test_lexicon_rows_are_valid():
    lexicon = load_lexicon()
    assert lexicon.rows[("noun", "sanction")][0].type == "SANCTION"
    with pytest.raises(ValueError, match="bad row"):
        parse_rows(["verb\tinvade\tWAR\tinvasion"])
    with pytest.raises(ValueError, match="unknown condition"):
        parse_rows(["verb\tinvade\tASSAULT\tinvasion\tcolour=red"])
