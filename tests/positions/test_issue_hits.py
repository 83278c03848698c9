"""At least one cue sentence per issue of the taxonomy."""

from __future__ import annotations

import pytest

from detente.positions.issue_hits import find_issue_hits
from detente.positions.taxonomy import load_taxonomy

SENTENCES = {
    "talks": ("The delegations will meet for peace talks in Istanbul.", None),
    "ceasefire": ("An energy ceasefire was announced on Tuesday.", "scope"),
    "territory": ("Moscow wants recognition of its annexation of Crimea.", "recognition"),
    "forces": ("The plan creates a demilitarized zone along the river.", "dmz"),
    "alliances": ("Kyiv still hopes to join NATO one day.", "nato_membership"),
    "presence": ("European peacekeepers could deploy after a truce.", "contributors"),
    "humanitarian": ("The return of deported children is a priority.", "children"),
    "sanctions": ("Washington is considering sanctions relief.", "relief"),
    "accountability": ("A special tribunal would try the crime of aggression.", "tribunals"),
    "governance": ("Moscow insists on new elections in Ukraine.", "elections"),
    "nuclear": ("The IAEA inspected the Zaporizhzhia nuclear power plant.", "nuclear_plants"),
    "agreement": ("The framework agreement has no snapback clause.", "framework"),
    "security_architecture": ("Talks on the New START successor have stalled.", "arms_control"),
}


def test_every_issue_has_a_test_sentence():
    assert set(SENTENCES) == set(load_taxonomy().issues)


@pytest.mark.parametrize("issue", sorted(SENTENCES))
def test_issue_cue_sentence(nlp, issue):
    text, sub_issue = SENTENCES[issue]
    hits = find_issue_hits(next(nlp(text).sents))
    mine = [h for h in hits if h.issue == issue]
    assert mine, f"{issue} not found in {text!r}: {hits}"
    if sub_issue:
        assert sub_issue in {h.sub_issue for h in mine}


def test_value_cue_places_the_phrase_on_the_scale(nlp):
    sent = next(nlp("Russia demanded the lifting of all Western sanctions.").sents)
    (hit,) = [h for h in find_issue_hits(sent) if h.issue == "sanctions"]
    assert (hit.value, hit.sub_issue) == (100.0, "relief")


def test_process_restricts_issues(nlp):
    sent = next(nlp("Moscow wants recognition of its annexation of Crimea.").sents)
    assert find_issue_hits(sent, issues=["talks"]) == []
