"""The stop-phrase lexicon: families of page-furniture phrases, loaded from package data.

The phrases live in ``data/stop_phrases.txt`` so that they can be extended without
touching code; see the header of that file for its format.  Each family compiles
to one regular expression at import time, together with the literal words that
every match must contain (its *needles*), so that a line holding none of them is
passed over without running the expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

try:  # the regular expression parser (private: without it, no needles)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre, name))

DATA_FILE = "stop_phrases.txt"
_HEADER_RE = re.compile(r"^\[([\w-]+)((?:\s+[\w=]+)*)\]\s*$")


@dataclass(frozen=True)
class Family:
    """One family of stop phrases (``donation``, ``nav`` ...)."""

    name: str
    pattern: re.Pattern | None
    max_words: int | None = None
    strong: bool = False
    literals: tuple[str, ...] = ()
    case: bool = False
    # Strings of which every match of ``pattern`` contains one (None: not known).
    needles: tuple[str, ...] | None = None

    def applies(self, n_words: int) -> bool:
        """Whether a line of ``n_words`` words is short enough for this family."""
        return self.max_words is None or n_words <= self.max_words


def parse_lexicon(text: str) -> dict[str, Family]:
    """Parse the lexicon file format into families (in file order)."""
    sections: list[tuple[str, dict, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _HEADER_RE.match(line)
        if m:
            opts = {}
            for tok in m.group(2).split():
                key, _, val = tok.partition("=")
                opts[key] = val or True
            sections.append((m.group(1), opts, []))
        elif sections:
            sections[-1][2].append(line)
    families = {}
    for name, opts, items in sections:
        max_words = int(opts["max_words"]) if "max_words" in opts else None
        if opts.get("literal"):
            fam = Family(name, None, max_words, bool(opts.get("strong")), tuple(items))
        else:
            # Case-insensitive families are matched against the lower-cased line
            # (faster than re.IGNORECASE), so their patterns are lower-cased here.
            case = bool(opts.get("case"))
            rx = re.compile("|".join(f"(?:{p if case else _lower_pattern(p)})" for p in items))
            fam = Family(name, rx, max_words, bool(opts.get("strong")), case=case, needles=needles(rx.pattern))
        families[name] = fam
    return families


def _lower_pattern(p: str) -> str:
    """Lower-case a pattern's literals but not its escapes (``\\S`` must stay ``\\S``)."""
    return re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), p)


def needles(pattern: str) -> tuple[str, ...] | None:
    """Literal strings of which every match of ``pattern`` contains at least one.

    Read from the parsed expression: a run of literal characters that every match
    goes through, or one such run from each alternative of a branch.  None when no
    such set is found (or the pattern ignores case).
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - no needles, the expression alone decides
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _required(parsed)
    return tuple(sorted(found)) if found else None


def _required(items) -> frozenset[str] | None:
    """A set of strings one of which every match of the sequence ``items`` contains."""
    best: frozenset[str] | None = None

    def consider(cands: frozenset[str] | None) -> None:
        nonlocal best
        if cands and all(cands) and (best is None or min(map(len, cands)) > min(map(len, best))):
            best = cands

    run: list[str] = []
    for op, av in [*items, (_END, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:  # (any other item ends a run of literal characters)
            consider(frozenset({"".join(run)}))
            run = []
        if op is _sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if not add_flags and not del_flags:
                consider(_required(sub))
        elif op is _sre.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            consider(_required(av[2]))
    return best


_END = object()  # (closes the last run of literals)


def _load() -> dict[str, Family]:
    text = resources.files("dyad.clean").joinpath("data", DATA_FILE).read_text("utf-8")
    return parse_lexicon(text)


FAMILIES: dict[str, Family] = _load()
# Families matched against every line, in priority order (literal lists excluded).
LINE_FAMILIES: tuple[Family, ...] = tuple(f for f in FAMILIES.values() if f.pattern is not None)
STRONG_FAMILIES: frozenset[str] = frozenset(f.name for f in FAMILIES.values() if f.strong)
AGENCIES: tuple[str, ...] = FAMILIES["agencies"].literals if "agencies" in FAMILIES else ()


def match_family(plain: str, n_words: int) -> str | None:
    """Name of the first lexicon family whose phrases occur in ``plain``, or None."""
    low = plain.lower()
    for fam in LINE_FAMILIES:
        if fam.applies(n_words):
            line = plain if fam.case else low
            if (fam.needles is None or any(n in line for n in fam.needles)) and fam.pattern.search(line):
                return fam.name
    return None
