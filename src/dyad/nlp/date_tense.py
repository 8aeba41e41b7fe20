"""The tense of the clause around a token, for resolving "on Tuesday" and "in March".

A date expression inherits its direction from the verb that governs it: past
clauses look back from the publication date, future ones look ahead.  The verb
is found by walking up the dependency tree; its auxiliaries and tag decide.
"""

from __future__ import annotations

from spacy.tokens import Token

PAST, FUTURE = "past", "future"

FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})
# "is due to meet", "is set to visit", "is scheduled to hold", "is expected to sign"
FUTURE_GOVERNORS = frozenset({"due", "set", "schedule", "expect", "plan", "intend", "prepare", "go", "poise",
                              "slate", "aim"})
# Words inside the date expression itself that point forward or back.
FUTURE_CUES = frozenset({"next", "later", "coming", "upcoming", "forthcoming"})
PAST_CUES = frozenset({"last", "earlier", "ago", "previous", "past"})
_MAX_WALK = 8


def governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary at or above ``token`` (None past the sentence root)."""
    node = token
    for _ in range(_MAX_WALK):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head == node:
            return None
        node = node.head
    return None


def verb_tense(verb: Token) -> str | None:
    """PAST, FUTURE or None (present or unknown) for one verb and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in FUTURE_AUX for a in auxes):
        return FUTURE
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return PAST
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return PAST
    # "is due to meet", "plans to visit": the infinitive looks ahead.
    if verb.dep_ == "xcomp" and verb.head.lemma_ in FUTURE_GOVERNORS:
        return FUTURE if verb_tense(verb.head) != PAST else PAST
    if verb.tag_ == "VBG" and verb.head != verb and verb.dep_ in ("advcl", "xcomp", "pcomp", "conj"):
        return verb_tense(verb.head)
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        # Present simple or progressive with a time expression is futurate in news
        # ("The summit opens on Monday", "He is meeting Xi on Friday").
        return FUTURE
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head != verb:
        return verb_tense(verb.head)
    return None


def span_tense(tokens: list[Token]) -> str | None:
    """The tense for a date expression made of ``tokens``: its own cues, else its verb's."""
    words = {t.lower_ for t in tokens}
    if words & FUTURE_CUES:
        return FUTURE
    if words & PAST_CUES:
        return PAST
    root = min(tokens, key=lambda t: len(list(t.ancestors)))
    verb = governing_verb(root)
    return verb_tense(verb) if verb is not None else None
