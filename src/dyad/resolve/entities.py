"""Entity resolution across documents: one canonical entity per real-world entity.

Every per-document entity (and every byline author) is a *member*.  Members
join when they share a key (the normalised name; a state's ISO code for any of
its names; an acronym both sides spell out the same way), and person names
that differ by a transliteration or a typo join only when their context agrees
(a shared role word, co-author, or rare co-occurring entity).  Capitals,
demonyms and seats of government keep their own entity but carry the state
they can stand for (``state``, ``relation``).

Cost: one pass over the entities table plus comparisons inside blocks (same
given-name initial and surname start), so a full run is linear in the number
of entities in practice.  ``xentity_keys`` keeps every key and block of every
entity so that a later document can be placed without recomputing the rest.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from dyad.resolve.gazetteer import CAPITAL, DEMONYM, SEAT, STATE, gazetteer
from dyad.resolve.names import clean_form, initials, is_acronym, name_key, person_tokens

GROUPS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": "norp"}
# Trailing words that name the kind of thing, not the thing ("Power of Siberia 2 gas pipeline").
GENERIC_TAIL = {"pipeline", "project", "gas", "natural", "plc", "inc", "ltd", "corp", "co", "party", "group"}
WAR_WORDS = {"war", "invasion", "reinvasion", "aggression", "conflict", "offensive"}
# Agreements are named by what qualifies them ("the no-limits partnership / statement").
AGREEMENT_TAIL = {"statement", "agreement", "partnership", "treaty", "deal", "declaration", "pact", "accord",
                  "friendship", "joint", "strategic", "comprehensive"}
# Gatherings: "the third Belt and Road Forum" and "China's third Belt and Road summit".
GATHERINGS = {"summit", "forum", "conference", "meeting", "congress", "talks"}
ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "annual"}
ROLE_STOP = {"the", "a", "an", "of", "for", "and", "in", "at", "on", "new", "former", "his", "her", "its", "to",
             "who", "with", "as", "said", "by", "from", "first", "deputy", "senior", "chief", "head"}
_DIGITS = re.compile(r"\d+")


@dataclass
class Member:
    """One per-document entity or byline author, as resolution sees it."""

    doc_id: str
    kind: str                      # entity | author
    ref: int
    name: str
    label: str
    forms: list[str]
    roles: list[str] = field(default_factory=list)
    n_mentions: int = 1
    body: bool = True
    year: str | None = None        # the year of the document, when known

    @property
    def group(self) -> str:
        return GROUPS.get(self.label, "other")


@dataclass
class XEntity:
    """A resolved cross-document entity, ready to be stored."""

    id: str
    canonical: str
    label: str
    key: str
    state: str | None
    relation: str | None
    members: list[tuple[Member, str]]        # (member, how it joined)
    keys: set[str]

    def row(self) -> dict:
        """The ``xentities`` row."""
        aliases = sorted({f for m, _ in self.members for f in m.forms} | {m.name for m, _ in self.members})
        roles = sorted({r for m, _ in self.members for r in m.roles if r != "author"})
        return {"id": self.id, "canonical": self.canonical, "label": self.label, "key": self.key,
                "state": self.state, "relation": self.relation, "aliases": aliases, "roles": roles,
                "n_docs": len({m.doc_id for m, _ in self.members}),
                "n_mentions": sum(m.n_mentions for m, _ in self.members)}


class _Union:
    """Union-find over member indices, remembering why each member joined."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.how = ["key"] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, how: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index stays root, so results do not depend on call order.
            ra, rb = min(ra, rb), max(ra, rb)
            self.parent[rb] = ra
            if how != "key":
                self.how[max(a, b)] = how


# ------------------------------------------------------------------ members and keys
def load_members(store, doc_ids: list[str] | None = None) -> list[Member]:
    """Every entity of every (or of the given) document, plus every byline author, in a stable order."""
    forms: dict[tuple[str, int], list[str]] = defaultdict(list)
    for doc_id, entity_id, text in store.resolve_mention_texts(doc_ids):
        forms[(doc_id, entity_id)].append(clean_form(text))
    docs = store.resolve_documents(doc_ids)
    years = {d["id"]: (d["published"] or "")[:4] or None for d in docs}
    members = []
    for row in store.resolve_entity_rows(doc_ids):
        texts = forms.get((row["doc_id"], row["id"]), [])
        members.append(Member(row["doc_id"], "entity", row["id"], row["canonical"], row["label"],
                              list(dict.fromkeys([row["canonical"], *texts])), row["roles"],
                              max(1, len(texts)), bool(row["body"]), years[row["doc_id"]]))
    for doc in docs:
        for i, author in enumerate(doc["authors"]):
            members.append(Member(doc["id"], "author", i, author, "PERSON", [author], ["author"], 1, False))
    return members


def state_link(member: Member) -> tuple[str, str] | None:
    """``(iso3, relation)`` when a non-person member names a state or stands for one."""
    if member.group == "person":
        return None
    return gazetteer().lookup(member.name)


def member_key(member: Member) -> str:
    """The key a member shares with every other member of the same entity."""
    link = state_link(member)
    if link and link[1] == STATE:
        return f"state:{link[0]}"
    if link and link[1] == DEMONYM:
        return f"demonym:{link[0]}"
    if member.group == "person":
        return "person:" + " ".join(person_tokens(member.name))
    key = name_key(member.name)
    if member.label == "EVENT" and (war := _war_signature(key)):
        return war
    if member.label == "EVENT" and (gathering := _gathering_signature(key, member.year)):
        return gathering
    words = key.split()
    tail = AGREEMENT_TAIL | GENERIC_TAIL if member.label in ("AGREEMENT", "LAW") else GENERIC_TAIL
    while len(words) > 1 and words[-1] in tail:
        words.pop()
    group = "place" if link else member.group
    return f"{group}:{' '.join(words)}"


def _war_signature(key: str) -> str | None:
    # A war is named many ways ("Russia's war against Ukraine", "the Ukraine
    # invasion"); the state where it is fought identifies it.
    if not WAR_WORDS & set(key.split()):
        return None
    states = gazetteer().states_in(key)
    return f"event:war:{states[-1]}" if states else None


def _gathering_signature(key: str, year: str | None) -> str | None:
    # The same gathering is a "forum" in one report and a "summit" in another;
    # its name without the kind, the ordinal and the owner, plus the year of the
    # report, identifies it (a yearly summit recurs under the same name).
    words = key.split()
    if not words or words[-1] not in GATHERINGS:
        return None
    name = [w for w in words[:-1] if w not in ORDINALS]
    states = gazetteer()
    while name and states.lookup(name[0]) is not None and len(name) > 1:
        name = name[1:]  # "China's third Belt and Road summit" -> "belt and road"
    if not name:
        return None
    return f"event:gathering:{' '.join(name)}@{year or '?'}"


def acronym_keys(member: Member) -> set[str]:
    """Acronym keys: the member's own name when it is one, and spelled-out forms it uses."""
    if member.group == "person":
        return set()
    out = set()
    if is_acronym(member.name):
        out.add(f"acr:{member.name.replace('.', '').upper()}")
    full = initials(member.name)
    for form in member.forms:
        bare = form.replace(".", "").upper()
        if is_acronym(form) and len(full) >= 2 and bare == full:
            out.add(f"acr:{bare}")
    return out


def person_block(tokens: list[str]) -> str | None:
    """Blocking key of a full person name: given-name initial and surname start."""
    if len(tokens) < 2:
        return None
    return f"pblock:{tokens[0][:1]}:{tokens[-1][:2]}"


# ------------------------------------------------------------------ resolution
def resolve_entities(members: list[Member]) -> list[XEntity]:
    """Group members into cross-document entities (deterministic for a given input)."""
    uf = _Union(len(members))
    keys = [member_key(m) for m in members]
    _union_on(uf, keys, "key")
    _union_acronyms(uf, members, keys)
    _union_similar_names(uf, members, keys)
    _union_undated_gatherings(uf, keys)
    _union_fuzzy_persons(uf, members, keys)
    _attach_surnames(uf, members, keys)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(members)):
        clusters[uf.find(i)].append(i)
    out = [_build(members, keys, uf, idx) for idx in clusters.values()]
    return sorted(out, key=lambda x: (-len(x.members), x.canonical, x.id))


def _union_on(uf: _Union, keys: list[str], how: str) -> None:
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            uf.union(first[key], i, how)
        else:
            first[key] = i


def _union_acronyms(uf: _Union, members: list[Member], keys: list[str]) -> None:
    # An acronym joins spelled-out names only while every spelled-out name
    # behind it is the same one (else "ICC" would chain a court and a council).
    by_acr: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        for acr in acronym_keys(m):
            by_acr[acr].append(i)
    for _acr, idx in sorted(by_acr.items()):
        spelled = {keys[i] for i in idx if not is_acronym(members[i].name)}
        if len(spelled) <= 1 and len(idx) > 1:
            for i in idx[1:]:
                uf.union(idx[0], i, "alias")


def _union_similar_names(uf: _Union, members: list[Member], keys: list[str]) -> None:
    # Typos in non-person names ("Belt and Road Initative"): nearly equal keys
    # with the same digits, compared only within a block of the same start.
    blocks: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if not key.startswith(("person:", "state:", "demonym:", "event:war:")):
            blocks[key[: key.index(":") + 4]].add(key)
    first = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    for block in blocks.values():
        ordered = sorted(block)
        for a, ka in enumerate(ordered):
            for kb in ordered[a + 1:]:
                if len(ka) > 6 and _DIGITS.findall(ka) == _DIGITS.findall(kb) and fuzz.ratio(ka, kb) >= 94:
                    uf.union(first[ka], first[kb], "fuzzy")


def _union_undated_gatherings(uf: _Union, keys: list[str]) -> None:
    # A gathering named in an undated report is the dated one of that name when
    # there is only one.
    first: dict[str, int] = {}
    years: dict[str, set[str]] = defaultdict(set)
    for i, key in enumerate(keys):
        if key.startswith("event:gathering:"):
            first.setdefault(key, i)
            base, year = key.rsplit("@", 1)
            if year != "?":
                years[base].add(key)
    for key, i in first.items():
        base, year = key.rsplit("@", 1)
        if year == "?" and len(years.get(base, ())) == 1:
            uf.union(first[next(iter(years[base]))], i, "alias")


def _union_fuzzy_persons(uf: _Union, members: list[Member], keys: list[str]) -> None:
    """Transliteration and typo variants of a full name, when the context agrees."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key.startswith("person:") and len(key.split()) >= 2:
            by_key[key].append(i)
    blocks: dict[str, list[str]] = defaultdict(list)
    for key in sorted(by_key):
        blocks[person_block(key[7:].split())].append(key)
    context = _Context(members, keys)
    for block_keys in blocks.values():
        for a, ka in enumerate(block_keys):
            for kb in block_keys[a + 1:]:
                if _names_close(ka[7:].split(), kb[7:].split()) and context.agree(by_key[ka], by_key[kb]):
                    uf.union(by_key[ka][0], by_key[kb][0], "fuzzy")


def _names_close(a: list[str], b: list[str]) -> bool:
    """Given names and surnames nearly equal (Andrei/Andrey Belousov/Belausov)."""
    sur = JaroWinkler.similarity(a[-1], b[-1])
    given = JaroWinkler.similarity(a[0], b[0])
    initial_only = min(len(a[0]), len(b[0])) == 1 and a[0][0] == b[0][0]
    return sur >= 0.88 and fuzz.ratio(a[-1], b[-1]) >= 75 and (given >= 0.85 or initial_only)


class _Context:
    """What surrounds each member: role words, co-authors, other entities of its document."""

    def __init__(self, members: list[Member], keys: list[str]) -> None:
        self.members = members
        self.doc_keys: dict[str, set[str]] = defaultdict(set)
        self.authors: dict[str, set[str]] = defaultdict(set)
        for m, k in zip(members, keys, strict=True):
            self.doc_keys[m.doc_id].add(k)
            if m.kind == "author":
                self.authors[m.doc_id].add(k)
        df = Counter(k for ks in self.doc_keys.values() for k in ks)
        n = max(1, len(self.doc_keys))
        self.idf = {k: math.log((n + 1) / (c + 0.5)) for k, c in df.items()}
        self.keys = keys

    def agree(self, a: list[int], b: list[int]) -> bool:
        """True when the members ``a`` and ``b`` (two name variants) share enough context."""
        docs_a = {self.members[i].doc_id for i in a}
        docs_b = {self.members[i].doc_id for i in b}
        if any(self.members[i].kind == "author" or not self.members[i].body for i in a + b) and docs_a & docs_b:
            return True  # a byline or bio naming the same person as the text it signs
        if self._role_words(a) & self._role_words(b):
            return True
        if self._coauthors(a) & self._coauthors(b):
            return True
        return self._shared_context(a, docs_a, b, docs_b) >= 0.25

    def _coauthors(self, idx: list[int]) -> set[str]:
        own = {self.keys[i] for i in idx}
        return set().union(*(self.authors[self.members[i].doc_id] for i in idx
                             if self.members[i].kind == "author")) - own

    def _role_words(self, idx: list[int]) -> set[str]:
        words = set()
        for i in idx:
            for role in self.members[i].roles:
                words |= {w for w in name_key(role).split() if w not in ROLE_STOP and len(w) > 2}
        words.discard("author")
        return words

    def _shared_context(self, a: list[int], docs_a: set[str], b: list[int], docs_b: set[str]) -> float:
        own = {self.keys[i] for i in a + b}
        ctx_a = set().union(*(self.doc_keys[d] for d in docs_a)) - own
        ctx_b = set().union(*(self.doc_keys[d] for d in docs_b)) - own
        if not ctx_a or not ctx_b:
            return 0.0
        shared = sum(self.idf[k] ** 2 for k in ctx_a & ctx_b)
        norm = math.sqrt(sum(self.idf[k] ** 2 for k in ctx_a) * sum(self.idf[k] ** 2 for k in ctx_b))
        return shared / norm if norm else 0.0


def _attach_surnames(uf: _Union, members: list[Member], keys: list[str]) -> None:
    """A one-word person name ("Putin") joins the full name with that surname.

    The full name in the same document wins; otherwise the one full name that
    carries at least 80% of the mentions of all full names with that surname.
    """
    full: dict[str, Counter] = defaultdict(Counter)
    in_doc: dict[tuple[str, str], int] = {}
    for i, (m, key) in enumerate(zip(members, keys, strict=True)):
        tokens = key[7:].split() if key.startswith("person:") else []
        if len(tokens) >= 2:
            full[tokens[-1]][uf.find(i)] += m.n_mentions
            in_doc.setdefault((m.doc_id, tokens[-1]), i)
    for i, (m, key) in enumerate(zip(members, keys, strict=True)):
        tokens = key[7:].split() if key.startswith("person:") else []
        if len(tokens) != 1:
            continue
        if (m.doc_id, tokens[0]) in in_doc:
            uf.union(in_doc[(m.doc_id, tokens[0])], i, "surname")
            continue
        counts = full.get(tokens[0])
        if counts:
            root, n = counts.most_common(1)[0]
            if n >= 0.8 * sum(counts.values()):
                uf.union(root, i, "surname")


def _build(members: list[Member], keys: list[str], uf: _Union, idx: list[int]) -> XEntity:
    group = [members[i] for i in idx]
    labels = Counter(m.label for m in group if m.kind == "entity") or Counter(["PERSON"])
    label = sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    key_counts = Counter(keys[i] for i in idx)
    key = sorted(key_counts.items(), key=lambda kv: (-kv[1], _key_rank(kv[0]), kv[0]))[0][0]
    link = None
    if key.startswith("state:"):
        link = (key[6:], STATE)
    elif key.startswith("demonym:"):
        link = (key[8:], DEMONYM)
    else:
        link = next((lk for i in idx if (lk := state_link(members[i])) and lk[1] in (CAPITAL, SEAT)), None)
    canonical = _canonical(group, key, link)
    xid = "x" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    how = {i: ("key" if i == min(idx) else uf.how[i]) for i in idx}
    all_keys = set(key_counts) | {a for i in idx for a in acronym_keys(members[i])}
    all_keys |= {b for k in key_counts if k.startswith("person:") and (b := person_block(k[7:].split()))}
    return XEntity(xid, canonical, label, key, link[0] if link else None, link[1] if link else None,
                   [(members[i], how[i]) for i in sorted(idx, key=lambda i: (members[i].doc_id, members[i].kind,
                                                                            members[i].ref))], all_keys)


def _key_rank(key: str) -> int:
    # Prefer a full person name over a surname, and a named key over an acronym.
    if key.startswith("person:"):
        return -len(key.split())
    return 1 if key.startswith("acr:") else 0


def _canonical(group: list[Member], key: str, link: tuple[str, str] | None) -> str:
    if link and link[1] == STATE:
        return gazetteer().name(link[0])
    names = Counter(m.name for m in group if m.kind == "entity") or Counter(m.name for m in group)
    full = [n for n in names if len(n.split()) > 1 and not is_acronym(n)] if key.startswith("person:") else []
    pool = {n: names[n] for n in full} if full else names
    mentions = Counter()
    for m in group:
        mentions[m.name] += m.n_mentions
    # Among equals the more specific (longer) name, except for wars, whose
    # longer names carry adjectives ("Russia's disastrous war on Ukraine").
    sign = 1 if key.startswith("event:war:") else -1
    return sorted(pool, key=lambda n: (-pool[n], -mentions[n], is_acronym(n), sign * len(n), n))[0]


def run(store) -> dict:
    """Resolve every entity of the store and replace the ``xentities`` tables; return counts."""
    members = load_members(store)
    xents = resolve_entities(members)
    rows, member_rows, keys = [], [], []
    for x in xents:
        rows.append(x.row())
        member_rows += [{"xentity_id": x.id, "doc_id": m.doc_id, "kind": m.kind, "ref": m.ref, "name": m.name,
                         "forms": m.forms, "how": how} for m, how in x.members]
        keys += [(k, x.id) for k in sorted(x.keys)]
    store.write_xentities(rows, member_rows, keys)
    return {"xentities": len(rows), "xentity_members": len(member_rows),
            "multi_doc": sum(1 for r in rows if r["n_docs"] > 1)}


def assign_new(store, doc_ids: list[str]) -> dict:
    """Place the entities of new documents into the stored cross-document entities.

    The new documents' members are first resolved among themselves; each
    resulting entity then joins the stored entity that holds one of its keys
    (name, state, acronym), or a stored person of the same block whose name is
    close and whose roles share a word; otherwise it is stored as new.  Cost:
    one key lookup per new entity, whatever the size of the store.
    """
    if not doc_ids:
        return {"new_members": 0, "joined": 0, "created": 0}
    fresh = resolve_entities(load_members(store, doc_ids))
    rows, member_rows, keys = [], [], []
    joined = 0
    for x in fresh:
        target = _stored_match(store, x)
        row = x.row()
        if target:
            joined += 1
            row = _merged_row(store, target, row, x)
        rows.append(row)
        member_rows += [{"xentity_id": row["id"], "doc_id": m.doc_id, "kind": m.kind, "ref": m.ref,
                         "name": m.name, "forms": m.forms, "how": "key" if target is None else "assigned"}
                        for m, _ in x.members]
        keys += [(k, row["id"]) for k in sorted(x.keys)]
    store.write_xentity_additions(rows, member_rows, keys)
    return {"new_members": len(member_rows), "joined": joined, "created": len(fresh) - joined}


def _stored_match(store, x: XEntity) -> dict | None:
    exact = sorted(k for k in x.keys if not k.startswith("pblock:"))
    for key in [x.key, *exact]:
        hits = store.xentity_find_by_key(key)
        if hits:
            return hits[0]
    if not x.key.startswith("person:"):
        return None
    tokens = x.key[7:].split()
    block = person_block(tokens)
    roles = {w for m, _ in x.members for r in m.roles for w in name_key(r).split() if w not in ROLE_STOP}
    for cand in store.xentity_find_by_key(block) if block else []:
        cand_tokens = cand["key"][7:].split()
        cand_roles = {w for r in cand["roles"] for w in name_key(r).split() if w not in ROLE_STOP}
        if len(cand_tokens) >= 2 and _names_close(tokens, cand_tokens) and roles & cand_roles:
            return cand
    return None


def _merged_row(store, target: dict, new: dict, x: XEntity) -> dict:
    docs = store.resolve_xentity_doc_count(target["id"]) + new["n_docs"]
    return {**target, "aliases": sorted(set(target["aliases"]) | set(new["aliases"])),
            "roles": sorted(set(target["roles"]) | set(new["roles"])), "n_docs": docs,
            "n_mentions": target["n_mentions"] + new["n_mentions"]}
