"""Name spans the statistical model misses or cuts short, found by rule.

Each finder returns candidate :class:`~spacy.tokens.Span` objects with a label; the
``dyad_entity_rules`` component decides how they combine with ``doc.ents``.

- :class:`GazetteerFinder`: names of the shipped gazetteer (``Power of Siberia 2``,
  ``Belt and Road Initiative``, ``Global South``).
- :func:`headed_names`: capitalised phrases ending in a head noun that fixes their type
  ("Global Security Initiative", "Treaty of Good-Neighbourliness" is left to the model).
- :func:`quoted_agreements`: a quoted modifier of an agreement noun ("the “no-limits”
  partnership").
- :func:`western_mentions`: "Western"/"western" as the geopolitical West.
- :func:`conjunct_names`: untagged proper nouns coordinated with a name.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from dyad.nlp.entity_lexicon import HEAD_LABELS, NAME_CONNECTORS, Lexicon

# Gazetteer forms this short are only matched in capitals and only if listed here:
# others ("AP", "FT", "WHO") are too often ordinary words or initials.
_SHORT_FORMS_OK = frozenset({"UN", "EU", "US", "UK", "G7", "G8"})
_OPEN_QUOTES = frozenset("\"'“‘«")
_CLOSE_QUOTES = frozenset("\"'”’»")
# Agreement nouns that a quoted modifier can name ("no-limits" partnership).
QUOTED_HEADS = frozenset({"partnership", "friendship", "alliance", "pact", "deal", "agreement", "treaty",
                           "statement", "declaration"})


class GazetteerFinder:
    """Find the gazetteer's names in a Doc with two PhraseMatchers (exact case and any case)."""

    def __init__(self, nlp: Language, lex: Lexicon) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.any_case = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[str, str] = {}
        # Match ids are hashes in the matcher's vocab; keep their strings so spans can
        # be labelled in any Doc.
        self.label_of: dict[int, str] = {}
        for form, label in lex.match_forms:
            self.label_of[nlp.vocab.strings.add(label)] = label
            if len(form) < 3 and form not in _SHORT_FORMS_OK or form == "WHO":
                continue
            self.labels[form] = label
            self.labels[form.lower()] = label
            self.exact.add(label, [nlp.make_doc(form)])
        for form in lex.case_insensitive:
            self.any_case.add(self.labels[form], [nlp.make_doc(form.lower())])

    def __call__(self, doc: Doc) -> list[Span]:
        """Gazetteer names in ``doc`` as labelled spans (longest first where they overlap)."""
        found = []
        for matcher in (self.exact, self.any_case):
            found.extend(Span(doc, start, end, label=self.label_of[match_id]) for match_id, start, end in matcher(doc))
        return found


def _name_part(token: Token) -> bool:
    """A token that can sit inside a capitalised name ("Power", "of", "2")."""
    if token.is_title or token.is_upper and token.is_alpha or token.like_num:
        return True
    return token.lower_ in NAME_CONNECTORS and not token.is_sent_start


def headed_names(doc: Doc, heads: list[Token]) -> Iterator[Span]:
    """Capitalised phrases ending in a type-giving head noun, labelled by the head.

    The head must be capitalised and end the phrase ("Global Security Initiative";
    not "Initiative Centre"); the phrase needs at least one capitalised word before
    the head, and leading connectors and a sentence-initial "The" are left out.
    """
    for token in heads:
        label = HEAD_LABELS.get(token.lower_)
        if label is None or not token.is_title or token.i == 0 or token.ent_type_ == "PERSON":
            continue  # "Bill" in "Bill Clinton" is a name, not a head
        if token.i + 1 < len(doc) and (doc[token.i + 1].is_title or doc[token.i + 1].like_num):
            continue  # the head is inside a longer name
        start = token.i
        while start > 0 and _name_part(doc[start - 1]) and not doc[start - 1].is_punct \
                and doc[start - 1].tag_ != "POS" and not doc[start].is_sent_start:
            start -= 1
        # A capitalised sentence opener ("Under", "Its") is not part of the name.
        if doc[start].is_sent_start and doc[start].tag_ not in ("NNP", "NNPS"):
            start += 1
        while start < token.i and (doc[start].lower_ in NAME_CONNECTORS or doc[start].is_punct
                                   or doc[start].is_lower):  # "third Belt and Road Forum"
            start += 1
        if start < token.i:
            yield Span(doc, start, token.i + 1, label=label)


def quoted_agreements(doc: Doc, heads: list[Token]) -> Iterator[Span]:
    """The quoted words of a quoted modifier before an agreement noun, as AGREEMENT.

    "the “no-limits” partnership" → span ``no-limits``: the quoted words are how the
    text names that agreement.
    """
    for token in heads:
        if token.lower_ not in QUOTED_HEADS or token.i < 3 or doc[token.i - 1].text not in _CLOSE_QUOTES:
            continue
        start = token.i - 2
        while start > max(token.i - 6, 0) and doc[start - 1].text not in _OPEN_QUOTES:
            start -= 1
        quoted = doc[start:token.i - 1]
        # A coined compound ("no-limits", "rock solid"), not a scare-quoted adjective.
        if start > 0 and doc[start - 1].text in _OPEN_QUOTES and (len(quoted) > 1 or "-" in quoted.text):
            yield Span(doc, start, token.i - 1, label="AGREEMENT")


def western_mentions(doc: Doc, words: list[Token], place_tokens: set[int]) -> Iterator[Span]:
    """"Western"/"western" meaning the West ("Western sanctions"), not a compass point.

    A following place name ("western Ukraine") makes it geographic, so it is skipped;
    ``place_tokens`` are the indices of tokens inside GPE/LOC/FAC mentions.
    """
    for token in words:
        if token.lower_ != "western" or token.i + 1 >= len(doc):
            continue
        if token.i + 1 in place_tokens or doc[token.i + 1].is_title and not token.is_title:
            continue
        yield Span(doc, token.i, token.i + 1, label="LOC")


def conjunct_names(doc: Doc, spans: list[Span]) -> Iterator[Span]:
    """A capitalised conjunct of a name takes its type: "the heads of the Federal Service
    … and Rosfinmonitoring" → ORG, "Putin and Xi" → PERSON.

    Only proper nouns the model left untagged are added; coordinated names are
    nearly always of one kind.
    """
    tagged = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.label_ not in ("ORG", "PERSON", "GPE"):
            continue
        for conj in (c for t in span for c in t.children):
            if conj.dep_ != "conj" or conj.i in tagged or conj.tag_ != "NNP" or not conj.is_title:
                continue
            start = min([c.i for c in conj.children if c.dep_ == "compound" and c.tag_ == "NNP"] + [conj.i])
            if not any(i in tagged for i in range(start, conj.i + 1)):
                yield Span(doc, start, conj.i + 1, label=span.label_)
