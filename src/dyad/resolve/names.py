"""Name normalisation shared by the resolve modules: keys, person names, acronyms.

A *key* is the form two names must share to be the same name: diacritics,
case, punctuation, possessives, a leading article and dash variants removed.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4"}
                        | {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb"})
_DASHES = re.compile("[\u2010-\u2015\u2212-]")
_NON_WORD = re.compile(r"[^\w\s&]")
_POSSESSIVE = re.compile(r"'s?\b")
ARTICLES = ("the ", "a ", "an ")
# Titles and honorifics that precede a person's name and are not part of it.
TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister premier chancellor
secretary general gen col colonel lt captain capt admiral adm senator sen rep representative governor gov
mayor judge justice king queen prince princess sheikh emir ayatollah pope rev reverend father deputy
foreign defence defense finance interior chairman chairwoman chair chief executive ceo director
leader counterpart chinese russian american british french german former new late
""".split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def fold(text: str) -> str:
    """Lower-cased ASCII-ish text: diacritics dropped, quotes and dashes unified, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_DASHES.sub(" ", text).casefold().split())


def name_key(name: str) -> str:
    """The comparison key of a name: folded, possessive, punctuation and a leading article removed.

    >>> name_key("the U.S.")
    'us'
    >>> name_key("Russia’s war against Ukraine")
    'russia war against ukraine'
    """
    text = fold(name).replace(".", "")
    text = _POSSESSIVE.sub("", text)
    text = " ".join(_NON_WORD.sub(" ", text).split())
    for article in ARTICLES:
        if text.startswith(article) and len(text) > len(article):
            text = text[len(article):]
            break
    return text


def person_tokens(name: str) -> list[str]:
    """Tokens of a person's name in given-names-then-surname order, titles dropped.

    A surname written first in capitals, as in bylines ("KACZEMARSKI Marcin"),
    is moved to the end.
    """
    raw = [t for t in re.split(r"[\s,]+", name.strip()) if t]
    if len(raw) >= 2 and raw[0].isupper() and len(raw[0]) > 2 and not raw[1].isupper():
        raw = raw[1:] + raw[:1]
    tokens = [name_key(t) for t in raw]
    tokens = [t for t in tokens if t and t not in SUFFIXES]
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens = tokens[1:]
    return tokens


def person_key(name: str) -> str:
    """The key of a person's name: :func:`person_tokens` joined by spaces."""
    return " ".join(person_tokens(name))


def is_acronym(form: str) -> bool:
    """True for a form such as "ICC", "EAEU", "U.S." (2-6 capitals, optional dots)."""
    bare = form.replace(".", "").strip()
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def initials(name: str) -> str:
    """Upper-case initials of a name's significant words ("International Criminal Court" → "ICC")."""
    words = [w for w in re.split(r"[\s\-]+", fold(name)) if w and w not in ("of", "the", "and", "for", "&", "on", "in")]
    return "".join(w[0] for w in words if w[0].isalnum()).upper()


def is_proper(form: str) -> bool:
    """True when a surface form reads as a name: starts with a capital, not with "the"/"a"."""
    stripped = form.strip()
    if not stripped or not stripped[0].isupper():
        return False
    return not stripped.lower().startswith(ARTICLES)


def clean_form(form: str) -> str:
    """A mention as exported: whitespace collapsed and a final possessive dropped."""
    form = " ".join(form.split())
    return re.sub(r"[’']s$", "", form)
