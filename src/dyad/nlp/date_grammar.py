"""A small grammar for the date expressions news text uses most.

:func:`parse` turns one expression ("on Tuesday", "last week", "in March",
"earlier this year", "the spring of 2023", "May 16-17, 2024") into an ISO value at
the precision the text gives, relative to an :class:`Anchor` (the publication date).
It answers three ways: a ``(value, precision)`` pair, :data:`NOT_A_DATE` for
durations, ages and frequencies ("five years", "annual", "20-year-old"), which have
no position in time, and None when the grammar does not know the form (the caller
may then try dateparser).

Conventions, chosen to match how journalists write:

- a weekday or a month without a year means the closest such day or month *on or
  before* the anchor for past-tense clauses and *on or after* it for future ones
  (news "on Tuesday" is this week's Tuesday, not one a year away);
- "last/this/next week" is the ISO week (Monday..Sunday) as a range;
- seasons are meteorological (northern hemisphere): spring = March..May;
- "early/mid/late 2023" keeps the precision of its year, so a gold "2023" and a
  finer gold month both stay reachable without inventing a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

NOT_A_DATE = ("", "")  # sentinel: the expression is a duration or frequency, not a date

MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"))}
MONTHS.update({name[:3]: num for name, num in MONTHS.items()})
MONTHS.update({"sept": 9})
WEEKDAYS = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
# Meteorological seasons as (first month, last month); winter runs into the next year.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "several": 3}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# Fixed-date holidays (month, day) that spaCy tags as DATE.
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
            "new year's day": (1, 1), "new year's eve": (12, 31), "new year": (1, 1), "valentine's day": (2, 14),
            "st patrick's day": (3, 17), "halloween": (10, 31), "bastille day": (7, 14)}

_M = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_M2 = "(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
_Y = r"(?P<year>1[0-9]{3}|2[0-9]{3})"
_D = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_D2 = r"(?P<day2>[0-3]?[0-9])(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_PART = r"(?:(?P<part>early|mid|late|(?:the )?(?:end|start|beginning|middle) of|end|start)[- ]+)?"


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern + r"$")


# Ordered: the first full match wins.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("iso", _re(r"(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})")),
    ("dmy", _re(rf"(?:{_WD},? +)?{_D}(?: *- *{_D2})? +(?:of +)?{_M}(?:,? +{_Y})?")),
    ("mdy", _re(rf"(?:{_WD},? +)?{_M} +{_D}(?: *- *{_D2})?(?:,? +{_Y})?")),
    ("dmy_span", _re(rf"{_D} +{_M2} *- *{_D2} +{_M}(?:,? +{_Y})?")),
    ("month_year", _re(rf"{_PART}{_M},? +(?:of +)?{_Y}")),
    ("month_this", _re(rf"{_PART}{_M} +(?P<rel>this|last|next) +year")),
    ("month", _re(rf"{_PART}(?:(?P<rel>last|this|next|in) +)?{_M}")),
    ("year_range", _re(rf"(?:from +)?{_Y} *(?:-|/|to|until) *(?P<year2>\d{{2}}|\d{{4}})")),
    ("year_between", _re(rf"between +{_Y} +and +(?P<year2>\d{{4}})")),
    ("year", _re(rf"{_PART}(?:the +)?(?:year +)?{_Y}")),
    ("this_year", _re(r"(?P<part>(?:the +)?(?:end|start|beginning|middle) +of) +(?:the|this) +year")),
    ("decade", _re(r"(?P<part>early|mid|late)?[- ]*(?P<decade>1[0-9]{2}|2[0-9]{2})0'?s")),
    ("season_year", _re(rf"{_PART}(?P<season>spring|summer|autumn|fall|winter) +(?:of +)?{_Y}")),
    ("season", _re(rf"{_PART}(?:(?P<rel>last|this|next|in) +)?(?P<season>spring|summer|autumn|fall|winter)")),
    ("quarter", _re(rf"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th) +quarter +(?:of +)?{_Y}")),
    ("quarter_q", _re(rf"q(?P<q>[1-4]) +{_Y}")),
    ("half", _re(rf"(?P<h>first|second) +half +(?:of +)?{_Y}")),
    ("day_word", _re(r"(?P<word>today|tonight|this morning|this afternoon|this evening|yesterday|tomorrow"
                     r"|last night|tomorrow night|yesterday morning|yesterday afternoon|yesterday evening)")),
    ("relative", _re(r"(?P<rel>last|this|next|earlier this|later this|early this|late this|earlier in the"
                     r"|later in the|the past|the last|the previous|the coming|the next|past|previous|coming)"
                     r" +(?P<unit>week|weekend|month|year|decade)")),
    ("ago", _re(rf"(?:about +|some +|nearly +|almost +|more than +|over +)?{_NUM} +{_UNIT} +(?:ago|earlier)")),
    ("weekday", _re(rf"(?:(?P<rel>last|this|next|on|this coming|later on|earlier on|late on|early on) +)?{_WD}"
                    r"(?: +(?:morning|afternoon|evening|night))?")),
    ("holiday", _re(r"(?:(?P<rel>last|this|next) +)?(?P<holiday>" + "|".join(
        re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True)) + ")")),
)

# Durations, ages, frequencies and vague spans: real DATE entities with no position.
_NOT_DATE = re.compile(
    r"(?:(?:about|some|nearly|almost|more than|over|under|less than|up to|at least|another|an extra|the|its|his|her"
    r"|their|first|last|past|next|previous|coming|following|recent|few|several|many) +)*"
    r"(?:\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r"|few|a few|several|many|couple of|\d+ or \d+|\w+ or \w+)?"
    r"[- ]*(?:(?:full|calendar|financial|fiscal|working|business|extra|more|whole|entire|straight|consecutive)"
    r" +)?(?:day|week|month|year|decade|century|centurie|hour|minute|night|weekend|season|term)s?"
    r"(?:[- ]+olds?)?"
    r"|(?:each|every|per|a) +(?:day|week|month|year)|annual(?:ly)?|daily|weekly|monthly|yearly|quarterly"
    r"|recent (?:days|weeks|months|years)|these days|years|months|decades|centuries|future years"
    r"|\d+(?:\s*(?:-|to|and|or)\s*\d+)?s?|(?:under|over|past|aged?) +\d+|the age of \d+"
    r"|(?:the )?(?:same|previous|following|next) +(?:day|week|month|year)"
    r"|\d+[- ](?:day|week|month|year)[- ]olds?|\d+[- ]year|\w+[- ](?:day|week|month|year)(?:[- ]old)?")


@dataclass(frozen=True)
class Anchor:
    """The publication date at the precision known (month and day may be None)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, iso: str | None) -> Anchor | None:
        """An anchor from an ISO prefix ("2024", "2024-05", "2024-05-17", or a range's start)."""
        if not iso:
            return None
        m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", iso.strip())
        if not m:
            return None
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            if month:
                date(year, month, day or 1)
        except ValueError:
            return cls(year)
        return cls(year, month, day if month else None)

    @property
    def date(self) -> date | None:
        """The anchor as a calendar day, or None when it is not known to the day."""
        return date(self.year, self.month, self.day) if self.month and self.day else None


def normalise(text: str) -> str:
    """Lower-case, straight quotes, plain dashes, no leading 'the/in/on', no possessive."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = " ".join(text.lower().split())
    text = re.sub(r"'s?\b.*$", "", text) if re.search(r"\w's?\b", text) and "'s day" not in text \
        and "'s eve" not in text else text
    text = re.sub(r"^(?:in|on|at|by|during|since|from|until|till|of|around|about|circa|c\.) +", "", text)
    text = re.sub(r"^the +(?!last|past|next|coming|previous|following|same)", "", text)
    return text.strip(" ,.;:")


def parse(text: str, anchor: Anchor | None, tense: str | None = None) -> tuple[str, str] | None:
    """``(value, precision)``, :data:`NOT_A_DATE`, or None when the form is unknown.

    ``tense`` is "past", "future" or None (the clause's tense; it picks the year of
    "in March" and the week of "on Tuesday").
    """
    norm = normalise(text)
    if not norm:
        return None
    for name, pattern in _PATTERNS:
        m = pattern.match(norm)
        if m:
            try:
                return _RULES[name](m.groupdict(), anchor, tense) or NOT_A_DATE
            except ValueError:  # an impossible day ("31 February")
                return NOT_A_DATE
    if _NOT_DATE.fullmatch(norm):
        return NOT_A_DATE
    return None


# --------------------------------------------------------------------------- rules
# Each rule returns (value, precision) or None when the anchor is too coarse.


def _day(d: date) -> str:
    return d.isoformat()


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _range(a: str, b: str) -> str:
    return a if a == b else f"{a}/{b}"


def _full_year(g: dict, anchor: Anchor | None, month: int, day: int | None, tense: str | None) -> int | None:
    """The stated year, else the year that puts (month, day) nearest the anchor in the tense's direction."""
    if g.get("year"):
        return int(g["year"])
    if anchor is None:
        return None
    here = (anchor.month or 12, anchor.day or 31) if tense != "future" else (anchor.month or 1, anchor.day or 1)
    when = (month, day or (1 if tense == "future" else 31))
    if tense == "future":
        return anchor.year if when >= here else anchor.year + 1
    if tense == "past" or anchor.month is None:
        return anchor.year if when <= here else anchor.year - 1
    # No tense: the closest occurrence (within six months either side).
    delta = (month - anchor.month) + ((day or 15) - (anchor.day or 15)) / 31
    return anchor.year + (1 if delta < -6 else -1 if delta > 6 else 0)


def _rule_iso(g, anchor, tense):
    return _day(date(int(g["year"]), int(g["m"]), int(g["day"]))), "day"


def _rule_dmy(g, anchor, tense):
    month, day = MONTHS[g["month"]], int(g["day"])
    year = _weekday_year(g, anchor, month, day) or _full_year(g, anchor, month, day, tense)
    if year is None:
        return None
    first = date(year, month, day)
    if g.get("day2"):
        return _range(_day(first), _day(date(year, month, int(g["day2"])))), "range"
    return _day(first), "day"


_rule_mdy = _rule_dmy


def _rule_dmy_span(g, anchor, tense):
    m1, m2 = MONTHS[g["month2"]], MONTHS[g["month"]]
    year = _full_year(g, anchor, m2, int(g["day2"]), tense)
    if year is None:
        return None
    start = date(year - (1 if m1 > m2 else 0), m1, int(g["day"]))
    return _range(_day(start), _day(date(year, m2, int(g["day2"])))), "range"


def _weekday_year(g: dict, anchor: Anchor | None, month: int, day: int) -> int | None:
    """For "Thursday, May 16" without a year: the year near the anchor where the weekday fits."""
    if g.get("year") or not g.get("weekday") or anchor is None:
        return None
    want = WEEKDAYS[g["weekday"]]
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            if date(year, month, day).weekday() == want:
                return year
        except ValueError:
            continue
    return None


def _rule_month_year(g, anchor, tense):
    return _month(int(g["year"]), MONTHS[g["month"]]), "month"


def _rule_month_this(g, anchor, tense):
    if anchor is None:
        return None
    year = anchor.year + {"this": 0, "last": -1, "next": 1}[g["rel"]]
    return _month(year, MONTHS[g["month"]]), "month"


def _rule_month(g, anchor, tense):
    if anchor is None:
        return None
    month, rel = MONTHS[g["month"]], g.get("rel")
    here = anchor.month or (12 if tense != "future" else 1)
    if rel == "last":  # "last March": the latest March strictly before this month
        year = anchor.year if month < here else anchor.year - 1
    elif rel == "next":
        year = anchor.year if month > here else anchor.year + 1
    elif rel == "this":
        year = anchor.year
    else:
        # Without a tense a bare month is the latest one on or before the anchor.
        year = _full_year({}, Anchor(anchor.year, anchor.month), month, None, tense or "past")
    return _month(year, month), "month"


def _rule_year_range(g, anchor, tense):
    first, second = g["year"], g["year2"]
    if len(second) == 2:  # "2008-09"
        second = first[:2] + second
    if int(second) <= int(first):
        return None
    return f"{first}/{second}", "range"


_rule_year_between = _rule_year_range


def _rule_year(g, anchor, tense):
    return g["year"], "year"


def _rule_this_year(g, anchor, tense):
    if anchor is None or not g.get("part"):
        return None
    return str(anchor.year), "year"


def _rule_decade(g, anchor, tense):
    start = int(g["decade"]) * 10
    return f"{start}/{start + 9}", "decade"


def _season_range(year: int, season: str) -> str:
    first, last = SEASONS[season]
    end_year = year + 1 if last < first else year
    return f"{_month(year, first)}/{_month(end_year, last)}"


def _rule_season_year(g, anchor, tense):
    season = g["season"]
    # "winter 2023" conventionally names the winter that starts in December 2022
    # only in some styles; the stated year as the start is the commoner reading.
    return _season_range(int(g["year"]), season), "season"


def _rule_season(g, anchor, tense):
    if anchor is None or anchor.month is None:
        return None
    season, rel = g["season"], g.get("rel")
    first, last = SEASONS[season]
    now = (anchor.year, anchor.month)
    # Occurrences as (start, end) month pairs around the anchor, oldest first.
    spans = [((y, first), (y + (last < first), last)) for y in range(anchor.year - 2, anchor.year + 2)]
    if rel == "last":
        pick = [s for s in spans if s[1] < now][-1]
    elif rel == "next":
        pick = [s for s in spans if s[0] > now][0]
    elif rel == "this" or any(s[0] <= now <= s[1] for s in spans) or tense != "future":
        # The season holding the anchor, else the latest one begun by then.
        pick = [s for s in spans if s[0] <= now][-1]
    else:
        pick = [s for s in spans if s[1] >= now][0]
    return _season_range(pick[0][0], season), "season"


def _rule_quarter(g, anchor, tense):
    q = ORDINALS.get(g["q"], None) or int(g["q"])
    year = int(g["year"])
    return f"{_month(year, 3 * q - 2)}/{_month(year, 3 * q)}", "quarter"


_rule_quarter_q = _rule_quarter


def _rule_half(g, anchor, tense):
    year, first = int(g["year"]), g["h"] == "first"
    return (f"{year}-01/{year}-06" if first else f"{year}-07/{year}-12"), "range"


def _rule_day_word(g, anchor, tense):
    if anchor is None or anchor.date is None:
        return None
    word = g["word"]
    shift = -1 if word.startswith("yesterday") or word == "last night" else 1 if word.startswith("tomorrow") else 0
    return _day(anchor.date + timedelta(days=shift)), "day"


def _rule_relative(g, anchor, tense):
    if anchor is None:
        return None
    rel, unit = g["rel"], g["unit"]
    step = -1 if rel in ("last", "past", "previous") else 1 if rel == "next" else 0
    if rel in ("the past", "the last", "the previous", "the coming", "the next", "coming"):
        return _span_back(anchor, unit) if rel in ("the past", "the last", "the previous") else None
    if unit == "decade":
        return None
    if unit == "year":
        return str(anchor.year + step), "year"
    if unit == "month":
        if anchor.month is None:
            return None
        y, m = divmod((anchor.year * 12 + anchor.month - 1) + step, 12)
        return _month(y, m + 1), "month"
    if anchor.date is None:
        return None
    monday = anchor.date - timedelta(days=anchor.date.weekday()) + timedelta(weeks=step)
    if unit == "weekend":
        saturday = monday + timedelta(days=5)
        if step == 0 and tense == "past" and anchor.date.weekday() < 5:
            saturday -= timedelta(weeks=1)
        return _range(_day(saturday), _day(saturday + timedelta(days=1))), "range"
    if rel.startswith("earlier"):
        return _range(_day(monday), _day(anchor.date)), "range"
    if rel.startswith("later"):
        return _range(_day(anchor.date), _day(monday + timedelta(days=6))), "range"
    return _range(_day(monday), _day(monday + timedelta(days=6))), "range"


def _span_back(anchor: Anchor, unit: str) -> tuple[str, str] | None:
    """"the past year/decade": from one unit before the anchor up to it."""
    if unit == "decade":
        return f"{anchor.year - 10}/{anchor.year}", "range"
    if unit == "year":
        if anchor.month is None:
            return f"{anchor.year - 1}/{anchor.year}", "range"
        return f"{_month(anchor.year - 1, anchor.month)}/{_month(anchor.year, anchor.month)}", "range"
    if anchor.date is None:
        return None
    days = {"week": 7, "weekend": 7, "month": 31}[unit]
    return f"{_day(anchor.date - timedelta(days=days))}/{_day(anchor.date)}", "range"


def _rule_ago(g, anchor, tense):
    if anchor is None:
        return None
    n = NUMBER_WORDS.get(g["n"]) or int(g["n"])
    unit = g["unit"]
    if unit in ("year", "decade"):
        return str(anchor.year - n * (10 if unit == "decade" else 1)), "year"
    if unit == "month":
        if anchor.month is None:
            return None
        y, m = divmod(anchor.year * 12 + anchor.month - 1 - n, 12)
        return _month(y, m + 1), "month"
    if anchor.date is None:
        return None
    if unit == "week":
        monday = anchor.date - timedelta(days=anchor.date.weekday(), weeks=n)
        return _range(_day(monday), _day(monday + timedelta(days=6))), "range"
    return _day(anchor.date - timedelta(days=n)), "day"


def _rule_weekday(g, anchor, tense):
    if anchor is None or anchor.date is None:
        return None
    want, rel = WEEKDAYS[g["weekday"]], g.get("rel") or ""
    today = anchor.date
    back = (today.weekday() - want) % 7
    if rel == "last":  # "last Tuesday": strictly before today
        return _day(today - timedelta(days=back or 7)), "day"
    if rel in ("next", "this coming") or (rel != "this" and tense == "future") or rel == "later on":
        ahead = (want - today.weekday()) % 7
        if rel == "next":
            ahead = ahead or 7
        return _day(today + timedelta(days=ahead)), "day"
    return _day(today - timedelta(days=back)), "day"


def _rule_holiday(g, anchor, tense):
    month, day = HOLIDAYS[g["holiday"]]
    rel = g.get("rel")
    if anchor is None:
        return None
    if rel in ("last", "next"):
        tense = "past" if rel == "last" else "future"
    year = _full_year({}, anchor, month, day, tense)
    return _day(date(year, month, day)), "day"


_RULES = {name[len("_rule_"):]: fn for name, fn in globals().items() if name.startswith("_rule_")}
