"""Person names in bylines, author bios and affiliation lines.

Shared by the line classifier (is this line a byline / bio?) and the metadata
extractor (who wrote it?).  Patterns use the ``regex`` module (a dependency of
dateparser) for Unicode upper-case classes, so "Łukasz Ćwikła" is a name too.
"""

from __future__ import annotations

import regex

from dyad.clean.dates import find_dates, WEEKDAY_RE

# A capitalised name token ("Kuhrt", "O'Neill", "Jean-Pierre", "J.").
NAME_TOK = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
# Lower-case particles inside names (de, van, bin ...).
PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|le|la|bin|ibn|al|el|dos|das|y|zu|ter)"
NAME = rf"{NAME_TOK}(?:\s+(?:{PARTICLE}\s+)?{NAME_TOK}){{1,3}}"
HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?"

_BY_WORDS = (r"(?:[Bb]y|BY|[Ww]ritten by|[Ww]ords by|[Tt]ext by|[Ss]tory by|[Pp]osted by|"
             r"[Aa]uthors?\s*:|[Bb]yline\s*:|[Vv]on|[Pp]ar|[Pp]or|[Аа]втор\s*:?)")
# "By A and B", "Wednesday 25 October 2023, by A, B (…)", "Author: A".
BYLINE_RE = regex.compile(
    rf"^(?:(?P<pre>.{{0,80}}?)\s*[,|•·–—-]\s*)?{_BY_WORDS}\s+"
    rf"(?P<names>(?:{HONORIFIC}\s+)?{NAME_TOK}\s+\p{{Lu}}.*)$")
# Words that make a byline segment an affiliation rather than a person.
ORG_WORDS = regex.compile(
    r"(?i:\b(?:university|universit[àéy]|college|institute|institut|school|centre|center|academy|"
    r"foundation|department|faculty|agency|council|society|association|ministry|office|"
    r"programme|program|news|times|post|press|media|journal|review|magazine|group|network|"
    r"service|bureau|staff|reporters?|correspondents?|editors?|team|desk|of|for|the)\b)")
ROLE_WORDS = (r"(?i:lecturer|professor|fellow|researcher|scholar|student|candidate|journalist|reporter|"
              r"correspondent|editor|analyst|columnist|contributor|writer|author|director|head|expert|"
              r"specialist|associate|chair|economist|historian|political scientist|consultant|"
              r"advis[eo]r|founder|co-founder|member|doctoral|phd|reader|dean|programme manager)")
# "Dr X is a lecturer in …", "Jane Doe is the author of …".
# Words between "is a" and the role are adjectives or fields ("senior", "technology"),
# never function words: "X is among three authors" is not a bio.
_FILLER = (r"(?!(?:among|one|two|three|four|five|several|many|some|seen|by|to|of|in|at|on|for|with|from|"
           r"not|still|set|due|expected|likely|confident|the|a|an|as|acting|being|having|was|who|which|that|"
           r"and|or|but)\b)[\p{L}&-]+")
BIO_RE = regex.compile(
    rf"^(?!(?:Mr|Mrs|Ms|Miss)\b)(?:{HONORIFIC}\s+)?(?P<name>{NAME})\s+(?:is|serves as|works as)\s+"
    rf"(?:(?:a|an|the|currently|also|now)\s+)*(?:{_FILLER}\s+){{0,3}}?{ROLE_WORDS}s?"
    rf"(?:\s+(?:in|at|of|for|with|on|and|based)\b|,|\.|$)")
BIO_HINT_RE = regex.compile(
    r"(?i:\bcan be (?:reached|contacted) at\b|\bfollow (?:him|her|them) on\b|\bon twitter @|"
    r"\bhis research\b|\bher research\b|\btheir research\b|\bresearch interests\b)")
# "Name, Lecturer in X, University of Y and Name, …" (no final full stop).
AFFIL_RE = regex.compile(
    rf"^(?:{HONORIFIC}\s+)?{NAME}\s*(?:,|–|—|-)\s+.*\b(?:{ROLE_WORDS}|(?i:university|college|institute|"
    rf"school|centre|center|academy|foundation|department|faculty))")
_SPLIT_RE = regex.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\bund\b|\bi\b|\be\b|\bи\b)\s*")
_PAREN_RE = regex.compile(r"\([^)]*\)|\[[^\]]*\]")
_PERSON_RE = regex.compile(rf"^(?:{HONORIFIC}\s+)?(?P<name>{NAME})$")


def looks_like_person(seg: str) -> str | None:
    """The name in ``seg`` when it reads as a person's name (2-4 capitalised words)."""
    seg = seg.strip(" .,;:-–—")
    m = _PERSON_RE.match(seg)
    if not m or ORG_WORDS.search(seg) or any(ch.isdigit() for ch in seg):
        return None
    return normal_case_name(m.group("name"))


def normal_case_name(name: str) -> str:
    """``KUHRT Natasha`` → ``Natasha Kuhrt``; ``Natasha KUHRT`` → ``Natasha Kuhrt``.

    An all-capitals token marks the surname; when it comes first (the French and
    Chinese convention) it is moved to the end.  Mixed-case names are unchanged.
    """
    toks = name.split()
    caps = [t.isupper() and len(t) > 1 for t in toks]
    if not any(caps):
        return name
    if all(caps):  # "VLADIMIR ISACHENKOV" (AP style)
        return " ".join(t.capitalize() for t in toks)
    if caps[0] and not caps[-1]:
        k = caps.index(False)
        toks = toks[k:] + toks[:k]
    return " ".join(t.capitalize() if t.isupper() and len(t) > 1 else t for t in toks)


def byline_names(plain: str) -> list[str] | None:
    """Author names when ``plain`` is a byline line, else None.

    The text before "by" may only be a date or a short label ("Analysis,"), and
    at least one segment after it must read as a person's name.
    """
    m = BYLINE_RE.match(plain)
    if not m:
        return None
    pre = (m.group("pre") or "").strip()
    if pre and len(pre.split()) > 4 and not (find_dates(pre) or WEEKDAY_RE.search(pre)):
        return None
    names = []
    for seg in _SPLIT_RE.split(_PAREN_RE.sub(" ", m.group("names"))):
        name = looks_like_person(seg)
        if name and name not in names:
            names.append(name)
    return names or None


def bio_name(plain: str) -> str | None:
    """The person an author-bio sentence ("Dr X is a lecturer …") is about, else None."""
    m = BIO_RE.match(plain)
    return normal_case_name(m.group("name")) if m else None


def affiliation_names(plain: str) -> list[str]:
    """Person names in an affiliation line ("A, Lecturer, Univ of X and B, …")."""
    names = []
    for part in regex.split(r"\s+(?:and|et|und|&)\s+|;", plain):
        name = looks_like_person(regex.split(r"\s*(?:,|–|—)\s*", part, maxsplit=1)[0])
        if name and name not in names:
            names.append(name)
    return names
