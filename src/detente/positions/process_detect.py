"""Which peace process a document is about, from the belligerents it names.

The coding pipeline does not know which process a document belongs to, yet positions and
process records are only comparable within one process (scales, maximal demands, the
aliases that resolve "Kyiv" or "Hamas"). Belligerents decide it, not third parties: the
United States is a party to several processes and names none of them.

A curated process (``data/processes``) is found by its belligerents' names in the text. Any
other conflict is a process too: the dyad the document's events set against each other
(attacks, threats, accusations, and the parties of exchanges, ceasefires and talks), less
mediators, names an automatic process (``auto:ARM-AZE``; one code for an internal conflict,
``auto:ETH``), so that India–Pakistan or DRC–M23 get positions and process records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from detente.coding.models import Event
from detente.positions.taxonomy import auto_process_name, load_process, process_names

MIN_MENTIONS = 2
MIN_DYAD_WEIGHT = 2
CONFLICT_TYPES = frozenset(
    {"ASSAULT", "COERCE", "THREATEN", "ACCUSE", "PROTEST", "SANCTION", "MOBILIZE", "REJECT"}
)
"""Event types that set two sides against each other."""
TOPIC_WEIGHT = 2
"""An exchange, ceasefire or talks is between belligerents more surely than a clash is."""


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


def curated_process(text: str) -> str | None:
    """The process file whose belligerents the text names most — more sides first, then more
    mentions; ``None`` when no process is named at least twice or two tie."""
    scored = []
    for name, sides in _patterns():
        counts = [len(pattern.findall(text)) for _, pattern in sides]
        scored.append(((sum(1 for c in counts if c), sum(counts)), name))
    scored.sort(reverse=True)
    if not scored or scored[0][0][1] < MIN_MENTIONS:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _is_state(code: str | None) -> bool:
    return bool(code) and len(code) == 3 and code.isalpha() and code.isupper() and code != "IGO"


def event_dyad(events: Iterable[Event]) -> tuple[str, ...] | None:
    """The pair of sides the document's events most often set against each other; a single
    code when a state's government and its armed groups are the sides."""
    weights: Counter[tuple[str, ...]] = Counter()
    for event in events:
        if event.topic is None and event.event_type not in CONFLICT_TYPES:
            continue
        weight = TOPIC_WEIGHT if event.topic else 1
        mediator = event.mediator.code if event.mediator else None
        refs = [*event.actor, *event.recipient, *event.parties, *event.releasing]
        refs = [r for r in refs if _is_state(r.code) and r.code != mediator]
        codes = sorted({r.code for r in refs} | {p.side for p in event.released if p.side})
        codes = [c for c in codes if c != mediator and _is_state(c)]
        if len(codes) >= 2:
            for pair in combinations(codes, 2):
                weights[pair] += weight
        elif len(codes) == 1 and len({r.sector for r in refs if r.sector}) > 1:
            weights[(codes[0],)] += weight
    if not weights:
        return None
    dyad, weight = weights.most_common(1)[0]
    return dyad if weight >= MIN_DYAD_WEIGHT else None


def detect_process(text: str, events: Iterable[Event] = ()) -> str | None:
    """The curated process the text names, else the one whose belligerents are the events'
    dyad, else an automatic process for that dyad; ``None`` when neither is clear."""
    curated = curated_process(text)
    if curated is not None:
        return curated
    dyad = event_dyad(events)
    if dyad is None:
        return None
    for name in process_names():
        if set(dyad) <= set(load_process(name).belligerents()) and len(dyad) > 1:
            return name
    return auto_process_name(dyad)
