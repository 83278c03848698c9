from __future__ import annotations

import pytest

from detente.positions.taxonomy import (
    TaxonomyError,
    load_process,
    load_taxonomy,
    parse_process,
    process_names,
)

REQUIRED = {
    "talks",
    "ceasefire",
    "territory",
    "forces",
    "alliances",
    "presence",
    "humanitarian",
    "sanctions",
    "accountability",
    "governance",
    "nuclear",
    "agreement",
}


def test_taxonomy_has_every_required_issue_with_subissues_cues_and_scale():
    taxonomy = load_taxonomy()
    assert set(taxonomy.issues) >= REQUIRED
    for issue in taxonomy.issues.values():
        assert issue.sub_issues, issue.id
        assert issue.cues, issue.id
        anchors = issue.scale.anchors
        assert min(anchors) == 0 and max(anchors) == 100
        assert 2 <= len(anchors) - 2 <= 4, issue.id
        assert issue.crosswalk.get("plover"), issue.id


def test_sanctions_scale_labels_the_poles_and_phased_relief():
    scale = load_taxonomy()["sanctions"].scale
    assert scale.label_for(100) == "immediate full lifting"
    assert scale.label_for(48) == "phased relief tied to compliance"
    assert scale.label_for(0) == "sanctions kept or expanded"


def test_subissue_scale_overrides_the_issue_scale():
    alliances = load_taxonomy()["alliances"]
    assert alliances.scale_for("arms_supplies").label_for(0) == "all arms supplies stopped"
    assert alliances.scale_for("nato_membership").label_for(100) == "full NATO membership"


def test_both_process_files_load_and_name_their_parties():
    assert {"russia-ukraine", "israel-hamas"} <= set(process_names())
    ru = load_process("russia-ukraine")
    assert ru.belligerents() == ["RUS", "UKR"]
    assert ru.maximal["sanctions"] == {"RUS": 100.0, "UKR": 0.0}
    assert ru.party_for("the Kremlin").code == "RUS"
    gaza = load_process("israel-hamas")
    assert gaza.belligerents() == ["ISR", "PSE"]
    assert "ceasefire" in gaza.issues and "territory" not in gaza.issues
    assert gaza.scale(load_taxonomy(), "governance").label_for(100).startswith("Hamas excluded")


def test_process_scale_override_replaces_taxonomy_anchors():
    ru = load_process("russia-ukraine")
    assert "Crimea included" in ru.scale(load_taxonomy(), "territory").label_for(0)


def test_process_file_with_unknown_issue_or_party_is_refused():
    with pytest.raises(TaxonomyError):
        parse_process({"name": "x", "issues": ["weather"], "parties": []})
    with pytest.raises(TaxonomyError):
        parse_process(
            {
                "name": "x",
                "issues": ["talks"],
                "parties": [{"code": "AAA"}],
                "maximal": {"talks": {"BBB": 10}},
            }
        )


def test_process_is_detected_from_the_belligerents_named():
    from detente.positions.process_detect import detect_process

    assert detect_process("Kyiv said Moscow had shelled Kharkiv again.") == "russia-ukraine"
    assert detect_process("Hamas and Israel traded fire; Netanyahu spoke.") == "israel-hamas"
    assert detect_process("The United States held talks with Canada.") is None
