"""Name keys and the states gazetteer."""

from dyad.resolve.gazetteer import gazetteer
from dyad.resolve.names import initials, is_acronym, name_key, person_tokens


def test_name_key_folds_case_accents_possessives_and_articles():
    assert name_key("the U.S.") == "us"
    assert name_key("Russia’s war against Ukraine") == "russia war against ukraine"
    assert name_key("Power of Siberia-2") == "power of siberia 2"
    assert name_key("Élysée") == "elysee"


def test_byline_surname_first_is_reordered_and_titles_dropped():
    assert person_tokens("KACZEMARSKI Marcin") == ["marcin", "kaczemarski"]
    assert person_tokens("Russian President Vladimir Putin") == ["vladimir", "putin"]
    assert person_tokens("Dr Marcin Kaczmarek") == ["marcin", "kaczmarek"]


def test_acronyms():
    assert is_acronym("ICC") and is_acronym("U.S.") and not is_acronym("Kremlin")
    assert initials("International Criminal Court") == "ICC"
    assert initials("Eurasian Economic Union") == "EEU"


def test_gazetteer_names_capitals_demonyms_and_seats():
    g = gazetteer()
    assert g.lookup("Russia") == ("RUS", "state")
    assert g.lookup("the Russian Federation") == ("RUS", "state")
    assert g.lookup("the US") == ("USA", "state")
    assert g.lookup("U.S.") == ("USA", "state")
    assert g.lookup("Moscow") == ("RUS", "capital")
    assert g.lookup("Russians") == ("RUS", "demonym")
    assert g.lookup("Chinese") == ("CHN", "demonym")
    assert g.lookup("the Kremlin") == ("RUS", "seat")
    assert g.lookup("Vladimir Putin") is None
    assert len(g.states) > 190


def test_states_named_in_a_phrase():
    assert gazetteer().states_in("Russia's war against Ukraine") == ["RUS", "UKR"]
    assert gazetteer().states_in("Chinese exports to the United States") == ["CHN", "USA"]
