"""The figures grammar: numbers in a parsed Doc read as quantities with their units.

A quantity is built around a *number* (digits "380,000", suffixed "£1.5bn", or words
"twenty-five", "a million") in three steps:

1. left context: currency symbol or code, then hedges ("nearly", "some": approximate)
   and bounds ("more than", "up to"), and "between" opening a range;
2. exclusions: years, days of the month, clock times, footnote marks, labels ("page
   3", "aged 20"), numbers inside names ("Power of Siberia 2", "Radio 4", "Su-57"),
   word numbers that refer back to a known group ("the two sides");
3. right context: a range end ("10-15", "between 5 and 10"), then the unit -
   currency word, percent, "times", a hyphen compound ("two-day", "7000-word"), a
   time or measurement unit, and a rate ("a year"); else the counted noun from the
   parse ("10 jointly signed agreements"), or a bare count when the number is itself
   an argument ("attracted only three").

Parentheses are never minus signs: "(£163 billion)" is read like any other amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dyad.nlp import figure_lexicon as lex

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SUFFIXED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(bn|mn|m|k|tn|trn|p|billion|million)$", re.I)
_UNIT_SUFFIXED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]{1,3})$", re.I)
_CLOCK = re.compile(r"^[0-2]\d[0-5]\d(?:gmt|bst|hrs|h)?$|^0\d{3}$", re.I)
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
_HYPHENS = frozenset({"-", "–", "—", "‐"})
_WORD_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
                "dozen": 12.0}
# Abbreviated scales: "bn" is unambiguous even apart ("£35 bn"); "m" and "k" count
# only when written against the number ("£5m", not "5 m").
_LOOSE_SCALES = frozenset({"bn", "mn", "tn", "trn", "bn."})
_TIGHT_SCALES = frozenset({"m", "k", "m."}) | _LOOSE_SCALES
# Dependency labels of a number that is itself an argument, not a modifier.
_NOMINAL_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "pobj", "appos", "conj", "npadvmod",
                           "oprd", "ROOT", "dative", "advmod"})
# Entity labels that make a plain number part of a name ("Radio 4", "Section 28").
_NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "GPE", "LOC",
                          "INITIATIVE", "AGREEMENT", "PROJECT"})
_HEDGE_TABLES = ((lex.APPROX_BEFORE, "approx"), (lex.BOUND_BEFORE, "bound"))
_DECIMAL_NEXT = frozenset({"per", "percent", "%", "pc", "million", "billion", "trillion", "times", "m", "bn"})


@dataclass
class Number:
    """A number written in the text: tokens ``[start, end)`` and its value."""

    start: int
    end: int
    value: float
    words: bool = False
    scaled: bool = False
    unit: str | None = None  # from a sub-unit suffix ("80p")
    measure: str | None = None  # from a unit suffix ("80mg", "30mph")
    bare_m: bool = False  # "300m": millions with a currency or a noun, else perhaps metres


@dataclass
class Quantity:
    """A number with its unit: the grammar's result, before context is added.

    ``start``/``end`` are token indices of the whole surface; ``num_start``/``num_end``
    of the number itself; ``noun`` is the index of the counted noun, if any.
    """

    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    unit: str
    kind: str  # money | percent | measure | time | ratio | count
    approx: bool = False
    qualifier: str | None = None
    noun: int | None = None
    rate: str | None = None
    upper: float | None = None
    between: bool = False  # opened by "between": a second figure after "and" closes the range


def read_number(doc: Doc, i: int) -> Number | None:
    """The number starting at token ``i`` (digits, suffixed digits or words), or None."""
    low = doc[i].lower_
    if _DIGITS.match(low):
        num = Number(i, i + 1, float(low.replace(",", "")))
    elif m := _SUFFIXED.match(low):
        suffix = m[2].lower()
        value = float(m[1].replace(",", ""))
        if suffix == "p":
            return Number(i, i + 1, value * 0.01, unit="GBP")
        return Number(i, i + 1, value * lex.SCALES[suffix], scaled=True, bare_m=suffix == "m")
    elif (m := _UNIT_SUFFIXED.match(low)) and m[2] in lex.SUFFIX_UNITS:
        return Number(i, i + 1, float(m[1].replace(",", "")), measure=lex.SUFFIX_UNITS[m[2]])
    elif low in lex.UNITS or (low in ("a", "an") and i + 1 < len(doc) and doc[i + 1].lower_ in _WORD_SCALES):
        num = _read_words(doc, i)
        if num is None:
            return None
    else:
        return None
    return _read_scales(doc, num)


def _read_words(doc: Doc, i: int) -> Number | None:
    """A number written in words: "three", "twenty-five", "two hundred and fifty", "a million"."""
    total, current, j, n = 0.0, 0.0, i, len(doc)
    last = None
    while j < n:
        w = doc[j].lower_
        if w in lex.UNITS and (last not in lex.UNITS or lex.UNITS[last] >= 20 and lex.UNITS[last] % 10 == 0
                                and lex.UNITS[w] < 10):
            current += lex.UNITS[w]  # "three", "ninety one"
        elif w == "point" and last in lex.UNITS and j + 2 < n and doc[j + 1].lower_ in lex.UNITS \
                and lex.UNITS[doc[j + 1].lower_] < 10 and doc[j + 2].lower_ in _DECIMAL_NEXT:
            j += 1  # "one point three per cent": a decimal said in words ("at one point three men" is not)
            current += lex.UNITS[doc[j].lower_] / 10
            w = "point"
        elif w in ("a", "an") and j == i:
            current = 1.0
        elif w in _WORD_SCALES and last is not None:
            if w in ("hundred", "dozen"):
                current = (current or 1.0) * _WORD_SCALES[w]
            else:
                total += (current or 1.0) * _WORD_SCALES[w]
                current = 0.0
        elif (w in _HYPHENS and last in lex.UNITS and lex.UNITS[last] >= 20 and j + 1 < n
              and doc[j + 1].lower_ in lex.UNITS and lex.UNITS[doc[j + 1].lower_] < 10):
            j += 1  # "twenty-five": the hyphen joins tens and units
            current += lex.UNITS[doc[j].lower_]
            w = doc[j].lower_
        elif w == "and" and last == "hundred" and j + 1 < n and doc[j + 1].lower_ in lex.UNITS:
            pass
        else:
            break
        last = w
        j += 1
    if last in ("a", "an") or last is None:
        return None
    return Number(i, j, total + current, words=True, scaled=j - i > 1 and last in _WORD_SCALES)


def _read_scales(doc: Doc, num: Number) -> Number:
    """Multiply by the scale words after a digit number ("200 billion", "£5m")."""
    j = num.end
    while j < len(doc) and not num.words:
        w = doc[j].lower_
        if w in _TIGHT_SCALES and (not doc[j - 1].whitespace_ or w in _LOOSE_SCALES) \
                or w in _WORD_SCALES and w != "dozen":
            num.value *= lex.SCALES.get(w.rstrip("."), _WORD_SCALES.get(w, 1.0))
            num.scaled = True
            num.bare_m = w in ("m", "m.")
            j += 1
        else:
            break
    num.end = j
    return num


def _match_before(doc: Doc, j: int, lo: int, table: dict) -> tuple[str, int] | None:
    """The longest phrase of ``table`` ending at token ``j`` (not before ``lo``): (value, start)."""
    if j < lo or doc[j].lower_ not in _LAST_WORDS[id(table)]:
        return None
    for size in (3, 2, 1):
        s = j - size + 1
        if s >= lo:
            key = tuple(t.lower_ for t in doc[s:j + 1])
            if key in table:
                return table[key], s
    return None


def _match_after(doc: Doc, k: int, hi: int, table: dict) -> tuple[str, int] | None:
    """The longest phrase of ``table`` starting at token ``k`` (ending by ``hi``): (value, end)."""
    if k >= hi or doc[k].lower_ not in _FIRST_WORDS[id(table)]:
        return None
    for size in (3, 2, 1):
        if k + size <= hi:
            key = tuple(t.lower_ for t in doc[k:k + size])
            if key in table:
                return table[key], k + size
    return None


# First and last words of each phrase table: most tokens are rejected by one set lookup.
_TABLES = (lex.APPROX_BEFORE, lex.BOUND_BEFORE, lex.APPROX_AFTER, lex.CURRENCY_WORDS, lex.PERCENT_WORDS,
           lex.MEASURE_UNITS, lex.RATE_TAILS, lex.FRACTIONS_BEFORE)
_FIRST_WORDS = {id(t): frozenset(k[0] for k in t) for t in _TABLES}
_LAST_WORDS = {id(t): frozenset(k[-1] for k in t) for t in _TABLES}


@dataclass
class _Left:
    start: int
    currency: str | None = None
    approx: bool = False
    qualifier: str | None = None
    focus: bool = False
    between: bool = False
    change_from: bool = False
    fraction: float = 1.0
    before: Token | None = None  # the word before the whole left context


def _left_context(doc: Doc, num: Number, lo: int) -> _Left:
    """Currency, hedges, bounds and range openers before the number."""
    left = _Left(num.start)
    j = num.start - 1
    if j >= lo and (doc[j].lower_ in lex.CURRENCY_SYMBOLS or doc[j].lower_ in lex.CURRENCY_CODES):
        left.currency = lex.CURRENCY_SYMBOLS.get(doc[j].lower_) or lex.CURRENCY_CODES[doc[j].lower_]
        left.start, j = j, j - 1
    if doc[num.start].lower_ in ("a", "an") and j >= lo:
        fraction = _match_before(doc, j, lo, lex.FRACTIONS_BEFORE)
        if fraction:  # "a quarter of a million", "half a million"
            left.fraction, left.start, j = fraction[0], fraction[1], fraction[1] - 1
    for _ in range(2):  # "only about", "just over"
        if j < lo:
            break
        if doc[j].lower_ in lex.FOCUS:
            left.focus, left.start, j = True, j, j - 1
            continue
        for table, kind in _HEDGE_TABLES:
            found = _match_before(doc, j, lo, table)
            if found and found[1] == j and doc[j].lower_ in lex.PREPOSITIONAL_HEDGES and doc[j].dep_ == "prep":
                found = None
            if found and not (kind == "approx" and left.approx):
                if kind == "approx":
                    left.approx = True
                left.qualifier = left.qualifier or found[0]
                left.start, j = found[1], found[1] - 1
                break
        else:
            break
    if j >= lo:
        left.between = doc[j].lower_ == "between"
        left.change_from = doc[j].lower_ == "from"
        left.before = doc[j]
    return left


def _is_excluded(doc: Doc, num: Number, left: _Left, lo: int, hi: int) -> bool:
    """Years, dates, times, labels and numbers inside names are not figures."""
    tok, nxt = doc[num.start], doc[num.end] if num.end < hi else None
    prev = doc[num.start - 1] if num.start > lo else None
    nxt_low = nxt.lower_ if nxt is not None else ""
    marked = left.currency is not None or num.unit is not None or nxt_low in ("%", "percent", "per", "pc")
    if prev is not None and prev.text in ("[", "{") and nxt is not None and nxt.text in ("]", "}"):
        return True  # footnote mark "[1]"
    if ":" in tok.text or nxt_low in lex.CLOCK_AFTER or _CLOCK.match(tok.text) and tok.text[0] == "0":
        return True
    if nxt_low == "in" and num.end + 1 < hi and read_number(doc, num.end + 1) is not None \
            and not _YEAR.match(doc[num.end + 1].text):
        return True  # a proportion: "one in 50 drivers" (but "10 in 2023" is a count and a year)
    if marked or num.scaled:
        return False
    plain_int = not num.words and num.end - num.start == 1 and tok.text.isascii() and tok.text.isdigit()
    if plain_int and _YEAR.match(tok.text) and not (tok.ent_type_ in ("CARDINAL", "QUANTITY")
                                                    and nxt is not None and nxt.tag_ == "NNS"):
        return True
    if plain_int and int(tok.text) <= 31 and (prev is not None and prev.lower_ in lex.MONTHS
                                               or nxt_low in lex.MONTHS):
        return True
    if prev is not None and prev.lower_ in lex.LABEL_BEFORE and left.start == num.start \
            and not (nxt is not None and nxt.tag_ == "NNS"):  # "page 3", but "last year 185,000 people"
        return True
    if prev is not None and prev.i - 1 >= lo and (prev.lower_ == "in" or prev.lower_ == "of"
                                                   and doc[prev.i - 1].lower_ == "out"):
        before = doc[prev.i - 2] if prev.lower_ == "of" and prev.i - 2 >= lo else doc[prev.i - 1]
        if before.like_num or before.lower_ in lex.UNITS:
            return True  # a proportion: "six out of 20", "one in three"
    if prev is not None and prev.text == "," and nxt_low == "," and tok.dep_ == "appos":
        return True  # an age: "The prince, 20, apologised"
    if prev is not None and prev.text in _HYPHENS and prev.i - 1 >= lo and doc[prev.i - 1].like_num:
        return True  # the second half of a range whose first half was not a figure ("May 16-17")
    if _in_name(doc, num, prev, lo):
        return True
    if num.words and prev is not None and left.start == num.start and prev.lower_ in lex.ANAPHORIC_DETS \
            and num.value <= lex.ANAPHORIC_MAX and nxt_low not in _HYPHENS:
        return True  # "the two sides", "its three members"
    return nxt_low == "of" and num.words and not num.scaled  # "one of", "two of them"


def _in_name(doc: Doc, num: Number, prev: Token | None, lo: int) -> bool:
    """A number that is part of a name or a designation ("Radio 4", "Su-57", "10 Downing Street")."""
    tok = doc[num.start]
    if tok.ent_type_ in _NAME_LABELS:
        return True
    if num.words:  # "Radio Four", "the Guildford Four"
        return prev is not None and prev.is_alpha and (tok.is_title or prev.is_title and prev.i > lo
                                                       and prev.pos_ == "PROPN" and prev.lower_ not in lex.MONTHS)
    if prev is not None and prev.text in _HYPHENS and not prev.whitespace_ and prev.i - 1 >= lo \
            and not doc[prev.i - 1].whitespace_ and doc[prev.i - 1].is_alpha:
        return True  # "F-16" split by the tokenizer
    if prev is not None and prev.i > lo and (prev.is_title or prev.is_upper) and prev.is_alpha \
            and prev.lower_ not in lex.MONTHS and not _hedge_word(prev):
        return True  # "Power of Siberia 2", "Clause 4"; not "...: Nearly 500 people"
    head = doc[num.end - 1].head
    return head.i >= num.end and head.tag_ == "NNP" and doc[num.end].pos_ == "PROPN"


def _hedge_word(tok: Token) -> bool:
    low = tok.lower_
    return low in lex.FOCUS or any(low in words for words in (_LAST_WORDS[id(lex.APPROX_BEFORE)],
                                                               _LAST_WORDS[id(lex.BOUND_BEFORE)]))


def could_start(low: str) -> bool:
    """Cheap test on a lower-cased token: can a number start here?"""
    return low[:1].isdigit() or low in lex.UNITS or low in ("a", "an")


def find_quantities(doc: Doc, lo: int, hi: int, starts: list[int]) -> list[Quantity]:
    """Every quantity in tokens ``[lo, hi)`` (one sentence), left to right.

    ``starts`` are the indices in ``[lo, hi)`` where :func:`could_start` holds.
    """
    found: list[Quantity] = []
    excluded: set[int] = set()
    i = lo
    for start in starts:
        if start < i:
            continue  # inside the previous quantity
        i = start
        num = read_number(doc, i)
        if num is None or num.end > hi:
            i += 1
            continue
        left = _left_context(doc, num, max(lo, found[-1].end if found else lo))
        if _is_excluded(doc, num, left, lo, hi) or _listed_with(doc, i, excluded):
            excluded.add(i)  # and the numbers listed with it: "Key Stages 1, 3 and 4"
            quantity = None
        else:
            quantity = _build(doc, num, left, hi)
        if quantity is not None:
            if found and _continues(doc, found[-1], quantity):
                quantity.unit, quantity.kind = found[-1].unit, found[-1].kind  # "from 24 weeks to 20"
            if found and _closes_range(doc, found[-1], quantity):
                found[-1].upper, found[-1].end = quantity.value, quantity.end
                found[-1].qualifier = f"range {_fmt(found[-1].value)}-{_fmt(quantity.value)}"
            else:
                found.append(quantity)
            i = quantity.end
        else:
            i = num.end
    return found


def _continues(doc: Doc, first: Quantity, second: Quantity) -> bool:
    """A bare count right after "to"/"and"/"or" that follows a figure shares its unit."""
    return (second.kind == "count" and second.noun is None and second.unit == "count" and first.unit != "count"
            and second.start == first.end + 1 and doc[first.end].lower_ in ("to", "and", "or"))


def _listed_with(doc: Doc, i: int, excluded: set[int]) -> bool:
    """A number listed after one that was not a figure: "Key Stages 1, 3 and 4"."""
    return i >= 2 and doc[i - 1].lower_ in (",", "and", "or", "&") and (i - 2 in excluded
                                                                        or doc[i].head.i in excluded)


def _closes_range(doc: Doc, first: Quantity, second: Quantity) -> bool:
    """ "between 3% and 3.5%": the second figure is the upper end of the first."""
    return (first.between and first.upper is None and second.start == first.end + 1
            and doc[first.end].lower_ == "and" and first.unit == second.unit and second.value > first.value)


def _build(doc: Doc, num: Number, left: _Left, hi: int) -> Quantity | None:
    """Add the range end and the unit to a number; None when it is not a figure."""
    upper = _range_end(doc, num, left, hi)
    last = upper.end if upper else num.end
    if upper and upper.scaled and not num.scaled:
        num.value *= upper.value / max(_unscaled(doc, upper), 1e-12)
    q = Quantity(left.start, last, num.start, last, num.value * left.fraction, "count", "count", left.approx,
                 left.qualifier, between=left.between)
    currency = left.currency or num.unit or (upper.unit if upper else None)
    measure = num.measure or (upper.measure if upper else None)
    if measure and not currency:
        _measure_unit(doc, q, (measure, q.end), hi)
    elif not _read_unit(doc, q, currency, hi):
        return None
    tok = doc[num.start]
    if q.kind == "count" and q.noun is None and (tok.ent_type_ in ("DATE", "TIME") or num.bare_m):
        return None  # a day, a clock time or a year inside a date; "about 300m" (metres or millions?)
    hyphenated = q.end > q.num_end and doc[q.num_end].text in _HYPHENS
    if num.words and num.value == 1 and (not (left.focus or left.qualifier or hyphenated)
                                         or left.qualifier == "some"):
        return None  # "one" is mostly a pronoun or an article ("one such project", "some one")
    if upper is not None:
        factor = q.value / num.value if num.value else 1.0
        q.upper = upper.value * factor
        q.qualifier = f"range {_fmt(q.value)}-{_fmt(q.upper)}"
    return q


def _unscaled(doc: Doc, num: Number) -> float:
    low = doc[num.start].lower_
    m = _SUFFIXED.match(low)
    return float((m[1] if m else low).replace(",", "")) if (m or _DIGITS.match(low)) else num.value


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _range_end(doc: Doc, num: Number, left: _Left, hi: int) -> Number | None:
    """The second number of "10-15", "5 to 10" or "between 5 and 10"."""
    k = num.end
    if k + 1 >= hi:
        return None
    joiner = doc[k].lower_
    changed = left.change_from or left.before is not None and left.before.lemma_.lower() in lex.CHANGE_CUES
    ok = (joiner in _HYPHENS and not doc[k - 1].whitespace_) or (joiner == "to" and not changed) \
        or (joiner == "and" and left.between)
    if not ok:
        return None
    upper = read_number(doc, k + 1)
    if upper is None or upper.value <= num.value * (1 if num.scaled or not upper.scaled else 0):
        return None
    return upper


def _read_unit(doc: Doc, q: Quantity, currency: str | None, hi: int) -> bool:
    """Fill unit, kind and the surface end from the words after the number."""
    k = q.end
    word = _match_after(doc, k, hi, lex.CURRENCY_WORDS)
    if word is None and k < hi and doc[k].lower_ in lex.CURRENCY_CODES:
        word = (lex.CURRENCY_CODES[doc[k].lower_], k + 1)
    if currency or word:
        q.unit, q.kind = currency or word[0], "money"
        q.end = word[1] if word else k
        _read_rate(doc, q, hi)
        return True
    if k < hi and doc[k].lower_ in lex.SUBUNITS and doc[k].lower_ != "p" and not q.noun:
        q.unit, factor = lex.SUBUNITS[doc[k].lower_]
        q.value *= factor
        q.kind, q.end = "money", k + 1
        return True
    pct = _match_after(doc, k, hi, lex.PERCENT_WORDS)
    if pct and pct[0] != "points":
        q.unit, q.kind, q.end = pct[0], "percent", pct[1]
        return True
    if k < hi and doc[k].lower_ == "times":
        return _ratio(doc, q, k, hi)
    if k + 1 < hi and doc[k].text in _HYPHENS and not doc[k - 1].whitespace_:
        return _hyphen_unit(doc, q, k + 1, hi)
    if k < hi and doc[k].lower_ in lex.TIME_UNITS:
        return _time_unit(doc, q, k, hi)
    measure = _match_after(doc, k, hi, lex.MEASURE_UNITS)
    if measure:
        _measure_unit(doc, q, measure, hi)
        return True
    return _count_unit(doc, q, hi)


def _ratio(doc: Doc, q: Quantity, k: int, hi: int) -> bool:
    """ "six times larger", "three times the valuation", "four times as many"; a bare
    "30 times" counts occasions, not a ratio, and "nine times out of ten" is a proportion."""
    nxt = doc[k + 1] if k + 1 < hi else None
    if nxt is None or not (nxt.tag_ in ("JJR", "RBR") or nxt.lower_ in lex.RATIO_NEXT or nxt.tag_ == "PRP$"):
        return False
    q.unit, q.kind, q.end = "ratio", "ratio", k + 1 + (nxt.tag_ in ("JJR", "RBR"))
    return True


def _read_rate(doc: Doc, q: Quantity, hi: int) -> None:
    """Extend the surface over a rate ("a year") and an approximate tail ("or so")."""
    rate = _match_after(doc, q.end, hi, lex.RATE_TAILS)
    if rate:
        q.rate, q.end = rate
    tail = _match_after(doc, q.end, hi, lex.APPROX_AFTER)
    if tail:
        if tail[0] == "or more":
            q.qualifier = q.qualifier or "at least (lower bound)"
        else:
            q.approx, q.qualifier = True, q.qualifier or tail[0]
        q.end = tail[1]


def _hyphen_unit(doc: Doc, q: Quantity, k: int, hi: int) -> bool:
    """Hyphen compounds: "two-day" (duration), "7000-word" (count), "5,000-strong" (people)."""
    low = doc[k].lower_
    if not doc[k].is_alpha or low in lex.NON_COUNT_NOUNS:
        return False
    if k + 2 < hi and doc[k + 1].text in _HYPHENS and doc[k + 2].lower_ in ("old", "olds") \
            or k + 1 < hi and doc[k + 1].lower_ in ("old", "olds"):
        return False  # an age: "a 20-year-old man", "21 to 25-year olds"
    q.end = k + 1
    if low in lex.TIME_UNITS:
        name, factor = lex.TIME_UNITS[low]
        q.unit, q.kind, q.value = name, "time", q.value * factor
    elif low in lex.HYPHEN_PEOPLE:
        q.unit, q.kind = "people", "count"
    elif low in lex.HYPHEN_UNITS or low.rstrip("s") in lex.HYPHEN_UNITS:
        q.unit, q.kind = _count_noun(doc[k]), "count"
    else:
        return False
    return True


def _time_unit(doc: Doc, q: Quantity, k: int, hi: int) -> bool:
    """A duration ("10 years", "nearly two years"); points in time ("two years ago") are not."""
    nxt = doc[k + 1].lower_ if k + 1 < hi else ""
    if nxt in ("ago", "old", "olds") or nxt in _HYPHENS and k + 2 < hi and doc[k + 2].lower_ in ("old", "olds"):
        return False  # a point in time or an age: "two years ago", "a 20 year-old"
    if nxt in ("earlier", "later", "before", "after", "hence", "previously") and not q.qualifier \
            and not (q.start > 0 and doc[q.start - 1].lower_ in lex.DURATION_CUES):
        return False  # "four years after it closed"; but "for seven years before entering" is a duration
    if q.start > 0 and doc[q.start - 1].lower_ in lex.PERIOD_POSITIONS:
        return False  # a period, not a quantity: "the first nine months of the year", "the past five years"
    name, factor = lex.TIME_UNITS[doc[k].lower_]
    q.unit, q.kind, q.value, q.end = name, "time", q.value * factor, k + 1
    return True


def _measure_unit(doc: Doc, q: Quantity, measure: tuple[str, int], hi: int) -> None:
    """Physical units; billions of cubic metres are the gas trade's "bcm" (per year)."""
    unit, q.end = measure
    q.kind = "measure"
    _read_rate(doc, q, hi)
    if unit == "cubic_metres" and q.value >= 1e9:
        q.value, unit = q.value / 1e9, "bcm"
    if unit == "bcm":
        unit = "bcm_per_year" if q.rate in (None, "year") else f"bcm_per_{q.rate}"
    elif q.rate:
        unit = f"{unit}_per_{q.rate}"
    q.unit = unit


_NOUN_PATH_POS = frozenset({"ADJ", "ADV", "VERB", "NOUN", "PROPN", "PART"})


def _count_unit(doc: Doc, q: Quantity, hi: int) -> bool:
    """The noun a number counts ("380,000 vehicles"), or a bare count that is an argument."""
    number = doc[q.num_end - 1]
    tail = _match_after(doc, q.end, hi, lex.APPROX_AFTER)  # "20 or so world leaders"
    noun = _counted_noun(doc, tail[1] if tail else q.end, hi)
    if noun is not None and (number.head.i == noun.i or number.dep_ in ("nummod", "quantmod", "compound")
                             or q.num_end - q.num_start > 1 or noun.i == q.end):
        low = noun.lower_
        if noun.tag_ == "NNP" or low in lex.NON_COUNT_NOUNS:
            return False
        if low in lex.TIME_UNITS:
            return _time_unit(doc, q, noun.i, hi) if noun.i == q.end else False
        if tail:
            q.approx, q.qualifier = True, q.qualifier or tail[0]
        q.noun, q.end = noun.i, noun.i + 1
        q.unit = _count_noun(noun)
        _read_rate(doc, q, hi)
        return True
    words = number.lower_ in lex.UNITS or number.lower_ in _WORD_SCALES
    if number.dep_ not in _NOMINAL_DEPS or (number.dep_ == "advmod" and not q.qualifier):
        return False
    if words and not q.qualifier and not _focused(doc, q):
        return False
    nxt = doc[q.end].lower_ if q.end < hi else ""
    if words and nxt in ("of", "among", "amongst", "out"):
        return False  # partitive: "one among 20 leaders", "three of them"
    if _is_age(number):
        return False
    if nxt == "of":  # "94,000 of the 140,000 deaths" counts deaths
        whole = next((c for c in doc[q.end].children if c.dep_ == "pobj"), None)
        if whole is not None and whole.pos_ == "NOUN" and whole.lower_ not in lex.NON_COUNT_NOUNS:
            q.unit = _count_noun(whole)
    _read_rate(doc, q, hi)
    return True


def _is_age(number: Token) -> bool:
    """A bare number that gives someone's age: "Warren Leblanc, 17 - who", "the age of 21",
    "the voting age was reduced to 18", "became an MP at 27"."""
    head = number.head
    if number.dep_ == "appos" and head.ent_type_ == "PERSON":
        return True
    if head.lower_ == "at" and head.head.pos_ in ("VERB", "AUX") and head.i == number.i - 1 \
            and head.head.lemma_.lower() not in lex.LEVEL_VERBS:
        return True  # "became an MP at 27"; but "the toll stands at 150" is a level
    cur = number
    for _ in range(3):  # "the age of 21", "the age ... was reduced to 18"
        cur = cur.head
        subjects = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
        if cur.lemma_.lower() == "age" or any(c.lemma_.lower() == "age" for c in subjects):
            return True
    return False


def _counted_noun(doc: Doc, k: int, hi: int) -> Token | None:
    """The head noun of the phrase starting at ``k`` ("jointly signed agreements" -> agreements)."""
    end = min(hi, k + 5)
    for t in doc[k:end]:
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "nmod", "amod") \
                and not (t.dep_ == "npadvmod" and t.i < t.head.i < end):  # "UK-based staff"
            return t
        if t.pos_ == "ADJ" and t.lower_ in lex.person_nouns() and t.dep_ != "amod":
            return t  # "150,000 dead"
        if (t.pos_ not in _NOUN_PATH_POS or t.pos_ == "VERB" and t.tag_ not in ("VBN", "VBG")) \
                and not (t.text in _HYPHENS and not t.whitespace_):
            return None
    return None


def _focused(doc: Doc, q: Quantity) -> bool:
    return q.start < q.num_start or (q.start > 0 and doc[q.start - 1].lower_ in lex.FOCUS)


def _count_noun(noun: Token) -> str:
    """The unit of a count: "people" for persons, else the noun in the plural."""
    low = noun.lower_
    if low in lex.person_nouns() or noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS"):
        return "people"
    if noun.tag_ in ("NNS", "NNPS") or low.endswith("s") and not low.endswith("ss"):
        return low
    return lex.plural(low)


def zero_counts(doc: Doc, hi: int, negations: list[int], dated: set[int]) -> list[Quantity]:
    """ "no BRI investments in 2022": a count of zero, when the clause names its period.

    Without a period "no" is ordinary negation ("no plans", "no evidence"); with
    one it states a statistic.  ``negations`` are the indices of "no" in the
    sentence, ``dated`` the token indices of date words.
    """
    out = []
    for i in negations:
        tok = doc[i]
        if tok.dep_ != "det" or tok.head.tag_ != "NNS" or tok.head.i >= hi:
            continue
        noun = tok.head
        if noun.lower_ in lex.NON_COUNT_NOUNS or noun.lower_ in lex.TIME_UNITS:
            continue
        scopes = [noun, noun.head] if noun.dep_ in ("dobj", "nsubj", "attr") else [noun]
        if any(c.dep_ == "prep" and any(t.i in dated for t in c.subtree) for s in scopes for c in s.children):
            out.append(Quantity(tok.i, noun.i + 1, tok.i, tok.i + 1, 0.0, _count_noun(noun), "count",
                                noun=noun.i))
    return out
