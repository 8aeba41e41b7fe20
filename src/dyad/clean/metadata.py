"""Document metadata: title, standfirst, publisher, authors, publication date, dateline.

What the source itself said (``RawArticle.meta``, from JSONL or HTML metadata)
always wins.  Otherwise each field is read from the classified lines: the
headline line, bylines and bios, republishing notices and banners, date labels.
A field with no evidence stays None: the publisher in particular is never guessed.
"""

from __future__ import annotations

import re
from collections import Counter

import regex

from dyad.clean.boilerplate import Analysis
from dyad.clean.dates import (DateEvidence, DateMention, find_dates, infer_date, labelled_dates,
                              parse_date_snippet)
from dyad.clean.names import affiliation_names, bio_name, byline_names
from dyad.clean.textutil import clean_inline
from dyad.model import BOILERPLATE, KEPT_KINDS, STANDFIRST, Metadata, RawArticle

# An outlet name: optional "The", then up to six capitalised words ("The Moscow Times").
# A full stop belongs to a name only inside it ("Kremlin.ru", "U.S."), not at its end.
_OUTLET_TOK = r"\p{Lu}(?:[\p{L}\p{M}\d&'’\-]|\.(?=\p{L}))*"
_OUTLET = (rf"(?P<name>(?:The\s+)?{_OUTLET_TOK}"
           rf"(?:\s+(?:(?:of|and|&|de|du|des|la|le|für|on)\s+)?{_OUTLET_TOK}){{0,5}})")
# (rank, pattern): lower rank wins.  All are searched in boilerplate/header lines only.
PUBLISHER_RES = (
    (0, regex.compile(rf"\b(?:re)?published\s+(?:from|by|on|in|at)\s+(?:the\s+website\s+of\s+)?{_OUTLET}")),
    (0, regex.compile(rf"\b(?:originally|first)\s+(?:published|appeared|posted|ran)\s+"
                      rf"(?:on|in|at|by)\s+{_OUTLET}")),
    (0, regex.compile(rf"\b(?:reprinted|reproduced|republished)\s+(?:here\s+)?with\s+(?:the\s+)?(?:kind\s+)?"
                      rf"permission\s+(?:of|from)\s+{_OUTLET}")),
    (1, regex.compile(rf"{_OUTLET},?\s+(?:is\s+)?an?\s+(?:[\p{{L}}-]+\s+){{0,3}}?(?:news|media)\s+"
                      r"(?:organi[sz]ation|source|outlet|site|website|publication|platform|service|"
                      r"agency)\b")),
    (1, regex.compile(rf"{_OUTLET},?\s+(?:is\s+)?an?\s+(?:[\p{{L}}-]+\s+){{0,3}}?(?:newspaper|magazine|"
                      r"news\s?paper|daily|weekly)\b")),
    (2, regex.compile(rf"^Support\s+{_OUTLET}\s*!?$")),
    (3, regex.compile(rf"^(?:©|\(c\)|Copyright)\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*,?\s*)?{_OUTLET}")),
)
# "… told The Moscow Times": a paper quoting its own interviews.  Weak, so it needs
# two mentions of the same outlet and no other outlet told.
TOLD_RE = regex.compile(r"\btold\s+(?P<name>The\s+\p{Lu}[\p{L}&'’.\-]*(?:\s+\p{Lu}[\p{L}&'’.\-]*){0,3})")
SOURCE_NOTE_RE = regex.compile(rf"^Sources?\s*:\s*{_OUTLET}\s*\.?$")
AGENCY_NAMES = {"AP": "Associated Press", "Reuters": "Reuters", "AFP": "Agence France-Presse",
                "UPI": "United Press International", "dpa": "dpa", "EFE": "EFE", "ANSA": "ANSA",
                "TASS": "TASS", "Xinhua": "Xinhua", "Interfax": "Interfax", "Kyodo": "Kyodo News",
                "Yonhap": "Yonhap", "RIA Novosti": "RIA Novosti", "Anadolu": "Anadolu Agency", "PTI": "PTI"}
_BAD_OUTLETS = frozenset({"the", "this", "creative commons", "the original", "us", "the author",
                          "the authors"})
DATELINE_RE = regex.compile(
    r"^(?P<dl>\p{Lu}{2,}[\p{Lu}\p{M}.'’\-]*(?:\s+\p{Lu}{2,}[\p{Lu}\p{M}.'’\-]*){0,3}"
    r"(?:,\s+\p{Lu}[\p{L}\p{M}.'’\-]+(?:\s+\p{Lu}[\p{L}\p{M}.'’\-]+){0,2})?"
    r"(?:,?\s+(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    # "… (Reuters) -", "… —", or TASS's "MOSCOW, May 16. /TASS/."
    r"(?:\s*\((?P<agency>[^()]{1,30})\)\s*(?:—|–|--|-)|\s*(?:—|–|--|-)"
    r"|\.\s*/(?P<agency2>[\p{L} ]{2,20})/\.?))\s")
WIDGET_REASONS = frozenset({"weather-widget"})
_ISO_PREFIX_RE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def extract_metadata(raw: RawArticle, an: Analysis) -> Metadata:
    """Build :class:`Metadata` from the source's own metadata and the classified lines."""
    src = raw.meta or {}
    meta = Metadata(url=_src_str(src, "url"))
    lines = an.lines
    meta.title = _src_str(src, "title") or (
        clean_inline(lines[an.title_line].text) if an.title_line is not None else an.breadcrumb_title)
    meta.standfirst = _src_str(src, "standfirst") or next(
        (clean_inline(ln.text) for ln in lines if ln.kind == STANDFIRST), None)
    first_body = next((an.plain[i] for i, ln in enumerate(lines) if ln.kept and ln.kind != "title"), "")
    m = DATELINE_RE.match(first_body)
    meta.dateline = m.group("dl") if m else None
    meta.authors = _src_authors(src) or find_authors(an)
    agency = (m.group("agency") or m.group("agency2")) if m else None
    meta.publisher = _src_str(src, "publisher") or find_publisher(an, agency)
    ev = _src_published(src) or stated_date(an) or inferred_date(an)
    if ev is None:
        ev = DateEvidence("", None, _no_date_reason(an))
    meta.published = ev.iso or None
    meta.published_how = ev.how
    meta.published_reason = ev.reason
    return meta


def _src_str(src: dict, key: str) -> str | None:
    val = src.get(key)
    return " ".join(val.split()) if isinstance(val, str) and val.strip() else None


def _src_authors(src: dict) -> list[str]:
    val = src.get("authors") or src.get("author")
    if isinstance(val, (str, dict)):
        val = [val]
    if not isinstance(val, list):
        return []
    names = []
    for v in val:
        v = v.get("name", "") if isinstance(v, dict) else v
        if isinstance(v, str):
            # "A, B and C" in one string is several people.
            names += [" ".join(n.split()) for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", v) if n.strip()]
    return names


def _src_published(src: dict) -> DateEvidence | None:
    val = src.get("published") or src.get("date")
    if hasattr(val, "isoformat"):  # a date or datetime object
        val = val.isoformat()
    if not isinstance(val, str) or not val.strip():
        return None
    m = _ISO_PREFIX_RE.match(val)
    if m:
        iso = "-".join(g for g in m.groups() if g)
    else:
        d = parse_date_snippet(val)
        if d is None:
            return None
        iso = d.iso
    return DateEvidence(iso, "source", f"source metadata: published {val.strip()!r}")


def find_authors(an: Analysis) -> list[str]:
    """Authors from byline lines; failing that, from author bios and affiliation lines."""
    names: list[str] = []
    for i, ln in enumerate(an.lines):
        if ln.reason == "byline":
            names += [n for n in byline_names(an.plain[i]) or [] if n not in names]
    if names:
        return names
    for i, ln in enumerate(an.lines):
        if ln.kind == BOILERPLATE and ln.reason in ("author-bio", "tail-region"):
            p = an.plain[i]
            bio = bio_name(p)
            found = [bio] if bio else affiliation_names(p) if ln.reason == "author-bio" else []
            names += [n for n in found if n and n not in names]
    return names


def find_publisher(an: Analysis, dateline_agency: str | None = None) -> str | None:
    """The outlet named by the page's own furniture, or None when nothing names it."""
    best: tuple[int, int, str] | None = None
    for idx, ln in enumerate(an.lines):
        if ln.kind != BOILERPLATE or ln.reason in WIDGET_REASONS:
            continue
        p = an.plain[idx]
        for rank, rx in PUBLISHER_RES:
            if best is not None and rank >= best[0]:
                break
            for m in rx.finditer(p):
                name = _tidy_outlet(m.group("name"))
                if name:
                    best = (rank, idx, name)
                    break
    if best is not None:
        return best[2]
    # "Source: Al Jazeera" as the page's very last line names the outlet (a
    # "Source:" under a chart or a quote sits elsewhere).
    last = next((i for i in range(len(an.lines) - 1, -1, -1) if an.plain[i]), None)
    if last is not None and an.lines[last].reason == "source-note":
        m = SOURCE_NOTE_RE.match(an.plain[last])
        if m and _tidy_outlet(m.group("name")):
            return _tidy_outlet(m.group("name"))
    if dateline_agency and dateline_agency.strip() in AGENCY_NAMES:
        return AGENCY_NAMES[dateline_agency.strip()]
    told = Counter(_tidy_outlet(m.group("name")) for i, ln in enumerate(an.lines) if ln.kept
                   for m in TOLD_RE.finditer(an.plain[i]))
    told.pop(None, None)
    if len(told) == 1:
        name, count = told.most_common(1)[0]
        if count >= 2:
            return name
    return None


def _tidy_outlet(name: str) -> str | None:
    name = re.sub(r"(?:'s|’s)$", "", name.strip(" .,;:-–—'’"))
    # A sentence start caught by the pattern ("This", "Read") is not an outlet.
    if name.casefold() in _BAD_OUTLETS or len(name) < 2 or name.split()[0] in ("This", "Read", "Our"):
        return None
    return name


def stated_date(an: Analysis) -> DateEvidence | None:
    """The date the page states as its own: a labelled date, or a date in a header byline.

    "Date first published: …" beats "Published: …", which beats a date on the
    byline or a date line in the header (often a republication date), which beats
    "Updated: …".  A site's "today" widget is never a publication date.
    """
    best: tuple[float, int, DateMention, str] | None = None
    for idx, ln in enumerate(an.lines):
        p = an.plain[idx]
        if ln.reason in WIDGET_REASONS or not p:
            continue
        searchable = ln.kind == BOILERPLATE or len(p.split()) <= 12
        labelled = labelled_dates(p) if searchable else []
        cands = [(rank, d, f"{label}: {d.text}") for rank, d, label in labelled]
        if ln.reason in ("byline", "date-line") and (an.header_end is None or idx < an.header_end):
            cands += [(2.5, d, d.text) for d in find_dates(p, "month")]
        for rank, d, what in cands:
            if best is None or rank < best[0]:
                best = (rank, idx, d, what)
    if best is None:
        return None
    _, idx, d, what = best
    return DateEvidence(d.iso, "stated", f"stated on line {idx + 1}: {what!r}")


def inferred_date(an: Analysis) -> DateEvidence | None:
    """Infer from the dates the kept text mentions; a "today" widget is an upper bound."""
    texts = [an.plain[i] for i, ln in enumerate(an.lines) if ln.kind in KEPT_KINDS]
    upper = max(an.widget_dates, key=lambda d: d.sort_key, default=None)
    ev = infer_date(texts, upper)
    if ev is not None and upper is not None:
        ev = DateEvidence(ev.iso, ev.how,
                          ev.reason + f"; the page's 'today' widget ({upper.iso}) is an upper bound")
    return ev


def _no_date_reason(an: Analysis) -> str:
    if an.widget_dates:
        upper = max(an.widget_dates, key=lambda d: d.sort_key)
        return (f"no date stated; the page's 'today' widget ({upper.iso}) is only an upper bound, and the "
                f"dates the body mentions as past do not place the article in that year")
    return "no date stated and none inferable from the text"
