"""Real-news scoring: the rules in ``detente.evaluation.realnews`` on records built by hand,
then one article of our own through the whole pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli.main import app
from detente.coding.models import ActorRef, Event, Evidence
from detente.evaluation.realnews import (
    GoldItem,
    evaluate_realnews,
    read_article,
    score_realnews,
)
from detente.ingest.models import Document
from detente.pipeline import CodedRecords
from detente.positions.models import Position, PositionEvidence, ProcessRecord

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "realnews"
SENTENCE = "Russia and Ukraine held talks in Istanbul on Friday."


def event(event_type, actor, recipient=(), modality="asserted", sentence=SENTENCE) -> Event:
    return Event(
        id=f"e-{event_type}-{'-'.join(actor)}",
        doc_id="d",
        sentence_index=0,
        event_type=event_type,
        actor=[ActorRef(text=c, code=c) for c in actor],
        recipient=[ActorRef(text=c, code=c) for c in recipient],
        modality=modality,
        evidence=Evidence(sentence=sentence, start=0, end=len(sentence)),
    )


def item(kind: str, index: int = 0, **fields) -> GoldItem:
    return GoldItem(index, kind, "a.txt", {"kind": kind, "file": "a.txt", **fields})


def score(items, **records):
    records = {"events": [], "positions": [], "process_records": [], **records}
    article = CodedRecords(Document(doc_id="d", clean_text=SENTENCE), **records)
    return score_realnews(items, {"a.txt": article}).to_json()["kinds"]


def rates(kinds, kind):
    return {c: (v["passed"], v["of"]) for c, v in kinds[kind]["checks"].items()}


CONSULT = dict(
    sentence_contains="held talks in Istanbul",
    event_type="CONSULT",
    actor=["RUS", "UKR"],
    recipient=None,
    modality="asserted",
)


def test_compound_actor_matches_one_event_or_one_event_per_side_or_a_dyad():
    for events in (
        [event("CONSULT", ["RUS", "UKR"])],
        [event("CONSULT", ["RUS"]), event("CONSULT", ["UKR"])],
        [event("CONSULT", ["RUS"], ["UKR"])],
    ):
        kinds = score([item("event", **CONSULT)], events=events)
        assert rates(kinds, "event")["all_correct"] == (1, 1), events


def test_a_recipient_outside_the_compound_actor_is_wrong():
    kinds = score([item("event", **CONSULT)], events=[event("CONSULT", ["RUS", "UKR"], ["GBR"])])
    got = rates(kinds, "event")
    assert got["actor"] == (1, 1) and got["recipient"] == (0, 1) and got["all_correct"] == (0, 1)


def test_type_alternatives_and_modality_lists():
    gold = dict(CONSULT, event_type=["AGREE", "CONSULT"], modality=["future", "reported"])
    kinds = score([item("event", **gold)], events=[event("CONSULT", ["RUS", "UKR"])])
    got = rates(kinds, "event")
    assert got["type"] == (1, 1) and got["modality"] == (0, 1)
    assert kinds["event"]["misses"][0]["predicted"][0]["modality"] == "asserted"


def test_no_event_counts_only_firm_events_of_forbidden_types():
    gold = item("no_event", sentence_contains="held talks", forbid_types=["CONSULT"])
    assert rates(
        score([gold], events=[event("CONSULT", ["RUS"], modality="speculative")]), "no_event"
    ) == {"kept_out": (1, 1)}
    assert rates(score([gold], events=[event("AGREE", ["RUS"])]), "no_event") == {
        "kept_out": (1, 1)
    }
    assert rates(
        score([gold], events=[event("CONSULT", ["RUS"], modality="reported")]), "no_event"
    ) == {"kept_out": (0, 1)}


def record(kind, parties, *, mediator=None, status="held", **fields) -> ProcessRecord:
    return ProcessRecord(
        id=f"{kind}-" + "-".join(parties),
        kind=kind,
        parties=[ActorRef(text=c, code=c) for c in parties],
        status=status,
        mediator=ActorRef(text=mediator, code=mediator) if mediator else None,
        **fields,
    )


def exchange(numbers, mediator=None, status="implemented") -> ProcessRecord:
    return record("exchange", numbers, mediator=mediator, status=status, numbers=numbers)


def test_exchange_numbers_are_keyed_by_the_releasing_side_and_mediator_is_checked():
    gold = item("exchange", numbers={"AZE": 32, "ARM": 2}, mediator="ARE", status="implemented")
    right = score([gold], process_records=[exchange({"AZE": 32, "ARM": 2}, "ARE")])
    assert rates(right, "exchange")["fully_right"] == (1, 1)
    reversed_ = score([gold], process_records=[exchange({"ARM": 32, "AZE": 2}, "ARE")])
    assert rates(reversed_, "exchange")["numbers"] == (0, 1)
    no_mediator = score([gold], process_records=[exchange({"AZE": 32, "ARM": 2})])
    assert rates(no_mediator, "exchange")["mediator"] == (0, 1)


def test_a_stray_mediator_spoils_fully_right_when_the_gold_has_none():
    gold = item("exchange", numbers={"RUS": 5, "UKR": 5}, mediator=None, status=None)
    kinds = score([gold], process_records=[exchange({"RUS": 5, "UKR": 5}, "QAT")])
    assert "mediator" not in rates(kinds, "exchange")
    assert rates(kinds, "exchange")["fully_right"] == (0, 1)


def test_an_item_without_a_mediator_key_is_silent_about_mediation():
    gold = item("ceasefire", parties=["ARM", "AZE"], status="agreed")
    record = ProcessRecord(
        id="c",
        kind="ceasefire",
        parties=[ActorRef(text=c, code=c) for c in ("ARM", "AZE")],
        status="agreed",
        mediator=ActorRef(text="Russia", code="RUS"),
    )
    assert rates(score([gold], process_records=[record]), "ceasefire")["fully_right"] == (1, 1)


def talks(parties, venue=None, status="held", mediator=None) -> ProcessRecord:
    return record("talks", parties, mediator=mediator, status=status, venue=venue)


def test_talks_are_matched_one_to_one_and_the_venue_is_a_regex():
    golds = [
        item("talks", 0, parties=["USA", "RUS"], venue="Riyadh", status="held"),
        item("talks", 1, parties=["USA", "UKR"], venue="Riyadh", status="held"),
    ]
    one = score(golds, process_records=[talks(["USA", "RUS"], "Riyadh, Saudi Arabia")])
    assert rates(one, "talks")["found"] == (1, 2)
    both = score(
        golds,
        process_records=[talks(["USA", "RUS"], "Riyadh"), talks(["USA", "UKR"], "riyadh")],
    )
    assert rates(both, "talks")["fully_right"] == (2, 2)


def test_mediator_is_not_counted_among_the_parties():
    gold = item(
        "talks", parties=["IRN", "USA"], venue="Muscat|Oman", status="planned", mediator="OMN"
    )
    kinds = score(
        gold and [gold],
        process_records=[talks(["IRN", "USA", "OMN"], "Muscat", "planned", mediator="OMN")],
    )
    assert rates(kinds, "talks")["fully_right"] == (1, 1)


def test_position_needs_actor_issue_and_stance_in_the_sentence():
    position = Position(
        id="p",
        doc_id="d",
        issue="alliances",
        sub_issue="nato_membership",
        actor=ActorRef(text="Ukraine", code="UKR"),
        speech_act="propose",
        stance="against",
        evidence=PositionEvidence(sentence=SENTENCE, start=0, end=10),
    )
    gold = item(
        "position",
        actor="UKR",
        issue_word="alliance|nato",
        stance="against",
        sentence_contains="talks in Istanbul",
    )
    assert rates(score([gold], positions=[position]), "position") == {
        "found": (1, 1),
        "stance": (1, 1),
    }
    wrong = position.model_copy(update={"stance": "favor"})
    assert rates(score([gold], positions=[wrong]), "position") == {
        "found": (1, 1),
        "stance": (0, 1),
    }


def test_article_file_metadata_lines_become_document_metadata():
    document = read_article(FIXTURE / "rn01_example_swap.txt")
    assert document.published == "2024-03-02"
    assert document.source == "Example Wire"
    assert "published 2024" not in document.clean_text
    assert "exchanged 90 prisoners" in document.clean_text


def test_the_whole_pipeline_on_our_article(nlp):
    report = evaluate_realnews(FIXTURE / "gold.json").to_json()
    assert report["articles"] == 1 and report["items"] == 5
    assert set(report["kinds"]) == {"event", "no_event", "exchange", "talks"}
    exchange_checks = report["kinds"]["exchange"]["checks"]
    assert exchange_checks["numbers"]["passed"] == 1  # 90 each, keyed by the releasing sides


def test_cli_json_report(nlp, tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        app, ["evaluate", str(FIXTURE / "gold.json"), "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "realnews"
    assert json.loads(out.read_text()) == data


@pytest.mark.shared
def test_development_set_scores_every_item(shared_dir):
    gold = shared_dir / "corpus" / "realnews-dev" / "gold.json"
    report = evaluate_realnews(gold).to_json()
    assert report["articles"] == 36
    total = sum(k["n"] for k in report["kinds"].values())
    assert total == report["items"] == len(json.loads(gold.read_text()))
