"""In-document entities (``dyad_entities``) on the real pipeline: clusters, types,
roles, descriptions, nominal events and the helpers other extractors use."""

from __future__ import annotations

import pytest

from dyad.ingest.readers import read_source
from dyad.clean import clean_article
from dyad.model import Entity
from dyad.nlp import load_pipeline
from dyad.nlp.entities import entity_at, nearest_person_before
from tests.paths import CORPUS

OTHERS = ("dyad_dates", "dyad_quotes", "dyad_figures", "dyad_events")


@pytest.fixture(scope="module")
def nlp():
    # The other extractors run after the entity components and are not needed here.
    return load_pipeline(disable=OTHERS)


def parse(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.published = "2024-05-17"
    doc = nlp(doc)
    for i, entity in enumerate(doc._.entities):
        assert entity.id == i
        for m in entity.mentions:
            assert doc.text[m.start:m.end] == m.text
    return doc


def entity(doc, name: str) -> Entity:
    found = [e for e in doc._.entities if e.canonical == name or name in {m.text for m in e.mentions}]
    assert len(found) == 1, f"{name!r}: {[(e.canonical, [m.text for m in e.mentions]) for e in doc._.entities]}"
    return found[0]


def forms(e: Entity) -> set[str]:
    return {m.text for m in e.mentions}


# ------------------------------------------------------------------ name coreference
def test_surname_title_and_honorific_mentions_join_the_full_name(nlp):
    doc = parse(nlp, "Vladimir Putin arrived in Beijing. President Putin met Xi Jinping. Mr Putin said Xi "
                     "was a friend. Putin's aides agreed.")
    putin = entity(doc, "Vladimir Putin")
    assert putin.label == "PERSON" and {"Vladimir Putin", "Putin"} <= forms(putin)
    assert entity(doc, "Xi Jinping") is entity(doc, "Xi")
    assert len([e for e in doc._.entities if e.label == "PERSON"]) == 2


def test_honorific_of_the_other_gender_blocks_a_join(nlp):
    doc = parse(nlp, "Michael Howard spoke in Folkestone. Mr Howard said his wife would campaign. "
                     "Mrs Howard said she was happy.")
    assert entity(doc, "Michael Howard") is not entity(doc, "Mrs Howard")


def test_ms_hewitt_joins_patricia_hewitt(nlp):
    doc = parse(nlp, "Trade and Industry Secretary Patricia Hewitt announced the plan. Ms Hewitt told GMTV it "
                     "would help mothers.")
    hewitt = entity(doc, "Patricia Hewitt")
    assert "Ms Hewitt" in forms(hewitt)
    assert "Trade and Industry Secretary" in hewitt.roles


def test_aliases_of_a_state_are_one_entity(nlp):
    doc = parse(nlp, "The U.S. warned China. The United States and the US Congress disagreed with America's allies.")
    us = entity(doc, "United States")
    assert us.label == "GPE" and {"U.S.", "United States"} <= forms(us)


def test_acronym_defined_in_brackets_or_by_initials(nlp):
    doc = parse(nlp, "Russia leads the Eurasian Economic Union (EAEU). The EAEU trades with the National "
                     "Audit Office. The NAO objected.")
    assert {"Eurasian Economic Union", "EAEU"} <= forms(entity(doc, "EAEU"))
    assert entity(doc, "NAO") is entity(doc, "National Audit Office")


def test_demonyms_group_as_one_people_apart_from_the_state(nlp):
    doc = parse(nlp, "Russian officials met Russia's allies. Many Russians are worried about the economy.")
    russians = entity(doc, "Russians")
    assert russians.label == "NORP" and {"Russian", "Russians"} <= forms(russians)
    assert entity(doc, "Russia") is not russians


def test_the_west_and_western(nlp):
    doc = parse(nlp, "Putin wants to counter the West. Western sanctions have not worked.")
    west = entity(doc, "the West")
    assert west.label == "LOC" and {"West", "Western"} <= forms(west)


def test_spelling_variants_of_a_long_name(nlp):
    doc = parse(nlp, "Carl Emmerson of the Institute for Fiscal Studies spoke. The Institute of Fiscal Studies "
                     "later agreed.")
    assert len([e for e in doc._.entities if "Fiscal" in e.canonical]) == 1


def test_numeric_mentions_are_not_entities(nlp):
    doc = parse(nlp, "Trade reached $240 billion in 2023, up 26 percent, Xi Jinping said on Tuesday.")
    assert {e.label for e in doc._.entities} == {"PERSON"}


def test_custom_types_reach_entities(nlp):
    doc = parse(nlp, "The Belt and Road Initiative (BRI) was launched in 2013. The BRI funds the "
                     "Power of Siberia 2 pipeline.")
    bri = entity(doc, "Belt and Road Initiative")
    assert bri.label == "INITIATIVE" and "BRI" in forms(bri)
    assert entity(doc, "Power of Siberia 2").label == "PROJECT"


# ------------------------------------------------------------------ roles and descriptions
def test_pre_name_title_and_apposition_become_roles(nlp):
    doc = parse(nlp, "Russian foreign minister Sergei Lavrov spoke first. Alexander Gabuev, a China and Russia "
                     "expert at the Carnegie Russia Eurasia Center, said the visit mattered.")
    assert "Russian foreign minister" in entity(doc, "Sergei Lavrov").roles
    assert "a China and Russia expert at the Carnegie Russia Eurasia Center" in entity(doc, "Alexander Gabuev").roles


def test_a_clause_after_a_name_is_not_an_apposition(nlp):
    doc = parse(nlp, "For Vladimir Putin, the forum provided an opportunity to meet other leaders.")
    assert entity(doc, "Vladimir Putin").roles == []


def test_definite_description_joins_the_person_it_fits(nlp):
    doc = parse(nlp, "Russian President Vladimir Putin visited his Chinese counterpart Xi Jinping. "
                     "The Russian leader praised the talks. Later the Russian president flew home.")
    putin = entity(doc, "Vladimir Putin")
    assert {"The Russian leader", "the Russian president"} <= forms(putin)
    assert not {"The Russian leader", "the Russian president"} & forms(entity(doc, "Xi Jinping"))


def test_description_before_a_name(nlp):
    doc = parse(nlp, "One enthusiastic participant was the Russian president, Vladimir Putin.")
    putin = entity(doc, "Vladimir Putin")
    assert "the Russian president" in forms(putin) and "the Russian president" in putin.roles


def test_description_prefers_the_exact_office(nlp):
    doc = parse(nlp, "Foreign Secretary Jack Straw met Shadow Foreign Secretary Michael Ancram. "
                     "Later the foreign secretary flew to Poland.")
    assert "the foreign secretary" in forms(entity(doc, "Jack Straw"))


def test_description_inside_another_role_does_not_attach(nlp):
    doc = parse(nlp, "Tory leader Michael Howard spoke. Anne Robinson, a friend of the Tory leader, laughed.")
    assert "the Tory leader" not in forms(entity(doc, "Anne Robinson"))


# ------------------------------------------------------------------ nominal events
def test_war_and_invasion_of_one_place_are_one_event(nlp):
    doc = parse(nlp, "Russia's full-scale invasion of Ukraine began in 2022. The war in Ukraine drags on, "
                     "and the conflict between Israel and Hamas widened. A proxy war with the West looms.")
    war = entity(doc, "The war in Ukraine")
    assert war.label == "EVENT" and "Russia's full-scale invasion of Ukraine" in forms(war)
    assert entity(doc, "the conflict between Israel and Hamas") is not war
    assert not any("proxy" in e.canonical for e in doc._.entities)


def test_summits_and_elections(nlp):
    doc = parse(nlp, "Putin skipped the Brics summit in South Africa. Labour won the 1997 general election and "
                     "the election changed Britain. The election campaign starts now.")
    assert entity(doc, "Brics summit").label == "EVENT"
    election = entity(doc, "the 1997 general election")
    assert "the election" in forms(election)
    assert "election" not in {m.text for e in doc._.entities for m in e.mentions if m.text.startswith("election")}


def test_meeting_joins_the_named_event_of_the_same_body(nlp):
    doc = parse(nlp, "The third Belt and Road Forum was held in Beijing. Last week's BRI forum was smaller.")
    forum = entity(doc, "Belt and Road Forum")
    assert "BRI forum" in forms(forum)


# ------------------------------------------------------------------ helpers
def test_entity_at_prefers_the_tightest_mention(nlp):
    doc = parse(nlp, "Vladimir Putin discussed the war in Ukraine with Xi Jinping.")
    start = doc.text.index("Ukraine")
    assert entity_at(doc, start, start + len("Ukraine")).canonical == "Ukraine"
    assert entity_at(doc, 0, 3).canonical == "Vladimir Putin"
    assert entity_at(doc, doc.text.index("discussed"), doc.text.index("discussed") + 9) is None
    assert entity_at(doc, 2, 2).canonical == "Vladimir Putin"


def test_nearest_person_before(nlp):
    doc = parse(nlp, "Vladimir Putin met Xi Jinping in Beijing. He said Russia was ready.")
    assert nearest_person_before(doc, doc.text.index("He said")).canonical == "Xi Jinping"
    assert nearest_person_before(doc, 0) is None


def test_components_can_be_configured(nlp):
    assert nlp.get_pipe_config("dyad_entities") == {"factory": "dyad_entities", "roles": True, "nominals": True}


# ------------------------------------------------------------------ a real article
def test_real_article(nlp):
    raw = next(read_source(CORPUS / "002_739b598d2f55f936.txt"))
    article = clean_article(raw)
    doc = nlp.make_doc(article.text)
    doc._.published = article.meta.published
    doc = nlp(doc)
    putin = entity(doc, "Vladimir Putin")
    assert {"Putin", "Vladimir Putin", "The Russian president"} <= forms(putin)
    assert entity(doc, "Power of Siberia 2").label == "PROJECT"
    assert entity(doc, "Roskomnadzor").label == "ORG"
    assert entity(doc, "YouTube").label == "PRODUCT"
    assert entity(doc, "no-limits").label == "AGREEMENT"
    assert not any(e.canonical.startswith(("Putin Arrives", "Beijing Seeking")) for e in doc._.entities)
    assert "a China expert and columnist at the Carnegie Russia Eurasia Center" in \
        entity(doc, "Mikhail Korostikov").roles


def test_state_adjective_in_a_title_stands_for_an_unnamed_state(nlp):
    doc = parse(nlp, "Xi met French President Emmanuel Macron in Paris. Russian officials watched Russia's allies.")
    assert entity(doc, "French").canonical == "France" and entity(doc, "French").label == "GPE"
    assert entity(doc, "Russian").label == "NORP"  # Russia is named, so "Russian" stays a people


def test_one_war_name_across_phrasings(nlp):
    doc = parse(nlp, "Russia's war against Ukraine goes on. The invasion of Ukraine was condemned.")
    war = entity(doc, "Russia's war against Ukraine")
    assert war.canonical == "war in Ukraine" and "The invasion of Ukraine" in forms(war)


def test_peers_keep_their_title_and_titles_around_names_are_not_names(nlp):
    doc = parse(nlp, "Baroness Scotland spoke. MSP Karen Whitefield and Paul Boateng MP agreed with Ms Whitefield.")
    assert entity(doc, "Baroness Scotland").label == "PERSON"
    assert entity(doc, "Karen Whitefield") is entity(doc, "Ms Whitefield")
    assert entity(doc, "Paul Boateng").label == "PERSON"
