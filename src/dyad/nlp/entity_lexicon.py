"""Word lists and name keys shared by the entity components.

The lists that grow with use (states and their demonyms, a gazetteer of names the
statistical model mistypes) live as tab-separated files in ``dyad/nlp/data``
(``entity_places.tsv``, ``entity_gazetteer.tsv``); the closed word classes (titles,
honorifics, head nouns of named things) are module constants.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

# Honorifics: part of how a person is addressed, never part of the name key
# ("Mr Putin" and "Putin" are one name).  Gender lets "Mrs Howard" stay apart from a
# cluster already addressed as "Mr Howard".
HONORIFICS: dict[str, str] = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "baron": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "dame": "f", "lady": "f", "baroness": "f",
    "dr": "", "prof": "", "professor": "", "rev": "", "reverend": "", "rabbi": "", "imam": "",
    "mx": "",
}

# Titles that may stand before a name ("President Putin", "Defence Minister Belousov").
# They are dropped from the name key and become the entity's role.
TITLE_WORDS = frozenset("""
president vice-president premier chancellor minister secretary secretary-general ambassador
envoy spokesman spokeswoman spokesperson governor mayor senator congressman congresswoman
representative rep sen gov general gen admiral colonel col captain capt commander marshal
lieutenant sergeant judge justice chairman chairwoman chair chief leader head director
deputy counterpart emperor ayatollah sheikh emir commissioner councillor mp mep
inspector superintendent detective officer ceo founder prosecutor attorney constable
undersecretary under-secretary msp cardinal archbishop bishop qc kc
""".split())

# Letters after a name that mark a person ("Guy Mansfield QC", "Paul Boateng MP").
POST_NOMINALS = frozenset("qc kc mp msp mep am td obe mbe cbe".split())

# Words that name a government portfolio inside a job title ("Home Affairs
# spokesman", "Defence Minister", "Secretary of State"): never an entity there.
PORTFOLIO_WORDS = frozenset("""
home foreign affairs defence defense trade industry state treasury health education justice interior
culture media sport environment transport energy business work pensions finance economy economic
commonwealth development international northern ireland scotland wales shadow constitutional
communities local government schools skills science technology agriculture rural food fisheries
immigration security intelligence armed forces veterans women equalities children families
""".split())

# Titles that are part of the name itself ("Prince Harry", "Queen Elizabeth").
ROYAL_TITLES = frozenset("king queen prince princess pope emperor empress tsar crown duke duchess earl".split())
# Peerages: "Lord Ashcroft", "Baroness Scotland" are names in their own right.
PEER_TITLES = frozenset("lord lady baroness baron viscount earl duke duchess".split())

# Nouns that describe a person's office or occupation, for roles and for descriptions
# such as "the Russian president" or "the new defence minister".
ROLE_NOUNS = frozenset("""
president premier chancellor minister secretary secretary-general ambassador envoy spokesman
spokeswoman spokesperson governor mayor senator congressman congresswoman lawmaker legislator
general admiral colonel commander judge chairman chairwoman chair chief leader head director
deputy counterpart king queen prince princess emperor ayatollah sheikh emir commissioner
diplomat official expert analyst economist researcher scholar professor fellow adviser advisor
aide columnist editor correspondent journalist reporter author founder owner executive ceo
negotiator strategist historian lawyer prosecutor officer mp mep candidate activist dissident
oligarch tycoon billionaire businessman businesswoman banker investor manager consultant
""".split())

# Offices a bare "leader" can stand for ("the Russian leader" = the Russian president).
LEADER_EQUIVALENT = frozenset({"president", "prime minister", "premier", "chancellor", "king", "queen",
                               "emir", "emperor", "leader", "chairman", "general secretary", "supreme leader"})

# Lower-case nouns that classify the name after them as an organisation ("internet
# watchdog Roskomnadzor", "the Chinese company Huawei", "consulting agency RusEnergy").
ORG_CLASSIFIERS = frozenset("""
company firm group agency watchdog regulator bank lender outlet newspaper broadcaster channel
website party ministry airline insurer conglomerate startup manufacturer charity think-tank
""".split())

# Head nouns that make a capitalised phrase a named thing of one of dyad's own types (or
# correct the model's type): "Global Security Initiative", "Treaty of Versailles"...
HEAD_LABELS: dict[str, str] = {
    "initiative": "INITIATIVE", "initiatives": "INITIATIVE", "strategy": "INITIATIVE",
    "doctrine": "INITIATIVE", "programme": "INITIATIVE", "program": "INITIATIVE", "plan": "INITIATIVE",
    "agenda": "INITIATIVE", "vision": "INITIATIVE",
    "treaty": "AGREEMENT", "agreement": "AGREEMENT", "agreements": "AGREEMENT", "accord": "AGREEMENT",
    "accords": "AGREEMENT", "pact": "AGREEMENT", "partnership": "AGREEMENT", "protocol": "AGREEMENT",
    "memorandum": "AGREEMENT", "declaration": "AGREEMENT", "statement": "AGREEMENT",
    "communique": "AGREEMENT", "communiqué": "AGREEMENT", "deal": "AGREEMENT", "convention": "AGREEMENT",
    "pipeline": "PROJECT", "pipelines": "PROJECT", "project": "PROJECT", "railway": "PROJECT",
    "railroad": "PROJECT", "corridor": "PROJECT", "canal": "PROJECT", "bridge": "PROJECT",
    "forum": "EVENT", "summit": "EVENT", "conference": "EVENT", "games": "EVENT", "olympics": "EVENT",
    "war": "EVENT", "revolution": "EVENT", "election": "EVENT", "elections": "EVENT", "talks": "EVENT",
    "act": "LAW", "bill": "LAW", "charter": "LAW", "constitution": "LAW", "directive": "LAW",
    "resolution": "LAW",
}

# Head nouns of organisations: a phrase ending in one of them is an ORG even when the
# model calls it a place or a person ("Eurasian Economic Union", "Carnegie Center").
ORG_HEADS = frozenset("""
organisation organization union council commission committee ministry department agency
service bank fund party court parliament assembly company corporation group centre center
institute university college office bureau authority association federation forces army navy
police board foundation trust network alliance league coalition movement front cabinet
government administration embassy consulate senate congress duma executive
""".split())

# Head nouns of buildings and places: a phrase ending in one is no person's name
# ("Victoria Station", "Lancaster House").
FAC_HEADS = frozenset("""
station airport street road square hall bridge palace park stadium house tower centre center
avenue lane port harbour harbor castle cathedral church mosque temple hospital prison camp
""".split())

# Words a project name is often followed by in lower case: "Power of Siberia 2 gas
# pipeline", "Nord Stream natural gas pipeline project".
PROJECT_MODIFIERS = frozenset("gas oil natural lng rail railway high-speed nuclear power energy".split())
PROJECT_HEADS = frozenset("pipeline pipelines project railway railroad corridor canal".split())

# Determiners and connectors allowed inside a capitalised name ("Belt and Road").
NAME_CONNECTORS = frozenset({"and", "of", "for", "on", "the", "&", "-", "de", "la", "du", "von", "van"})

# Capitalised words that are never an entity on their own.
NOT_NAMES = frozenset("""
gmt bst utc est cet cest pst edt pdt p.s. ps ad bc
""".split())

_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4"}
                        | {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb"})
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"'s?$")
_EDGE = "\"'()[]{},.;:!?*- \t\n"


@functools.lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """Comparison key of a name: case-folded, no leading 'the', no possessive, no periods.

    ``"the U.S.'s"`` → ``"us"``; ``"Power of Siberia-2"`` → ``"power of siberia 2"``.
    """
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text).translate(_QUOTES)).casefold()
    text = " ".join(text.replace(".", "").split()).strip(_EDGE)
    text = _POSSESSIVE.sub("", _LEADING_THE.sub("", text)).strip(_EDGE)
    # Hyphens between words and numbers are spelling variants ("Siberia-2", "G-20").
    return re.sub(r"(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])", " ", text).replace(" - ", "-")


@dataclass(frozen=True)
class Entry:
    """One gazetteer or place entry: its canonical name and type."""

    canonical: str
    label: str


@dataclass
class Lexicon:
    """The entity data files, indexed by :func:`name_key`."""

    names: dict[str, Entry] = field(default_factory=dict)  # any known name → entry
    case_insensitive: list[str] = field(default_factory=list)  # names matched in any case
    demonyms: dict[str, str] = field(default_factory=dict)  # "russian"/"russians" → "Russia"
    people: dict[str, str] = field(default_factory=dict)  # "Russia" → "Russians"
    adjectives: dict[str, str] = field(default_factory=dict)  # "Russia" → "Russian"
    match_forms: list[tuple[str, str]] = field(default_factory=list)  # (surface form, label) to look for
    given_names: dict[str, str] = field(default_factory=dict)  # "michael" → "m"

    def entry(self, text: str) -> Entry | None:
        """The entry naming ``text`` (any alias, any case), or None."""
        return self.names.get(name_key(text))

    def country_of(self, text: str) -> str | None:
        """The state a demonym or state name refers to ("Russian" → "Russia"), or None."""
        key = name_key(text)
        if key in self.demonyms:
            return self.demonyms[key]
        entry = self.names.get(key)
        return entry.canonical if entry and entry.label == "GPE" else None


def _rows(filename: str):
    text = resources.files("dyad.nlp").joinpath("data", filename).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield (line.split("\t") + ["", "", "", "", ""])[:5]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (loaded once per process)."""
    lex = Lexicon()
    for canonical, aliases, adjectives, people, label in _rows("entity_places.tsv"):
        entry = Entry(canonical, label or "GPE")
        for name in [canonical, *filter(None, aliases.split("|"))]:
            lex.names.setdefault(name_key(name), entry)
        singular = people[:-1] if people.endswith("s") and people not in adjectives.split("|") else ""
        for form in [*filter(None, adjectives.split("|")), people, singular]:  # "Britons", "Briton"
            if form:
                lex.demonyms[name_key(form)] = canonical
        lex.people[canonical] = people or adjectives.split("|")[0]
        lex.adjectives[canonical] = adjectives.split("|")[0]
    for canonical, label, aliases, _, _ in _rows("entity_gazetteer.tsv"):
        entry = Entry(canonical, label)
        for name in [canonical, *filter(None, aliases.split("|"))]:
            if name.startswith("~"):
                name = name[1:]
                lex.case_insensitive.append(name)
            # The gazetteer overrides places: "Georgia" stays a state, but "Gulf" is a region.
            lex.names[name_key(name)] = entry
            lex.match_forms.append((name, label))
    for name, *_ in _rows("entity_cities.txt"):
        lex.names.setdefault(name_key(name), Entry(name, "GPE"))
    for name, gender, *_ in _rows("entity_given_names.txt"):
        lex.given_names[name.casefold()] = gender
    return lex
