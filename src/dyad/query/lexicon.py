"""Word lists for question answering: stop words, cue words, expansions.

Everything here is general vocabulary of news about relations between states;
nothing is keyed to particular questions.  Words are matched through their porter
stems (see :mod:`dyad.query.question`), so one inflected form per word is enough
unless the stems differ ("agree" / "agreement").
"""

from __future__ import annotations

# Function words and question scaffolding: never searched for.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren as at be been before being below between both
but by can cannot could couldn did didn do does doesn doing don down during each either else ever few for from
further had hadn has hasn have haven having he her here hers herself him himself his how however i if in into is
isn it its itself just let ll me might more most must mustn my myself neither no nor not now of off on once only
or other others our ours ourselves out over own per quite rather re s same shall shan she should shouldn since so
some still such t than that the their theirs them themselves then there these they this those through thus to too
under until up upon us ve very via was wasn we were weren what whatever when whence where whereas whether which
while who whom whose why will with within without won would wouldn yet you your yours yourself yourselves
""".split())

# Words that talk about the question or the text rather than the world.
META_WORDS = frozenset("""
article articles text piece author writer report mention mentions mentioned name named list listed
main key notable notably particular particularly specific exactly really actually kind sort type
happen happened happens compare compared comparison much many anything something thing things
way ways regard regarding respect
say says said tell told according describe described
""".split())

# Auxiliaries that open a yes/no question.
YES_NO_OPENERS = frozenset("""
is are was were am do does did has have had can could will would should shall may might must
isn aren wasn weren doesn didn hasn haven hadn won wouldn couldn shouldn
""".split())

# Nouns after "what"/"which"/"how" that ask for a kind of answer.
FIGURE_NOUNS = frozenset("""
figure figures number numbers amount amounts volume volumes value values total totals share shares percentage
percentages percent rate rates level levels price prices cost costs size capacity sum sums budget budgets
quantity quantities growth turnover worth count
""".split())
DATE_NOUNS = frozenset("date dates day days year years month months time times week weeks period".split())
PERSON_NOUNS = frozenset("""
person people official officials leader leaders minister ministers executive executives president presidents
head heads delegation delegate delegates member members spokesman spokeswoman spokesperson diplomat diplomats
envoy envoys expert experts analyst analysts ceo ceos chief chiefs representative representatives
""".split())
PLACE_NOUNS = frozenset("""
country countries city cities place places region regions state states nation nations capital capitals location
locations
""".split())
QUOTE_VERBS = frozenset("""
say said says tell told describe described characterise characterised characterize characterized
claim claimed warn warned remark remarked comment commented stated
""".split())
OUTCOME_WORDS = frozenset("""
outcome outcomes result results agree agreed agreement agreements deal deals sign signed signing accord accords
treaty treaties contract contracts conclude concluded achieve achieved achievement achievements deliverable
deliverables produce produced document documents
""".split())

# Words found in sentences that answer a kind of question (compared as written,
# lower-cased: the stem of "signed" is also that of "a sign of").
# (not "outcome" or "result": a sentence using the question's own word is often
# talk about outcomes, "what this visit and its outcomes mean", not one of them;
# not "sign" or "accord", whose stems are also "a sign of" and "according to")
OUTCOME_CUES = frozenset("""
agree agreed agrees agreeing agreement agreements deal deals contract contracts signed signing treaty treaties
pact pacts memorandum memoranda statement statements declaration declarations
""".split())
# Nouns that name the kind of answer rather than its content: searched for, but
# weighted down, since answers state figures or outcomes without saying so.
TYPE_NOUNS = {
    **dict.fromkeys("outcome outcomes result results".split(), "OUTCOME"),
    **dict.fromkeys("figure figures number numbers amount amounts".split(), "FIGURE"),
    **dict.fromkeys("date dates".split(), "DATE"),
    **dict.fromkeys("reason reasons".split(), "REASON"),
}
REASON_CUES = frozenset("because given due since as owing thanks reason reasons so therefore hence result".split())
NEGATION_CUES = frozenset("""
no not never nor none neither without lack lacked lacking denied deny denies refused refuse refuses rejected
reject failed fail unlikely doesn isn wasn weren didn hasn haven won cannot
""".split())

# A sentence opening with one of these (after an optional connective) continues
# the one before it: "This comes against the background of …", "But he did not …".
ANAPHORS = frozenset("this these that those it its they them their he his she her such both there".split())
CONNECTIVES = frozenset("""
and but however moreover yet still also meanwhile instead so thus hence indeed nonetheless nevertheless
furthermore besides importantly notably
""".split())

# Groups of words that stand in for each other in questions and answers.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("agreement", "deal", "contract", "accord", "treaty", "pact", "memorandum"),
    ("agree", "sign", "conclude", "seal", "strike"),
    ("outcome", "result", "achievement", "deliverable", "agreement"),
    ("visit", "trip", "tour", "journey", "travel", "meeting", "summit", "talks"),
    ("meeting", "meet", "met", "talks", "summit", "forum", "visit"),
    ("official", "minister", "delegation", "head", "chief", "executive", "aide", "envoy", "representative"),
    ("leader", "president", "premier", "chancellor", "head"),
    ("trade", "turnover", "commerce", "exports", "imports"),
    ("grow", "grew", "grown", "growth", "increase", "rise", "rose", "risen", "jump", "boost", "expand", "surge"),
    ("decline", "fall", "fell", "fallen", "drop", "decrease", "shrink", "slump", "plunge"),
    ("forecast", "predict", "expect", "project", "estimate", "anticipate"),
    ("weapon", "arms", "ammunition", "munitions", "shells", "missiles", "drones"),
    ("supply", "provide", "deliver", "send", "ship", "export"),
    ("support", "back", "backing", "endorse", "help", "aid", "assist"),
    ("describe", "call", "characterise", "characterize", "label", "term", "portray"),
    ("document", "statement", "declaration", "agreement", "treaty", "communique"),
    ("criticise", "criticize", "condemn", "denounce", "accuse", "blame"),
    ("sanction", "restriction", "embargo", "penalty", "ban"),
    ("attack", "strike", "assault", "bombing", "offensive", "invasion"),
    ("threaten", "threat", "warn", "warning"),
    ("refuse", "reject", "deny", "rebuff"),
    ("attend", "attendance", "participate", "participant", "attendee", "attract", "join"),
    ("interest", "interested", "need", "want", "keen", "eager"),
    ("capacity", "volume", "throughput", "output"),
    ("background", "context", "backdrop"),
    ("highlight", "stress", "emphasise", "emphasize", "underline", "attention"),
    ("accompany", "delegation", "join", "include", "bring", "brought"),
    ("revive", "resume", "restart", "relaunch", "renew"),
    ("concrete", "tangible", "meaningful", "substantive", "specific"),
    ("progress", "advance", "breakthrough"),
    ("openly", "publicly", "explicitly", "overtly"),
    ("schedule", "plan", "due", "set"),
    ("announce", "declare", "unveil", "release", "publish"),
    ("cooperation", "cooperate", "collaboration", "partnership", "coordination"),
    ("relations", "relationship", "ties"),
    ("war", "conflict", "invasion", "fighting"),
    ("economy", "economic"),
    ("military", "defence", "defense", "army"),
    ("gas", "energy", "pipeline"),
    ("oil", "energy", "crude"),
    ("money", "funding", "finance", "investment"),
    ("miss", "skip", "absent", "away"),
    ("arrest", "warrant", "indictment"),
)

# Demonyms and metonyms: a country, its adjective, its capital and seat of power.
PLACE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("china", "chinese", "beijing", "prc"),
    ("russia", "russian", "russians", "moscow", "kremlin"),
    ("united states", "us", "u.s", "american", "americans", "washington", "america", "white house"),
    ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    ("europe", "european", "europeans", "eu", "brussels"),
    ("britain", "british", "uk", "london"),
    ("france", "french", "paris", "elysee"),
    ("germany", "german", "berlin"),
    ("india", "indian", "delhi"),
    ("japan", "japanese", "tokyo"),
    ("iran", "iranian", "tehran"),
    ("israel", "israeli", "israelis"),
    ("turkey", "turkish", "ankara", "turkiye"),
    ("north korea", "north korean", "pyongyang", "dprk"),
    ("south korea", "south korean", "seoul"),
    ("taiwan", "taiwanese", "taipei"),
    ("belarus", "belarusian", "minsk"),
    ("kazakhstan", "kazakh", "astana"),
    ("mongolia", "mongolian", "ulaanbaatar"),
    ("africa", "african"),
    ("asia", "asian"),
)
