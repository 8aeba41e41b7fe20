"""Word lists for the quotes component (lemmas, lower case).

Kept apart from the code so a linguist can extend them without reading the
attribution logic.  The capital-city metonymy table lives in
``data/quote_capitals.tsv``.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

# Verbs that introduce reported speech ("X said", "X told Y", "As X put it").  A
# full quotation is attributed only through one of these.
SPEECH_VERBS = frozenset("""
say tell add state declare announce explain insist argue claim warn note write comment remark
reply respond answer ask continue conclude stress emphasise emphasize acknowledge admit concede
suggest observe recall predict promise pledge vow urge confirm deny complain tweet post maintain
assert contend point put quip joke caution agree counter reiterate testify report describe call
tell wonder whisper shout cry exclaim boast lament plead announce proclaim allege inform
jeer chant heckle yell scream mutter sing shout reveal disclose confess recount retort find
""".split())

# Verbs by which a speaker applies a quoted phrase to something ("described it as
# 'global'", "dismissed the plan as 'desperate'", "hailed the 'no-limits'
# partnership").  Together with SPEECH_VERBS they attribute quoted fragments.
CHARACTERISATION_VERBS = frozenset("""
describe call dub label brand term characterise characterize hail praise dismiss decry condemn
denounce criticise criticize attack blast slam accuse refer portray present project promote tout
welcome reject demand brand pledge vow promise warn urge insist claim describe depict cast frame
hail celebrate champion laud applaud deride mock ridicule scorn castigate lambast lambaste rebuke
outline propose advocate define name nickname trumpet extol tout boast
""".split())

# Verbs of regarding, cues only with "as": "Russia and China see themselves as
# 'civilizational' states".
REGARD_VERBS = frozenset({"see", "regard", "view", "consider", "cast", "style", "bill"})

CUE_VERBS = SPEECH_VERBS | CHARACTERISATION_VERBS

# Nouns of saying: 'His message was: "..."', '"...," was Mr Marr's assessment'.
SPEECH_NOUNS = frozenset("""
message words reply response answer verdict view assessment comment remark statement advice warning
argument explanation reaction retort conclusion position line judgement judgment prediction promise
""".split())

# Nouns and verbs after which a quoted phrase is a title, not speech: the study
# "Whose Secretary are You, minister", a book entitled "...".
WORK_NOUNS = frozenset("""
study book report film movie programme program documentary song album play novel article paper
poem series show campaign slogan motto headline title column blog podcast exhibition operation
words banner poster caption legend placard
""".split())
NAMING_VERBS = frozenset({"entitle", "title", "name", "rename", "codename", "code-name", "nickname"})

# Words that mark the quoted phrase as the author's scare quotes, with no speaker.
SCARE_MARKERS = frozenset({"so-called", "so called", "quote-unquote", "self-styled", "self-proclaimed"})

# Offices held by one named person at a time: a definite "the minister", "the
# Russian president" points back to the person the article has been discussing.
OFFICE_NOUNS = frozenset("""
president minister secretary chancellor leader premier chairman chairwoman chair governor mayor
king queen prince princess emperor monarch ruler dictator strongman counterpart pm ceo founder
commissioner
""".split())

# People who speak for someone else and usually stay unnamed: "the spokesman said"
# keeps the description rather than borrowing a name.
FUNCTIONARY_NOUNS = frozenset("""
spokesman spokeswoman spokesperson official source aide adviser advisor representative insider
""".split())

# All titles and posts.
ROLE_NOUNS = OFFICE_NOUNS | FUNCTIONARY_NOUNS | frozenset("""
ambassador envoy head chief director senator congressman congresswoman mp lawmaker general
commander diplomat deputy candidate prosecutor judge negotiator delegate executive analyst expert
economist professor researcher scholar author lecturer fellow editor columnist correspondent
co-chairman archbishop bishop
""".split())

# Courtesy titles in front of names ("Ms Hewitt", "Sir Digby Jones").
HONORIFICS = frozenset("""
Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Baroness Baron Rev Reverend Hon
""".split())

# Collective human speakers kept as the noun phrase itself ("Russian officials").
GROUP_NOUNS = frozenset("""
official expert analyst critic diplomat source observer economist minister leader lawmaker mp
colleague researcher journalist reporter officer soldier insider spokesman
campaigner activist resident protester scholar commentator researcher authority policymaker
politician legislator member delegate negotiator spokesman spokeswoman spokesperson representative
investor executive worker union voter citizen opponent supporter ally adviser advisor aide
""".split())

# Institutions that speak in their own name ("the government said").
ORG_NOUNS = frozenset("""
government ministry department party committee commission council office agency administration
embassy parliament cabinet court regime authority presidency kremlin military army navy police
tribunal board bank company firm group organisation organization alliance bloc coalition
media press newspaper site website outlet channel broadcaster network magazine tabloid daily
""".split())

# Documents that "say" things; a definite one ("the statement") points back to a
# named document.
DOCUMENT_NOUNS = frozenset("""
statement declaration communique communiqué document report section text letter resolution treaty
guidance guideline e-mail email message analysis survey poll review investigation inquiry audit
assessment estimate forecast
agreement study paper memo memorandum passage clause article chapter plan strategy doctrine white
paper manifesto charter constitution law bill decree order note readout transcript
""".split())

# Plural descriptions of a pair of actors ("the two countries", "both sides").
DYAD_NOUNS = {"country": "GPE", "nation": "GPE", "state": "GPE", "side": "GPE", "power": "GPE",
              "government": "GPE", "capital": "GPE", "neighbour": "GPE", "neighbor": "GPE",
              "leader": "PERSON", "president": "PERSON", "man": "PERSON", "head": "PERSON"}

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
# Relative pronouns as subjects stand for the noun the clause hangs on.
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})


@lru_cache(maxsize=1)
def capital_countries() -> dict[str, str]:
    """Capital (or seat of government) → country, for metonymic speakers ("Beijing said")."""
    table: dict[str, str] = {}
    with resources.files("dyad.nlp").joinpath("data/quote_capitals.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) >= 2 and row[0] and not row[0].startswith("#"):
                table[row[0].casefold()] = row[1]
    return table
