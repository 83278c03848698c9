import re
from pathlib import Path

import pytest

from detente.analysis.settings import SettingsError, load_settings, parse_settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "signal_index.md"


def _raw() -> dict:
    return {
        "signal_index": {
            "cooperative": {"event_types": ["AGREE"], "speech_acts": ["offer"]},
            "conflictual": {"event_types": ["ASSAULT"], "speech_acts": ["reject"]},
            "modality_weights": {"asserted": 1, "reported": 0.8, "future": 0.6,
                                 "speculative": 0.3, "hypothetical": 0.2, "negated": 0},
            "source_diversity": {"full_at": 4},
        },
        "negotiation_space": {"tolerance": 10, "stance_factors": {"favor": 1, "against": 0.5}},
    }  # fmt: skip


def test_packaged_settings_load_with_polarities_and_weights():
    signal, space = load_settings()
    assert signal.event_polarity["AGREE"] == 1 and signal.event_polarity["ASSAULT"] == -1
    assert signal.speech_act_polarity["precondition"] == -1
    assert "ACCUSE" not in signal.event_polarity and "demand" not in signal.speech_act_polarity
    assert signal.modality_weights["asserted"] == 1.0 and signal.full_diversity_at == 4
    assert space.tolerance == 15 and space.stance_factors["against"] == 0.5
    assert space.min_parties == 2


def test_a_type_listed_on_both_sides_is_refused():
    raw = _raw()
    raw["signal_index"]["conflictual"]["event_types"].append("AGREE")
    with pytest.raises(SettingsError, match="AGREE"):
        parse_settings(raw)


def test_modality_weights_must_cover_every_modality_within_0_and_1():
    raw = _raw()
    del raw["signal_index"]["modality_weights"]["negated"]
    with pytest.raises(SettingsError):
        parse_settings(raw)
    raw = _raw()
    raw["signal_index"]["modality_weights"]["future"] = 2
    with pytest.raises(SettingsError):
        parse_settings(raw)


def test_min_parties_defaults_to_two():
    assert parse_settings(_raw())[1].min_parties == 2


def test_documentation_lists_the_same_signals_as_the_data_file():
    signal, _ = load_settings()
    text = DOC.read_text(encoding="utf-8")
    for polarity, name in ((1, "cooperative"), (-1, "conflictual")):
        row = re.search(rf"^\s*\| {name}, [^|]+\| ([^|]+) \| ([^|]+) \|$", text, re.M)
        assert row, name
        types = {t.strip() for t in row.group(1).split(",")}
        acts = {a.strip() for a in row.group(2).split(",")}
        assert types == {t for t, p in signal.event_polarity.items() if p == polarity}
        assert acts == {a for a, p in signal.speech_act_polarity.items() if p == polarity}
    weights = ", ".join(f"{m} {w:.1f}".replace(" 0.0", " 0") for m, w in
                        signal.modality_weights.items())  # fmt: skip
    assert weights in " ".join(text.split())
