"""Small text helpers shared by the cleaning modules.

Everything here works on one line (or one short snippet) at a time and is
precompiled at import, because the classifier calls these for every line of
every article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

# [text](url) with one level of nested parentheses in the url.
MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
# <https://...> autolinks.
AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
# Markdown backslash escapes (US\$200 -> US$200).
ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$&|<>~])")
# *emphasis* / **strong**: only paired markers hugging non-space text, so a lone
# asterisk (a footnote mark, "5 * 3") is left alone.
EMPH_RE = re.compile(r"(?<![\w*])(\*{1,2})(?=[^\s*])([^*\n]*?[^\s*])\1(?![\w*])")
# Horizontal whitespace, including no-break and typographic spaces.
HSPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible characters that never carry meaning in article text (ZWJ/ZWNJ are
# kept: they matter in Persian and Indic scripts).
INVISIBLE_RE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
# List bullets at the start of a line.
BULLET_RE = re.compile(r"^\s*(?:[-*+•·▪◦‣–—]|\d{1,2}[.)])\s+")
# A line ends a sentence: terminal punctuation, then optional closing quotes or
# brackets (and markdown emphasis markers).
TERMINAL_RE = re.compile(r"[.!?…。！？](?:[\"'”’»)\]*_]+)?\s*$")
WORD_RE = re.compile(r"\S+")
DIGIT_RE = re.compile(r"\d")

# Script classes used to find the document's main script.
SCRIPT_RES = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "cjk": re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
    "georgian": re.compile(r"[\u10a0-\u10ff]"),
    "armenian": re.compile(r"[\u0530-\u058f]"),
}


def strip_markdown(s: str) -> str:
    """Remove markdown link syntax, autolink brackets, escapes and emphasis markers.

    ``[text](url)`` becomes ``text``, ``<http://x>`` becomes ``http://x``,
    ``US\\$200`` becomes ``US$200`` and ``*title*`` becomes ``title``.  Nothing
    else is rewritten (quotes and dashes stay as written).
    """
    if "[" in s:
        s = MD_LINK_RE.sub(r"\1", s)
    if "<" in s:
        s = AUTOLINK_RE.sub(r"\1", s)
    if "\\" in s:
        s = ESCAPE_RE.sub(r"\1", s)
    if "*" in s:
        s = EMPH_RE.sub(r"\2", s)
    return s


def clean_inline(s: str) -> str:
    """Normalise one kept line for the clean text: markdown removed, spaces tidied.

    Only safe changes: no-break and other odd spaces become one plain space,
    invisible characters go, runs of spaces collapse; quotes, dashes and case
    are never rewritten.
    """
    s = strip_markdown(s)
    if not s.isascii():
        s = INVISIBLE_RE.sub("", s)
    # str.split() splits on every Unicode space (no-break, thin, ideographic ...).
    return " ".join(s.split())


def plain_line(s: str) -> str:
    """The text a rule looks at: markdown-free, bullet-free, space-collapsed."""
    s = clean_inline(s)
    m = BULLET_RE.match(s)
    return s[m.end():] if m else s


def is_terminal(s: str) -> bool:
    """True when the line ends a sentence (``.``, ``!``, ``?``, closing quotes allowed)."""
    return bool(TERMINAL_RE.search(s))


def starts_lower(s: str) -> bool:
    """True when the first letter (after opening quotes/brackets) is lower case, in any script."""
    t = s.lstrip("\"'“‘«„([{*_ ")
    return bool(t) and t[0].islower()


def word_count(s: str) -> int:
    """Number of whitespace-separated tokens."""
    return len(s.split())


def norm_key(s: str) -> str:
    """Key for comparing lines: NFKC, markdown-free, case-folded, digits as 0.

    Digits are folded so that widgets whose numbers change from page to page
    ("28 C", "Comments (3)") still count as the same line across a corpus.
    """
    s = unicodedata.normalize("NFKC", plain_line(s)).casefold()
    s = DIGIT_RE.sub("0", s)
    return " ".join(s.split()).strip(" .,;:!?-–—|•·*\"'“”‘’()[]")


def text_digest(s: str) -> str:
    """Stable digest of a text (used to count each distinct document once)."""
    return hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# Character -> the script classes it belongs to (filled as characters are met).
_SCRIPTS_OF: dict[str, tuple[str, ...]] = {}


def script_counts(s: str) -> dict[str, int]:
    """Letters per script class in ``s`` (only classes that occur, in SCRIPT_RES order).

    Counts each distinct character once and classifies it once per process, rather
    than running every class's regular expression over the whole text.
    """
    found: dict[str, int] = {}
    for ch, n in Counter(s).items():
        names = _SCRIPTS_OF.get(ch)
        if names is None:
            names = _SCRIPTS_OF[ch] = tuple(name for name, rx in SCRIPT_RES.items() if rx.match(ch))
        for name in names:
            found[name] = found.get(name, 0) + n
    return {name: found[name] for name in SCRIPT_RES if found.get(name)}


def main_script(s: str) -> str | None:
    """The script with most letters in ``s``, or None when there are no letters."""
    counts = script_counts(s)
    return max(counts, key=counts.get) if counts else None
