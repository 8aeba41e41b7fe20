"""In-document name coreference: which name mentions denote the same thing.

Mentions get a *base key* (the gazetteer's canonical name, a state for a demonym, a
person's name without honorifics and titles, or the plain :func:`name_key`); base keys
are then joined, union-find style, by rules a reader applies without thinking:

- an acronym defined in brackets, or equal to the initials of a longer name
  ("Belt and Road Initiative (BRI)", "ICC" ~ "International Criminal Court");
- a one-word person name is the surname or given name of a longer one ("Putin",
  "Mr Putin" → "Vladimir Putin"; "Xi" → "Xi Jinping"); with several candidates the
  most recently mentioned wins, and honorifics of another gender block the join
  ("Mrs Howard" does not join a cluster addressed as "Mr Howard");
- spelling variants of long names ("Civilisation"/"Civilization", "Institute of/for
  Fiscal Studies", "Belausov"/"Belousov").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz.fuzz import ratio
from spacy.tokens import Doc, Span

from dyad.nlp.entity_lexicon import HEAD_LABELS, HONORIFICS, ORG_HEADS, POST_NOMINALS, TITLE_WORDS, Lexicon, name_key
from dyad.nlp.extensions import span_text

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_STOP = frozenset({"and", "of", "for", "the", "&", "on", "in", "de", "la"})
# Label weights when a cluster's mentions disagree: a longer or titled mention is more
# reliable than a lone word, and a gazetteer type beats them all.
_TITLED_WEIGHT, _LONG_WEIGHT = 3, 2


@dataclass
class Cluster:
    """Mentions that share a base key (and, after joining, all mentions of one entity)."""

    key: str
    spans: list[Span] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)
    genders: set[str] = field(default_factory=set)
    lex_label: str | None = None
    canonical: str | None = None  # from the lexicon

    @property
    def label(self) -> str:
        """The lexicon's type, else the weighted majority of the mentions' labels.

        On a tie a one-word name is not a person: the model's lone PERSON is its most
        common error ("Auschwitz", "Manchester").
        """
        if self.lex_label:
            return self.lex_label
        ranked = sorted(self.labels.items(), key=lambda kv: (-kv[1], kv[0] == "PERSON"))
        return ranked[0][0]

    @property
    def first(self) -> int:
        """Token index of the cluster's first mention."""
        return min(s.start for s in self.spans)


def person_tokens(span: Span) -> list[str]:
    """The words of a person mention without honorifics, titles and possessive
    ("Prof Joni Lovenduski" → Joni Lovenduski, "Paul Boateng MP" → Paul Boateng)."""
    words = [t.text for t in span if not t.is_punct and t.tag_ != "POS"]
    while len(words) > 1 and (words[0].lower().rstrip(".") in HONORIFICS or words[0].lower() in TITLE_WORDS):
        words = words[1:]
    while len(words) > 1 and (words[-1].lower() in TITLE_WORDS or words[-1].lower() in POST_NOMINALS):
        words = words[:-1]
    return words


def _gender(span: Span, lex: Lexicon) -> str:
    """"m"/"f" from an honorific ("Mrs Howard") or a known given name ("Michael Howard")."""
    first = span[0].lower_.rstrip(".")
    if HONORIFICS.get(first):
        return HONORIFICS[first]
    return lex.given_names.get(first, "") if span.label_ == "PERSON" and len(span) > 1 else ""


def base_key(doc: Doc, span: Span, lex: Lexicon, named: frozenset[str] = frozenset()
             ) -> tuple[str, str | None, str | None]:
    """(key, lexicon label, lexicon canonical) of one mention; ``named`` holds the
    canonical names of the states the text names outright."""
    text = span_text(span)
    key = name_key(text)
    entry = lex.names.get(key)
    if key in lex.demonyms and span.label_ != "GPE":
        country = lex.demonyms[key]
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in TITLE_WORDS and nxt.is_title and country not in named:
            # "French President Macron" in a text that never names France: the
            # adjective is the only reference to the state.
            entry = lex.names.get(name_key(country))
            return "lex:" + country, entry.label if entry else "GPE", country
        return "norp:" + country, "NORP", lex.people.get(country) or text
    if entry is not None and not (span.label_ == "PERSON" and entry.label == "GPE"):
        return "lex:" + entry.canonical, entry.label, entry.canonical
    if span.label_ == "PERSON":
        return "per:" + " ".join(w.lower() for w in person_tokens(span)), None, None
    return "name:" + key, None, None


def cluster_mentions(doc: Doc, spans: list[Span], lex: Lexicon) -> list[Cluster]:
    """Group name mentions into entity clusters (see the module docstring)."""
    clusters: dict[str, Cluster] = {}
    of_span: dict[int, str] = {}
    named = frozenset(e.canonical for s in spans if (e := lex.names.get(name_key(span_text(s)))) is not None)
    for span in spans:
        key, lex_label, canonical = base_key(doc, span, lex, named)
        cl = clusters.get(key)
        if cl is None:  # (not setdefault: that would build a Cluster for every mention)
            cl = clusters[key] = Cluster(key, lex_label=lex_label, canonical=canonical)
        cl.spans.append(span)
        titled = span.label_ == "PERSON" and len(person_tokens(span)) < len(span)
        cl.labels[span.label_] += _TITLED_WEIGHT if titled else _LONG_WEIGHT if len(span) > 1 else 1
        if gender := _gender(span, lex):
            cl.genders.add(gender)
        of_span[span.start] = key
    joins = _Joins(clusters)
    for key in clusters:
        # The same word read as a person once and as a place or body elsewhere.
        if key.startswith("per:") and "name:" + key[4:] in clusters:
            joins.union("name:" + key[4:], key)
    _join_acronyms(doc, clusters, of_span, joins)
    _join_person_parts(clusters, joins)
    _join_variants(clusters, joins)
    return joins.result()


class _Joins:
    """Union-find over cluster keys."""

    def __init__(self, clusters: dict[str, Cluster]) -> None:
        self.clusters = clusters
        self.parent = {k: k for k in clusters}

    def find(self, key: str) -> str:
        """The root key of ``key``'s group (with path halving)."""
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        """Join the groups of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Keep the root with a lexicon entry so its canonical name and type survive.
            if self.clusters[rb].lex_label and not self.clusters[ra].lex_label:
                ra, rb = rb, ra
            self.parent[rb] = ra
            self.clusters[ra].genders |= self.clusters[rb].genders

    def result(self) -> list[Cluster]:
        """One merged :class:`Cluster` per group."""
        merged: dict[str, Cluster] = {}
        for key, cl in self.clusters.items():
            root = self.clusters[self.find(key)]
            target = merged.get(root.key)
            if target is None:
                target = merged[root.key] = Cluster(root.key, lex_label=root.lex_label, canonical=root.canonical,
                                                    genders=set(root.genders))
            target.spans.extend(cl.spans)
            target.labels.update(cl.labels)
        return list(merged.values())


def _initials(key: str) -> str:
    words = [w for w in key.split(":", 1)[-1].replace("-", " ").split() if w not in _STOP]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _join_acronyms(doc: Doc, clusters: dict[str, Cluster], of_span: dict[int, str], joins: _Joins) -> None:
    # "Name (ACR)": the text defines the acronym.
    for start, key in of_span.items():
        span = next(s for s in clusters[key].spans if s.start == start)
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            acr = of_span.get(span.end + 1)
            if acr is not None and acr != key:
                joins.union(key, acr)
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key, cl in clusters.items():
        if cl.label != "PERSON" and (ini := _initials(key)):
            by_initials[ini].append(key)
    for key, cl in clusters.items():
        surface = span_text(cl.spans[0]).replace(".", "")
        if surface.isupper() and 2 <= len(surface) <= 6 and not cl.lex_label:
            targets = {joins.find(k) for k in by_initials.get(surface.lower(), [])}
            if len(targets) == 1:
                joins.union(targets.pop(), key)


def _person_like(cl: Cluster) -> bool:
    return cl.label == "PERSON" or cl.labels["PERSON"] > 0


def _may_join(short: Cluster, full: Cluster) -> bool:
    """A one-word name may abbreviate a longer one if either reads as a person, and the
    longer one is not headed like an organisation ("Carnegie" ≠ "Carnegie Center")."""
    if _person_like(full):
        return True
    return _person_like(short) and _words(full.key)[-1] not in ORG_HEADS and _words(full.key)[-1] not in HEAD_LABELS


def _join_person_parts(clusters: dict[str, Cluster], joins: _Joins) -> None:
    """Join one-word person names to the full name they abbreviate."""
    full = [cl for cl in clusters.values() if not cl.lex_label and len(_words(cl.key)) > 1
            and cl.label not in PLACE_LABELS and _looks_like_name(cl)]
    by_part: dict[str, list[Cluster]] = defaultdict(list)
    by_ends: dict[tuple[str, str], list[Cluster]] = defaultdict(list)
    for cl in full:
        words = _words(cl.key)
        by_part[words[0]].append(cl)
        by_part[words[-1]].append(cl)
        by_ends[words[0], words[-1]].append(cl)
    for group in by_ends.values():  # "George W. Bush" ~ "George Bush"
        for cl in group[1:]:
            if _person_like(cl) or _person_like(group[0]):
                joins.union(group[0].key, cl.key)
    for cl in full:  # "Aynsley Green" ~ "Al Aynsley Green", "Bin Laden" ~ "Osama Bin Laden"
        words = _words(cl.key)
        longer = [t for t in full if len(_words(t.key)) > len(words) and _words(t.key)[-len(words):] == words]
        if longer and _person_like(cl):
            joins.union(_nearest(longer, cl.first).key, cl.key)
    for cl in sorted(clusters.values(), key=lambda c: c.first):
        words = _words(cl.key)
        if len(words) != 1 or cl.lex_label:
            continue
        if cl.label in PLACE_LABELS and not cl.genders and not any(_person_like(t) for t in by_part.get(words[0], [])):
            continue  # a real place, unless it is the surname of a person named here
        targets = [t for t in by_part.get(words[0], []) if _may_join(cl, t)]
        targets = [t for t in targets if not (cl.genders and joins.clusters[joins.find(t.key)].genders - cl.genders)]
        if targets:
            joins.union(_nearest(targets, cl.first).key, cl.key)


def _words(key: str) -> list[str]:
    return key.split(":", 1)[-1].split()


def _looks_like_name(cl: Cluster) -> bool:
    """Every word capitalised and no organisation-like connector ("Bank of England")."""
    span = max(cl.spans, key=len)
    words = [t for t in span if not t.is_punct and t.tag_ != "POS"]
    return all(t.is_title or t.text[:1].isupper() for t in words) and not any(t.lower_ in _STOP for t in words)


def _nearest(targets: list[Cluster], position: int) -> Cluster:
    """The target mentioned last before ``position``, else the first one after it."""
    before = [(max(s.start for s in t.spans if s.start < position), t) for t in targets
              if any(s.start < position for s in t.spans)]
    if before:
        return max(before, key=lambda p: p[0])[1]
    return min(targets, key=lambda t: t.first)


def _join_variants(clusters: dict[str, Cluster], joins: _Joins) -> None:
    """Spelling variants of multi-word names: same content words, or each pair ≥ 85% alike."""
    by_shape: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key, cl in clusters.items():
        words = [w for w in _words(key) if w not in _STOP]
        if len(words) > 1 and not cl.lex_label:
            by_shape[words[0][:1], len(words)].append(key)
    for keys in by_shape.values():
        for i, a in enumerate(keys):
            wa = [w for w in _words(a) if w not in _STOP]
            for b in keys[i + 1:]:
                wb = [w for w in _words(b) if w not in _STOP]
                if wa == wb or all(x == y or ratio(x, y) >= 85 for x, y in zip(wa, wb, strict=True)) \
                        and sum(x != y for x, y in zip(wa, wb, strict=True)) <= 1:
                    joins.union(a, b)
