"""Plain data records that flow between the pipeline stages.

Data flows one way: ``ingest`` yields :class:`RawArticle`, ``clean`` turns it into
:class:`CleanArticle` (lines classified, metadata found), ``nlp`` adds sentences and
mentions, ``store`` persists the result.  Every offset is a character offset into
``CleanArticle.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Line kinds assigned by the cleaner.  Everything except BOILERPLATE and BLANK is
# kept in the clean text.
TITLE = "title"
STANDFIRST = "standfirst"
HEADING = "heading"
BODY = "body"
FOOTNOTE = "footnote"
BOILERPLATE = "boilerplate"
BLANK = "blank"
KEPT_KINDS = frozenset({TITLE, STANDFIRST, HEADING, BODY, FOOTNOTE})


@dataclass
class RawArticle:
    """One article as read from its source, before any cleaning.

    ``text`` is plain text with one paragraph per line (HTML has already been reduced
    to text).  ``meta`` holds what the source itself said: title, url, published,
    publisher, authors.  ``stem`` names the article in exports (file name without
    extension, or ``<file stem>-<line>`` for JSONL records).
    """

    source: str
    stem: str
    text: str
    meta: dict = field(default_factory=dict)
    encoding: str = "utf-8"
    fmt: str = "txt"


@dataclass
class Line:
    """One input line with its cleaning verdict.

    ``number`` is 1-based in the raw text; ``kind`` is one of the kinds above and
    ``reason`` says why a line was dropped (or how it was classified).
    """

    number: int
    text: str
    kind: str = BODY
    reason: str = ""

    @property
    def kept(self) -> bool:
        return self.kind in KEPT_KINDS


@dataclass
class Metadata:
    """Document metadata, from the source when it has it, else from the text.

    ``published`` is an ISO date prefix at the precision known (``2024``,
    ``2024-05``, ``2024-05-16``); ``published_how`` is ``source``, ``stated`` or
    ``inferred``, and ``published_reason`` explains the choice in words.
    """

    title: str | None = None
    standfirst: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_how: str | None = None
    published_reason: str = ""
    dateline: str | None = None
    url: str | None = None


@dataclass
class Paragraph:
    """A kept paragraph of the clean text and the raw lines it came from."""

    start: int
    end: int
    kind: str
    line_numbers: list[int]


@dataclass
class CleanArticle:
    """The cleaner's output: classified lines, clean text and metadata."""

    raw: RawArticle
    lines: list[Line]
    text: str
    paragraphs: list[Paragraph]
    meta: Metadata

    @property
    def boilerplate_lines(self) -> list[str]:
        return [ln.text for ln in self.lines if ln.kind == BOILERPLATE]


@dataclass
class Sentence:
    """A sentence span of the clean text (``end`` exclusive)."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass
class Mention:
    """A named-entity mention span of the clean text (``end`` exclusive)."""

    start: int
    end: int
    text: str
    label: str
    sentence: int


@dataclass
class ProcessedArticle:
    """Everything dyad knows about one article, ready to be stored."""

    doc_id: str
    clean: CleanArticle
    sentences: list[Sentence]
    mentions: list[Mention]
    pipeline_version: str
