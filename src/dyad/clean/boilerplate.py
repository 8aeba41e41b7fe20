"""Line classifier: which raw lines are article text and which are page furniture.

Every raw line gets a kind (title, standfirst, heading, body, footnote,
boilerplate, blank) and, when dropped, a short machine-readable reason.  The
signals are general ones, never lines of particular pages:

* the line itself: a stop-phrase lexicon (:mod:`dyad.clean.lexicon`), link-only
  navigation lists, photo-credit shapes ("Name / AGENCY"), bylines, author bios,
  stray tokens, short lines in another script than the document's;
* its position: a *header region* before the first body paragraph, where short
  lines without terminal punctuation that are not the headline are chrome, and a
  *tail region* that opens at a strong end-of-article marker (republishing
  notice, donation appeal, author bio, comment widget) near the end;
* repetition: the same line twice at the top of one page, or a short line that
  recurs across many documents of a corpus (:class:`~dyad.clean.repetition.LineCounts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from dyad.clean import lexicon
from dyad.clean.dates import DateMention, find_dates, is_date_only, is_temperature, labelled_dates
from dyad.clean.names import AFFIL_RE, BIO_HINT_RE, NAME_TOK, bio_name, byline_names
from dyad.clean.repetition import LineCounts
from dyad.clean.textutil import (BULLET_RE, SCRIPT_RES, is_terminal, main_script, norm_key, plain_line,
                                 starts_lower)
from dyad.model import BLANK, BOILERPLATE, BODY, FOOTNOTE, HEADING, STANDFIRST, TITLE, Line

# Positions are counted over non-blank lines.
TOP_LINES = 8          # bylines, breadcrumbs, duplicate headlines live up here
WIDGET_LINES = 6       # a weather/date widget sits in the first few lines
BOTTOM_SHARE = 0.5     # the tail region may only open in the second half
TAIL_MAX_BODYLIKE = 3  # unexplained paragraphs allowed after a tail marker
TAIL_MAX_BODYLIKE_TENTATIVE = 1  # ... after a marker that is itself only tentative
TAIL_PROSE_WORDS = 15  # ... counting only lines this long
FIRM_MAX_WORDS = 25    # a lexicon match in a longer line is only tentative
HEADER_CHROME_WORDS = 8
HEADING_MAX_WORDS = 15
TITLE_MAX_WORDS = 30
FOREIGN_MAX_CHARS = 40
FOREIGN_BOTTOM_SHARE = 0.75
# A run of this many symbols without a space (emoji, quote marks, "$$$…") is never
# prose, and spaCy's tokenizer takes time quadratic in such a run's length.
MAX_SYMBOL_RUN = 200

# Reasons after which "we/you" paragraphs are more of the appeal.
APPEAL_REASONS = frozenset({"donation", "about-publisher", "newsletter"})
# Lexicon family -> reason given to the line.
FAMILY_REASON = {
    "donation-banner": "donation", "about-author": "author-bio", "related": "related-links",
}

_AGENCY_ALT = "|".join(regex.escape(a) for a in sorted(lexicon.AGENCIES, key=len, reverse=True))
_CAPS_AGENCY = r"[A-Z][A-Z0-9&.\-]{1,}"
# "… Artyom Ivanov / TASS" at the end of a caption.
CREDIT_SLASH_RE = regex.compile(
    rf"(?:^|(?<=\s))(?:{NAME_TOK}\s+){{0,3}}{NAME_TOK}\s*(?:/|\|)\s*"
    rf"(?:{_AGENCY_ALT}|{_CAPS_AGENCY}(?:\s{_CAPS_AGENCY})?)(?:\s*/\s*(?:{_AGENCY_ALT}|{_CAPS_AGENCY}))*\s*$")
# "Liu Wenbing AP/TT", "Jane Doe Getty Images".
CREDIT_PAIR_RE = regex.compile(
    rf"^(?:{NAME_TOK}\s+){{1,4}}(?:(?:{_CAPS_AGENCY}|{_AGENCY_ALT})"
    rf"(?:\s*/\s*(?:{_CAPS_AGENCY}|{_AGENCY_ALT}))+"
    rf"|(?:Getty Images|Shutterstock|Alamy|Wikimedia Commons|iStock)(?:\s*/\s*\S+)?)\s*$")
# "REUTERS/Tingshu Wang", "… Sputnik/Sergei Bobylev/Pool via REUTERS".
CREDIT_AGENCY_FIRST_RE = regex.compile(
    rf"(?:^|\s)(?:{_AGENCY_ALT}|{_CAPS_AGENCY})\s*/\s*(?:{NAME_TOK}\s*){{1,3}}"
    rf"(?:/\s*(?:{_AGENCY_ALT}|{_CAPS_AGENCY}))?\s*$")
CREDIT_VIA_RE = regex.compile(rf"\S+/\S+(?:/\S+)*\s+via\s+(?:{_AGENCY_ALT}|{_CAPS_AGENCY})\s*$")
CREDIT_PREFIX_RE = regex.compile(
    r"(?i)^(?:(?:top|main|header|cover|featured?|lead|file|above|below)\s+)?(?:photo(?:graph)?s?|images?|"
    r"pictures?|pics?|illustrations?|credits?|photo credits?|image credits?|foto|фото)"
    r"\s*(?:by\b|:|\||–|—|©)"
    r"|^(?:image|photo|video|picture) (?:source|caption|credit)\s*[,:]")
CREDIT_PAREN_RE = regex.compile(r"(?i)\((?:photo|image|picture|credit|foto)s?\s*(?::|by)[^)]*\)\s*\.?$")
AGENCY_ONLY_RE = regex.compile(
    rf"^(?:{_AGENCY_ALT})(?:\s*(?:/|via)\s*(?:{_AGENCY_ALT}))*(?:\s+(?:photo|images?))?$")
# A line made only of markdown links (optionally bulleted): a navigation list item.
LINK_ONLY_RE = re.compile(r"^\s*(?:[-*+•·]\s*)?(?:\[[^\]\n]*\]\([^)\n]*\)[\s,;|·•/-]*)+$")
URL_ONLY_RE = re.compile(r"^(?:<?(?:https?://|www\.)\S+>?)(?:\s*[\W_]{0,4})$")
# "|" is left out: "Headline | Site" is a headline with the site's name, not a trail.
BREADCRUMB_SEP_RE = re.compile(r"\s+(/|>|»|›|::|→)\s+")
STRAY_TOKEN_RE = re.compile(r"^[A-Za-z0-9_=+/\-]{6,64}$")
FOOTNOTE_RE = re.compile(r"^\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}\s*[\].)]\s|\^\d{1,3})\s*\S")
SECOND_PERSON_RE = re.compile(r"\b(?:we|our|us|you|your)\b", re.I)
BIO_CONTINUATION_RE = re.compile(r"^(?:He|She|His|Her|They|Their|Dr\.?|Prof\.?)\b")
EMAIL_OR_HANDLE_RE = re.compile(r"\S+@\S+\.\w+|(?:^|\s)@\w{2,}")
HEADING_BAD_END_RE = re.compile(r"[.,;:…\-–—]$")
BRAND_START_RE = re.compile(r"^[a-z]{1,3}[A-Z]")  # "iTunes", "eBay" may start a headline
SYMBOL_RUN_RE = re.compile(r"[^\w\s]+")


@dataclass
class _NB:
    """A non-blank line under analysis."""

    i: int             # index into the line list
    k: int             # index among non-blank lines
    plain: str
    words: int
    terminal: bool
    reason: str | None = None
    strong: bool = False
    # A reason that holds only if the line ends up in the tail region: long
    # paragraphs that use appeal words ("support our work" in a quote) and
    # author-bio sentences ("X is a lecturer at …") read like body elsewhere.
    tentative: str | None = None

    @property
    def body_like(self) -> bool:
        """A paragraph of prose: a full sentence of some length, or simply long."""
        return (self.words >= 8 and self.terminal) or self.words >= 20


@dataclass
class Analysis:
    """The classifier's verdicts plus what it learned about the page's header."""

    lines: list[Line]
    title_line: int | None = None            # index into ``lines``
    breadcrumb_title: str | None = None
    header_end: int | None = None            # index into ``lines`` of the first body paragraph
    standfirst_line: int | None = None       # index into ``lines`` of a standfirst set off by chrome
    tail_start: int | None = None            # index into ``lines`` where the tail region opens
    widget_dates: list[DateMention] = field(default_factory=list)
    script: str | None = None
    plain: list[str] = field(default_factory=list)  # markdown-free text per line ("" if blank)


def classify_lines(text: str, repeated: LineCounts | None = None) -> Analysis:
    """Classify every line of ``text``; see the module docstring for the signals."""
    lines = [Line(n + 1, s[:-1] if s.endswith("\r") else s) for n, s in enumerate(text.split("\n"))]
    nb: list[_NB] = []
    plains = [""] * len(lines)
    for i, ln in enumerate(lines):
        if not ln.text.strip():
            ln.kind, ln.reason = BLANK, ""
            continue
        plains[i] = plain = plain_line(ln.text)
        nb.append(_NB(i, len(nb), plain, len(plain.split()), is_terminal(plain)))
    script = "latin" if text.isascii() else main_script(text)
    an = Analysis(lines, script=script, plain=plains)
    for x in nb:
        reason, x.strong, firm = _intrinsic(x, len(nb), script, lines[x.i].text)
        if firm:
            x.reason = reason
        else:
            x.tentative = reason
    _mark_duplicates(nb)
    if repeated is not None:
        for x in nb:
            if x.reason is None and x.words <= 12 and repeated.is_repeated(lines[x.i].text):
                x.reason = "repeated-across-corpus"
    _mark_widget(nb, an)
    _mark_header(nb, an)
    _mark_tail(nb, an)
    _assign_kinds(nb, lines, an)
    return an


def _intrinsic(x: _NB, n: int, script: str | None, raw: str) -> tuple[str | None, bool, bool]:
    """Reason from the line alone (and its rough position).

    Returns ``(reason, strong, firm)``: ``strong`` lines may open the tail region;
    a reason that is not ``firm`` is tentative (kept unless the line ends up in
    the tail region).
    """
    p = x.plain
    if not any(ch.isalnum() for ch in p):
        return "separator", False, True
    if _has_symbol_run(raw):
        return "symbol-run", False, True
    if LINK_ONLY_RE.match(raw):
        return "nav-link-list", False, True
    if x.k < 3 and _is_breadcrumb(p):
        return "breadcrumb", False, True
    if x.k < WIDGET_LINES and is_temperature(p):
        return "weather-widget", False, True
    # A lexicon hit in a long paragraph is only ever tentative, and tentative
    # reasons only count in the tail region, which opens in the second half.
    long_top = x.words > FIRM_MAX_WORDS and x.k < n * BOTTOM_SHARE
    fam = None if long_top else lexicon.match_family(p, x.words)
    if fam:
        return FAMILY_REASON.get(fam, fam), fam in lexicon.STRONG_FAMILIES, x.words <= FIRM_MAX_WORDS
    if URL_ONLY_RE.match(p):
        return "link-only", False, True
    if _is_photo_credit(x):
        return "photo-credit", False, True
    if x.k < TOP_LINES and x.words <= 40 and (not x.terminal or p.endswith(").")) and byline_names(p):
        return "byline", False, True
    if x.k >= n * BOTTOM_SHARE and _is_bio(x):
        return "author-bio", True, False
    if x.words == 1 and _is_stray_token(p):
        return "stray-token", False, True
    # Site furniture in the site's language sits above or below the article; a
    # short foreign line mid-article is more likely a quoted original.
    outside = x.k < TOP_LINES or x.k >= n * FOREIGN_BOTTOM_SHARE
    if outside and script and len(p) <= FOREIGN_MAX_CHARS and _foreign_script(p, script):
        return "foreign-script-chrome", False, True
    return None, False, True


def _has_symbol_run(raw: str) -> bool:
    """A run of more than :data:`MAX_SYMBOL_RUN` symbols (finditer: linear time)."""
    return any(m.end() - m.start() > MAX_SYMBOL_RUN for m in SYMBOL_RUN_RE.finditer(raw))


def _is_breadcrumb(p: str) -> bool:
    """"Home / Section / Headline": two or more of the same separator, short segments."""
    seps = BREADCRUMB_SEP_RE.findall(p)
    if len(seps) < 2 or len(set(seps)) != 1 or len(p.split()) > 30:
        return False
    segs = BREADCRUMB_SEP_RE.split(p)[::2]
    return all(0 < len(s.split()) <= 12 for s in segs)


def breadcrumb_last(p: str) -> str:
    """The last segment of a breadcrumb line (where a page without a headline keeps it)."""
    return BREADCRUMB_SEP_RE.split(p)[-1].strip()


def _is_photo_credit(x: _NB) -> bool:
    p = x.plain
    if x.words > 45:
        return False
    if CREDIT_PREFIX_RE.match(p) or CREDIT_PAREN_RE.search(p) or AGENCY_ONLY_RE.match(p):
        return x.words <= 30
    if x.terminal:
        return False
    return bool(CREDIT_PAIR_RE.match(p) or CREDIT_SLASH_RE.search(p) or CREDIT_AGENCY_FIRST_RE.search(p)
                or CREDIT_VIA_RE.search(p))


def _is_bio(x: _NB) -> bool:
    p = x.plain
    if bio_name(p) or (x.words <= 80 and BIO_HINT_RE.search(p)):
        return True
    # An affiliation line ("A, Lecturer in X, University of Y and B, …") ends
    # without a full stop; a body sentence naming a professor does not.
    return not x.terminal and x.words <= 60 and bool(AFFIL_RE.match(p))


def _is_stray_token(p: str) -> bool:
    """A single code-like token ("sdl4OAbTUuKrco"): letters mixed with digits or case noise."""
    if not STRAY_TOKEN_RE.match(p) or p.startswith(("http", "www")):
        return False
    has_digit = any(c.isdigit() for c in p)
    has_alpha = any(c.isalpha() for c in p)
    flips = sum(1 for a, b in zip(p, p[1:]) if a.islower() and b.isupper())
    return (has_digit and has_alpha and len(p) >= 8) or flips >= 2


def _foreign_script(p: str, script: str) -> bool:
    """Mostly letters of another script than the document's main one."""
    if script == "latin" and p.isascii():
        return False
    own = len(SCRIPT_RES[script].findall(p))
    other = sum(len(rx.findall(p)) for name, rx in SCRIPT_RES.items() if name != script)
    return other > 0 and other > own


def _mark_duplicates(nb: list[_NB]) -> None:
    """A line repeating an earlier one: at the top (a doubled headline) or a long paragraph."""
    seen: set[str] = set()
    for x in nb:
        key = norm_key(x.plain)
        if not key:
            continue
        if key in seen and x.reason is None and (x.k < TOP_LINES or x.words >= 20):
            x.reason = "duplicate-line"
        seen.add(key)


def _mark_widget(nb: list[_NB], an: Analysis) -> None:
    """A temperature line at the top and the short lines glued to it (city, today's date)."""
    for x in nb[:WIDGET_LINES]:
        if x.reason != "weather-widget":
            continue
        block = {x.k}
        for step in (-1, 1):
            k = x.k + step
            while 0 <= k < len(nb) and abs(nb[k].i - nb[k - step].i) == 1 and nb[k].words <= 6:
                block.add(k)
                k += step
        for k in block:
            nb[k].reason = "weather-widget"
            an.widget_dates.extend(d for d in find_dates(nb[k].plain) if d.precision == "day")


def _mark_header(nb: list[_NB], an: Analysis) -> None:
    """Pick the headline and drop the chrome before the first body paragraph."""
    h = _first_prose(nb, 0)
    cands = [x for x in nb[:h] if x.reason is None and _title_like(x)]
    if len(cands) >= 2 and _is_masthead(cands[0], nb):
        cands[0].reason = "masthead"
        cands = cands[1:]
    title = cands[0] if cands else None
    if title is not None:
        an.title_line = title.i
        # A standfirst is prose too, but when bylines, credits or dates follow
        # it, the header goes on past it.
        nxt = _first_prose(nb, h + 1)
        if h < TOP_LINES and any(y.reason is not None or _has_date(y.plain) for y in nb[h + 1:nxt]):
            an.standfirst_line, h = nb[h].i, nxt
    an.header_end = nb[h].i if h < len(nb) else None
    for x in nb[:h]:
        if x.reason is not None or x is title or x.i == an.standfirst_line:
            continue
        if is_date_only(x.plain) or (x.words <= 15 and _has_date(x.plain)):
            # The page's own date stamp (a "today" display glued to a weather
            # widget was taken out above).
            x.reason = "date-line"
        elif x.words <= HEADER_CHROME_WORDS and (not x.terminal or (title is not None and x.k < title.k)):
            # Short unpunctuated lines (kickers, section names, site names) and,
            # above the headline, any short line.
            x.reason = "header-chrome"
    if title is None:
        crumb = next((x for x in nb[:3] if x.reason == "breadcrumb"), None)
        if crumb is not None:
            last = breadcrumb_last(crumb.plain)
            if len(last.split()) >= 3:
                an.breadcrumb_title = last


def _is_masthead(x: _NB, nb: list[_NB]) -> bool:
    """A short line naming the site, as its banners and copyright lines also do
    ("The Daily Planet" above "Support The Daily Planet!")."""
    if x.words > 5:
        return False
    key = f" {norm_key(x.plain)} "
    return any(y is not x and key in f" {norm_key(y.plain)} " for y in nb if y.reason is not None)


def _first_prose(nb: list[_NB], start: int) -> int:
    """Index of the first unexplained body-like line at or after ``start`` (or len)."""
    return next((x.k for x in nb[start:] if x.reason is None and x.body_like), len(nb))


def _has_date(p: str) -> bool:
    """A header line carrying a dated stamp ("May 16, 2024 1:08 AM Updated 2 hours ago")."""
    return bool(labelled_dates(p)) or any(d.precision != "year" for d in find_dates(p, "month"))


def _title_like(x: _NB) -> bool:
    p = x.plain
    # Two-word lines are usually menu items or section names, not headlines.
    if not (2 <= x.words <= TITLE_MAX_WORDS) or len(p) > 300 or (x.words == 2 and len(p) < 12):
        return False
    if p.endswith(":"):
        return False
    if starts_lower(p) and not BRAND_START_RE.match(p):
        return False
    if p.endswith(".") and not p.endswith(("...", "…")):
        return False
    return not is_date_only(p)


def _mark_tail(nb: list[_NB], an: Analysis) -> None:
    """Open the tail region at the first strong end marker in the second half of the
    page after which nothing unexplained reads like article prose."""
    n = len(nb)
    for x in nb:
        if not x.strong or x.k < n * BOTTOM_SHARE:
            continue
        rest = [y for y in nb[x.k + 1:] if y.reason is None and not FOOTNOTE_RE.match(y.plain)]
        limit = TAIL_MAX_BODYLIKE if x.tentative is None else TAIL_MAX_BODYLIKE_TENTATIVE
        if _tail_explained(nb[x.k:], limit):
            start = x.k
            # The end block's own short header lines ("Authors", a name, "Guest
            # Author") sit just above the marker.
            while start > 0 and _block_header(nb[start - 1]):
                start -= 1
            an.tail_start = nb[start].i
            for y in [*nb[start:x.k], x, *rest]:
                y.reason = y.reason or y.tentative or "tail-region"
            return


def _block_header(y: _NB) -> bool:
    """A short unpunctuated line that may head an end-of-article block."""
    return y.reason is None and y.words <= 6 and not y.terminal and not FOOTNOTE_RE.match(y.plain)


def _tail_explained(block: list[_NB], limit: int) -> bool:
    """Whether everything after a tail marker (``block[0]``) can be page furniture.

    Short lines (source notes, "P.S.", fragments) always can.  Unexplained
    paragraphs, at most ``limit`` of them, must continue the block above them:
    a bio goes on with "He/Her …", an appeal with "we/you …".
    """
    last = block[0].reason or block[0].tentative
    unexplained = 0
    for y in block[1:]:
        if y.reason is not None or y.tentative is not None:
            last = y.reason or y.tentative
            continue
        if y.words < TAIL_PROSE_WORDS or FOOTNOTE_RE.match(y.plain):
            continue
        unexplained += 1
        p = y.plain
        bio_goes_on = last == "author-bio" and BIO_CONTINUATION_RE.match(p)
        appeal_goes_on = last in APPEAL_REASONS and SECOND_PERSON_RE.search(p)
        if unexplained > limit or not (bio_goes_on or appeal_goes_on or EMAIL_OR_HANDLE_RE.search(p)):
            return False
    return True


def _assign_kinds(nb: list[_NB], lines: list[Line], an: Analysis) -> None:
    """Kinds for kept lines (title, standfirst, heading, footnote, body) and dropped ones."""
    kept = [x for x in nb if x.reason is None]
    for x in nb:
        if x.reason is not None:
            lines[x.i].kind, lines[x.i].reason = BOILERPLATE, x.reason
    n = len(nb)
    for j, x in enumerate(kept):
        ln = lines[x.i]
        nxt = kept[j + 1] if j + 1 < len(kept) else None
        if x.i == an.title_line:
            ln.kind, ln.reason = TITLE, "headline"
        elif FOOTNOTE_RE.match(x.plain) and x.k >= n * BOTTOM_SHARE:
            ln.kind, ln.reason = FOOTNOTE, "numbered-note"
        elif x.i == an.standfirst_line or _in_header_after_title(x.i, an):
            # Kept lines of the header region after the headline: standfirst, subtitle.
            ln.kind, ln.reason = STANDFIRST, "header-prose"
        elif j > 0 and _heading_like(x, ln.text, nxt):
            ln.kind, ln.reason = HEADING, "short-line-before-prose"
        else:
            ln.kind, ln.reason = BODY, ""


def _in_header_after_title(i: int, an: Analysis) -> bool:
    return an.title_line is not None and an.header_end is not None and an.title_line < i < an.header_end


def _heading_like(x: _NB, raw: str, nxt: _NB | None) -> bool:
    """A short line that introduces the prose after it (a bulleted item never does)."""
    p = x.plain
    if x.words > HEADING_MAX_WORDS or nxt is None or not nxt.body_like or BULLET_RE.match(raw):
        return False
    if HEADING_BAD_END_RE.search(p) or starts_lower(p) or starts_lower(nxt.plain):
        return False
    return p[0].isupper() or p[0].isdigit() or p[0] in "\"'“‘"
