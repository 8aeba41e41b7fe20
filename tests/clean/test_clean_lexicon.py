"""The stop-phrase lexicon's needles: a cheap test that must never hide a match."""

from __future__ import annotations

import random

from dyad.clean import lexicon
from dyad.clean.lexicon import needles

try:
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # Python < 3.11
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def test_needles_of_simple_patterns():
    assert needles(r"\bsmall favou?r to ask\b") == ("small favo",)
    assert needles(r"^(?:©|\(c\)|copyright\b)") == ("(c)", "copyright", "©")
    assert needles(r"\bmake a (?:one-off )?(?:donation|contribution) now") == ("contribution", "donation")
    assert needles(r"(?:ab)+x") == ("ab",)


def test_no_needles_when_a_match_may_lack_literals():
    assert needles(r"x*") is None
    assert needles(r"[ab]c?") is None
    assert needles(r"abc|\d+") is None  # one alternative has no literal
    assert needles(r"(?i)abc") is None  # literals would have to be case-folded


def _sample(items, rnd: random.Random) -> str:
    """A random string built along the parsed pattern (it need not match: anchors
    and boundaries are ignored; the caller keeps those that do)."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.IN:
            chars = [chr(v) for o, v in av if o is sre.LITERAL] + [chr(v[0]) for o, v in av if o is sre.RANGE]
            out.append(rnd.choice(chars) if chars else "a")
        elif op is sre.ANY:
            out.append(rnd.choice("a .-"))
        elif op is sre.BRANCH:
            out.append(_sample(rnd.choice(av[1]), rnd))
        elif op is sre.SUBPATTERN:
            out.append(_sample(av[3], rnd))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            lo, hi, sub = av
            out.append("".join(_sample(sub, rnd) for _ in range(rnd.randint(lo, min(hi, lo + 2)))))
    return "".join(out)


def test_every_match_of_a_family_holds_one_of_its_needles():
    rnd = random.Random(7)
    checked = 0
    for fam in lexicon.LINE_FAMILIES:
        parsed = sre_parse.parse(fam.pattern.pattern)
        for _ in range(3000):
            core = _sample(parsed, rnd)
            for line in (core, f"word {core} word", f"{core}.", f"a {core}"):
                if fam.pattern.search(line):
                    checked += 1
                    assert fam.needles is None or any(n in line for n in fam.needles), (fam.name, line)
    assert checked > 1000


def test_match_family_agrees_with_the_expressions_alone():
    lines = ["Please consider supporting our journalism today.", "© 2024 The Daily Planet", "Share",
             "Donate now", "Comments (3)", "Read more »", "Source: Reuters",
             "The minister said support for the plan was growing among MPs.",
             "This article was originally published on The Conversation.", "Sign up for our daily newsletter"]
    for line in lines:
        low = line.lower()
        n = len(line.split())
        expected = next((f.name for f in lexicon.LINE_FAMILIES
                         if f.applies(n) and f.pattern.search(line if f.case else low)), None)
        assert lexicon.match_family(line, n) == expected


def test_needles_are_found_for_the_body_length_families():
    # The family applying to lines of any length is the one that must be cheap.
    for fam in lexicon.LINE_FAMILIES:
        if fam.max_words is None:
            assert fam.needles, fam.name
