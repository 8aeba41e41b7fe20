"""Clean text from classified lines: kept lines become paragraphs.

A kept line that stops mid-sentence (no terminal punctuation) followed by a kept
line that starts in lower case is one paragraph broken by a stray line break; the
two are joined with a single space.  Paragraphs are joined with a blank line and
their offsets into the clean text are recorded.
"""

from __future__ import annotations

import re

from dyad.clean.textutil import clean_inline, is_terminal
from dyad.model import BODY, FOOTNOTE, TITLE, Line, Paragraph

PARAGRAPH_SEP = "\n\n"
_OPEN_END_RE = re.compile(r"[:;]\s*$")
_MERGEABLE = frozenset({BODY, FOOTNOTE})


def build_paragraphs(lines: list[Line], glued_name: str | None = None) -> tuple[str, list[Paragraph]]:
    """Join the kept lines into the clean text; return it with its paragraphs.

    The title paragraph, when the title is a kept line, comes first.  For every
    returned paragraph ``text[p.start:p.end]`` is the paragraph's text.
    ``glued_name`` (the publisher) is cut from the end of a line where a logo's
    text got glued to the last sentence ("…sanctions.The Conversation").
    """
    glued = _glued_re(glued_name)
    groups: list[tuple[str, list[int], list[str]]] = []
    for ln in lines:
        if not ln.kept:
            continue
        t = clean_inline(ln.text)
        if glued is not None:
            t = glued.sub(r"\1", t)
        if not t:
            continue
        if groups and _continues(groups[-1], ln.kind, t):
            groups[-1][1].append(ln.number)
            groups[-1][2].append(t)
        else:
            groups.append((ln.kind, [ln.number], [t]))
    # Stable: only a title that is not already first moves to the front.
    groups.sort(key=lambda g: g[0] != TITLE)
    parts, paragraphs, pos = [], [], 0
    for kind, numbers, texts in groups:
        para = " ".join(texts)
        if parts:
            pos += len(PARAGRAPH_SEP)
        paragraphs.append(Paragraph(pos, pos + len(para), kind, numbers))
        parts.append(para)
        pos += len(para)
    return PARAGRAPH_SEP.join(parts), paragraphs


def _glued_re(name: str | None) -> re.Pattern | None:
    """Pattern for ``name`` stuck to sentence-final punctuation at the end of a line."""
    if not name or len(name) < 6:
        return None
    return re.compile(r"([.!?][\"'”’)]?)" + re.escape(name) + r"\s*$")


def _continues(prev: tuple[str, list[int], list[str]], kind: str, t: str) -> bool:
    """Whether line text ``t`` continues the sentence left open by paragraph ``prev``."""
    prev_kind, _, prev_texts = prev
    if prev_kind not in _MERGEABLE or kind not in _MERGEABLE:
        return False
    last = prev_texts[-1]
    return not is_terminal(last) and not _OPEN_END_RE.search(last) and t[0].islower()
