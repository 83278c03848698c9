"""Wars a story may name only by their place, read from ``data/wars.yml`` — the one reader.

"The warring parties in Yemen", "Sudan's rival factions": such a phrase names the sides of
the war fought there at the time. The actor resolver (:mod:`detente.coding.context`, through
:meth:`ActorDictionary.belligerents <detente.coding.actors.ActorDictionary.belligerents>`)
binds the phrase to those sides, and process detection
(:func:`detente.positions.process_detect.war_sides`) names the story's process by them;
both read the wars here, so both take the same sides for the same war in the same year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from detente.data import packaged


@dataclass(frozen=True)
class War:
    places: tuple[str, ...]
    """The names a story gives the war's place ("Yemen", "Yemeni")."""
    sides: tuple[str, ...]
    """Its belligerents' codes; one code when a government fights its own armed groups."""
    start: int
    """The year it began."""
    end: int | None
    """The year it ended; ``None`` while it is fought."""

    def fought_in(self, year: int | None) -> bool:
        """Whether the war was fought in ``year``; without a year (an undated story),
        whether it is fought still."""
        if year is None:
            return self.end is None
        return self.start <= year <= (self.end if self.end is not None else year)


@lru_cache(maxsize=1)
def wars() -> tuple[War, ...]:
    """Every war of ``data/wars.yml``, in file order."""
    return tuple(
        War(
            places=tuple(str(p) for p in war["places"]),
            sides=tuple(str(s) for s in war["sides"]),
            start=int(war.get("from", 0)),
            end=None if war.get("to") is None else int(war["to"]),
        )
        for war in packaged("wars.yml")["wars"]
    )
