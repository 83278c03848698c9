"""Scoring against gold records: loading the PLOVER GSR format, counts, P/R/F1, the report.

``tests/fixtures/plover_tiny_gold.json`` holds nine records written for these tests:
legacy labels, old country codes, a sentence with two records, a deliberate miss (no
trigger) and a deliberate false positive (an arrest the gold does not list).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.coding.coder import EventCoder
from detente.coding.models import EVENT_TYPES
from detente.evaluation.plover import TypeScore, evaluate, load_gold, normalise_code

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "plover_tiny_gold.json"


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def report(nlp, gold):
    return evaluate(EventCoder(nlp=nlp), gold)


def test_loader_skips_documentation_unknown_labels_and_empty_text(gold):
    assert len(gold) == 9
    assert not {"TINY-DOCUMENT-0001", "TINY-UNKNOWN-0001", "TINY-EMPTY-0001"} & {r.id for r in gold}


def test_legacy_labels_are_mapped(gold):
    by_id = {r.id: r for r in gold}
    assert by_id["TINY-DEMAND-0001"].event_type == "REQUEST"
    assert (by_id["TINY-DISAPPROVE-0001"].event_type, by_id["TINY-DISAPPROVE-0001"].mode) == (
        "ACCUSE",
        "disapprove",
    )
    assert by_id["TINY-FIGHT-0001"].event_type == "ASSAULT"


def test_codes_are_normalised(gold):
    agree = next(r for r in gold if r.id == "TINY-AGREE-0001")
    assert agree.actor_codes == {"JPN", "ITA"}
    assert agree.recipient_codes == frozenset()
    assert normalise_code(" jap ") == "JPN" and normalise_code("ITL") == "ITA"
    assert normalise_code("UKR") == "UKR" and normalise_code(None) is None


def test_overall_counts(report):
    assert (report.records, report.sentences) == (9, 8)
    o = report.overall
    assert (o.gold, o.found, o.predicted, o.correct_predicted) == (9, 8, 10, 9)
    assert o.precision == pytest.approx(0.9)
    assert o.recall == pytest.approx(8 / 9)
    assert o.f1 == pytest.approx(2 * 0.9 * (8 / 9) / (0.9 + 8 / 9))


def test_per_type_counts(report):
    per = report.per_type
    assert (per["ASSAULT"].gold, per["ASSAULT"].found, per["ASSAULT"].predicted) == (2, 2, 2)
    assert (per["CONSULT"].gold, per["CONSULT"].found, per["CONSULT"].f1) == (1, 0, 0.0)
    assert (per["COERCE"].gold, per["COERCE"].predicted, per["COERCE"].precision) == (0, 1, 0.0)
    assert (per["SANCTION"].gold, per["SANCTION"].predicted, per["SANCTION"].precision) == (
        1,
        2,
        1.0,
    )
    assert "PROTEST" not in per


def test_actor_and_recipient_accuracy(report):
    assert (report.actor_scored, report.actor_accuracy) == (8, 1.0)
    assert (report.recipient_scored, report.recipient_accuracy) == (3, 1.0)
    assert report.top1_accuracy == pytest.approx(7 / 8)


def test_confusion_matrix(report):
    assert set(report.confusion) == {
        "AGREE",
        "REQUEST",
        "ACCUSE",
        "ASSAULT",
        "AID",
        "MOBILIZE",
        "CONSULT",
        "SANCTION",
    }
    assert sum(n for row in report.confusion.values() for n in row.values()) == 9
    assert report.confusion["CONSULT"] == {"NONE": 1}
    assert report.confusion["MOBILIZE"] == {"AID": 1}
    assert report.confusion["ASSAULT"] == {"ASSAULT": 2}


def test_misses_name_the_record(report):
    assert [(m["id"], m["predicted"]) for m in report.misses] == [("TINY-CONSULT-0001", [])]


def test_json_report_round_trips(report, tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report.to_json()), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["overall"]["f1"] == round(report.overall.f1, 4)
    assert data["per_type"]["COERCE"]["predicted"] == 1
    assert list(data["per_type"]) == sorted(data["per_type"])
    assert data["confusion"]["CONSULT"] == {"NONE": 1}


@pytest.mark.parametrize(
    ("score", "precision", "recall", "f1"),
    [
        (TypeScore(gold=4, found=3, predicted=6, correct_predicted=3), 0.5, 0.75, 0.6),
        (TypeScore(gold=0, found=0, predicted=2, correct_predicted=0), 0.0, 0.0, 0.0),
        (TypeScore(), 0.0, 0.0, 0.0),
    ],
)
def test_type_score_arithmetic(score, precision, recall, f1):
    assert (score.precision, score.recall) == (precision, recall)
    assert score.f1 == pytest.approx(f1)


def test_dev_split_regression_guard(nlp, shared_dir):
    path = shared_dir / "reference" / "plover" / "plover_gsr_dev.json"
    report = evaluate(EventCoder(nlp=nlp), load_gold(path), keep_misses=False)
    assert report.overall.f1 >= 0.80
    assert report.actor_accuracy >= 0.85


def test_own_gold_set_regression_guard():
    """The project's own blind-written set (10 sentences per type) must stay well coded."""
    own = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "own_gold.json"
    records = load_gold(own)
    assert len(records) == 160
    assert {r.event_type for r in records} == set(EVENT_TYPES)
    report = evaluate(EventCoder(), records)
    assert report.overall.f1 >= 0.85
    assert report.actor_accuracy >= 0.8
