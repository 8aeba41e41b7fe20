"""A quantity's context from the parse: what it measures, its period, who claims it, its status.

All four read the dependency tree around the quantity's *root*, the token through
which the quantity hangs in the sentence ("billion" in "reached nearly US$200
billion", "agreements" in "10 jointly signed agreements").
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from dyad.model import DateRef, Entity, Quote
from dyad.nlp import figure_lexicon as lex
from dyad.nlp.entities import entity_at, nearest_person_before
from dyad.nlp.figure_grammar import Quantity

_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_NP_LEFT = frozenset({"amod", "compound", "nmod", "poss", "nummod", "advmod", "quantmod", "npadvmod"})
_NP_RIGHT_PREPS = frozenset({"of", "between", "to", "in", "from", "for", "with", "on"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_CHANGE_LEMMAS = frozenset({"rise", "increase", "grow", "fall", "drop", "decline", "jump", "climb", "up",
                            "down", "cut", "reduce", "double", "surge", "soar", "slump", "shrink", "expand",
                            "gain", "lose", "decrease", "plunge", "raise", "lower", "boost"})
# Clauses that add to a report without being its content.
_NOT_REPORTED = frozenset({"advcl", "npadvmod"})
# Prepositions that introduce an argument of the predicate ("rise *by* 5%", "reach *to*").
_ARG_PREPS = frozenset({"to", "by", "at", "of", "around", "about", "over", "above", "than", "from", "up",
                        "under", "below", "for"})


def quantity_root(doc: Doc, q: Quantity) -> Token:
    """The token through which the quantity attaches to the rest of the sentence."""
    if q.noun is not None:
        return doc[q.noun]
    inside = range(q.start, q.end)
    heads = [t for t in doc[q.num_start:q.end] if t.head.i not in inside or t.head.i == t.i]
    return heads[-1] if heads else doc[q.num_end - 1]


# --- measure -----------------------------------------------------------------------


def measure(doc: Doc, q: Quantity, root: Token) -> str | None:
    """What the figure measures, as a noun phrase from the parse."""
    skip = set(range(q.start, q.end)) - {q.noun}
    if q.noun is not None:
        return noun_phrase(doc[q.noun], skip)
    head = root.head
    if root.dep_ in ("nummod", "compound", "amod", "quantmod", "nmod", "npadvmod") and head.i > root.i \
            and head.pos_ in ("NOUN", "PROPN"):
        phrase = noun_phrase(head, skip)
        return f"duration of {phrase}" if q.kind == "time" and phrase else phrase
    for child in root.children:
        if q.kind == "time" and child.dep_ == "prep" and child.lower_ in ("since", "after", "of"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:  # "two years since the invasion", "10 years of the initiative"
                phrase = noun_phrase(obj, skip)
                return f"time {child.lower_} {phrase}" if child.lower_ != "of" else f"duration of {phrase}"
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                phrase = noun_phrase(obj, skip)
                return f"share of {phrase}" if q.kind == "percent" and phrase else phrase
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return noun_phrase(root.head.head, skip)
    return _subject_measure(doc, root, skip)


def _subject_measure(doc: Doc, root: Token, skip: set[int]) -> str | None:
    """The subject of the predicate the figure completes ("trade ... has reached $200bn")."""
    change = False
    verb = root
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
        change = change or verb.lemma_.lower() in _CHANGE_LEMMAS
    change = change or verb.lemma_.lower() in _CHANGE_LEMMAS
    subject = _subject(verb)
    if subject is None and verb.dep_ in ("xcomp", "ccomp", "conj", "advcl"):
        subject = _subject(verb.head)
    if subject is None or subject.dep_ == "expl":
        return None
    if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
        subject = _antecedent(verb.head)
    phrase = noun_phrase(subject, skip)
    return f"change in {phrase}" if change and phrase else phrase


def _antecedent(tok: Token) -> Token:
    """The noun a relative clause describes.  The parser often hangs the clause on the
    last name of a phrase ("the volume of trade between Russia and China, which has
    reached"); a name does not reach an amount, so climb to the common noun above."""
    cur = tok
    while cur.ent_type_ in _NAME_LABELS and cur.dep_ in ("pobj", "conj") and cur.head.i != cur.i:
        cur = cur.head
        if cur.dep_ == "prep":
            cur = cur.head
    return cur if cur.pos_ == "NOUN" else tok


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECTS), None)


def noun_phrase(noun: Token, skip: set[int] | None = None, limit: int = 14) -> str | None:
    """A noun with its modifiers, "of"-phrases and conjuncts; no determiner, no relative clause."""
    skip = skip or set()
    left = noun.i
    for child in noun.lefts:
        if child.dep_ in _NP_LEFT:
            left = min(left, child.left_edge.i)
    right = noun.i
    for child in noun.rights:
        if not (child.dep_ == "prep" and child.lower_ in _NP_RIGHT_PREPS or child.dep_ in ("conj", "cc")):
            continue
        stop = next((t for t in child.subtree if t.i in skip or t.ent_type_ == "DATE"), None)
        if stop is not None:  # the figure itself, or a date ("deal in 2023"): not part of what is measured
            right = max(right, stop.i - 1) if stop.ent_type_ != "DATE" else right
            break
        right = max(right, child.right_edge.i)
    tokens = [t for t in noun.doc[left:right + 1] if t.i not in skip]
    cut = next((k for k, t in enumerate(tokens) if t.i > noun.i and t.text in {",", "(", ";", ":", "–", "—"}),
               None)
    tokens = tokens[:cut][:limit]
    while tokens and (tokens[0].dep_ in ("det", "punct", "cc") or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ in ("ADP", "DET", "PUNCT", "CCONJ", "AUX", "PRON", "SCONJ", "PART"):
        tokens = tokens[:-1]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return text or None


# --- status ------------------------------------------------------------------------


def status(doc: Doc, q: Quantity, root: Token) -> str:
    """``forecast`` (modal, "expected to"), ``target`` ("aims to", "a target of") or ``actual``."""
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in lex.TARGET_LEMMAS:
        return "target"
    predicate = _predicate(root)
    if predicate is None:
        return "actual"
    if _has_modal(predicate) or predicate.lemma_.lower() in lex.FORECAST_LEMMAS - {"set", "estimate"}:
        return "forecast"
    if predicate.lemma_.lower() in lex.TARGET_LEMMAS:
        return "target"
    governor = predicate.head if predicate.dep_ == "xcomp" else None
    if governor is not None:
        lemma = governor.lemma_.lower()
        if lemma in lex.TARGET_LEMMAS:
            return "target"
        if lemma in lex.FORECAST_LEMMAS or _has_modal(governor) or lemma == "go" and governor.tag_ == "VBG":
            return "forecast"
    return "actual"


def _predicate(root: Token) -> Token | None:
    """The verb the figure is an argument of; None when it sits in an adjunct ("during his visit")."""
    cur = root
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.dep_ == "prep" and cur.lower_ not in _ARG_PREPS:
            return None
        if cur.pos_ in ("VERB", "AUX") or cur.tag_ == "JJ" and cur.dep_ in ("acomp", "ROOT"):
            return cur
    return None


def _has_modal(verb: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in lex.MODALS for c in verb.children)


# --- period ------------------------------------------------------------------------


def period(doc: Doc, q: Quantity, root: Token, dates: list[DateRef], durations: list[tuple[int, int]],
           default: str | None, resolved: bool = True) -> str | None:
    """The time the figure refers to: the nearest date in the parse tree, else ``default``.

    ``dates`` are the sentence's date expressions; ``durations`` the character spans
    of the sentence's duration figures (a date overlapping one is a stretch of time,
    "the nearly two years", and is given as written).  ``resolved`` says whether
    ``dyad_dates`` resolved the dates (a value of None then means "not a date").
    """
    lo, hi = doc[q.start].idx, doc[q.end - 1].idx + len(doc[q.end - 1])
    best, best_key = None, None
    for ref in dates:
        if ref.start < hi and lo < ref.end:
            continue
        span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is None or _is_baseline(span.root):
            continue
        if resolved and ref.value is None and not _is_stretch(span):
            continue  # an unresolved expression ("six months old", "monthly") is no period
        key = (_tree_distance(root, span.root), abs(span.root.i - root.i))
        if best_key is None or key < best_key:
            best, best_key = (ref, span), key
    if best is None:
        return default
    ref, span = best
    return _period_text(ref, span, any(s < ref.end and ref.start < e for s, e in durations))


def _period_text(ref: DateRef, span: Span, is_duration: bool) -> str:
    prep = span.root.head if span.root.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in lex.PERIOD_PREPS and prep.i < span.start:
        return f"{prep.lower_} {ref.text}"
    text = ref.text[4:] if ref.text.lower().startswith("the ") else ref.text
    if not is_duration and ref.value:
        return ref.value
    return text


def _is_stretch(span: Span) -> bool:
    """A stretch of time given as an adjunct: "in the nearly two years since", "over the past decade"."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in lex.STRETCH_PREPS


def _is_baseline(date_root: Token) -> bool:
    """A comparison point ("compared to 2022", "than in 2019", "from 2020") is not the period."""
    for k, anc in enumerate(date_root.ancestors):
        if k >= 3:
            break
        if anc.lower_ in lex.BASELINE_PREPS or anc.lemma_.lower() == "compare":
            return True
    return False


def _tree_distance(a: Token, b: Token) -> int:
    depth = {a.i: 0}
    for k, anc in enumerate(a.ancestors, 1):
        depth[anc.i] = k
    for k, anc in enumerate([b, *b.ancestors]):
        if anc.i in depth:
            return depth[anc.i] + k
    return 99


def sentence_dates(dates: list[DateRef], starts: list[int], sent: Span) -> list[DateRef]:
    """The dates (sorted by start, ``starts`` their start offsets) inside one sentence."""
    i = bisect_right(starts, sent.start_char - 1)
    out = []
    while i < len(dates) and dates[i].start < sent.end_char:
        out.append(dates[i])
        i += 1
    return out


# --- attribution -------------------------------------------------------------------


def attribution(doc: Doc, sent: Span, root: Token, quote: Quote | None) -> str | None:
    """Who states the figure: the enclosing quote's speaker, "according to X", or the
    subject of a reporting verb the figure depends on ("..., Gabuev said")."""
    if quote is not None and (quote.speaker or quote.speaker_entity is not None):
        return _quote_speaker(doc, quote)
    for tok in sent:
        if tok.lower_ == "according":
            obj = next((g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return name_of(doc, obj)
    prev, in_clause = root, True
    for anc in root.ancestors:
        if in_clause and anc.dep_ == "prep" and anc.lower_ not in _ARG_PREPS:
            return None  # a time or place adjunct ("In the nearly two years since ...") is the writer's frame
        in_clause = in_clause and anc.pos_ not in ("VERB", "AUX")
        if _is_reporting(anc) and prev.dep_ not in _SUBJECTS:
            return _reporter(doc, anc)
        if anc.dep_ in _NOT_REPORTED:
            return None  # "..., prompting unions representing 4.5m workers to ..." is not what was said
        prev = anc
    for child in sent.root.children:
        if child.dep_ == "parataxis" and _is_reporting(child):
            return _reporter(doc, child)
    return None


def _is_reporting(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in lex.REPORTING_LEMMAS and lemma not in lex.REPORTING_NEEDS:
        return False
    needs = lex.REPORTING_NEEDS.get(lemma)
    return needs is None or any(c.lower_ in needs for c in tok.children)


def _reporter(doc: Doc, verb: Token) -> str | None:
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:  # passive with an agent: "was estimated by the IMF"
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return name_of(doc, subject) if subject is not None else None


def name_of(doc: Doc, tok: Token) -> str | None:
    """The full name of the person or body a token refers to, or None for a common noun."""
    if tok.lower_ in ("he", "she", "him", "her"):
        person = nearest_person_before(doc, tok.idx)
        return person.canonical if person is not None else None
    for cand in (tok, *(c for c in tok.children if c.dep_ in ("appos", "compound"))):
        entity = entity_at(doc, cand.idx, cand.idx + len(cand))
        if entity is not None and entity.label in _NAME_LABELS:
            return entity.canonical
    if tok.ent_type_ in _NAME_LABELS:
        return tok.text
    return None


def _quote_speaker(doc: Doc, quote: Quote) -> str | None:
    entities: list[Entity] = doc._.entities or []
    if quote.speaker_entity is not None:
        entity = next((e for e in entities if e.id == quote.speaker_entity), None)
        if entity is not None:
            return entity.canonical
    speaker = quote.speaker
    if speaker:
        key = speaker.casefold()
        for entity in entities:
            if entity.canonical.casefold() == key or any(m.text.casefold() == key for m in entity.mentions):
                return entity.canonical
    return speaker


def quote_at(quotes: list[Quote], starts: list[int], offset: int) -> Quote | None:
    """The quote (sorted by start, ``starts`` their starts) whose text holds ``offset``."""
    i = bisect_right(starts, offset) - 1
    return quotes[i] if i >= 0 and quotes[i].start <= offset < quotes[i].end else None
