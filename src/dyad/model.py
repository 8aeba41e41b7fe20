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




# ---------------------------------------------------------------------------
# What the extractors find.  Every span is (start, end) into the clean text.


@dataclass
class EntityMention:
    """One surface mention of an entity."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """An in-document entity: all mentions of one real-world thing.

    ``label`` is a spaCy label or one of dyad's own (INITIATIVE, AGREEMENT,
    PROJECT); ``roles`` are descriptions the text gives ("the Russian president",
    "a China expert at the Carnegie Russia Eurasia Center").
    """

    id: int
    canonical: str
    label: str
    mentions: list[EntityMention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    body: bool = True


@dataclass
class Quote:
    """A quotation: the quoted words (no marks), who said them, and how sure we are."""

    start: int
    end: int
    text: str
    kind: str  # full | fragment
    speaker: str | None = None
    speaker_entity: int | None = None
    speaker_role: str | None = None
    cue: str | None = None  # the attribution cue: "said", "told", "according to", ":"
    sentence: int = -1  # index of the sentence holding ``start``; set by nlp.annotate


@dataclass
class DateRef:
    """A date expression resolved against the publication date."""

    start: int
    end: int
    text: str
    value: str | None  # ISO prefix or range "A/B"
    precision: str | None  # day | month | season | quarter | year | decade | range


@dataclass
class Figure:
    """A number with its unit, what it measures, its period and who claims it."""

    start: int
    end: int
    surface: str
    value: float
    unit: str
    approx: bool = False
    qualifier: str | None = None
    measure: str | None = None
    period: str | None = None
    attributed_to: str | None = None
    status: str = "actual"  # actual | forecast | target
    sentence: int = -1


@dataclass
class Event:
    """A PLOVER-typed event, one per clause."""

    type: str
    subtype: str
    trigger_start: int
    trigger_end: int
    status: str  # happened | scheduled | hypothetical | denied
    source_actor: list[str] = field(default_factory=list)
    target_actor: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    sentence: int = -1


@dataclass
class Extractions:
    """What the NLP stage found in one article."""

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)


@dataclass
class ProcessedArticle:
    """Everything dyad knows about one article, ready to be stored."""

    doc_id: str
    clean: CleanArticle
    extractions: Extractions
    pipeline_version: str

    @property
    def sentences(self) -> list[Sentence]:
        return self.extractions.sentences

    @property
    def mentions(self) -> list[Mention]:
        return self.extractions.mentions
