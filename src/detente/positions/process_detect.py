"""Which peace process a document is about, from the belligerents it names.

The coding pipeline does not know which process a document belongs to, yet positions and
process records are only comparable within one process (scales, maximal demands, the
aliases that resolve "Kyiv" or "Hamas"). Belligerents decide it, not third parties: the
United States is a party to several processes and names none of them.

A curated process (``data/processes``) is found by its belligerents' names in the text. Any
other conflict is a process too: the dyad the document's events set against each other
(attacks, threats, accusations, and the parties of exchanges, ceasefires and talks), less
mediators, names an automatic process (``auto:ARM-AZE``; one code for an internal conflict,
``auto:ETH``), so that India–Pakistan or DRC–M23 get positions and process records. A war a
story names only by its place ("the warring parties in Yemen") takes its sides from
:mod:`detente.coding.wars`, as the actor resolver does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from detente.coding.models import Event
from detente.coding.wars import War, wars
from detente.positions.taxonomy import auto_process_name, load_process, process_names

MIN_MENTIONS = 2
MIN_DYAD_WEIGHT = 2
CONFLICT_WEIGHTS = {
    "ASSAULT": 3,
    "COERCE": 2,
    "MOBILIZE": 2,
    "THREATEN": 2,
    "ACCUSE": 1,
    "PROTEST": 1,
    "SANCTION": 1,
    "REJECT": 1,
}
"""Event types that set two sides against each other; violence most surely."""
SPEECH_TYPES = frozenset({"ACCUSE", "PROTEST", "REJECT", "REQUEST", "SUPPORT"})
"""Who accuses someone of breaking a truce, or asks for one, is not thereby a side to it."""
JOINT_TYPES = frozenset({"AGREE", "CONCEDE", "CONSULT", "RETREAT"})
"""Types whose coordinated actors ("Armenia and Azerbaijan agreed") are often the sides."""
TOPIC_WEIGHTS = {"exchange": 4, "ceasefire": 4, "talks": 1}
"""Prisoners and ceasefires are exchanged and agreed between belligerents; talks are held
with mediators and allies too. A proposal ("the first attempt to end the fighting") sets
no one against anyone."""


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, tuple[tuple[str, re.Pattern], ...]], ...]:
    """Per process, one alternation of aliases per belligerent."""
    table = []
    for name in process_names():
        process = load_process(name)
        sides = []
        for party in process.parties:
            if party.role != "belligerent":
                continue
            aliases = sorted({party.name, *party.aliases}, key=len, reverse=True)
            alternation = "|".join(re.escape(a) for a in aliases)
            sides.append((party.code, re.compile(rf"(?<![\w-])(?:{alternation})", re.IGNORECASE)))
        table.append((name, tuple(sides)))
    return tuple(table)


@lru_cache(maxsize=8)
def curated_process(text: str) -> str | None:
    """The process file whose belligerents the text names most — more sides first, then more
    mentions; ``None`` when no process has two sides named, at least twice, or two tie.
    (Remembered for the last few texts: positions and process records both ask.)"""
    scored = []
    for name, sides in _patterns():
        counts = [len(pattern.findall(text)) for _, pattern in sides]
        scored.append(((sum(1 for c in counts if c), sum(counts)), name))
    scored.sort(reverse=True)
    if not scored or scored[0][0][1] < MIN_MENTIONS or scored[0][0][0] < 2:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


_WARRING = r"(?:warring|rival|opposing|conflicting|fighting)\s+(?:parties|sides|factions|forces)"


@lru_cache(maxsize=1)
def _war_mentions() -> tuple[tuple[re.Pattern, War], ...]:
    """Per war (:func:`detente.coding.wars.wars`): one pattern for "warring parties in X"
    and "X's rival factions"."""
    table = []
    for war in wars():
        places = "|".join(re.escape(p) for p in sorted(war.places, key=len, reverse=True))
        pattern = re.compile(
            rf"{_WARRING}\s+(?:in|of)\s+(?:the\s+)?(?:{places})\b"
            rf"|\b(?:{places})(?:['’]?s)?\s+{_WARRING}",
            re.IGNORECASE,
        )
        table.append((pattern, war))
    return tuple(table)


def war_sides(text: str, year: int | None = None) -> tuple[str, ...] | None:
    """The belligerents of the war a text names by its place ("the warring parties in
    Yemen"), fought in ``year`` (without one, fought still); ``None`` when it names none,
    or two."""
    found = {war.sides for pattern, war in _war_mentions()
             if war.fought_in(year) and pattern.search(text)}  # fmt: skip
    return next(iter(found)) if len(found) == 1 else None


def _is_state(code: str | None) -> bool:
    return bool(code) and len(code) == 3 and code.isalpha() and code.isupper() and code != "IGO"


def dyad_weights(events: Iterable[Event]) -> Counter[tuple[str, ...]]:
    """How strongly the document's events set each pair of sides against each other (a
    single code when a state's government and its armed groups are the sides); a state the
    document names as a mediator is no side unless it fights, or swaps prisoners or agrees a
    truce with another side (in more events than it is named mediating in, and in two at
    least)."""
    weights: Counter[tuple[str, ...]] = Counter()
    events = list(events)
    fights = Counter(
        a.code
        for e in events
        if e.event_type in CONFLICT_WEIGHTS
        or (e.topic in {"exchange", "ceasefire"} and len({a.code for a in e.actor}) > 1)
        for a in e.actor
    )
    named = Counter(e.mediator.code for e in events if e.mediator and e.mediator.code)
    # one attack or accusation read off a mediator's sentence does not outweigh its role
    mediators = {code for code, n in named.items() if fights[code] < max(2, n)}
    for event in events:
        joint = event.event_type in JOINT_TYPES and len({a.code for a in event.actor}) > 1
        if (
            event.topic
            and event.stage != "proposed"
            and event.occasion != "mentioned"
            and event.event_type not in SPEECH_TYPES
        ):
            weight = TOPIC_WEIGHTS[event.topic]
        elif event.event_type in CONFLICT_WEIGHTS:
            weight = CONFLICT_WEIGHTS[event.event_type]
        elif joint:
            weight = 1
        else:
            continue
        refs = [*event.actor, *event.recipient, *event.parties, *event.releasing]
        refs = [r for r in refs if _is_state(r.code) and r.code not in mediators]
        codes = sorted({r.code for r in refs} | {p.side for p in event.released if p.side})
        codes = [c for c in codes if c not in mediators and _is_state(c)]
        if len(codes) >= 2:
            for pair in combinations(codes, 2):
                weights[pair] += weight
        elif len(codes) == 1 and len({r.sector for r in refs if r.sector}) > 1:
            weights[(codes[0],)] += weight
    return weights


def detect_process(text: str, events: Iterable[Event] = ()) -> str | None:
    """The curated process the text names, unless the document's events set another dyad
    against each other clearly more; else the curated process whose belligerents that dyad
    is, else an automatic process for it; ``None`` when neither is clear."""
    events = list(events)
    curated = curated_process(text)
    weights = dyad_weights(events)
    top = weights.most_common(1)
    years = [int(e.date[:4]) for e in events if e.date and e.date[:4].isdigit()]
    war = None if curated else war_sides(text, years[0] if years else None)
    if war is not None and (
        not top or top[0][1] < MIN_DYAD_WEIGHT or set(top[0][0]) & set(war)
    ):
        # "Sudan's rival factions agreed …": the war named outweighs a dyad the events
        # half share with it (a mediator or a source read as a side)
        return _named(war)
    if not top or top[0][1] < MIN_DYAD_WEIGHT:
        return curated
    dyad, weight = top[0]
    if curated is not None:
        sides = sorted(load_process(curated).belligerents())
        own = sum(w for pair, w in weights.items() if set(pair) <= set(sides))
        if own * 2 >= weight or set(dyad) <= set(sides):
            return curated
    return _named(dyad)


def _named(dyad: Iterable[str]) -> str:
    """The process file whose belligerents the dyad is, else its automatic process."""
    dyad = tuple(dyad)
    for name in process_names():
        if len(dyad) > 1 and set(dyad) <= set(load_process(name).belligerents()):
            return name
    return auto_process_name(dyad)
