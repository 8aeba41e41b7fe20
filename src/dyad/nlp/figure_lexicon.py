"""Word lists for the figures grammar (component ``dyad_figures``).

Everything is lower case.  Multi-word entries are tuples of tokens as spaCy's English
tokenizer splits them, so the grammar can compare them with ``token.lower_``.  The
list of person nouns ("ministers", "voters") lives in
``data/figure_person_nouns.txt`` because it is long and grows with new outlets.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# --- numbers -----------------------------------------------------------------------

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}

# Scale words multiply what precedes them ("200 billion", "two hundred").  "m"/"mn"
# and "k" are the newspaper abbreviations ("£5m", "$30k").
SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
          "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12}

# Word numbers up to this size after "the"/"these"/a possessive refer back to a
# known group ("the two sides", "its three members") rather than state a quantity.
ANAPHORIC_MAX = 10
ANAPHORIC_DETS = frozenset({"the", "these", "those", "both", "his", "her", "its", "their", "our",
                            "my", "your", "whose", "other"})
# Before a duration these make "X years before/after" a stretch, not a point in time.
DURATION_CUES = frozenset({"for", "over", "within", "during", "take", "takes", "took", "taken", "taking",
                           "spend", "spent", "spends", "last", "lasted", "lasts"})
# Before a duration these make it the name of a period ("the first nine months").
PERIOD_POSITIONS = frozenset({"first", "last", "past", "next", "previous", "final", "coming", "following",
                              "initial", "opening", "remaining", "latest", "recent", "preceding", "second",
                              "third", "fourth", "closing"})
# Before "X to Y" these make it a change (from X to Y), not a range.
CHANGE_CUES = frozenset({"up", "down", "rise", "fall", "increase", "decrease", "grow", "drop", "climb", "jump",
                         "cut", "reduce", "raise", "lower", "from", "go", "move", "shift"})

# --- currencies --------------------------------------------------------------------

CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "usd$": "USD", "£": "GBP", "€": "EUR", "¥": "CNY",
                    "₽": "RUB", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
                    "hk$": "HKD", "nz$": "NZD", "s$": "SGD", "₹": "INR", "₩": "KRW", "₺": "TRY"}
CURRENCY_CODES = {"usd": "USD", "gbp": "GBP", "eur": "EUR", "cny": "CNY", "rmb": "CNY", "rub": "RUB",
                  "jpy": "JPY", "inr": "INR", "chf": "CHF", "aud": "AUD", "cad": "CAD", "hkd": "HKD"}
# Currency names that follow the number ("200 billion yuan").  Longest first.
CURRENCY_WORDS: dict[tuple[str, ...], str] = {
    ("us", "dollars"): "USD", ("us", "dollar"): "USD", ("dollars",): "USD", ("dollar",): "USD",
    ("pounds", "sterling"): "GBP", ("pounds",): "GBP", ("pound",): "GBP", ("sterling",): "GBP",
    ("euros",): "EUR", ("euro",): "EUR", ("yuan",): "CNY", ("renminbi",): "CNY",
    ("roubles",): "RUB", ("rouble",): "RUB", ("rubles",): "RUB", ("ruble",): "RUB",
    ("yen",): "JPY", ("rupees",): "INR", ("rupee",): "INR", ("francs",): "CHF",
    ("lira",): "TRY", ("won",): "KRW",
}
# Sub-units: the value is converted to the main unit ("80p" = GBP 0.80).
SUBUNITS = {"p": ("GBP", 0.01), "pence": ("GBP", 0.01), "penny": ("GBP", 0.01), "cents": ("USD", 0.01),
            "cent": ("USD", 0.01)}

# --- other units -------------------------------------------------------------------

PERCENT_WORDS: dict[tuple[str, ...], str] = {
    ("%",): "percent", ("percent",): "percent", ("per", "cent"): "percent", ("pc",): "percent",
    ("pct",): "percent", ("percentage", "points"): "percentage_points",
    ("percentage", "point"): "percentage_points", ("points",): "points",
}
# Time units: name of the unit and the factor into it ("two decades" = 20 years).
TIME_UNITS = {"day": ("days", 1), "days": ("days", 1), "week": ("weeks", 1), "weeks": ("weeks", 1),
              "month": ("months", 1), "months": ("months", 1), "year": ("years", 1),
              "years": ("years", 1), "decade": ("years", 10), "decades": ("years", 10),
              "century": ("years", 100), "centuries": ("years", 100), "hour": ("hours", 1),
              "hours": ("hours", 1), "minute": ("minutes", 1), "minutes": ("minutes", 1)}
# Measurement units written after the number.  Longest first.
MEASURE_UNITS: dict[tuple[str, ...], str] = {
    ("cubic", "metres"): "cubic_metres", ("cubic", "meters"): "cubic_metres", ("bcm",): "bcm",
    ("tonnes",): "tonnes", ("tonne",): "tonnes", ("tons",): "tonnes", ("ton",): "tonnes",
    ("kilometres",): "km", ("kilometers",): "km", ("kilometre",): "km", ("kilometer",): "km",
    ("km",): "km", ("miles",): "miles", ("mile",): "miles", ("barrels",): "barrels",
    ("barrel",): "barrels", ("megawatts",): "MW", ("mw",): "MW", ("gigawatts",): "GW", ("gw",): "GW",
    ("kg",): "kg", ("kilograms",): "kg", ("litres",): "litres", ("liters",): "litres",
    ("hectares",): "hectares", ("acres",): "acres",
}
# Units written against the number ("80mg", "30mph").  "m" is not here: after a
# number it is the newspapers' "million" ("£5m", "2.3m people").
SUFFIX_UNITS = {"mg": "mg", "kg": "kg", "g": "g", "km": "km", "ml": "ml", "mph": "mph", "kmh": "km/h",
                "mw": "MW", "gw": "GW", "kw": "kW", "bcm": "bcm", "ft": "ft", "mm": "mm", "cm": "cm",
                "ha": "hectares", "t": "tonnes", "kt": "kilotonnes", "mt": "megatonnes"}
MEASURE_UNITS.update({(abbr,): unit for abbr, unit in SUFFIX_UNITS.items() if abbr not in ("g", "t", "ft")})
# After "N times" these make it a ratio ("three times the valuation", "four times as many").
RATIO_NEXT = frozenset({"as", "the", "that", "what", "more", "less", "higher", "lower", "over", "bigger",
                        "larger", "greater", "smaller", "its", "their", "his", "her"})
# A rate after the unit ("55 billion cubic meters a year", "£6m a year").
RATE_TAILS: dict[tuple[str, ...], str] = {
    ("a", "year"): "year", ("per", "year"): "year", ("each", "year"): "year",
    ("every", "year"): "year", ("per", "annum"): "year", ("annually",): "year", ("a", "month"): "month",
    ("per", "month"): "month", ("a", "week"): "week", ("per", "week"): "week", ("a", "day"): "day",
    ("per", "day"): "day", ("a", "head"): "head", ("per", "head"): "head", ("per", "capita"): "head",
}
# Nouns after a hyphen that make a measured compound ("a 5,000-strong force").
HYPHEN_PEOPLE = frozenset({"strong", "man", "member", "person"})
# Hyphen compounds are figures only when the noun is a unit of size ("a 7000-word
# statement", "a 10-point lead", "a 300-seat majority"); with other nouns they
# classify ("a four-tier diploma", "three-party politics", "a four-letter word").
HYPHEN_UNITS = frozenset({"word", "page", "point", "seat", "mile", "kilometre", "kilometer", "km", "metre",
                          "meter", "acre", "hectare", "tonne", "ton", "bed", "storey", "story", "vote",
                          "percent", "pound", "dollar", "euro", "megawatt", "barrel", "mph", "foot"})
# Fractions before a number written with a scale word ("a quarter of a million").
FRACTIONS_BEFORE: dict[tuple[str, ...], float] = {
    ("a", "quarter", "of"): 0.25, ("quarter", "of"): 0.25, ("a", "third", "of"): 1 / 3, ("half",): 0.5,
    ("half", "of"): 0.5, ("three", "quarters", "of"): 0.75, ("two", "thirds", "of"): 2 / 3,
    ("three", "-", "quarters", "of"): 0.75, ("two", "-", "thirds", "of"): 2 / 3,
}
# Hedges that are also prepositions: a hedge only when the parser does not make them
# one ("over five years" vs "the furore over one sentence").
PREPOSITIONAL_HEDGES = frozenset({"over", "under", "above", "below", "about", "around", "near"})
# Nouns a number can hang from that are not counted things: a number after them is a
# label ("page 3", "number 10"); a count of them is not a figure.
NON_COUNT_NOUNS = frozenset({"way", "time", "times", "fold", "thing", "things", "kind", "kinds",
                             "sort", "sorts", "part", "parts", "third", "thirds", "half", "halves",
                             "quarter", "quarters", "of", "lot", "lots", "bit", "bits", "others", "ones", "ways",
                             "other", "one"})

# --- hedges and bounds -------------------------------------------------------------

# Words before the number that make it approximate; the value is the qualifier text.
APPROX_BEFORE: dict[tuple[str, ...], str] = {
    ("nearly",): "nearly", ("almost",): "almost", ("about",): "about", ("around",): "around",
    ("roughly",): "roughly", ("approximately",): "approximately", ("some",): "some",
    ("an", "estimated"): "an estimated", ("estimated",): "estimated", ("close", "to"): "close to",
    ("circa",): "circa", ("c.",): "circa", ("just", "under"): "just under",
    ("just", "over"): "just over", ("just", "below"): "just under", ("approx",): "approximately",
    ("roughly", "about"): "roughly", ("near",): "near", ("a", "near"): "near",
}
APPROX_AFTER: dict[tuple[str, ...], str] = {("or", "so"): "or so", ("or", "more"): "or more"}
# Bounds: the number is a lower or upper limit.
BOUND_BEFORE: dict[tuple[str, ...], str] = {
    ("more", "than"): "more than (lower bound)", ("over",): "more than (lower bound)",
    ("above",): "more than (lower bound)", ("in", "excess", "of"): "more than (lower bound)",
    ("upwards", "of"): "more than (lower bound)", ("at", "least"): "at least (lower bound)",
    ("no", "fewer", "than"): "at least (lower bound)", ("no", "less", "than"): "at least (lower bound)",
    ("not", "less", "than"): "at least (lower bound)", ("up", "to"): "up to (upper bound)",
    ("as", "many", "as"): "up to (upper bound)", ("as", "much", "as"): "up to (upper bound)",
    ("at", "most"): "up to (upper bound)", ("no", "more", "than"): "up to (upper bound)",
    ("less", "than"): "less than (upper bound)", ("fewer", "than"): "less than (upper bound)",
    ("under",): "less than (upper bound)", ("below",): "less than (upper bound)",
}
# Focus particles: not a hedge, but they mark a bare word number as a quantity
# ("attracted only three").
FOCUS = frozenset({"only", "just", "exactly", "merely", "a mere", "precisely", "all", "another"})

# --- context -----------------------------------------------------------------------

MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
CLOCK_AFTER = frozenset({"gmt", "bst", "utc", "am", "pm", "a.m.", "p.m.", "o'clock", "hrs", "cet", "est",
                         "msk"})
# Words before a number that make it a label, an age or a position, never a figure.
LABEL_BEFORE = frozenset({"aged", "age", "ages", "no", "no.", "number", "page", "pages", "p.", "pp.",
                          "room", "flight", "route", "line", "platform", "article", "section",
                          "clause", "chapter", "paragraph", "point", "item", "resolution", "rule",
                          "level", "grade", "tier", "phase", "stage", "round", "vol", "vol.",
                          "category", "day", "week", "year", "season", "episode", "series",
                          "part", "act", "scene", "verse", "step", "question", "table", "figure",
                          "version", "model", "type", "mark", "class", "division", "zone", "gate"})

# Verbs after which "at N" is a level ("the toll stands at 150"), not an age ("an MP at 27").
LEVEL_VERBS = frozenset({"stand", "put", "estimate", "value", "cap", "set", "peak", "remain", "stay", "fix",
                         "total", "close", "open", "hover", "sit", "settle", "level", "price", "run", "reach",
                         "limit", "keep", "hold", "freeze", "start", "begin", "end", "finish", "count"})
# Predicates whose subject states the figure ("Putin said", "the IMF estimates").
REPORTING_LEMMAS = frozenset({
    "say", "tell", "add", "note", "state", "claim", "estimate", "predict", "forecast", "project",
    "calculate", "report", "announce", "reveal", "write", "argue", "insist", "warn", "stress",
    "emphasise", "emphasize", "suggest", "explain", "highlight", "cite", "mention", "confirm",
    "acknowledge", "admit", "boast", "complain", "reckon", "believe", "think", "expect", "disclose",
    "quote", "put", "show", "indicate", "find", "assert", "maintain", "declare", "point", "remind",
    "underline", "observe", "recall", "brag", "concede", "tout",
})
# Reporting needs a particular complement for these ("drew attention to", "pointed out").
REPORTING_NEEDS = {"draw": ("attention",), "point": ("out", "to"), "put": ("figure", "cost", "number", "total",
                                                                     "at")}
FORECAST_LEMMAS = frozenset({"expect", "forecast", "predict", "project", "anticipate", "likely",
                             "set", "due", "poised", "estimate"})
TARGET_LEMMAS = frozenset({"aim", "target", "pledge", "promise", "plan", "seek", "intend", "goal",
                           "commit", "vow", "want", "hope", "propose", "strive"})
MODALS = frozenset({"will", "would", "could", "may", "might", "shall", "should", "'ll", "wo", "ca"})
# Baseline phrases: the date after them is the comparison point, not the period.
BASELINE_PREPS = frozenset({"compared", "than", "from", "against", "versus", "vs", "relative"})
# Prepositions that keep their meaning in a period ("since 2022", "by early 2024").
STRETCH_PREPS = frozenset({"in", "over", "during", "for", "within", "since", "after", "throughout", "across",
                           "through"})
PERIOD_PREPS = frozenset({"since", "by", "until", "till", "before", "after", "through", "throughout",
                          "between", "from", "to", "as"})


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Plural (and singular) nouns that count people ("ministers", "voters", "people")."""
    text = resources.files("dyad.nlp").joinpath("data", "figure_person_nouns.txt").read_text("utf-8")
    words = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(words)


IRREGULAR_PLURALS = {"person": "people", "man": "men", "woman": "women", "child": "children",
                     "foot": "feet", "mouse": "mice", "criterion": "criteria", "phenomenon": "phenomena"}


def plural(noun: str) -> str:
    """The plural of a singular English count noun ("deal" -> "deals", "party" -> "parties")."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"
