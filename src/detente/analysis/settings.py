"""The numbers and lists behind the signal index and the negotiation space, read from
``data/signal.yml`` once, so a political scientist can change a weight without touching
code. Typos fail loudly here rather than silently zeroing a signal later.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from detente.coding.models import MODALITIES
from detente.data import load_yaml


class SettingsError(ValueError):
    """``data/signal.yml`` cannot be used as written."""


@dataclass(frozen=True)
class SignalSettings:
    event_polarity: dict[str, int]
    speech_act_polarity: dict[str, int]
    modality_weights: dict[str, float]
    full_diversity_at: int


@dataclass(frozen=True)
class SpaceSettings:
    tolerance: float
    stance_factors: dict[str, float]
    min_parties: int


def _polarity(raw: dict, key: str) -> dict[str, int]:
    coop = raw["cooperative"].get(key) or []
    conf = raw["conflictual"].get(key) or []
    both = set(coop) & set(conf)
    if both:
        raise SettingsError(f"signal.yml: {sorted(both)} listed as cooperative and conflictual")
    return {**{k: 1 for k in coop}, **{k: -1 for k in conf}}


def parse_settings(data: dict) -> tuple[SignalSettings, SpaceSettings]:
    sig, space = data["signal_index"], data["negotiation_space"]
    weights = {str(k): float(v) for k, v in sig["modality_weights"].items()}
    if set(weights) != set(MODALITIES):
        raise SettingsError(f"signal.yml: modality_weights must name exactly {MODALITIES}")
    if any(not 0 <= w <= 1 for w in weights.values()):
        raise SettingsError("signal.yml: modality weights must lie between 0 and 1")
    full_at = int(sig["source_diversity"]["full_at"])
    if full_at < 1:
        raise SettingsError("signal.yml: source_diversity.full_at must be at least 1")
    signal = SignalSettings(
        event_polarity=_polarity(sig, "event_types"),
        speech_act_polarity=_polarity(sig, "speech_acts"),
        modality_weights=weights,
        full_diversity_at=full_at,
    )
    factors = {str(k): float(v) for k, v in space["stance_factors"].items()}
    return signal, SpaceSettings(
        tolerance=float(space["tolerance"]),
        stance_factors=factors,
        min_parties=int(space.get("min_parties", 2)),
    )


@lru_cache(maxsize=1)
def load_settings() -> tuple[SignalSettings, SpaceSettings]:
    text = resources.files("detente.data").joinpath("signal.yml").read_text(encoding="utf-8")
    return parse_settings(load_yaml(text))


def signal_settings() -> SignalSettings:
    return load_settings()[0]


def space_settings() -> SpaceSettings:
    return load_settings()[1]
