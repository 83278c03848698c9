"""Event locations from locative phrases, resolved with the offline gazetteer."""

from __future__ import annotations

import pytest

from detente.coding.places import find_location, resolve_place


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Istanbul", "TUR"),
        ("Saudi Arabia", "SAU"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Zaporizhzhia", "UKR"),
        ("Zaporozhye", "UKR"),
        ("Gorazde", "BIH"),
        ("Basra", "IRQ"),
        ("Lebanon", "LBN"),
        ("the U.S.", "USA"),
        ("Türkiye", "TUR"),
    ],
)
def test_gazetteer(name, country):
    place = resolve_place(name)
    assert place is not None and place.country == country


def test_country_point_is_its_capital():
    place = resolve_place("Saudi Arabia")
    assert place is not None and abs(place.lat - 24.7) < 0.5 and abs(place.lon - 46.7) < 0.5


def _location(nlp, sentence: str, trigger: str | None):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger) if trigger else None
    return find_location(doc[:], token)


def test_locative_phrase_of_the_trigger(nlp):
    location = _location(nlp, "The two leaders will meet next week in Istanbul.", "meet")
    assert location is not None
    assert (location.text, location.name, location.country) == ("Istanbul", "Istanbul", "TUR")
    assert abs(location.lat - 41.0) < 0.2


@pytest.mark.parametrize(
    ("sentence", "trigger", "country"),
    [
        ("Russia agreed to hold talks in Saudi Arabia.", "talks", "SAU"),
        ("Clashes erupted near Gorazde.", "Clashes", "BIH"),
        ("Iraqi police said three civilians were killed in Basra.", "killed", "IRQ"),
        ("Shelling near the Zaporizhzhia nuclear power plant continued.", "Shelling", "UKR"),
        ("A strike on a market in Kyiv's Obolon district killed 25.", "strike", "UKR"),
    ],
)
def test_places_in_locative_phrases(nlp, sentence, trigger, country):
    location = _location(nlp, sentence, trigger)
    assert location is not None and location.country == country


def test_actor_and_recipient_are_not_places(nlp):
    assert _location(nlp, "Russia agreed to the proposal.", "agreed") is None
    assert _location(nlp, "Ukraine sent aid to Turkey.", "sent") is None


def test_place_of_the_triggers_clause_wins(nlp):
    sentence = "Talks in Geneva failed while fighting raged in Donetsk."
    assert _location(nlp, sentence, "fighting").name == "Donetsk"
    assert _location(nlp, sentence, "Talks").name == "Geneva"
    assert _location(nlp, sentence, None).name == "Geneva"
