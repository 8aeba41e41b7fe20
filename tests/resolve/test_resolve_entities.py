"""Cross-document entity resolution on small synthetic cases."""

from dyad.resolve.entities import Member, resolve_entities


def _m(doc, ref, name, label="PERSON", forms=(), roles=(), kind="entity", year="2024"):
    return Member(doc, kind, ref, name, label, list(dict.fromkeys([name, *forms])), list(roles), 1, kind == "entity",
                  year)


def _groups(members):
    return {frozenset((m.doc_id, m.name) for m, _ in x.members) for x in resolve_entities(members)}


def _context(doc, start):
    # Shared news context (who else the article names) for one document.
    return [_m(doc, start, "Vladimir Putin"), _m(doc, start + 1, "Xi Jinping"),
            _m(doc, start + 2, "Sergei Shoigu"), _m(doc, start + 3, "Russia", "GPE")]


def test_transliteration_variants_merge_when_roles_agree():
    members = [_m("a", 0, "Andrey Belausov", roles=["new Defence Minister"]),
               _m("b", 0, "Andrei Belousov", roles=["the new defence minister"])]
    assert frozenset({("a", "Andrey Belausov"), ("b", "Andrei Belousov")}) in _groups(members)


def test_similar_names_of_different_people_stay_apart():
    members = [_m("a", 0, "Andrei Belousov", roles=["defence minister"]), *_context("a", 1),
               _m("b", 0, "Andrei Belov", roles=["ice hockey forward"]), _m("b", 1, "Spartak Moscow", "ORG"),
               _m("b", 2, "Kontinental Hockey League", "ORG")]
    groups = _groups(members)
    assert frozenset({("a", "Andrei Belousov")}) in groups
    assert frozenset({("b", "Andrei Belov")}) in groups


def test_different_given_names_never_merge():
    members = [_m("a", 0, "Ed Miliband", roles=["Labour leader"]), _m("b", 0, "David Miliband", roles=["Labour MP"])]
    assert len(_groups(members)) == 2


def test_byline_variants_merge_through_a_shared_coauthor():
    members = [_m("a", 0, "Marcin Kaczemarski", kind="author"), _m("a", 1, "Natasha Kuhrt", kind="author"),
               _m("b", 0, "Marcin Kaczmarski", kind="author"), _m("b", 1, "Natasha Kuhrt", kind="author")]
    assert frozenset({("a", "Marcin Kaczemarski"), ("b", "Marcin Kaczmarski")}) in _groups(members)


def test_byline_and_bio_in_one_document_merge():
    members = [_m("a", 0, "Marcin Kaczemarski", kind="author"),
               Member("a", "entity", 5, "Marcin Kaczmarek", "PERSON", ["Marcin Kaczmarek"], ["Lecturer"], 1, False)]
    assert len(_groups(members)) == 1


def test_capital_demonym_and_seat_link_to_their_state_without_merging():
    members = [_m("a", 0, "Russia", "GPE"), _m("a", 1, "Moscow", "GPE"), _m("a", 2, "Russians", "NORP"),
               _m("b", 0, "Russian Federation", "GPE"), _m("b", 1, "Kremlin", "ORG"), _m("b", 2, "Russian", "NORP")]
    xs = {x.canonical: x for x in resolve_entities(members)}
    assert set(xs) == {"Russia", "Moscow", "Russians", "Kremlin"}
    assert xs["Russia"].relation == "state" and len(xs["Russia"].members) == 2
    assert (xs["Moscow"].state, xs["Moscow"].relation) == ("RUS", "capital")
    assert (xs["Russians"].state, xs["Russians"].relation) == ("RUS", "demonym")
    assert (xs["Kremlin"].state, xs["Kremlin"].relation) == ("RUS", "seat")


def test_acronym_joins_its_spelled_out_name_unless_ambiguous():
    court = [_m("a", 0, "International Criminal Court", "ORG", forms=["ICC"]), _m("b", 0, "ICC", "ORG")]
    assert len(_groups(court)) == 1
    clash = court + [_m("c", 0, "International Cricket Council", "ORG", forms=["ICC"])]
    assert len(_groups(clash)) == 3


def test_a_surname_joins_the_only_full_name_that_carries_it():
    members = [_m("a", 0, "Vladimir Putin"), _m("b", 0, "Putin")]
    assert len(_groups(members)) == 1


def test_war_and_gathering_names_vary_between_reports():
    members = [_m("a", 0, "Russia’s war against Ukraine", "EVENT", year="2023"),
               _m("b", 0, "invasion of Ukraine", "EVENT", year="2023"),
               _m("a", 1, "third Belt and Road Forum", "EVENT", year="2023"),
               _m("b", 1, "Belt and Road summit", "EVENT", year="2023"),
               _m("c", 1, "Belt and Road summit", "EVENT", year="2019")]
    groups = _groups(members)
    assert frozenset({("a", "Russia’s war against Ukraine"), ("b", "invasion of Ukraine")}) in groups
    assert frozenset({("a", "third Belt and Road Forum"), ("b", "Belt and Road summit")}) in groups
    assert frozenset({("c", "Belt and Road summit")}) in groups


def test_ids_are_stable_and_independent_of_input_order():
    members = [_m("a", 0, "Andrey Belausov", roles=["defence minister"]), _m("b", 0, "Andrei Belousov",
                                                                              roles=["defence minister"])]
    one = [(x.id, x.canonical) for x in resolve_entities(members)]
    two = [(x.id, x.canonical) for x in resolve_entities(list(reversed(members)))]
    assert one == two
