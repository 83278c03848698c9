"""The document-level actor resolver: pronouns, descriptions, the dyad, sources, custody."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding.actors import ActorDictionary
from detente.coding.coder import EventCoder
from detente.coding.context import DocumentContext, document_context
from detente.ingest.models import Document
from detente.positions.extractor import code_positions


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.default()


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    return EventCoder()


def token(doc, text: str, nth: int = 0):
    return [t for t in doc if t.text == text][nth]


def codes(refs) -> list[str | None]:
    return sorted(r.code for r in refs)


def context(nlp, actors, text: str, body_start: int = 0) -> DocumentContext:
    return DocumentContext(nlp(text), actors, None, body_start)


def test_he_is_the_last_person_and_prefers_the_subject(nlp, actors):
    ctx = context(nlp, actors, "Lavrov met Fidan in Ankara. He urged Turkey to keep mediating.")
    assert codes(ctx.refs(token(ctx.doc, "He"))) == ["RUS"]


def test_an_unknown_person_in_between_blocks_he(nlp, actors):
    text = "Lavrov spoke first. Then Jan Kowalczyk took the floor. He urged calm."
    ctx = context(nlp, actors, text)
    assert ctx.refs(token(ctx.doc, "He")) == []


def test_it_skips_people_and_they_takes_a_conjoined_pair(nlp, actors):
    text = "Putin said Russia was ready. It urged talks. Armenia and Azerbaijan met. They agreed."
    ctx = context(nlp, actors, text)
    assert codes(ctx.refs(token(ctx.doc, "It"))) == ["RUS"]
    assert codes(ctx.refs(token(ctx.doc, "They"))) == ["ARM", "AZE"]


def test_we_in_a_quote_is_the_speaker(nlp, actors):
    ctx = context(nlp, actors, '"We will never surrender," Zelensky said.')
    assert codes(ctx.refs(token(ctx.doc, "We"))) == ["UKR"]


def test_definite_description_takes_the_code_of_a_fitting_mention(nlp, actors):
    text = "Russia's Ministry of Defense spoke. The ministry accused Ukraine of stalling."
    ctx = context(nlp, actors, text)
    ref = ctx.refs(token(ctx.doc, "ministry"))
    assert [(r.code, r.sector) for r in ref] == [("RUS", "GOV")]


def test_a_name_with_the_is_no_description(nlp, actors):
    ctx = context(nlp, actors, "Azerbaijan spoke. The Republic of Armenia supports the bid.")
    assert codes(ctx.refs(token(ctx.doc, "Republic"))) == ["ARM"]


@pytest.mark.parametrize(
    "phrase", ["The two sides", "Both parties", "These two nations", "The two leaders"]
)
def test_group_references_are_the_pair_in_focus(nlp, actors, phrase):
    text = f"Egypt hosted talks between India and Pakistan. {phrase} agreed to meet again."
    ctx = context(nlp, actors, text)
    head = next(t for t in ctx.doc if t.i > 8 and t.dep_ == "nsubj")
    assert codes(ctx.refs(head)) == ["IND", "PAK"]


def test_two_things_are_no_group_reference(nlp, actors):
    ctx = context(nlp, actors, "India and Pakistan met. The two points were discussed.")
    assert ctx.referent(token(ctx.doc, "points")) is None


def test_juxtaposed_names_and_coordinated_tails_are_one_actor_each(nlp, actors):
    ctx = context(nlp, actors, "The Israel-Hezbollah truce held.")
    assert codes(ctx.refs(token(ctx.doc, "truce"))) == ["ISR", "LBN"]
    ctx = context(nlp, actors, "The foreign ministers of Russia and Ukraine met.")
    assert codes(ctx.refs(token(ctx.doc, "ministers"))) == ["RUS", "UKR"]
    ctx = context(nlp, actors, "The Russia-backed offensive continued.")
    assert codes(ctx.refs(token(ctx.doc, "offensive"))) != ["RUS", "UKR"]


@pytest.mark.parametrize(
    ("text", "head", "expected"),
    [
        (
            "Representatives from Poland, the U.K., U.S., and Japan are meeting in Paris today.",
            "Representatives",
            ["POL", "GBR", "USA", "JPN"],
        ),
        (
            "The chiefs of staff of Armenia and Azerbaijan held talks.",
            "chiefs",
            ["ARM", "AZE"],
        ),
    ],
)
def test_long_and_nested_coordinations_keep_every_party(nlp, actors, text, head, expected):
    ctx = context(nlp, actors, text)
    assert sorted(codes(ctx.refs(token(ctx.doc, head)))) == sorted(expected)


def test_group_noun_takes_the_country_of_its_place(nlp, actors):
    ctx = context(nlp, actors, "Demonstrators gathered in Tbilisi on Sunday.")
    assert codes(ctx.refs(token(ctx.doc, "Demonstrators"))) == ["GEO"]


@pytest.mark.parametrize(
    ("text", "verb", "holder"),
    [
        ("Dozens of Yemenis were freed from Saudi prisons.", "freed", ["SAU"]),
        ("Forty Armenian detainees were released from Azerbaijani custody.", "released", ["AZE"]),
        ("Ten soldiers returned from Russian captivity.", "returned", ["RUS"]),
    ],
)
def test_custody_names_the_releasing_side(nlp, actors, text, verb, holder):
    ctx = context(nlp, actors, text)
    assert codes(ctx.custodian(token(ctx.doc, verb))) == holder


def test_headline_announcer_is_a_source(nlp, actors):
    text = "Trump: Armenia and Azerbaijan to sign peace deal\n\nThe summit is on Friday."
    doc = nlp(text)
    body = next(t.i for t in doc if t.text == "The")
    ctx = DocumentContext(doc, actors, None, body)
    assert ctx.is_source(token(doc, "Trump"))
    assert ctx.headline_source(next(iter(doc.sents))).text == "Trump"


def test_counterpart_of_a_directed_act_is_the_other_side(nlp, actors):
    text = "Russia and Ukraine met in Istanbul. Russia also proposed a ceasefire."
    ctx = context(nlp, actors, text)
    proposed = token(ctx.doc, "proposed")
    russia = ctx.refs(token(ctx.doc, "Russia", 1))
    assert codes(ctx.counterpart(russia, proposed, "AGREE")) == ["UKR"]
    assert ctx.counterpart(russia, proposed, "AID") == []


def test_coder_and_positions_read_one_context(coder):
    """The reading is built once per parsed document and every stage gets the same one."""
    text = "Russia and Ukraine met in Istanbul.\n\nIt said it would never give up Crimea."
    document = Document(doc_id="d", clean_text=text, published="2025-05-16")
    coded = next(coder.code_documents([document]))
    first = coded.parsed.user_data["detente.context"]
    code_positions(document, coded.parsed, coded.events)
    assert document_context(coded.parsed) is first


def test_outlets_are_sources_not_recipients(coder):
    events = coder.code_text("Russia attacked Kharkiv, according to a Reuters report.")
    assert all("GBR" not in codes(e.actor + e.recipient) for e in events)
    assert any(e.attribution is not None and e.attribution.code == "GBR" for e in events)


def test_warring_parties_are_the_pair_not_the_place(nlp, actors):
    text = "Russia and Ukraine traded fire. The warring parties in Ukraine agreed to a truce."
    ctx = context(nlp, actors, text)
    assert codes(ctx.refs(token(ctx.doc, "parties"))) == ["RUS", "UKR"]


def test_an_intrastate_pair_is_a_dyad(nlp, actors):
    text = "The Sudanese army and the RSF fought. Both sides agreed to talk."
    ctx = context(nlp, actors, text)
    assert [r.name for r in ctx.refs(token(ctx.doc, "sides"))] == ["Sudanese Armed Forces", "RSF"]


def test_a_city_before_an_event_noun_is_a_venue(nlp, actors):
    ctx = context(nlp, actors, "The Istanbul talks resumed on Monday.")
    assert ctx.refs(token(ctx.doc, "Istanbul")) == []


def test_released_people_were_freed_by_the_other_side(coder):
    text = (
        "Russia and Ukraine swapped prisoners on Friday.\n\n"
        "Zelensky announced that 189 Ukrainian nationals were repatriated."
    )
    event = next(e for e in coder.code_text(text) if e.event_type == "RETREAT" and e.sentence_index)
    assert codes(event.actor) == ["RUS"] and codes(event.recipient) == ["UKR"]


def test_a_meeting_naming_no_party_is_the_pair_in_focus(coder):
    text = "Russia and Ukraine sent envoys to Istanbul. The talks were held behind closed doors."
    events = [e for e in coder.code_text(text) if e.sentence_index == 1]
    assert any(codes(e.actor) == ["RUS", "UKR"] for e in events)


def test_the_sides_of_a_one_party_story_without_a_known_war_are_that_party(nlp, actors):
    text = "Mali's truce holds. The UN envoy said the sides agreed to open roads."
    ctx = context(nlp, actors, text)
    assert codes(ctx.refs(token(ctx.doc, "sides"))) == ["MLI"]


def test_the_sides_of_a_one_party_story_are_the_sides_of_its_war(nlp, actors):
    text = "Yemen's truce holds. The UN envoy said the sides agreed to open roads."
    ctx = DocumentContext(nlp(text), actors, dt.date(2022, 5, 1))
    assert codes(ctx.refs(token(ctx.doc, "sides"))) == ["SAU", "YEM"]


def test_warring_parties_in_a_place_are_the_sides_of_the_war_there(nlp, actors):
    text = (
        "The warring parties in Ukraine signed a truce on Monday. Envoys of France and "
        "Germany watched. Later Kyiv and Moscow traded blame."
    )
    ctx = DocumentContext(nlp(text), actors, dt.date(2015, 3, 1))
    assert codes(ctx.refs(token(ctx.doc, "parties"))) == ["RUS", "UKR"]


def test_group_reference_before_the_pair_is_named_takes_the_later_pair(nlp, actors):
    text = (
        "Both sides agreed to stop shooting at dawn. The deal between Ghana and Togo "
        "was signed in Lome with Nigeria as a witness, and Nigeria praised it."
    )
    ctx = context(nlp, actors, text)
    assert codes(ctx.refs(token(ctx.doc, "sides"))) == ["GHA", "TGO"]


def test_rival_factions_of_an_internal_war_are_its_two_named_forces(nlp, actors):
    text = (
        "According to US officials, Sudan's rival factions agreed on Friday to protect "
        "civilians. The US envoy met the Sudanese army and the Rapid Support Forces in Jeddah."
    )
    ctx = DocumentContext(nlp(text), actors, dt.date(2023, 5, 12))
    refs = ctx.refs(token(ctx.doc, "factions"))
    assert codes(refs) == ["SDN", "SDN"] and {r.sector for r in refs} == {"MIL", "REB"}


def test_places_named_together_are_no_pair_of_sides(nlp, actors):
    text = "Yemen's truce holds. Roads in Taiz and other governorates in Yemen opened."
    ctx = DocumentContext(nlp(text), actors, dt.date(2022, 5, 1))
    assert ctx.dyad() == []


def test_a_businessman_and_an_ally_are_no_dyad(nlp, actors):
    text = "Biden freed Alex Saab, a Colombian businessman and Maduro ally. The two sides met."
    ctx = context(nlp, actors, text)
    assert "COL" not in codes(ctx.refs(token(ctx.doc, "sides")))


def test_the_junta_is_the_earlier_named_junta_not_the_last_state(nlp, actors):
    text = (
        "Talks between the Sahelian junta and rebels took place. The Mali junta and armed "
        "groups met in Algiers, Algeria. Later the junta broke the deal."
    )
    ctx = context(nlp, actors, text)
    assert codes(ctx.refs(token(ctx.doc, "junta", 2))) == ["MLI"]


def test_a_brokering_country_is_no_party_of_the_talks(coder):
    events = coder.code_text("Norwegian-brokered talks between Colombia and the ELN resumed.")
    assert events and all("NOR" not in codes(e.actor) for e in events)


def test_the_city_where_talks_end_is_no_side_of_the_pair(nlp, actors):
    text = (
        "Long negotiations ended in the Kenyan capital Nairobi on Monday. Ethiopia welcomed "
        "the result. The mood in the Kenyan capital was calm. Ethiopia thanked everyone."
    )
    ctx = DocumentContext(nlp(text), actors, dt.date(2024, 11, 3))
    assert "KEN" not in codes(ctx.dyad())


def test_a_meeting_opening_the_story_takes_the_pair_named_next(coder):
    text = (
        "The talks were held behind closed doors on Monday. Delegations of Chile and Peru "
        "then spoke to the press, and Chile praised Brazil."
    )
    events = [e for e in coder.code_text(text) if e.sentence_index == 0]
    assert any(codes(e.actor) == ["CHL", "PER"] for e in events)


def test_a_dateline_city_is_no_actor(nlp, actors):
    text = "Truce talks end\n\nLIMA — Chile said on Tuesday that the talks with Bolivia ended."
    ctx = DocumentContext(nlp(text), actors, dt.date(2024, 3, 1), body_start=4)
    assert ctx.refs(token(ctx.doc, "LIMA")) == []
    assert "PER" not in codes(ctx.dyad())


def test_talks_named_by_their_city_are_no_actor(nlp, actors):
    ctx = context(nlp, actors, "Hopes rose as the Lima talks concluded on Friday.")
    assert ctx.refs(token(ctx.doc, "talks")) == []


@pytest.mark.parametrize(
    ("second", "event_type"),
    [
        ("Officials said a truce would start along the border at dawn.", "CONCEDE"),
        ("Heavy clashes in the hills have killed scores on both sides.", "ASSAULT"),
    ],
)
def test_a_ceasefire_or_clash_naming_no_party_is_the_pair_in_focus(coder, second, event_type):
    text = f"Ecuador and Peru met in Quito on Monday. {second}"
    events = [e for e in coder.code_text(text) if e.sentence_index == 1]
    event = next(e for e in events if e.event_type == event_type)
    assert sorted(codes(event.actor)) == ["ECU", "PER"]
    assert event.recipient == []


def test_a_one_sided_attack_naming_no_party_gets_no_pair(coder):
    text = "Ecuador and Peru met in Quito on Monday. A market was shelled at dawn."
    events = [e for e in coder.code_text(text) if e.sentence_index == 1]
    assert all(sorted(codes(e.actor)) != ["ECU", "PER"] for e in events)


def test_both_countries_as_addressee_are_both_named_states_not_one_state_twice(coder):
    text = (
        "Turkey welcomed the President of Azerbaijan, Ilham Aliyev, and the Prime Minister "
        "of Armenia, Nikol Pashinyan, at the palace. Turkey will also sign trade deals with "
        "both countries."
    )
    events = [e for e in coder.code_text(text) if e.sentence_index == 1]
    event = next(e for e in events if e.event_type == "AGREE")
    assert codes(event.actor) == ["TUR"]
    assert sorted(codes(event.recipient)) == ["ARM", "AZE"]


def test_an_adjectival_broker_is_no_party_to_what_the_talks_reached(coder):
    text = (
        "No deal was struck at Qatari-brokered talks between the junta and fighters from "
        "the Arakan Army in the west."
    )
    events = [e for e in coder.code_text(text) if e.event_type == "AGREE"]
    assert events and all(codes(e.actor) == ["MMR"] for e in events)


def test_the_panel_is_the_intergovernmental_body_named_before(nlp, actors):
    ctx = context(
        nlp,
        actors,
        "A United Nations statement said the talks between Serbia and Kosovo had ended. "
        "The commission thanked both delegations.",
    )
    assert codes(ctx.refs(token(ctx.doc, "commission"))) == ["IGO"]


def test_a_town_council_or_a_body_is_no_international_body(nlp, actors):
    ctx = context(
        nlp,
        actors,
        "A European Union statement welcomed the vote. The council agreed to extend opening "
        "hours, and the body of the driver was found.",
    )
    assert codes(ctx.refs(token(ctx.doc, "council"))) != ["EUR"]
    assert codes(ctx.refs(token(ctx.doc, "body"))) != ["EUR"]
