"""Figure verdicts and event merging on synthetic records."""

from dyad.resolve.figures import compare, concept, same_measure, unit_family, verdict
from dyad.resolve.profiles import interval_of, words
from dyad.resolve.timeline import Ev, same_happening


def _fig(value, doc, period="2023", status="actual", measure="bilateral trade between Russia and China",
         unit="USD", approx=False, surface=None, who=None):
    concept_words, scope = concept(measure)
    return {"doc_id": doc, "idx": 0, "value": value, "unit": unit, "family": unit_family(unit),
            "concept": concept_words,
            "scope": scope, "measure": measure, "period": period, "period_interval": interval_of(period),
            "period_words": " ".join(words(period or "")), "status": status, "approx": approx,
            "surface": surface or str(value), "attributed_to": who, "story": "s1", "group": doc}


def test_same_measure_despite_wording():
    assert same_measure(_fig(1, "a", measure="Russian trade with China"),
                        _fig(1, "b", measure="high bilateral trade volume between Russia and China"))
    assert not same_measure(_fig(1, "a", measure="share of Russian trade", unit="percent"),
                            _fig(1, "b", measure="increase in bilateral trade", unit="percent"))
    assert not same_measure(_fig(1, "a"), _fig(1, "b", unit="GBP"))


def test_verdicts():
    agree = [_fig(200e9, "a", approx=True), _fig(198e9, "b")]
    assert verdict(agree)[0] == "corroborated"
    conflict = [_fig(200e9, "a"), _fig(240e9, "b")]
    assert verdict(conflict)[0] == "conflicting"
    differ = [_fig(200e9, "a", status="forecast", period="by the end of the year"), _fig(190e9, "b")]
    kind, note, n = verdict(differ)
    assert kind == "differing" and "status: forecast vs actual" in note and "period" in note and n == 2


def test_a_republished_copy_does_not_corroborate():
    copy = [_fig(200e9, "a"), _fig(200e9, "b") | {"group": "a"}]
    assert verdict(copy)[0] == "single"


def test_compare_tolerance():
    assert compare(_fig(100, "a"), _fig(101, "b"))[0] == "agree"
    assert compare(_fig(100, "a"), _fig(108, "b"))[0] == "conflict"
    assert compare(_fig(100, "a", approx=True), _fig(108, "b"))[0] == "agree"


def _ev(doc, status="happened", date=(738000, 738001), src=("x1",), tgt=("x2",), sub=("visit",), story="s1",
        etype="CONSULT", location=None):
    return Ev(doc, 0, etype, set(sub), status, frozenset(src), frozenset(tgt), location, None, date, story, doc)


def test_same_happening_rules():
    assert same_happening(_ev("a"), _ev("b", status="scheduled"))
    assert not same_happening(_ev("a"), _ev("b", status="denied"))
    assert not same_happening(_ev("a"), _ev("b", date=(738100, 738100)))
    assert not same_happening(_ev("a"), _ev("b", src=("x3",), tgt=("x4",)))
    assert not same_happening(_ev("a"), _ev("b", tgt=("x5",)))
    assert not same_happening(_ev("a"), _ev("b", sub=("sanction",)))
    assert same_happening(_ev("a", date=None), _ev("b"))
    assert not same_happening(_ev("a", date=None), _ev("b", story="s2"))
    assert not same_happening(_ev("a"), _ev("a"))


def test_moving_only_the_roots_a_changed_key_can_move_gives_the_whole_block_s_roots():
    import random

    from dyad.resolve.figures import moved_roots, roots

    words = ["trade", "russia", "china", "gas", "export", "import", "oil", "growth", "bilateral", "energy"]
    rng = random.Random(7)
    concepts = sorted({" ".join(sorted(rng.sample(words, rng.randint(1, 4)))) for _ in range(80)})

    def full(cs):
        found = roots([("USD", "", frozenset(c.split())) for c in cs])
        return {" ".join(sorted(k[2])): " ".join(sorted(r[2])) for k, r in found.items()}

    for _ in range(100):
        before = set(rng.sample(concepts, 40))
        added, removed = set(rng.sample(sorted(set(concepts) - before), 3)), set(rng.sample(sorted(before), 2))
        after = (before | added) - removed
        stored = full(before)
        now = {c: stored.get(c, c) for c in after}
        assert {**now, **moved_roots(now, added | removed)} == full(after)
