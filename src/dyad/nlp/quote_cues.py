"""Attribution cues: which token of the sentence names the speaker of a quotation.

Candidates come best first, so the caller can take the first one that resolves to
a speaker:

1. a dependency walk from the quoted words up to a reporting verb ("X said",
   "said X", "X told Y", "X described it as '...'", "As X put it") and that verb's
   subject, following control (a participle's subject is its clause's subject),
   passives ("was quoted as saying", "described by X as") and possessors ("Beijing's
   bid to project itself as '...'");
2. a quoted verb phrase's own subject outside the marks (Thomas "totally condemned");
3. "according to X" in the same sentence;
4. for full quotations only, the words around the marks when the parser split the
   sentence: '"...," Krutikhin said.' as two sentences, 'X said: "..."', 'X: "..."';
5. for fragments, a possessive on the quoted noun phrase ("his 'dear friend'").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyad.nlp.quote_lexicon import (CUE_VERBS, GROUP_NOUNS, ORG_NOUNS, REGARD_VERBS, ROLE_NOUNS, SPEECH_NOUNS,
                                    SPEECH_VERBS)
from dyad.nlp.extensions import span_text
from dyad.nlp.quote_phrases import Sentences

_MAX_WALK = 14
_VERB_POS = frozenset({"VERB", "AUX"})
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# A reporting clause after the closing mark is short: '," Krutikhin said.' or
# '," said Mr Thomas, director of ...'.  The verb comes within the first few words.
_AFTER_FRAME_REACH = 6
# How many tokens around a quotation are searched for its reporting clause, and how
# many characters back for an open parenthetical.
_FRAME_REACH = 60
_PARENTHETICAL_REACH = 400
# A parenthetical dash has spaces round it, unlike the hyphen in "Russia-dominated".
_DASH_RE = re.compile(r"\s(?:[–—-]|--)\s")


@dataclass
class Candidate:
    """A token that may name the speaker, and the cue that points at it.

    A ``decisive`` candidate comes from the reporting verb that governs the quote:
    if it names nobody we can resolve ("one of her colleagues called all women
    'Betty'", "she was told: '...'"), the quote has an unnamed speaker and no
    other rule may give it one.  ``token`` is None when the verb has no speaker at
    all (a passive without "by").
    """

    token: Token | None
    cue: str
    decisive: bool = False


class CueFinder:
    """Find speaker candidates for quotations of one parsed Doc.

    ``quoted`` flags, per token, whether it lies inside some quotation (marks
    included); reporting verbs are never looked for inside quoted words.  ``text``
    is ``doc.text`` (read once by the caller: it is rebuilt on every access).
    """

    def __init__(self, doc: Doc, quoted: list[bool], text: str, sents: Sentences) -> None:
        self.doc = doc
        self.quoted = quoted
        self.text = text
        self.sents = sents

    def candidates(self, inner: Span, open_tok: Token, close_tok: Token | None, full: bool,
                   quoted_verbs: bool = True) -> Iterator[Candidate]:
        """Speaker candidates for the quoted words ``inner``, best first.

        ``quoted_verbs=False`` turns off rule 2 (used for headlines)."""
        anchors = [t for t in inner if t.head.i < inner.start or t.head.i >= inner.end or t.head.i == t.i]
        # A quoted sentence closed by its own full stop ends there: a reporting
        # clause after it belongs to the next quotation ('..." Harman told them: "...').
        closed = span_text(inner).rstrip("'’\"”")[-1:] in ".…"
        if full and self._colon_before(open_tok):
            yield from self._before_frame(open_tok)
        # The last anchor is nearest a following reporting clause; try it first.
        for anchor in sorted(anchors, key=lambda t: -t.i):
            yield from self._walk(anchor, inner, fragment=not full and quoted_verbs,
                                  stop=inner.end if closed else None)
        yield from self._according_to(inner)
        if full:
            if close_tok is not None and not closed:
                yield from self._after_frame(close_tok)
            yield from self._before_frame(open_tok)
        else:
            for anchor in anchors:
                for child in anchor.children:
                    if child.dep_ == "poss" and not self.quoted[child.i]:
                        yield Candidate(child, child.text)

    # ------------------------------------------------------------------ walk
    def _colon_before(self, open_tok: Token) -> bool:
        """'X said: "..."': a colon right before the opening mark."""
        i = open_tok.i - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        return i >= 0 and self.doc[i].text == ":"

    def _walk(self, anchor: Token, inner: Span, fragment: bool, stop: int | None) -> Iterator[Candidate]:
        """Up the tree from ``anchor`` to the first reporting verb (not past ``stop``)."""
        node, seen = anchor, 0
        quoted_verbs: list[Token] = []
        while seen < _MAX_WALK and (stop is None or node.i < stop):
            inside = inner.start <= node.i < inner.end
            if fragment and inside and node.pos_ in _VERB_POS:
                quoted_verbs.append(node)
            elif not inside and not self.quoted[node.i] and is_cue_verb(node) and not self._sealed_off(node, anchor):
                subject = subject_of(node)
                if subject is not None and inner.start <= subject.i < inner.end:
                    pass  # the quoted words do the telling ('the "MI6 agent" told him'): go on up
                elif subject is not None or _is_passive(node):
                    yield Candidate(subject, node.text, decisive=True)
                    return
            if node.head.i == node.i:
                break
            node, seen = node.head, seen + 1
        # No reporting verb: a quoted verb phrase was said by its subject outside the
        # marks (Thomas "totally condemned" the deletion).
        for verb in quoted_verbs:
            for child in verb.children:
                # Only a named subject: in 'if it does not "close too many doors"'
                # the words are not the pronoun's.
                if child.dep_ == "nsubj" and not self.quoted[child.i] and _names_someone(child):
                    yield Candidate(child, verb.text)

    def _sealed_off(self, verb: Token, anchor: Token) -> bool:
        """Is ``verb`` inside a dash or bracket parenthetical that ``anchor`` is outside of?

        A parenthetical cannot govern words outside it, whatever the parser attached
        ("Putin described the GEP - a concept Moscow has promoted as ... - as a
        'local' project": the quote is Putin's, not Moscow's).
        """
        v, a = verb.idx, anchor.idx
        # Parentheticals are short: look a few hundred characters back, not to the
        # start of a possibly enormous sentence.
        text, start = self.text, max(self.sents.of(verb).start_char, v - _PARENTHETICAL_REACH)
        lo, hi = sorted((v, a))
        dashes_between = len(_DASH_RE.findall(text, lo, hi))
        if v < a:
            dashes_before = len(_DASH_RE.findall(text, start, v))
            opened = text.count("(", start, v) - text.count(")", start, v)
            return (dashes_before % 2 == 1 and dashes_between > 0) or (opened > 0 and ")" in text[v:a])
        return dashes_between % 2 == 1 or text.count("(", a, v) > text.count(")", a, v)

    def _according_to(self, inner: Span) -> Iterator[Candidate]:
        sents = {self.sents.index(inner.start), self.sents.index(inner.end - 1)}
        for k in sorted(sents):
            sent = self.sents.span(k)
            if self.text.find("ccording to", sent.start_char, sent.end_char) < 0:
                continue
            lo, hi = max(sent.start, inner.start - _FRAME_REACH), min(sent.end, inner.end + _FRAME_REACH)
            for tok in self.doc[lo:hi]:
                if tok.lower_ == "according" and not self.quoted[tok.i] and tok.i + 1 < len(self.doc):
                    to = self.doc[tok.i + 1]
                    objs = [c for c in to.children if c.dep_ == "pobj"] if to.lower_ == "to" else []
                    if objs:
                        yield Candidate(objs[0], "according to")

    # ------------------------------------------------------------------ frames
    def _after_frame(self, close_tok: Token) -> Iterator[Candidate]:
        """'"...," Krutikhin said.' - the reporting clause right after the closing mark."""
        frame = self._frame_after(close_tok)
        owner = _speech_noun_owner(frame[:_AFTER_FRAME_REACH])
        if owner is not None:
            yield Candidate(owner, owner.head.text)
            return
        for k, tok in enumerate(frame):
            if k > _AFTER_FRAME_REACH or self.quoted[tok.i]:
                return
            if is_cue_verb(tok) and tok.lemma_.lower() in SPEECH_VERBS:
                subject = subject_of(tok) or _adjacent_name(frame, k)
                if subject is not None:
                    yield Candidate(subject, tok.text)
                return

    def _frame_after(self, close_tok: Token) -> list[Token]:
        doc = self.doc
        sent = self.sents.of(close_tok)
        frame = [t for t in doc[close_tok.i + 1:min(sent.end, close_tok.i + _FRAME_REACH)] if not t.is_punct]
        if frame or sent.end >= len(doc):
            return frame
        nxt = self.sents.of(doc[sent.end])
        if "\n" in span_text(doc[close_tok.i:nxt.start + 1]) or self.quoted[nxt.start]:
            return []
        return [t for t in nxt[:_FRAME_REACH] if not t.is_punct]

    def _before_frame(self, open_tok: Token) -> Iterator[Candidate]:
        """'X said: "..."', 'X told the BBC: "..."', 'X: "..."', 'His message was: "..."'."""
        doc = self.doc
        start = self.sents.of(open_tok).start
        if start == open_tok.i and start > 0 and self._colon_before(open_tok):
            start = self.sents.of(doc[start - 1]).start  # the parser ended the sentence at the colon
        start = max(start, open_tok.i - _FRAME_REACH)
        frame = [t for t in doc[start:open_tok.i] if not self.quoted[t.i]]
        if not frame or "\n" in span_text(doc[frame[0].i:open_tok.i]):
            return
        verbs = [t for t in frame if is_cue_verb(t) and t.lemma_.lower() in SPEECH_VERBS]
        if verbs:
            verb = verbs[-1]
            if _is_passive(verb) and subject_of(verb) is None:
                yield Candidate(None, verb.text, decisive=True)  # "she was told: '...'"
                return
            # Before the quote the speaker precedes the verb ("X told the BBC:").
            subject = subject_of(verb) or _adjacent_name(frame, frame.index(verb), after=False)
            if subject is not None:
                yield Candidate(subject, verb.text)
            return
        owner = _speech_noun_owner(frame)
        if owner is not None:
            yield Candidate(owner, owner.head.text)
            return
        if frame[-1].text == ":" and not any(t.pos_ in _VERB_POS for t in frame):
            names = [t for t in frame if t.ent_type_ in _SPEAKER_ENTS or t.pos_ == "PROPN"]
            if names:
                yield Candidate(names[-1], ":")


def is_cue_verb(tok: Token) -> bool:
    """A reporting or characterising verb ("put" only in "as X put it", "see" only in
    "see X as", "go" only in "went on:")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ not in _VERB_POS:
        return False
    if lemma == "go":
        return any(c.dep_ == "prt" and c.lower_ == "on" for c in tok.children)  # "he went on:"
    if lemma in REGARD_VERBS:
        return any(c.lower_ == "as" and c.dep_ == "prep" for c in tok.children)
    if lemma not in CUE_VERBS:
        return False
    return lemma != "put" or any(c.lower_ == "it" and c.dep_ == "dobj" for c in tok.children)


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """Who performs ``verb``: its subject, a passive's agent, or the controller of a
    subjectless participle or infinitive."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        named = [s for s in subjects if s.ent_type_ in _SPEAKER_ENTS]
        return (named or subjects)[0]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if agent is not None:
        return agent
    if passive or _is_passive(verb):
        # "X was quoted as saying": the passive subject is the speaker; in "being
        # told he was a 'nutter'" the teller is unnamed.
        return passive[0] if passive and verb.lemma_.lower() == "quote" else None
    if depth > 4 or verb.head.i == verb.i:
        return None
    head = verb.head
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "prep"):
        if verb.dep_ == "advcl" and head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_VERBS:
            # "He noted that they had met, describing it as ...": the describer is
            # the one who reports, not the subject of the reported clause.
            head = head.head
        return subject_of(head, depth + 1)
    if verb.dep_ in ("acl", "relcl"):
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None:
            return owner  # "Beijing's bid to project itself as ..."
    return None


def _names_someone(tok: Token) -> bool:
    """A subject that can speak: a named person, body or country, or a human noun
    ("critics"), not a thing ("the plans 'stink'")."""
    if tok.ent_type_ in _SPEAKER_ENTS:
        return True
    lemma = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and (lemma in GROUP_NOUNS or lemma in ROLE_NOUNS or lemma in ORG_NOUNS)


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _adjacent_name(frame: list[Token], k: int, after: bool = True) -> Token | None:
    """A name right before the verb, or right after it in an inverted '"...," said X',
    when the parse gave the verb no subject.  After "told"/"asked" the name is the
    hearer, never the speaker."""
    hearer_verb = frame[k].lemma_.lower() in ("tell", "ask", "inform", "urge", "warn")
    if after and not hearer_verb:
        for j in (k + 1, k + 2):
            if j < len(frame) and (frame[j].ent_type_ in _SPEAKER_ENTS or frame[j].lower_ in ("he", "she")):
                return frame[j]
    # Before the verb: the nearest name that is not inside a relative clause ("Ms
    # Dunwoody, who chairs the Transport Committee, says:").
    for j in range(k - 1, -1, -1):
        tok = frame[j]
        if tok.ent_type_ in _SPEAKER_ENTS and not any(a.dep_ == "relcl" for a in tok.ancestors):
            return tok
    return None


def _speech_noun_owner(frame: list[Token]) -> Token | None:
    """'His message to the chancellor was: "..."', '"...," was Mr Marr's assessment':
    the possessor of a noun of saying linked to the quote by "be"."""
    for tok in frame:
        if tok.lemma_.lower() in SPEECH_NOUNS and tok.dep_ in ("nsubj", "attr") and tok.head.lemma_ == "be":
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner
    return None
