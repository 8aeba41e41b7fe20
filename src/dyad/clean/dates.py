"""Publication dates: explicit date expressions, stated dates, inferred dates.

Date expressions are found with our own regular expressions (``24 October 2023``,
``May 16-17, 2024``, ``2024-05-16``, ``March 2023``, ``2023``); dateparser is used
only to normalise a short snippet that follows a label such as ``Publié:``, never
to search free text (its search finds dates in "may" and "90% of").

A *stated* date is one the page gives as its publication date (a label, a byline
or date line in the header).  When none is stated, :func:`infer_date` reasons from
the dates the body mentions as having happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Capitalised month names only: lower-case "may" and "march" are verbs.
_MON = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
        r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|–|—|to|and|&)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<y>(?:1[89]|20)\d\d)"
DAY_RES = (
    re.compile(rf"\b{_DAY}{_DAY2}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b"),      # 24 October 2023
    re.compile(rf"\b{_MON}\s+{_DAY}{_DAY2},?\s+{_YEAR}\b"),                  # May 16-17, 2024
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d1>0[1-9]|[12]\d|3[01])\b"),
)
YEAR_HINT_RE = re.compile(r"(?:1[89]|20)\d\d")
# Every month name of _MON starts with one of these: a text without any can only
# hold the ISO form (the last of DAY_RES).
MONTH_HINT_RE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_NAMES_MONTH = (True, True, False)  # per pattern of DAY_RES: does it need a month name?
MONTH_RE = re.compile(rf"\b{_MON},?\s+(?:of\s+)?{_YEAR}\b")                 # March 2023
YEAR_RE = re.compile(r"(?<![\d,.$£€/-])\b(?P<y>(?:19|20)\d\d)\b(?![,.]\d|%|-\d)")
WEEKDAY_RE = re.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b\.?,?", re.I)
# "16 May" / "May 16" without a year (date-only header lines such as fixtures).
_MON_ANY = _MON.replace("(?P<mon>", "(?:")
DAY_MONTH_RE = re.compile(
    rf"\b(?:[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON_ANY}|{_MON_ANY}\s+[0-3]?\d(?:st|nd|rd|th)?)(?!\w)")
TIME_RE = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?\b", re.I)
TEMPERATURE_RE = re.compile(r"^[-+−]?\d{1,3}(?:[.,]\d)?\s*(?:°\s*[CF]?|º\s*[CF]?|[CF])$")

# A label that introduces the page's own date.  Rank: lower wins.
LABEL_RE = re.compile(
    r"(?:^|(?<=[\s(\[|•·–—-]))(?P<label>(?:date\s+)?first\s+published|originally\s+published|"
    r"first\s+posted|published|publié|publiée|publicado|publicada|pubblicato|veröffentlicht|"
    r"gepubliceerd|publicerad|publisert|udgivet|julkaistu|opublikowano|опубликовано|"
    r"posted|dated?|last\s+updated|updated|mis\s+à\s+jour|actualizado|aktualisiert)"
    r"(?P<sep>\s*[:：]\s*|\s+(?:on\s+|le\s+|am\s+|el\s+|il\s+|op\s+|den\s+)?)"
    r"(?P<snip>[^()\[\]\n|]{4,60})", re.I)
_LABEL_RANK = (("first", 0), ("originally", 0), ("updated", 3), ("mis à", 3), ("actualiz", 3),
               ("aktualis", 3), ("date", 2))
# Words that put a mentioned date in the future (or make it a target, not an event).
FUTURE_RE = re.compile(
    r"\b(?:will|won't|shall|scheduled|upcoming|forthcoming|due|expected|expects?|plans?|"
    r"planned|planning|set to|next|deadline|aims? to|intends? to|could reach|would reach|"
    r"is to|are to|forecasts?|projected|target)\b", re.I)
# A bare year counts as a past event only after words like "in" ("in 2022"), not
# as a modifier ("the 2012 Olympics", "2024 elections" may be ahead).
YEAR_CONTEXT_RE = re.compile(
    r"\b(?:in|since|during|of|from|through|throughout|early|late|mid-?|spring|summer|autumn|fall|winter|"
    r"between|and|end of|start of)\s*$", re.I)
BY_BEFORE_RE = re.compile(r"\b(?:[Bb]y|[Bb]efore|[Uu]ntil|[Tt]ill)\s+"
                          r"(?:early\s+|mid-?\s*|late\s+|the\s+end\s+of\s+|the\s+start\s+of\s+)?$")
SENT_END_RE = re.compile(r"[.!?](?=\s)")
DATEPARSER_LANGS = ["en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "ru", "uk"]


@dataclass(frozen=True)
class DateMention:
    """An explicit date expression found in a text."""

    start: int
    end: int
    text: str
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """ISO prefix at the mention's precision (``2024``, ``2024-05``, ``2024-05-17``)."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Latest possible moment of the mention, for ordering."""
        return (self.year, self.month or 12, self.day or 31)


@dataclass(frozen=True)
class DateEvidence:
    """A publication date with how it was found and why."""

    iso: str
    how: str
    reason: str


def _month_num(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def find_dates(text: str, min_precision: str = "year") -> list[DateMention]:
    """Explicit date expressions in ``text``, in order, without overlaps.

    Day-precision expressions win over month ones, which win over bare years.  A
    day range ("May 16-17, 2024") is reported at its last day.  ``min_precision``
    ``"month"`` or ``"day"`` leaves out the coarser kinds.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if not YEAR_HINT_RE.search(text):
        return found  # every pattern needs a four-digit year

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    month_named = MONTH_HINT_RE.search(text) is not None  # (else skip the patterns that need one)
    for rx, needs_month in zip(DAY_RES, _NAMES_MONTH):
        if needs_month and not month_named:
            continue
        for m in rx.finditer(text):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else _month_num(g["mon"])
            day = int(g["d2"] or g["d1"]) if g.get("d2") else int(g["d1"])
            year = int(g["y"])
            if _valid(year, month, day) and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), m.group(0), year, month, day))
                taken.append((m.start(), m.end()))
    if min_precision in ("year", "month") and month_named:
        for m in MONTH_RE.finditer(text):
            if free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), m.group(0), int(m.group("y")),
                                         _month_num(m.group("mon"))))
                taken.append((m.start(), m.end()))
    if min_precision == "year":
        for m in YEAR_RE.finditer(text):
            if free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), m.group(0), int(m.group("y"))))
    return sorted(found, key=lambda d: d.start)


def is_date_only(plain: str) -> bool:
    """True when a line is nothing but a date (weekday, time and punctuation allowed)."""
    if len(plain) > 60 or not any(c.isdigit() for c in plain):
        return False
    rest = WEEKDAY_RE.sub(" ", plain)
    rest = TIME_RE.sub(" ", rest)
    for rx in (*DAY_RES, MONTH_RE, DAY_MONTH_RE):
        rest = rx.sub(" ", rest)
    return not re.sub(r"[\s,.:;|/·•–—-]+", "", rest)


def is_temperature(plain: str) -> bool:
    """True for a weather widget's temperature line ("28 C", "-3°", "75°F")."""
    return len(plain) <= 8 and bool(TEMPERATURE_RE.match(plain))


@lru_cache(maxsize=1)
def _dateparser():
    # Imported lazily: dateparser is slow to import and is only needed for
    # non-English labelled snippets.
    from dateparser.date import DateDataParser

    return DateDataParser(languages=DATEPARSER_LANGS,
                          settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": False})


def parse_date_snippet(snippet: str) -> DateMention | None:
    """Normalise the date at the start of a short snippet ("24 octobre 2023, 14:27").

    The snippet is cut after its first four-digit year; a snippet with no year is
    refused (a bare "16 May" cannot be placed).  English forms are read by our own
    patterns, other languages by dateparser.
    """
    ym = re.search(r"\b(?:1[89]|20)\d\d\b", snippet)
    if not ym or ym.start() > 40:
        return None
    end = ym.end()
    iso_tail = re.match(r"[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?!\d)", snippet[end:])  # "2024-05-16"
    if iso_tail:
        end += iso_tail.end()
    cut = snippet[:end]
    bare = TIME_RE.sub("", WEEKDAY_RE.sub("", cut)).strip(" ,|-–—")
    for d in find_dates(bare):
        # The date must be the whole snippet: "24 octobre 2023" is not "2023".
        if d.start == 0 and d.end == len(bare):
            return d
    if not re.search(r"[^\W\d_]", cut):
        # Only digits and separators ("16/05/2024") are ambiguous between D/M and M/D.
        iso = re.fullmatch(r"\s*((?:19|20)\d\d)[-/.](\d\d)[-/.](\d\d)\s*", cut)
        if iso and _valid(int(iso[1]), int(iso[2]), int(iso[3])):
            return DateMention(0, len(cut), cut, int(iso[1]), int(iso[2]), int(iso[3]))
        return None
    data = _dateparser().get_date_data(cut)
    obj = data.date_obj if data else None
    if obj is None or obj.year != int(ym.group(0)):
        return None
    if data.period == "year":
        return DateMention(0, len(cut), cut, obj.year)
    if data.period == "month":
        return DateMention(0, len(cut), cut, obj.year, obj.month)
    return DateMention(0, len(cut), cut, obj.year, obj.month, obj.day)


def _label_rank(label: str) -> int:
    low = " ".join(label.lower().split())
    for word, rank in _LABEL_RANK:
        if word in low:
            return rank
    return 1


def labelled_dates(text: str) -> list[tuple[int, DateMention, str]]:
    """``(rank, date, label)`` for each "Published: …"-style label in ``text``.

    Rank 0 is a first/original publication date, 1 a publication date, 2 a bare
    "Date:", 3 an update date.  A bare "Date"/"Dated" label needs a colon.
    """
    out = []
    for m in LABEL_RE.finditer(text):
        label = m.group("label")
        if label.lower().startswith("date") and ":" not in m.group("sep") and "：" not in m.group("sep"):
            continue
        d = parse_date_snippet(m.group("snip"))
        if d is not None:
            out.append((_label_rank(label), d, " ".join(label.split())))
    return out


def in_future_context(text: str, start: int, end: int) -> bool:
    """Whether the date at ``text[start:end]`` is a plan or target, not an event."""
    if BY_BEFORE_RE.search(text[max(0, start - 24):start]):
        return True
    lo = max(0, start - 200)
    left = max((m.end() for m in SENT_END_RE.finditer(text, lo, start)), default=lo)
    nxt = SENT_END_RE.search(text, end)
    right = nxt.start() if nxt else min(len(text), end + 200)
    window = text[max(left, start - 90):min(right, end + 90)]
    return bool(FUTURE_RE.search(window))


def infer_date(texts: list[str], upper: DateMention | None = None) -> DateEvidence | None:
    """Infer the publication date from dates the body mentions as having happened.

    The article was written on or after the latest fully specified past date it
    mentions, so that date's month is reported (month precision: it could have
    been written any day after).  Without any day-precision date the latest past
    year is reported, unless an upper bound (a page's "today" widget) lies in a
    later year, when the evidence is too weak and None is returned.
    """
    bound = upper.sort_key if upper else None
    best_day: tuple[DateMention, str] | None = None
    best_year: tuple[DateMention, str] | None = None
    for text in texts:
        for d in find_dates(text):
            if bound and d.sort_key > bound or in_future_context(text, d.start, d.end):
                continue
            if d.precision == "year" and not YEAR_CONTEXT_RE.search(text[max(0, d.start - 20):d.start]):
                continue
            if d.precision == "day":
                if best_day is None or d.sort_key > best_day[0].sort_key:
                    best_day = (d, text)
            elif best_year is None or d.year > best_year[0].year:
                best_year = (d, text)
    if best_day:
        d, text = best_day
        return DateEvidence(
            f"{d.year:04d}-{d.month:02d}", "inferred",
            f"inferred: the latest fully specified date the body mentions as past is {d.iso} "
            f"({_context(text, d)}); the article was written on or after it, so the month is given")
    if best_year:
        d, text = best_year
        if upper and upper.year != d.year:
            return None
        return DateEvidence(
            f"{d.year:04d}", "inferred",
            f"inferred: no full date stated; the latest year the body mentions as past is {d.year} "
            f"({_context(text, d)}), so the year is given")
    return None


def _context(text: str, d: DateMention, width: int = 40) -> str:
    a, b = max(0, d.start - width), min(len(text), d.end + width)
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")
