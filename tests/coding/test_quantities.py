"""Quantities with their unit nouns, and their scoping to one event's clause."""

from __future__ import annotations

from detente.coding.quantities import extract_quantities


def _quantities(nlp, sentence: str, trigger: str | None = None) -> list[tuple[float, str]]:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger) if trigger else None
    return [(q.value, q.unit) for q in extract_quantities(doc[:], token)]


def test_counts_and_coordinated_numbers(nlp):
    sentence = (
        "Russia and Ukraine exchanged 230 and 248 prisoners, including more than 100 Azov POWs."
    )
    assert _quantities(nlp, sentence) == [(230, "prisoners"), (248, "prisoners"), (100, "POWs")]


def test_money_is_normalised_to_iso_codes(nlp):
    sentence = "The US pledged 54 billion USD, while the EU sent $50,000 and 60 billion USD in aid."
    assert _quantities(nlp, sentence) == [(5.4e10, "USD"), (50000, "USD"), (6e10, "USD")]
    assert _quantities(nlp, "Germany will send 1.5 million euros and 3bn dollars.") == [
        (1.5e6, "EUR"),
        (3e9, "USD"),
    ]


def test_measures_and_number_words(nlp):
    sentence = "Eighty UN peacekeepers delivered 700 kg of medicine and 1,000 tons of grain."
    assert _quantities(nlp, sentence) == [(80, "peacekeepers"), (700, "kg"), (1000, "tons")]


def test_qualified_counts_keep_their_text(nlp):
    doc = nlp("At least three Iraqi civilians were killed in Basra.")
    (quantity,) = extract_quantities(doc[:])
    assert (quantity.value, quantity.unit) == (3, "civilians")
    assert quantity.text == "At least three Iraqi civilians"


def test_casualties(nlp):
    assert _quantities(nlp, "Rebels said 25 killed in the clashes.") == [(25, "killed")]
    assert _quantities(nlp, "Russia killed 25 people.") == [(25, "people")]


def test_ages_partitives_and_percentages(nlp):
    sentence = (
        "Viktor Medvedchuk, 67, and one of his top generals were among 4,000 troops, "
        "12% of the force."
    )
    assert _quantities(nlp, sentence) == [(4000, "troops"), (12, "percent")]


def test_years_identifiers_times_and_ordinals_are_skipped(nlp):
    sentence = (
        "The council adopted Resolution 2334 in 2016 after F-16 jets and a 67-year-old man "
        "arrived at 10 a.m. on the first day."
    )
    assert _quantities(nlp, sentence) == []


def test_trigger_scope_separates_events(nlp):
    sentence = "Russia and Ukraine exchanged 230 and 248 prisoners as shelling killed 25 people."
    assert _quantities(nlp, sentence, "exchanged") == [(230, "prisoners"), (248, "prisoners")]
    assert _quantities(nlp, sentence, "killed") == [(25, "people")]


def test_trigger_scope_shares_objects_and_noun_clauses(nlp):
    assert _quantities(nlp, "Russian forces captured and killed 25 soldiers.", "killed") == [
        (25, "soldiers")
    ]
    assert _quantities(
        nlp, "Russian forces captured 12 villages and killed 25 soldiers.", "captured"
    ) == [(12, "villages")]
    assert _quantities(nlp, "A missile strike killed 25 civilians.", "strike") == [
        (25, "civilians")
    ]
