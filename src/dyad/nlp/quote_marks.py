"""Find quotation spans in plain text from their marks alone (no parse needed).

Typography decides most cases: “ and ‘ open, ” closes, ’ closes unless it sits
between letters (an apostrophe, "Russia’s").  Straight marks (" and ') are ambiguous,
so their role comes from what flanks them: a mark after a space and before a word
opens, one after a word and before a space or punctuation closes.

Two newsroom conventions shape the pairing:

- A quotation that runs over several paragraphs has no closing mark at the end of
  each paragraph; the next paragraph re-opens it.  So an opening mark followed by
  another opening mark (or by the end of the paragraph) ends a span there, and the
  span is flagged ``continued``.  Some corpora (the BBC set) keep those paragraphs
  on one line, so this also happens inside a line.
- Quotes inside quotes use the other kind of mark; they belong to the outer quote
  and are not spans of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every character that may act as a quotation mark.  « » are included for
# translated copy; „ (German low opening mark) is too rare in English news.
_MARK_RE = re.compile("[\"'“”‘’«»]")
_DOUBLE_OPEN, _DOUBLE_CLOSE = "“«", "”»"
_SINGLE_OPEN, _SINGLE_CLOSE = "‘", "’"
# Characters after which a straight mark starts a quotation.
_OPENING_CONTEXT = set(" \t\n([{—–-/:")
_PARAGRAPH_BREAK = "\n"
_STRAY = "\"'“”‘’«»"


@dataclass
class MarkedSpan:
    """Quoted words between two marks.

    ``start``/``end`` delimit the words without marks, trimmed of surrounding
    whitespace; ``open_at`` is the opening mark's offset and ``close_at`` the
    closing mark's (``-1`` when the quotation runs on without one, see
    ``continued``).  ``double`` tells double marks from single ones.
    """

    start: int
    end: int
    open_at: int
    close_at: int
    double: bool
    continued: bool = False


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _role(text: str, i: int) -> str | None:
    """'open', 'close', 'either' or None (an apostrophe) for the mark at ``i``."""
    ch = text[i]
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if ch in _DOUBLE_OPEN or ch in _SINGLE_OPEN:
        # ‘ also writes elisions ("‘90s") - only a letter after it makes it a quote.
        return "open" if ch in _DOUBLE_OPEN or after.isalpha() or after in "“\"" else None
    if ch in _DOUBLE_CLOSE:
        return "close"
    if ch == _SINGLE_CLOSE or ch == "'":
        if _is_letter(before) and _is_letter(after):
            return None  # Russia’s, don't
        if ch == "'" and (before in _OPENING_CONTEXT or before in "“\"") and after.isalpha():
            return "open"
        if ch == "'" and before.isspace() and after.isspace():
            return None
        return "close" if not before.isspace() else None
    # Straight double mark: flanking decides; a mark glued on both sides is ambiguous.
    opens = before in _OPENING_CONTEXT or before in "‘'"
    closes = not before.isspace() and (after.isspace() or not _is_letter(after))
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _is_possessive(text: str, i: int) -> bool:
    """A ’/' after a plural -s followed by a lower-case word: "the countries’ views"."""
    return text[i - 1:i] in ("s", "S") and text[i + 1:i + 2] == " " and text[i + 2:i + 3].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace, and a stray mark of the other kind left at either edge
    ('"'We are hoping ...' where a source doubled the opening mark)."""
    while start < end and (text[start].isspace() or text[start] in _STRAY):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _STRAY):
        end -= 1
    return start, end


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """All top-level quotation spans of ``text`` in order (nested quotes are skipped).

    Double and single marks are paired separately; a single-mark span that lies
    inside a double-mark span (or the reverse) is dropped as nested.
    """
    spans = _pair(text, double=True) + _pair(text, double=False)
    spans.sort(key=lambda s: (s.open_at, -s.end))
    top: list[MarkedSpan] = []
    for span in spans:
        if top and span.open_at < _outer_end(top[-1]):
            continue  # nested inside the previous top-level span
        top.append(span)
    return top


def _outer_end(span: MarkedSpan) -> int:
    return span.close_at + 1 if span.close_at >= 0 else span.end


def _pair(text: str, double: bool) -> list[MarkedSpan]:
    """Pair the double (or single) marks of ``text`` paragraph by paragraph."""
    out: list[MarkedSpan] = []
    open_at = para_end = -1
    for m in _MARK_RE.finditer(text):
        i, ch = m.start(), m.group()
        if (ch in "\"“”«»") != double:
            continue
        if open_at >= 0 and i > para_end:
            _close_at_paragraph_end(text, out, open_at, para_end, double)
            open_at = -1
        role = _role(text, i)
        if role is None:
            continue
        if open_at < 0:
            if role in ("open", "either"):
                open_at, para_end = i, _paragraph_end(text, i)
            continue
        if role == "open":
            # A new opening mark before any closing one: the quotation continues
            # in a new (possibly collapsed) paragraph.
            out.append(_span(text, open_at, i, -1, double))
            open_at = i
        elif not double and _is_possessive(text, i) and _closer_follows(text, i, para_end):
            continue
        else:
            out.append(_span(text, open_at, i, i, double))
            open_at = -1
    if open_at >= 0:
        _close_at_paragraph_end(text, out, open_at, para_end, double)
    return [s for s in out if s.end > s.start]


def _paragraph_end(text: str, i: int) -> int:
    end = text.find(_PARAGRAPH_BREAK, i)
    return len(text) if end < 0 else end


def _close_at_paragraph_end(text: str, out: list[MarkedSpan], open_at: int, para_end: int, double: bool) -> None:
    """End an unclosed quotation at its paragraph's end.

    Single marks double as apostrophes, so an unclosed single-mark span is kept only
    when the next paragraph re-opens with a single mark (the continuation convention).
    """
    if not double:
        nxt = para_end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if text[nxt:nxt + 1] not in ("‘", "'"):
            return
    out.append(_span(text, open_at, para_end, -1, double))


def _closer_follows(text: str, i: int, para_end: int) -> bool:
    """Another single closing mark later in the same paragraph."""
    rest = text[i + 1:para_end]
    return any(_role(text, i + 1 + m.start()) == "close" for m in re.finditer("[’']", rest))


def _span(text: str, open_at: int, end: int, close_at: int, double: bool) -> MarkedSpan:
    start, stop = _trim(text, open_at + 1, end)
    return MarkedSpan(start, stop, open_at, close_at, double, continued=close_at < 0)
