"""Which peace process a document is about, from the names of its belligerents.

The coding pipeline does not know which process a document belongs to, yet positions and
process records are only comparable within one process (scales, maximal demands, the
aliases that resolve "Kyiv" or "Hamas"). Belligerents decide it, not third parties: the
United States is a party to several processes and names none of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from detente.positions.taxonomy import load_process, process_names

MIN_MENTIONS = 2


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


def detect_process(text: str) -> str | None:
    """The process whose belligerents the text names most — more sides first, then more
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
