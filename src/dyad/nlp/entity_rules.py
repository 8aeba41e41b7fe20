"""Entity correction layer (pipeline component ``dyad_entity_rules``, after ``ner``).

The small English model makes the same mistakes again and again on news text.  This
component rewrites ``doc.ents`` in five steps, each a plain function over spans:

1. *trim*: leading "the" and punctuation, possessive endings and "(ACR" tails are cut
   off mention spans ("the International Criminal Court" → "International Criminal
   Court"; "Shanghai Cooperation Organization (SCO" → two mentions);
2. *headlines*: in a title-case headline the model reads capitalised verbs and
   adjectives as part of names ("Putin Arrives" PERSON); such mentions are cut back to
   a name the body uses, or dropped;
3. *add*: names found by rule (gazetteer, capitalised phrases headed by "Initiative",
   "Treaty", "Forum"…, quoted agreement names, "Western") replace the model's spans they
   contain or that they split ("Gazprom and Rosneft" → two ORGs);
4. *relabel*: gazetteer types ("Kremlin" ORG, "Telegram" PRODUCT), demonyms as NORP,
   head nouns ("… Union" ORG, "… Initiative" INITIATIVE), acronyms never PERSON,
   a lone "PERSON" after a locative preposition is a place ("in Manchester");
5. *drop*: fragments of job titles ("State" in "Secretary of State", "Defence" in
   "Defence Minister"), relational adjectives ("Sino-Russian"), initials and time
   zones, capitalised sentence openers ("Nasty", "Tsunami"), names in picture credits
   the cleaner left in a caption ("Artyom Ivanov / TASS").
"""

from __future__ import annotations

import re

from spacy.attrs import IS_LOWER, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from dyad.nlp.entity_lexicon import (FAC_HEADS, HEAD_LABELS, HONORIFICS, NAME_CONNECTORS, NOT_NAMES,
                                     ORG_CLASSIFIERS, ORG_HEADS, PEER_TITLES, PORTFOLIO_WORDS, POST_NOMINALS,
                                     PROJECT_HEADS, PROJECT_MODIFIERS, ROLE_NOUNS, ROYAL_TITLES, TITLE_WORDS,
                                     Lexicon, lexicon, name_key)
from dyad.nlp.entity_patterns import (QUOTED_HEADS, GazetteerFinder, conjunct_names, headed_names,
                                      quoted_agreements, western_mentions)
from dyad.nlp.entity_triggers import Triggers
from dyad.nlp.extensions import doc_text, span_text

NUMERIC_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels the model gives to things that are not people or places; a span with such a
# label may take a type from its head noun.
_THING_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC", "LOC"})
# Prepositions that take a place: a lone "PERSON" after them is a town ("in Manchester").
_LOCATIVE = frozenset({"in", "at", "near", "across", "throughout", "outside", "around"})
# Last words of newspaper and agency names ("The Moscow Times", "The Insider").
_MEDIA_HEADS = frozenset("""times post journal herald tribune gazette guardian telegraph observer independent
mirror mail express economist insider news daily today chronicle monitor standard review""".split())
_MEDIA_VERBS = frozenset({"told", "tell", "tells", "telling"})
# First parts of relational adjectives ("Sino-Russian", "Euro-Atlantic").
_COMBINING_FORMS = frozenset({"sino", "euro", "anglo", "franco", "russo", "indo", "afro", "judeo", "austro"})
# Labels whose comma-joined mentions are lists; a title ("Improving Opportunity,
# Strengthening Society") keeps its comma.
_LISTABLE = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
_DESCRIPTOR_WORDS = PROJECT_MODIFIERS | PROJECT_HEADS | {"system", "line", "route", "network"}
# (Unions used per mention, built once.)
_NAMED_THING_LABELS = _THING_LABELS | {"INITIATIVE", "AGREEMENT"}
_ORG_READ_LABELS = PLACE_LABELS | {"PERSON", "NORP", "WORK_OF_ART", "PRODUCT"}
_TITLE_OR_ROLE = TITLE_WORDS | ROLE_NOUNS


class EntityRules:
    """Correct and extend ``doc.ents`` (see the module docstring for the steps)."""

    def __init__(self, nlp: Language, fix_headlines: bool = True, use_gazetteer: bool = True) -> None:
        self.lex: Lexicon = lexicon()
        self.fix_headlines = fix_headlines
        self.gazetteer = GazetteerFinder(nlp, self.lex) if use_gazetteer else None
        self.triggers = Triggers(nlp.vocab, {"head": set(HEAD_LABELS), "quoted": QUOTED_HEADS, "western": {"western"}})

    def __call__(self, doc: Doc) -> Doc:
        spans = [part for ent in doc.ents for part in trim(doc, ent)]
        lower_words = _lower_words(doc)
        text = doc_text(doc)  # (Doc.text joins every token: read it once)
        if self.fix_headlines:
            spans = fix_headline_spans(doc, spans, self.lex, lower_words, text)
        spans = combine(doc, split_listed_names(doc, spans), self._found(doc, spans))
        person_parts = {t.lower_ for s in spans if s.label_ == "PERSON" and len(s) > 1 for t in s}
        spans = [relabel(doc, s, self.lex, person_parts) for s in spans]
        spans = coordinate(doc, join_listed_portfolios(doc, spans), self.lex, person_parts)
        spans = [s for s in spans if not spurious(doc, s, self.lex, lower_words, person_parts, text)]
        # (What ``doc.ents = ...`` does, without first copying every span.)
        doc.set_ents(filter_spans(spans), default="outside")
        return doc

    def _found(self, doc: Doc, spans: list[Span]) -> list[Span]:
        found = list(self.gazetteer(doc)) if self.gazetteer else []
        triggers = self.triggers(doc)
        found += headed_names(doc, triggers["head"])
        found += quoted_agreements(doc, triggers["quoted"])
        places = {i for s in spans if s.label_ in PLACE_LABELS for i in range(s.start, s.end)}
        found += western_mentions(doc, triggers["western"], places)
        found += conjunct_names(doc, spans)
        return found


def _lower_words(doc: Doc) -> set[int]:
    """Hashes of the words the document writes in lower case (one array pass)."""
    arr = doc.to_array([LOWER, IS_LOWER])
    return set(arr[arr[:, 1] == 1, 0].tolist()) if len(arr) else set()


def trim(doc: Doc, ent: Span) -> list[Span]:
    """``ent`` without a leading "the"/punctuation and trailing possessive/punctuation.

    A mention running into a bracketed acronym ("Shanghai Cooperation Organization
    (SCO") becomes the name and the acronym, both with the mention's label.  Numeric
    mentions are returned unchanged; a mention with nothing left is dropped.
    """
    if ent.label_ in NUMERIC_LABELS:
        return [ent]
    start, end, parts = ent.start, ent.end, []
    bracket = "(" in span_text(ent)  # (else no token to look at)
    for i in range(start + 1, end if bracket else start + 1):
        if doc[i].text == "(":
            close = i + 2 if i + 2 <= end else end
            if close - i == 2 and doc[i + 1].is_upper:
                parts.append(Span(doc, i + 1, i + 2, label=ent.label_))
            end = i
            break
    while start < end and _strip_first(doc, start):
        start += 1
    while end > start and _strip_last(doc[end - 1]):
        end -= 1
    if start < end:
        parts.insert(0, ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_))
    return parts


def _strip_last(token) -> bool:
    if token.tag_ == "POS" or token.is_space or token.is_punct and token.text != ".":
        return True
    # "The Weakest Link tells": a verb the model ran into.
    return token.is_lower and token.pos_ in ("VERB", "AUX", "ADV", "ADP", "DET", "CCONJ", "PRON", "PART")


def _strip_first(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.is_punct or token.is_space or token.lower_ in ("a", "an"):
        return True
    if token.is_lower and token.lower_ not in NAME_CONNECTORS and i + 1 < len(doc) and doc[i + 1].is_title:
        return True  # "third Belt and Road Forum": an ordinary word before the name
    if token.tag_ in ("VBG", "VBD", "VBZ", "VBP", "VB") or token.is_sent_start and token.tag_ in ("RB", "IN"):
        return True  # "Comparing the Welsh Assembly Government": names do not start with a verb
    # A capitalised "The" inside a sentence belongs to the name ("told The Moscow Times").
    return token.lower_ == "the" and (token.text == "the" or token.is_sent_start or doc[i - 1].is_punct)


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_BREAK = re.compile(r"[a-z][.!?]\s+[A-Z]")


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of title-case lines: no final full stop, and at least three
    quarters of the (three or more) longer words capitalised.  String work only, so it
    costs nothing on body text."""
    ranges, pos = [], 0
    for line in text.split("\n"):
        stripped = line.rstrip()
        # A headline is one sentence without a full stop (a caption has several).
        if stripped and not stripped.endswith(".") and not _SENTENCE_BREAK.search(stripped):
            words = [w for w in _WORD.findall(stripped) if len(w) > 3]
            if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words):
                ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    return ranges


def fix_headline_spans(doc: Doc, spans: list[Span], lex: Lexicon, lower_words: set[int],
                       text: str | None = None) -> list[Span]:
    """Cut mentions in title-case headlines back to names the body uses.

    "Putin Arrives" → "Putin" (labelled as the body labels it); a mention with no
    known name inside is kept only if it is one word the body never writes in lower
    case.
    """
    heads = headline_lines(text if text is not None else doc_text(doc))
    if not heads:
        return spans
    in_head = {s.start for s in spans if any(a <= s.start_char < b for a, b in heads)}
    body_labels: dict[str, str] = {}
    for s in spans:
        if s.start not in in_head and s.label_ not in NUMERIC_LABELS:
            body_labels.setdefault(name_key(span_text(s)), s.label_)
    out = []
    for s in spans:
        if s.start not in in_head or s.label_ in NUMERIC_LABELS or name_key(span_text(s)) in body_labels:
            out.append(s)
            continue
        best = _known_subspan(doc, s, body_labels, lex)
        if best is not None:
            out.append(best)
        elif len(s) == 1 and s[0].lower not in lower_words:
            out.append(s)
    return out


def _known_subspan(doc: Doc, span: Span, body_labels: dict[str, str], lex: Lexicon) -> Span | None:
    for length in range(len(span) - 1, 0, -1):
        for start in range(span.start, span.end - length + 1):
            key = name_key(span_text(doc[start:start + length]))
            label = body_labels.get(key) or (lex.names[key].label if key in lex.names else None)
            if label:
                return Span(doc, start, start + length, label=label)
    return None


def split_listed_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Duchy of Lancaster and Duchy of Cornwall": two names the model read as one.

    A mention is split at "and" when both halves are named elsewhere in the text or
    begin with the same word ("Bosnia and Herzegovina" stays whole), and at a comma
    before a capitalised word ("House of Commons, European Parliament").
    """
    words = [span_text(s) for s in spans]
    texts = {name_key(w) for w in words}
    out = []
    for span, text in zip(spans, words):
        if len(span) < 3 or " and " not in text and "," not in text:
            out.append(span)
            continue
        cut = next((t.i for t in span if t.lower_ in ("and", ",") and span.start < t.i < span.end - 1), None)
        if cut is not None and span.label_ not in NUMERIC_LABELS:
            left, right = doc[span.start:cut], doc[cut + 1:span.end]
            if (name_key(span_text(left)) in texts and name_key(span_text(right)) in texts
                    or left[0].lower_ == right[0].lower_ and len(left) > 1
                    or doc[cut].text == "," and span.label_ in _LISTABLE and right[0].is_title):
                out += [Span(doc, left.start, left.end, label=span.label_),
                        Span(doc, right.start, right.end, label=span.label_)]
                continue
        out.append(span)
    return out


def combine(doc: Doc, spans: list[Span], found: list[Span]) -> list[Span]:
    """Merge rule-found names into the model's mentions.

    A found name replaces the mentions it contains, trims a numeric mention it ends
    ("Last week's BRI"), and splits a mention whose other words are connectors,
    descriptors or other found names ("Gazprom and Rosneft"); otherwise the model's
    longer mention wins ("BBC Radio 4" keeps "BBC" inside it).
    """
    found_at: dict[int, list[Span]] = {}
    for f in found:
        for i in range(f.start, f.end):
            found_at.setdefault(i, []).append(f)
    # (start, end, span) triples: Span attribute access is slow enough to matter here.
    current = [(s.start, s.end, s) for s in spans]
    for cand in sorted(found, key=lambda s: (-(s.end - s.start), s.start)):
        c_start, c_end = cand.start, cand.end
        clash = [s for start, end, s in current if start < c_end and c_start < end]
        if not clash:
            current.append((c_start, c_end, cand))
            continue
        keep_cand = True
        replaced = []

        def elsewhere(i: int) -> bool:
            # Token i belongs to another found name that lies clear of cand.
            return any(f.end <= cand.start or f.start >= cand.end for f in found_at.get(i, ()))

        for s in clash:
            if cand.start <= s.start and s.end <= cand.end:
                replaced.append(s)
            elif s.label_ in NUMERIC_LABELS and (s.start < cand.start or s.end > cand.end):
                replaced.append(s)
                rest = Span(doc, s.start, cand.start, label=s.label_) if s.start < cand.start else None
                if rest is not None and rest.text.strip():
                    current.append((rest.start, rest.end, rest))
            elif all(cand.start <= i < cand.end or elsewhere(i) or _connector(doc, i)
                     for i in range(s.start, s.end)):
                replaced.append(s)
            else:
                keep_cand = False
        if keep_cand:
            gone = {id(r) for r in replaced}
            current = [t for t in current if id(t[2]) not in gone] + [(c_start, c_end, cand)]
    return [s for _, _, s in current]


def _connector(doc: Doc, i: int) -> bool:
    token = doc[i]
    return token.is_punct or token.tag_ == "POS" or token.lower_ in NAME_CONNECTORS \
        or token.is_lower and token.lower_ in _DESCRIPTOR_WORDS


def relabel(doc: Doc, span: Span, lex: Lexicon, person_parts: set[str]) -> Span:
    """``span`` with its label corrected (the same span when nothing applies)."""
    label = span.label_
    if label in NUMERIC_LABELS or label == "LANGUAGE":
        return span
    new = _label_by_rule(doc, span, lex, person_parts) or label
    end = span.end
    if new == "PERSON" and len(span) == 1 and span.start > 0 and doc[span.start - 1].lower_ in PEER_TITLES \
            and doc[span.start - 1].is_title:
        # "Baroness Scotland", "Lord Ashcroft": the peerage is the name.
        return Span(doc, span.start - 1, span.end, label="PERSON")
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.is_lower and new in _NAMED_THING_LABELS \
            and name_key(span_text(span)) not in lex.names:
        # "Global Civilisation initiative": the lower-case head is part of the name.
        head_label = HEAD_LABELS.get(nxt.lower_)
        if head_label in ("INITIATIVE", "AGREEMENT", "EVENT"):
            new, end = head_label, end + 1
        elif _project_follows(doc, end):
            new = "FAC" if _route(span, lex) else "PROJECT"
            if new == "FAC":
                end = _descriptor_end(doc, end)
    if new == label and end == span.end:
        return span
    return Span(doc, span.start, end, label=new)


def _label_by_rule(doc: Doc, span: Span, lex: Lexicon, person_parts: set[str]) -> str | None:
    label, text, last = span.label_, span_text(span), span[-1]
    key = name_key(text)
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_.rstrip(".") in HONORIFICS and prev.text[:1].isupper():
        return "PERSON"  # "Mr Clarke", "Baroness Scotland": whatever the name, a person
    entry = lex.names.get(key)
    if entry is not None and not (label == "PERSON" and entry.label == "GPE" and key in person_parts):
        return entry.label  # (a place name that is also this text's surname stays a person)
    if key in lex.demonyms:
        return "NORP"
    if len(span) > 1 and span[0].lower_.rstrip(".") in HONORIFICS and span[1].text[:1].isupper():
        return "PERSON"  # "Mr Balls", "Ms Sturgeon"
    if len(span) > 2 and span[0].lower_ in ROYAL_TITLES and span[0].is_title and span[1].lower_ == "of":
        return "PERSON"  # "Prince of Wales", "Duke of Edinburgh"
    if prev is not None and label != "PERSON" and last.lower_ not in ORG_HEADS and prev.lower_ in TITLE_WORDS \
            and prev.is_title:
        return "PERSON"  # "Cardinal Murphy-O'Connor", "President Carter"
    if len(span) == 1 and last.lower_.endswith("shire") and len(last) > 6:
        return "GPE"  # "Herefordshire", "Gloucestershire"
    if len(span) > 1 and last.lower_ in POST_NOMINALS and span[-2].is_title:
        return "PERSON"  # "Guy Mansfield QC"
    if label != "PERSON" and _personal_name(span, lex):
        return "PERSON"  # "Vincent Cable", "Michael Cockerell" read as ORG
    if len(span) > 1 and last.is_title and last.lower_ in HEAD_LABELS and label != "PERSON":
        return HEAD_LABELS[last.lower_]
    if last.lower_ in ORG_HEADS and label in _ORG_READ_LABELS:
        return "ORG"
    if re.fullmatch(r"g-?\d{1,2}", key):
        return "ORG"
    if label == "PERSON" and len(text) > 1 and text.replace(".", "").isupper():
        return "ORG"  # acronyms name organisations, not people
    if label == "PERSON" and span.start > 0 and doc[span.start - 1].is_lower \
            and doc[span.start - 1].lower_ in ORG_CLASSIFIERS:
        return "ORG"  # "internet watchdog Roskomnadzor"
    if label in ("PERSON", "WORK_OF_ART", "PRODUCT") and _media_name(doc, span):
        return "ORG"  # "The Insider", "told The Moscow Times"
    if label == "PERSON" and len(span) == 1 and span.start > 0 and doc[span.start - 1].lower_ in _LOCATIVE \
            and span[0].lower_ not in person_parts:
        return "GPE"
    return None


def _personal_name(span: Span, lex: Lexicon) -> bool:
    """Two or three capitalised words starting with a known given name and not headed
    like an organisation, a building or a named thing."""
    words = [t for t in span if not t.is_punct]
    if not 2 <= len(words) <= 3 or not all(t.text[:1].isupper() and not t.is_upper for t in words):
        return False
    last = words[-1].lower_
    return words[0].lower_ in lex.given_names and last not in ORG_HEADS and last not in FAC_HEADS \
        and last not in HEAD_LABELS and last not in _MEDIA_HEADS


def _media_name(doc: Doc, span: Span) -> bool:
    if span[-1].lower_ in _MEDIA_HEADS and len(span) > 1:
        return True
    if span.label_ == "PERSON":
        return False  # people are told things too
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    two_before = doc[span.start - 2:span.start].text.lower() if span.start > 1 else ""
    return before in _MEDIA_VERBS or two_before == "according to"


def coordinate(doc: Doc, spans: list[Span], lex: Lexicon, person_parts: set[str]) -> list[Span]:
    """Give a lone unknown word in a list the type of the names listed with it.

    "Manchester, Liverpool, Leicester and Torbay": conjuncts are of one kind, so a
    one-word PERSON or ORG among two or more places (or one, after "in": "in Guildford
    and Woolwich") is a place too.
    """
    label_at = {s.root.i: s.label_ for s in spans}
    out = []
    for span in spans:
        if len(span) == 1 and span.label_ in ("PERSON", "ORG") and span[0].lower_ not in person_parts \
                and name_key(span_text(span)) not in lex.names:
            others = [label_at.get(t.i) for t in span.root.conjuncts]
            places = sum(lab in PLACE_LABELS for lab in others)
            first = min([span.root.i] + [t.i for t in span.root.conjuncts])
            after_locative = first > 0 and doc[first - 1].lower_ in _LOCATIVE
            if (places >= 2 or places and after_locative) and "PERSON" not in others:
                span = Span(doc, span.start, span.end, label="GPE")
        out.append(span)
    return out


def join_listed_portfolios(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Department for Education and Skills": the model stops the name at "and".

    An organisation name ending in "for/of X" followed by "and" and a one-word name
    of no other mention is one name.
    """
    by_start = {s.start: s for s in spans}
    out, skip = [], set()
    for span in sorted(spans, key=lambda s: s.start):
        if span.start in skip:
            continue
        nxt = by_start.get(span.end + 1)
        if span.label_ == "ORG" and nxt is not None and len(nxt) == 1 and doc[span.end].lower_ == "and" \
                and any(t.lower_ in ("for", "of") for t in span) and span[0].lower_ in ORG_HEADS \
                and sum(s.text == nxt.text for s in spans) == 1:
            span = Span(doc, span.start, nxt.end, label="ORG")
            skip.add(nxt.start)
        out.append(span)
    return out


def _project_follows(doc: Doc, i: int) -> bool:
    while i < len(doc) and doc[i].is_lower and doc[i].lower_ in PROJECT_MODIFIERS:
        i += 1
    return i < len(doc) and doc[i].lower_ in PROJECT_HEADS


def _descriptor_end(doc: Doc, i: int) -> int:
    while i < len(doc) and doc[i].is_lower and doc[i].lower_ in _DESCRIPTOR_WORDS:
        i += 1
    return i


def _route(span: Span, lex: Lexicon) -> bool:
    """A name made of places joined by a hyphen ("Central Asia-China")."""
    parts = [p for p in re.split(r"\s*-\s*", span_text(span)) if p]
    return len(parts) > 1 and all(name_key(p) in lex.names for p in parts)


def spurious(doc: Doc, span: Span, lex: Lexicon, lower_words: set[int], person_parts: set[str],
             text: str | None = None) -> bool:
    """True for mentions that are no entity at all (see step 5 of the module docstring).

    ``lower_words`` are the words the document writes in lower case; ``person_parts``
    the words of its multi-word person names (never dropped as sentence openers);
    ``text`` is ``doc.text`` when the caller has it.
    """
    label = span.label_
    if label in NUMERIC_LABELS:
        return False
    if text is None:
        text = doc_text(doc)
    words = text[span.start_char:span.end_char]  # span.text
    key = name_key(words)
    if not key or key in NOT_NAMES or _INITIALS.match(words) and key not in lex.names:
        return True
    if _credit(text, span, words):
        return True  # "Artyom Ivanov / TASS", "Photo: AFP": a picture credit, not the story
    if key in lex.names or key in lex.demonyms:
        return False
    if label == "NORP" and (key.startswith(("anti-", "pro-", "non-", "ex-")) or _relational(key, lex)):
        return True
    if all(t.lower_.rstrip(".") in HONORIFICS or t.lower_ in TITLE_WORDS for t in span):
        return True  # "Cardinal", "Mr": a title without its name
    if not any(t.text[:1].isupper() or t.is_digit for t in span) and not _quoted(doc, span):
        return True  # "shop workers": names are capitalised
    if label == "PERSON" and span[-1].lower_.rstrip(".") in HONORIFICS:
        return True  # "Tory Treasurer Lord": a title with the name cut off
    if label != "PERSON" and _title_fragment(doc, span):
        return True
    if len(span) == 1 and span[0].pos_ == "ADJ" and label != "NORP" and not span[0].is_upper:
        return True  # "it was very Draconian"
    if len(span) == 1 and span[0].tag_ == "NNS" and label != "NORP":
        return True  # "Groups", "MPs": a plural common noun
    return len(span) == 1 and _sentence_opener(doc, span[0]) and not span[0].is_upper \
        and span[0].lower_ not in person_parts \
        and (span[0].pos_ in ("ADJ", "ADV", "VERB") or span[0].lower in lower_words)


_CREDIT_CUE = re.compile(r"\b(?:photo|photograph|image|picture|credit|courtesy)\s*(?::|by\b)[^.]*$", re.I)


def _credit(text: str, span: Span, words: str) -> bool:
    """A name in a picture credit: next to a slash ("Name / AGENCY", "AP/TT"), or after
    "Photo:"/"Image:" on the same line.  (Plain string checks: this runs on every mention;
    ``words`` is the span's text.)"""
    if "/" in words or text[span.end_char:span.end_char + 3].lstrip(" ").startswith("/"):
        return True
    before = text[max(span.start_char - 40, 0):span.start_char]
    if before.rstrip(" ").endswith("/"):
        return True
    return bool(_CREDIT_CUE.search(before.rsplit("\n", 1)[-1]))


def _quoted(doc: Doc, span: Span) -> bool:
    return span.start > 0 and doc[span.start - 1].text in "\"'“‘"


def _relational(key: str, lex: Lexicon) -> bool:
    """"sino-russian", "russian-chinese": adjectives of a relation, not a people."""
    parts = key.split("-")
    return len(parts) > 1 and all(p in lex.demonyms or p in _COMBINING_FORMS for p in parts)


def _title_fragment(doc: Doc, span: Span) -> bool:
    """A portfolio inside a job title: "Defence" Minister, Secretary of "State"."""
    if span[-1].lower_ in ORG_HEADS:
        return False  # a real body: "Foreign Ministry spokesman"
    nxt = doc[span.end] if span.end < len(doc) else None
    portfolio = all(t.lower_ in PORTFOLIO_WORDS or t.lower_ in NAME_CONNECTORS for t in span)
    if portfolio and nxt is not None and nxt.lower_ in _TITLE_OR_ROLE:
        return True  # "Home Affairs spokesman"
    if nxt is not None and nxt.lower_ in _TITLE_OR_ROLE and not nxt.is_lower:
        return True
    if nxt is not None and nxt.lower_ in ("secretary", "minister"):
        return True
    prev = doc[span.start - 2:span.start] if span.start > 1 else None
    return prev is not None and prev[1].lower_ in ("of", "for") and prev[0].lower_ in (
        "secretary", "minister", "undersecretary", "under-secretary")


def _sentence_opener(doc: Doc, token) -> bool:
    if token.is_sent_start or token.i == 0:
        return True
    prev = doc[token.i - 1]
    return prev.is_punct and prev.text in "\"'“‘:(—–-"


@Language.factory(
    "dyad_entity_rules",
    default_config={"fix_headlines": True, "use_gazetteer": True},
    assigns=["doc.ents"],
    requires=["doc.ents", "token.tag", "token.pos", "token.is_sent_start"],
)
def make_entity_rules(nlp: Language, name: str, fix_headlines: bool, use_gazetteer: bool) -> EntityRules:
    """Factory for :class:`EntityRules` (after ``ner``)."""
    return EntityRules(nlp, fix_headlines=fix_headlines, use_gazetteer=use_gazetteer)
