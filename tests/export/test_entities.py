from dyad.export.entities import group_entities


def _m(text, label):
    return {"text": text, "label": label}


def test_surname_and_possessive_join_the_full_name():
    ents = group_entities([_m("Vladimir Putin", "PERSON"), _m("Putin", "PERSON"), _m("Putin’s", "PERSON"),
                           _m("Beijing", "GPE"), _m("the Kremlin", "ORG"), _m("Kremlin", "ORG"), _m("2024", "DATE")])
    by_name = {e["canonical"]: e for e in ents}
    assert set(by_name) == {"Vladimir Putin", "Beijing", "the Kremlin"}
    assert set(by_name["Vladimir Putin"]["mentions"]) == {"Vladimir Putin", "Putin"}
    assert by_name["Vladimir Putin"]["count"] == 3


def test_ambiguous_surname_stays_apart():
    ents = group_entities([_m("Xi Jinping", "PERSON"), _m("Wang Xi", "PERSON"), _m("Anna Smith", "PERSON"),
                           _m("John Smith", "PERSON"), _m("Smith", "PERSON")])
    assert "Smith" in {e["canonical"] for e in ents}


def test_family_name_first():
    ents = group_entities([_m("Xi Jinping", "PERSON"), _m("Xi", "PERSON")])
    assert [e["mentions"] for e in ents] == [["Xi Jinping", "Xi"]]
