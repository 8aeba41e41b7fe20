"""A gazetteer of states shipped with the package: names, aliases, demonyms, capitals, seats.

``data/states.tsv`` was generated once from the data of the countryinfo and
pycountry packages (names, capitals, demonyms) and edited by hand (short forms
such as "the US", seats of government such as "Kremlin").  Loading it needs no
third-party package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from dyad.resolve.names import name_key

# How a name relates to the state it can stand for.
STATE, CAPITAL, DEMONYM, SEAT = "state", "capital", "demonym", "seat"


@dataclass(frozen=True)
class State:
    """One state of the gazetteer."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    seats: tuple[str, ...]


class Gazetteer:
    """Look up a name: which state it is or stands for, and how."""

    def __init__(self, states: list[State]) -> None:
        self.states = {s.iso3: s for s in states}
        self._index: dict[str, tuple[str, str]] = {}
        # Later kinds never override earlier ones: a state's own name wins over
        # another state's capital of the same spelling.
        for kind, attr in ((STATE, "name"), (STATE, "aliases"), (DEMONYM, "demonyms"),
                           (CAPITAL, "capitals"), (SEAT, "seats")):
            for state in states:
                values = getattr(state, attr)
                for value in (values,) if isinstance(values, str) else values:
                    self._index.setdefault(name_key(value), (state.iso3, kind))

    def lookup(self, name: str) -> tuple[str, str] | None:
        """``(iso3, relation)`` for a state name, alias, demonym, capital or seat; else None.

        >>> gazetteer().lookup("the Kremlin")
        ('RUS', 'seat')
        """
        return self._index.get(name_key(name))

    def state_of(self, name: str) -> str | None:
        """The ISO code when ``name`` is the name or an alias of a state itself."""
        hit = self.lookup(name)
        return hit[0] if hit and hit[1] == STATE else None

    def name(self, iso3: str) -> str:
        """The state's English short name."""
        return self.states[iso3].name

    def states_in(self, text: str) -> list[str]:
        """ISO codes of the states named in ``text`` (names, aliases or demonyms), in order."""
        words = name_key(text).split()
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in (4, 3, 2, 1):
                hit = self._index.get(" ".join(words[i:i + size]))
                if hit and hit[1] in (STATE, DEMONYM):
                    if hit[0] not in found:
                        found.append(hit[0])
                    i += size
                    break
            else:
                i += 1
        return found


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v for v in cell.split("|") if v)


@functools.cache
def gazetteer() -> Gazetteer:
    """The packaged gazetteer (loaded once)."""
    text = (resources.files("dyad.resolve") / "data" / "states.tsv").read_text(encoding="utf-8")
    states = []
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("iso3\t"):
            continue
        iso3, name, aliases, demonyms, capitals, seats = (line.split("\t") + [""] * 6)[:6]
        states.append(State(iso3, name, _split(aliases), _split(demonyms), _split(capitals), _split(seats)))
    return Gazetteer(states)
