"""Whether an event happened, is scheduled, is only hypothetical, or is denied.

The status comes from the grammar around the trigger, read from the trigger up
through the complements that embed it ("is *due to* meet", "*hopes to* secure",
"*denied* supplying", "can't be ruled out"):

- denied: negation without a modal ("did not", "was not mentioned"), a governor
  that denies or stops short ("denied", "failed to", "stopping short of"), or a
  nominal under "no" / "lack of";
- hypothetical: a modal ("would", "could", "may have"), a conditional ("if"),
  a governor of wish or attempt ("hopes to", "seeks to", "is likely to"), or a
  nominal qualified as possible or prospective;
- scheduled: "will", a governor of arrangement ("is due to", "is scheduled to",
  "plans to", "awaits"), "upcoming", or an explicit date after publication;
- happened: everything else.
"""

from __future__ import annotations

from spacy.tokens import Token

from dyad.nlp.date_tense import FUTURE_AUX
from dyad.nlp.event_lexicon import lemma_forms, lemma_of

HAPPENED, SCHEDULED, HYPOTHETICAL, DENIED = "happened", "scheduled", "hypothetical", "denied"

MODALS = frozenset({"would", "could", "might", "may", "should", "can", "must", "ought", "'d"})
DENY_GOVERNORS = frozenset({"deny", "fail", "stop", "avoid", "decline", "refrain", "cease", "abandon",
                            "rule", "neglect", "omit"})
# "tried to", "attempted to" report an attempt that did take place: not listed.
HYPOTHETICAL_GOVERNORS = frozenset({"hope", "want", "wish", "aim", "intend", "consider",
                                    "propose", "like", "likely", "unlikely", "able", "possible", "may", "seem",
                                    "mull", "weigh", "contemplate", "threaten", "offer", "suggest", "urge", "ask",
                                    "call", "demand", "need", "push", "press", "could", "ready", "willing", "keen",
                                    "eager", "oblige", "obliged", "require", "required", "supposed"})
SCHEDULED_GOVERNORS = frozenset({"schedule", "due", "set", "plan", "expect", "prepare", "await", "promise", "pledge",
                                 "vow", "agree", "decide", "commit", "slate", "go", "poise", "be"})
REPORTING = frozenset({"say", "tell", "announce", "state", "add", "report", "claim", "confirm", "insist", "write",
                       "note", "explain", "declare", "indicate", "reveal"})
# Qualifiers on an event nominal.
SCHEDULED_ADJS = frozenset({"upcoming", "forthcoming", "planned", "scheduled", "next", "future", "impending",
                            "expected", "pending", "awaited", "long-awaited"})
HYPOTHETICAL_ADJS = frozenset({"possible", "potential", "proposed", "prospective", "hypothetical", "likely",
                               "mooted", "rumoured", "rumored", "putative"})
DENIED_HEADS = frozenset({"lack", "absence", "failure", "collapse", "breakdown"})
HYPOTHETICAL_HEADS = frozenset({"prospect", "possibility", "hope", "chance", "plan", "proposal", "idea", "debate",
                                "will", "bid", "attempt", "effort", "call", "calls", "demand", "threat", "talk",
                                "risk", "option", "offer", "push", "desire", "wish", "right", "power", "ability",
                                "freedom", "permission", "authority", "opportunity", "way", "means", "need"})
# Relations from an event nominal up to the word it is an argument of.
_ARGUMENT_DEPS = frozenset({"prep", "pobj", "dobj", "attr", "oprd", "nsubj", "nsubjpass", "poss", "compound", "conj",
                            "appos", "dative", "npadvmod", "pcomp", "amod", "nmod"})
# Prepositions that introduce a verb's complement ("stopping short *of* supplying",
# "refrained *from* attacking"); "by", "while", "after" introduce adjuncts, whose
# event keeps its own status.
_COMPLEMENT_PREPS = frozenset({"of", "from", "to", "into", "on", "about", "against", "in", "at"})
# Prepositions that make a nominal an argument of the verb above ("hopes *for* a
# deal", "the conclusion *of* agreements").
_ARGUMENT_PREPS = frozenset({"of", "to", "on", "from", "for", "with", "about", "against", "into", "over", "as"})
_TEMPORAL_PREPS = frozenset({"before", "after", "while", "when", "upon", "since"})
_MAX_WALK = 10


def event_status(anchor: Token, nominal: Token | None = None) -> str:
    """The status of the event anchored on ``anchor`` (its verb, or its nominal).

    ``nominal`` is the event nominal when there is one; its determiners and
    adjectives count too ("no agreement", "the upcoming summit").
    """
    cues = _Cues()
    if nominal is not None:
        cues.nominal(nominal)
    node: Token | None = anchor
    own = True
    if anchor.pos_ not in ("VERB", "AUX"):
        node, via_subject = _governor(anchor, cues)
        if node is None:
            return cues.decide(False)
        # A verb's meaning governs its complements, not its subject: "the talks
        # aim to ..." does not make the talks hypothetical.
        own = via_subject
    cues.verb(node, is_trigger=own)
    reported = False
    for _ in range(_MAX_WALK):
        above = _embedding(node, cues)
        if above is None:
            break
        reported = reported or (lemma_of(above) in REPORTING and above.tag_ == "VBD")
        cues.verb(above, is_trigger=False)
        node = above
    return cues.decide(reported)


def _governor(noun: Token, cues: _Cues) -> tuple[Token | None, bool]:
    """The verb or adjective an event nominal is an argument of, and whether as its subject.

    Head nouns met on the way are noted ("the *lack* of progress").
    """
    node = noun
    for _ in range(_MAX_WALK):
        if node.dep_ not in _ARGUMENT_DEPS or node.head == node:
            return None, False
        dep, node = node.dep_, node.head
        if dep == "conj" and node.pos_ in ("VERB", "AUX"):
            return None, False  # a noun "conjoined" to a clause: a parse slip, no governor
        if node.pos_ in ("VERB", "AUX", "ADJ"):
            return node, dep == "nsubj"
        if node.dep_ == "prep" and node.lower_ not in _ARGUMENT_PREPS:
            # An adjunct ("in the context of", "amid") keeps its own modality but
            # shares the clause's time: "is to join Blunkett in a visit" is ahead.
            if node.head.pos_ in ("VERB", "AUX"):
                cues.future_of(node.head)
            return None, False
        if node.pos_ in ("NOUN", "PROPN"):
            cues.head_noun(node)
    return None, False


def _embedding(verb: Token, cues: _Cues) -> Token | None:
    """The word whose complement ``verb``'s clause is, or None at a clause of its own."""
    dep, head = verb.dep_, verb.head
    if head == verb:
        return None
    if dep in ("xcomp", "acomp") or (dep == "dobj" and verb.tag_ == "VBG") or (
            dep == "ccomp" and head.pos_ in ("VERB", "AUX", "ADJ")):
        if dep == "ccomp" and _finite_clause(verb):
            cues.embedded = True  # negation or a modal above a that-clause does not bind it
        return head
    if dep == "pcomp" and head.dep_ == "prep" and head.lower_ in _COMPLEMENT_PREPS:
        above = head.head
        if above.pos_ in ("ADV", "ADJ") and above.dep_ in ("advmod", "acomp", "amod") and above.head != above:
            above = above.head  # "stopping short of supplying"
        return above if above.pos_ in ("VERB", "AUX", "ADJ") else None
    if dep == "pcomp" and head.dep_ == "prep" and head.lower_ in _TEMPORAL_PREPS and head.head.pos_ in ("VERB", "AUX"):
        cues.tense_of(head.head)  # "he will see X before chairing a meeting": same time frame
        return None
    if dep == "conj" and head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        # "would have overshadowed the summit and generated a reaction": the second
        # verb shares the first one's subject, auxiliaries and embedding.
        cues.verb(head, is_trigger=True)
        return _embedding(head, cues)
    if dep == "advcl" and _Cues.conditional_mark(verb):
        cues.hypothetical = True  # "if confirmed by a contract"
    if dep == "acl" and head.pos_ == "NOUN":
        cues.head_noun(head)  # "(no) plans for Blair to hold a news conference"
    return None


def _finite_clause(verb: Token) -> bool:
    """A full clause ("said *that* he had met"), not a bare infinitive ("make her refuse")."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("mark", "aux") and (c.lower_ in ("that", "whether", "if") or c.tag_ in ("MD", "VBD", "VBZ", "VBP"))
        for c in verb.children)


class _Cues:
    """Evidence gathered on the way up; :meth:`decide` weighs it."""

    def __init__(self) -> None:
        self.denied = self.negated = self.modal = self.hypothetical = False
        self.future = self.scheduled = self.would = self.embedded = False

    def nominal(self, noun: Token) -> None:
        """Determiners and adjectives of the event nominal ("no agreement", "the upcoming summit")."""
        for child in noun.children:
            lower = child.lower_
            if child.dep_ == "det" and lower == "no":
                self.denied = True
            elif child.dep_ in ("amod", "compound") and lower in SCHEDULED_ADJS:
                self.scheduled = True
            elif child.dep_ in ("amod", "compound") and lower in HYPOTHETICAL_ADJS:
                self.hypothetical = True

    def head_noun(self, noun: Token) -> None:
        """A noun the nominal depends on ("the *lack* of progress", "the *prospect* of a deal")."""
        lemma = lemma_of(noun)
        if lemma in DENIED_HEADS:
            self.denied = True
        elif lemma in HYPOTHETICAL_HEADS:
            self.hypothetical = True
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            self.denied = True

    def verb(self, verb: Token, is_trigger: bool) -> None:
        """Record the negation, auxiliaries and governing meaning of one verb or adjective."""
        forms = lemma_forms(verb)
        for child in verb.children:
            lower = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "advmod" and lower in ("never",)):
                # Negation above a "that"-clause does not deny what it reports.
                if not self.embedded:
                    self.negated = True
            elif child.dep_ in ("aux", "auxpass"):
                if lower in FUTURE_AUX:
                    self.future = not self.embedded or self.future
                elif lower in MODALS and not self.embedded:
                    self.modal = True
                    self.would = self.would or lower in ("would", "'d")
            elif child.dep_ == "mark" and lower in ("if", "unless", "whether"):
                self.hypothetical = True
        if is_trigger:
            return
        if forms & DENY_GOVERNORS:
            # "can't be ruled out" is a double negative: a possibility.
            if "rule" in forms and self.negated:
                self.hypothetical, self.negated = True, False
            else:
                self.denied = True
        elif forms & HYPOTHETICAL_GOVERNORS:
            self.hypothetical = True
        elif forms & SCHEDULED_GOVERNORS:
            self.scheduled = True

    def future_of(self, verb: Token) -> None:
        """Whether a clause lies ahead: "will", or "is to"/"is due to" above it."""
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children):
            self.future = True
        elif verb.dep_ == "xcomp" and lemma_forms(verb.head) & SCHEDULED_GOVERNORS:
            self.scheduled = True

    def tense_of(self, verb: Token) -> None:
        """Only the future or modal auxiliary of a clause this one is timed against."""
        for child in verb.children:
            if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
                self.future = True
            elif child.dep_ == "aux" and child.lower_ in MODALS:
                self.modal = True

    @staticmethod
    def conditional_mark(clause: Token) -> bool:
        """The clause opens with "if" or "unless"."""
        return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children)

    def decide(self, reported: bool) -> str:
        """The status the evidence supports; ``reported``: the walk passed a past reporting verb."""
        if self.denied or (self.negated and not self.modal and not self.hypothetical):
            return DENIED
        if self.would and reported and not self.hypothetical:
            return SCHEDULED  # "said he would visit": a reported "will"
        if self.modal or self.hypothetical:
            return HYPOTHETICAL
        if self.future or self.scheduled:
            return SCHEDULED
        return HAPPENED
