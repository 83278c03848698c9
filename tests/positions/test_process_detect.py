"""Any conflict is a process: curated ones by name, others from the events' dyad."""

from __future__ import annotations

import datetime as dt

from detente.coding.models import ActorRef, Event, Evidence
from detente.positions.process_detect import detect_process, dyad_weights, war_sides
from detente.positions.taxonomy import auto_process_name, load_process


def event(kind, actors, recipients=(), topic=None, sectors=None):
    sectors = sectors or {}
    return Event(
        id=f"e{kind}{actors}",
        doc_id="d",
        sentence_index=0,
        event_type=kind,
        actor=[ActorRef(text=c, code=c, sector=sectors.get(c)) for c in actors],
        recipient=[ActorRef(text=c, code=c) for c in recipients],
        topic=topic,
        evidence=Evidence(sentence="s", start=0, end=1),
    )


def test_curated_process_needs_both_sides_named():
    assert detect_process("Kyiv said Moscow had shelled Kharkiv again.") == "russia-ukraine"
    assert detect_process("Moscow said Russia would host talks; Russia agreed.") is None


def test_unknown_dyad_gets_an_automatic_process():
    events = [
        event("ASSAULT", ["IND"], ["PAK"]),
        event("AGREE", ["IND", "PAK"], topic="ceasefire"),
    ]
    assert detect_process("India and Pakistan agreed a ceasefire.", events) == "auto:IND-PAK"


def test_mediators_and_talks_partners_do_not_outweigh_belligerents():
    events = [
        event("ASSAULT", ["ISR"], ["LBN"]),
        event("ACCUSE", ["FRA"], ["ISR"]),
        event("CONSULT", ["USA", "ISR"], topic="talks"),
    ]
    assert dyad_weights(events).most_common(1)[0][0] == ("ISR", "LBN")


def test_a_dyad_inside_a_curated_process_is_that_process():
    events = [event("ASSAULT", ["RUS"], ["UKR"])]
    assert detect_process("Shelling continued overnight.", events) == "russia-ukraine"


def test_government_against_its_armed_group_is_an_internal_process():
    events = [event("AGREE", ["ETH", "ETH"], topic="ceasefire", sectors={"ETH": "GOV"})]
    events[0].actor[1].sector = "REB"
    assert detect_process("The government and the TPLF agreed a truce.", events) == "auto:ETH"


def test_automatic_process_has_its_belligerents_and_every_issue():
    process = load_process(auto_process_name(["AZE", "ARM"]))
    assert process.name == "auto:ARM-AZE"
    assert process.belligerents() == ["ARM", "AZE"]
    assert "ceasefire" in process.issues and "territory" in process.issues


def test_a_war_named_by_its_place_gives_its_sides():
    assert war_sides("Sudan's rival factions met in Jeddah.", 2023) == ("SDN",)
    assert war_sides("the warring parties in Yemen agreed", 2022) == ("YEM", "SAU")
    assert war_sides("the warring parties in Yemen agreed", 2010) is None
    assert war_sides("Yemen's football clubs met.", 2022) is None


def test_actor_resolver_and_process_detection_read_each_war_alike():
    """One reading of the war data: for every war, in a year it was fought, after it and
    undated, "the warring parties in X" gets the same sides from both readers."""
    from detente.coding.actors import ActorDictionary
    from detente.coding.wars import wars

    actors = ActorDictionary.default()
    for war in wars():
        place = actors.resolve(war.places[0]).code
        for year in (war.start, None, *([war.end + 1] if war.end else [])):
            on = dt.date(year, 6, 1) if year else None
            from_text = war_sides(f"the warring parties in {war.places[0]} met", year)
            assert actors.belligerents(place, on) == (from_text or ()), (war, year)
            assert (from_text is not None) == war.fought_in(year)


def test_an_undated_story_names_a_war_fought_still():
    assert war_sides("the warring parties in Yemen agreed") == ("YEM", "SAU")
    assert war_sides("the warring parties in Syria agreed") is None  # ended in 2024
