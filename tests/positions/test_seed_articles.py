"""End to end on the seed articles: the key positions of 001 and 004 and the swap of 000."""

from __future__ import annotations

import pytest

from detente.coding.coder import EventCoder
from detente.ingest.models import Document
from detente.positions.extractor import code_positions
from detente.positions.process_records import extract_process_records

pytestmark = pytest.mark.shared


def _article(shared_dir, prefix: str) -> str:
    (path,) = (shared_dir / "corpus" / "seed-articles").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _positions(nlp, shared_dir, prefix, published):
    text = _article(shared_dir, prefix)
    document = Document(doc_id=prefix, clean_text=text, published=published)
    return code_positions(document, nlp(text), [], process="russia-ukraine")


def test_001_us_against_nato_membership_and_russia_demands_lifting(nlp, shared_dir):
    positions = _positions(nlp, shared_dir, "001", "2025-02-13")
    nato = [p for p in positions if p.actor.code == "USA" and p.sub_issue == "nato_membership"]
    assert nato and nato[0].stance == "against" and nato[0].speech_act == "reject"
    assert nato[0].modality == "asserted"
    lifting = [
        p
        for p in positions
        if p.actor.code == "RUS" and p.issue == "sanctions" and p.speech_act == "demand"
    ]
    assert lifting and lifting[0].position == 100
    phased = [p for p in positions if p.actor.code == "USA" and p.issue == "sanctions"]
    assert phased and all(p.modality in {"hypothetical", "speculative"} for p in phased)


def test_004_russia_makes_arms_supplies_a_precondition_for_talks(nlp, shared_dir):
    positions = _positions(nlp, shared_dir, "004", "2024-02-08")
    arms = [p for p in positions if p.actor.code == "RUS" and p.sub_issue == "arms_supplies"]
    assert arms and arms[0].speech_act == "precondition" and arms[0].condition_for == "talks"
    assert arms[0].stance == "against"


def test_000_prisoner_swap(nlp, shared_dir):
    text = _article(shared_dir, "000")
    document = Document(doc_id="000", clean_text=text, published="2022-09-23")
    events = EventCoder(nlp=nlp).code_text(text, doc_id="000", published="2022-09-23")
    swaps = [
        r
        for r in extract_process_records(document, events, "russia-ukraine")
        if r.kind == "exchange"
    ]
    assert len(swaps) == 1
    assert swaps[0].numbers == {"RUS": 215, "UKR": 55}
    assert "named: Viktor Medvedchuk" in swaps[0].categories
