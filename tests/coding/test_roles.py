"""Events carry the roles the peace-process layer reads (coding/roles.py)."""

from __future__ import annotations

import pytest

from detente.coding.actors import ActorDictionary
from detente.coding.coder import EventCoder
from detente.coding.models import ActorRef
from detente.coding.roles import without_hosts


@pytest.fixture(scope="module")
def coder(nlp):
    return EventCoder(nlp=nlp)


def topical(coder, text, topic, published="2025-03-08"):
    events = [e for e in coder.code_text(text, published=published) if e.topic == topic]
    assert events, f"no {topic} event in {text!r}"
    return events[0]


def test_a_release_names_who_releases_whom(coder):
    event = topical(
        coder, "Forty-one Armenian detainees were freed from Azerbaijani custody.", "exchange"
    )
    (people,) = [p for p in event.released if p.count]
    assert (people.count, people.by, people.side) == (41, "AZE", "ARM")
    assert [r.code for r in event.releasing] == ["AZE"]
    assert event.stage == "done"


def test_a_passive_agent_releases(coder):
    text = "The 10 American prisoners freed by Venezuela have arrived back in the United States."
    event = topical(coder, text, "exchange")
    (people,) = event.released
    assert (people.count, people.by, people.side) == (10, "VEN", "USA")


def test_returned_people_are_received_by_their_destination(coder):
    text = "Saab was released from custody and returned to Venezuela on Wednesday."
    event = topical(coder, text, "exchange")
    assert [r.code for r in event.receiving] == ["VEN"]
    assert any(p.category == "named: Saab" for p in event.released)


def test_two_countries_is_not_a_count_and_each_is_every_side(coder):
    event = topical(coder, "The two countries swapped 90 prisoners each.", "exchange")
    assert [(p.count, p.by) for p in event.released] == [(90, "each")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia and Ukraine swapped 90 prisoners after the UAE acted as an intermediary.", "ARE"),
        ("Russia and Ukraine swapped 90 prisoners with the assistance of Turkey.", "TUR"),
        ("Russia and Ukraine swapped 90 prisoners under the auspices of the Vatican.", "VAT"),
        ("Russia and Ukraine swapped 90 prisoners in a deal brokered by Qatar.", "QAT"),
        ("Russia and Ukraine swapped 90 prisoners thanks to the mediation of Saudi Arabia.", "SAU"),
        ("Russia and Ukraine swapped 90 prisoners in a swap mediated by the UAE.", "ARE"),
    ],
)
def test_mediator_phrases(coder, text, code):
    event = topical(coder, text, "exchange")
    assert event.mediator is not None and event.mediator.code == code


def test_held_talks_are_a_consult_with_venue_and_level(coder):
    text = "The two foreign ministers held six hours of talks in Geneva on Friday."
    event = topical(coder, text, "talks")
    assert event.event_type == "CONSULT" and event.stage == "done"
    assert (event.venue, event.level) == ("Geneva", "ministers")


def test_talks_between_named_sides(coder):
    text = "Talks between Thailand and Cambodia began in Putrajaya on Monday."
    events = [e for e in coder.code_text(text, published="2025-07-29") if e.parties]
    assert events and {p.code for p in events[0].parties} == {"THA", "KHM"}


def test_an_event_at_talks_says_the_talks_were_held(coder):
    text = "At the meeting in Istanbul, the delegations reached an agreement on prisoners."
    events = [e for e in coder.code_text(text) if e.occasion == "talks"]
    assert events and events[0].venue == "Istanbul"


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Russia proposed a ceasefire for three days.", "proposed"),
        ("Thailand and Cambodia agreed to implement a ceasefire.", "agreed"),
        ("The rivals committed to work towards a short-term ceasefire.", "proposed"),
        ("Israel accused Hezbollah of violating the ceasefire.", "violated"),
    ],
)
def test_ceasefire_stage_comes_from_the_governing_words(coder, text, stage):
    assert topical(coder, text, "ceasefire").stage == stage


def test_a_ceasefire_starting_on_a_day_keeps_that_day(coder):
    text = "Israel and Hamas agreed on Thursday to a ceasefire starting on Sunday."
    event = topical(coder, text, "ceasefire", published="2025-01-17")
    assert event.starts == "2025-01-19"


def test_events_outside_the_peace_process_have_no_roles(coder):
    (event,) = coder.code_text("Russian forces shelled Kharkiv on Monday.", published="2025-03-08")
    assert event.topic is None and not event.released and event.mediator is None


def test_meeting_place_and_go_between_are_not_recipients():
    resolve = ActorDictionary.default().resolve
    parties = [ActorRef(text="Armenia", code="ARM"), ActorRef(text="Azerbaijan", code="AZE")]
    place = [ActorRef(text="talks in Geneva", code="CHE")]
    talks = {"occasion": "talks", "venue": "Geneva"}
    assert without_hosts(place, talks, "AGREE", parties, resolve, None) == []
    putin = [ActorRef(text="Putin", code="RUS")]
    moscow = {"occasion": "talks", "venue": "Moscow"}
    assert without_hosts(putin, moscow, "CONSULT", parties[:1], resolve, None) == putin
    qatar = [ActorRef(text="Qatar", code="QAT")]
    brokered = {"mediator": ActorRef(text="Qatar", code="QAT")}
    assert without_hosts(qatar, brokered, "CONSULT", parties, resolve, None) == []
    assert without_hosts(qatar, brokered, "AGREE", parties, resolve, None) == qatar


def test_an_accusation_mentioning_talks_keeps_its_recipient(coder):
    text = "Ukraine accused Russia of stalling ahead of the next round of talks in Moscow."
    event = next(e for e in coder.code_text(text) if e.event_type == "ACCUSE")
    assert (event.topic, event.occasion, event.venue) == ("talks", "mentioned", "Moscow")
    assert [r.code for r in event.recipient] == ["RUS"]


def test_a_mediator_before_a_hyphen_is_read(coder):
    text = "Sudan's army and the RSF met for Saudi-brokered talks in Jeddah."
    assert any(e.mediator and e.mediator.code == "SAU" for e in coder.code_text(text))


def test_a_capital_described_by_its_country_is_the_venue(coder):
    text = "Representatives from Ukraine and France are meeting in the British capital today."
    assert topical(coder, text, "talks").venue == "London"
