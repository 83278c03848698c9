"""The PLOVER ontology loaded from ``data/plover.yml``: types, quad classes, scores."""

from __future__ import annotations

from functools import lru_cache

from detente.data import packaged


@lru_cache(maxsize=1)
def ontology() -> dict:
    return packaged("plover.yml")


def score(event_type: str, mode: str | None = None) -> float:
    """PLOVER conflict–cooperation score of a type, refined by its mode when the table has one."""
    entry = ontology()["types"][event_type]
    if mode and mode in entry["modes"]:
        return float(entry["modes"][mode])
    return float(entry["score"])


def quad(event_type: str) -> str:
    return ontology()["types"][event_type]["quad"]


def normalise_label(label: str) -> tuple[str, str | None]:
    """Map a current or legacy label (``DEMAND``, ``FIGHT``…) to ``(type, mode)``."""
    label = label.strip().upper()
    mapped = ontology()["legacy"].get(label, label)
    event_type, _, mode = mapped.partition(":")
    return event_type, (mode or None)
