"""Group a document's entity mentions into entities (in-document only).

A first, deliberately simple grouping: identical names (ignoring a leading "the"
and a possessive) are one entity, and a one-word PERSON mention that is the surname
or family name of exactly one longer PERSON name joins it ("Putin" → "Vladimir
Putin", "Xi" → "Xi Jinping").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
_POSSESSIVE = re.compile(r"[’']s$")
_LEADING_THE = re.compile(r"^the\s+", re.I)


def surface_key(text: str) -> str:
    """Comparison key of a mention: no leading 'the', no possessive, case-folded."""
    text = _POSSESSIVE.sub("", " ".join(text.split()))
    return _LEADING_THE.sub("", text).casefold()


def group_entities(mentions: list[dict]) -> list[dict]:
    """``[{canonical, type, mentions, count}]`` from mention rows (text, label)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        if m["label"] in NAMED_LABELS and surface_key(m["text"]):
            groups[surface_key(m["text"])].append(m)
    _join_surnames(groups)
    entities = []
    for members in groups.values():
        label = Counter(m["label"] for m in members).most_common(1)[0][0]
        forms = list(dict.fromkeys(_clean_form(m["text"]) for m in members))
        canonical = max(forms, key=lambda f: (len(f.split()) if label == "PERSON" else 0, forms.count(f), -forms.index(f)))
        entities.append({"canonical": canonical, "type": label, "mentions": forms, "count": len(members)})
    entities.sort(key=lambda e: (-e["count"], e["canonical"]))
    return entities


def _join_surnames(groups: dict[str, list[dict]]) -> None:
    people = [k for k, ms in groups.items() if _mostly(ms, "PERSON")]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in people:
        words = key.split()
        if len(words) > 1:
            # Family names come first in Chinese names ("Xi" of "Xi Jinping"), last
            # in most others; either end may stand alone.
            for word in {words[0], words[-1]}:
                by_surname[word].append(key)
    for key in people:
        targets = by_surname.get(key)
        if len(key.split()) == 1 and targets and len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))


def _mostly(members: list[dict], label: str) -> bool:
    return sum(m["label"] == label for m in members) * 2 > len(members)


def _clean_form(text: str) -> str:
    return _POSSESSIVE.sub("", " ".join(text.split()))
