"""Actor dictionary: names, demonyms, capitals, people with dated roles, organisations, agents."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from detente.coding.actors import ActorDictionary, default_paths


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.default()


def _code_sector(actors: ActorDictionary, text: str, on: dt.date | None = None):
    ref = actors.resolve(text, on)
    assert ref is not None, text
    return ref.code, ref.sector


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ukraine", "UKR"),
        ("the United States", "USA"),
        ("U.S.", "USA"),
        ("America", "USA"),
        ("Great Britain", "GBR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("DPRK", "PRK"),
        ("PRC", "CHN"),
        ("Czech Republic", "CZE"),
        ("Soviet Union", "RUS"),
        ("Zaire", "COD"),
        ("Yugoslavia", "SRB"),
        ("Guinea-Bissau", "GNB"),
        ("Kosovo", "XKX"),
        ("Taiwan", "TWN"),
        ("Palestinians", "PSE"),
        ("Kyrgyz", "KGZ"),
    ],
)
def test_country_names_variants_and_demonyms(actors, text, code):
    ref = actors.resolve(text)
    assert ref is not None and ref.code == code
    assert ref.sector is None


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("Kyiv", "UKR", "GOV"),
        ("Kiev", "UKR", "GOV"),
        ("Moscow", "RUS", "GOV"),
        ("Washington", "USA", "GOV"),
        ("Abu Dhabi", "ARE", "GOV"),
        ("the Kremlin", "RUS", "GOV"),
        ("the White House", "USA", "GOV"),
        ("the Pentagon", "USA", "MIL"),
        ("Downing Street", "GBR", "GOV"),
        ("Brussels", "EUR", "GOV"),
    ],
)
def test_capitals_and_metonyms_stand_for_institutions(actors, text, code, sector):
    assert _code_sector(actors, text) == (code, sector)


def test_capital_as_modifier_yields_to_the_head_noun(actors):
    assert _code_sector(actors, "Baghdad University medical school") == ("IRQ", "EDU")


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        ("Trump", dt.date(2019, 6, 1), ("USA", "GOV")),
        ("Trump", dt.date(2022, 6, 1), ("USA", "ELI")),
        ("Trump", dt.date(2025, 6, 1), ("USA", "GOV")),
        ("Boris Johnson", dt.date(2020, 3, 1), ("GBR", "GOV")),
        ("Johnson", dt.date(2023, 3, 1), ("GBR", "ELI")),
        ("Medvedev", dt.date(2010, 3, 1), ("RUS", "GOV")),
        ("Medvedev", dt.date(2023, 3, 1), ("RUS", "GOV")),
        ("Kofi Annan", dt.date(2000, 1, 1), ("IGO", "GOV")),
        ("Kofi Annan", dt.date(2010, 1, 1), ("GHA", "ELI")),
        ("Stoltenberg", dt.date(2020, 1, 1), ("IGO", "GOV")),
        ("Zelenskyy", dt.date(2024, 1, 1), ("UKR", "GOV")),
        ("Erdoğan", dt.date(2024, 1, 1), ("TUR", "GOV")),
    ],
)
def test_people_resolve_by_their_role_on_the_date(actors, text, on, expected):
    assert _code_sector(actors, text, on) == expected


def test_people_without_date_take_their_latest_role(actors):
    ref = actors.resolve("Putin")
    assert (ref.code, ref.sector, ref.name) == ("RUS", "GOV", "Vladimir Putin")


def test_namesakes_are_told_apart_by_date(actors):
    assert actors.resolve("President Bush", dt.date(1991, 1, 1)).name == "George H. W. Bush"
    assert actors.resolve("President Bush", dt.date(2003, 1, 1)).name == "George W. Bush"
    assert actors.resolve("Assad", dt.date(1995, 1, 1)).name == "Hafez al-Assad"
    assert actors.resolve("Assad", dt.date(2015, 1, 1)).name == "Bashar al-Assad"


def test_medvedchuk_is_a_ukrainian_opposition_figure(actors):
    assert _code_sector(actors, "Viktor Medvedchuk", dt.date(2022, 4, 1)) == ("UKR", "OPP")
    assert _code_sector(actors, "Medvedchuk") == ("UKR", "OPP")


def test_former_turns_office_holders_into_elites(actors):
    assert _code_sector(actors, "ousted President Askar Akayev", dt.date(2000, 1, 1)) == (
        "KGZ",
        "ELI",
    )
    assert _code_sector(actors, "former Defence Minister") == (None, "ELI")


@pytest.mark.parametrize(
    ("text", "code", "sector", "name"),
    [
        ("United Nations", "IGO", None, "UN"),
        ("U.N.", "IGO", None, "UN"),
        ("United Nations peacekeepers", "IGO", "MIL", "UN"),
        ("NATO", "IGO", None, "NATO"),
        ("Nato", "IGO", None, "NATO"),
        ("the UN Security Council", "IGO", "GOV", "UNSC"),
        ("the OSCE", "IGO", None, "OSCE"),
        ("the Red Cross", "IGO", "MED", "ICRC"),
        ("European Union", "EUR", None, "EU"),
        ("the Europeans", "EUR", None, "EU"),
        ("European Community", "IGO", None, "EC"),
        ("Human Rights Watch", "NGO", None, "Human Rights Watch"),
        ("Amnesty International", "NGO", None, "Amnesty International"),
    ],
)
def test_intergovernmental_and_non_governmental_organisations(actors, text, code, sector, name):
    ref = actors.resolve(text)
    assert (ref.code, ref.sector, ref.name) == (code, sector, name)


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("Hamas", "PSE", "REB"),
        ("Hizbollah", "LBN", "REB"),
        ("Palestinian Islamic Jihad", "PSE", "REB"),
        ("the Kurdistan Workers' Party", "TUR", "REB"),
        ("UNITA rebels", "AGO", "REB"),
        ("al-Qaeda", "IMG", "REB"),
        ("Wagner mercenaries", "RUS", "MIL"),
        ("the Azov regiment", "UKR", "MIL"),
        ("pro-Iranian Hizbollah", "LBN", "REB"),
    ],
)
def test_armed_groups(actors, text, code, sector):
    assert _code_sector(actors, text) == (code, sector)


def test_dated_organisations_change_status(actors):
    assert _code_sector(actors, "the Taliban", dt.date(2010, 1, 1)) == ("AFG", "REB")
    assert _code_sector(actors, "the Taliban", dt.date(2023, 1, 1)) == ("AFG", "GOV")


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("officials", None, "GOV"),
        ("Israeli soldiers", "ISR", "MIL"),
        ("Turkish police", "TUR", "COP"),
        ("Russian aircraft", "RUS", "MIL"),
        ("Rwandan rebels", "RWA", "REB"),
        ("the Ukrainian delegation", "UKR", "GOV"),
        ("Security forces in Guinea", "GIN", "COP"),
        ("Doctors from two American aid groups", "USA", "MED"),
        ("refugees fleeing the civil war in Liberia", "LBR", "REF"),
        ("Hamas officials", "PSE", "REB"),
        ("a member of the Syrian parliament", "SYR", "LEG"),
        ("U.N. war crimes court", "IGO", "JUD"),
        ("Iraqi Kurds", "IRQ", None),
        ("residents of Mariupol", "UKR", "CVL"),
    ],
)
def test_generic_agents_with_and_without_country(actors, text, code, sector):
    assert _code_sector(actors, text) == (code, sector)


def test_titles_and_possessives_attach_the_country(actors):
    ref = actors.resolve("Serbian President Vojislav Kostunica", dt.date(2001, 1, 1))
    assert (ref.code, ref.sector, ref.name) == ("SRB", "GOV", "Vojislav Koštunica")
    ref = actors.resolve("Lebanon's new President Elias Hrawi", dt.date(1990, 1, 1))
    assert (ref.code, ref.sector, ref.name) == ("LBN", "GOV", "Elias Hrawi")
    assert _code_sector(actors, "Iran's religious leader") == ("IRN", "REL")
    assert _code_sector(actors, "Israel's high court") == ("ISR", "JUD")
    assert _code_sector(actors, "the Foreign Minister of Russia") == ("RUS", "GOV")
    assert actors.resolve("Osama bin Laden's al-Qaeda").code == "IMG"


def test_hyphenated_compounds_take_the_country(actors):
    assert actors.resolve("U.S.-led coalition forces").code == "USA"
    assert actors.resolve("Russian-American talks").code == "RUS"
    assert _code_sector(actors, "Iranian-backed militias") == (None, "REB")


def test_acronyms_need_capitals_and_the_pronoun_us_never_matches(actors):
    assert actors.resolve("US").code == "USA"
    assert actors.resolve("us") is None
    assert actors.resolve("un") is None
    assert actors.find_mentions(["He", "told", "us", "about", "it"]) == []


def test_unknown_phrases_resolve_to_none(actors):
    assert actors.resolve("the weather") is None
    assert actors.resolve("a long and difficult week") is None
    assert actors.resolve("") is None


def test_find_mentions_longest_match_over_caller_tokens(actors):
    tokens = ["The", "U.S.-led", "coalition", "and", "Kurdistan", "Workers", "'", "Party"]
    found = [(s, e, entry.code) for s, e, entry in actors.find_mentions(tokens)]
    assert (1, 2, "USA") in found
    assert (4, 8, "TUR") in found
    tokens = ["Russian", "President", "Vladimir", "Putin", "met", "Erdogan", "in", "Ankara"]
    spans = {(s, e): entry for s, e, entry in actors.find_mentions(tokens, dt.date(2024, 1, 1))}
    assert spans[(2, 4)].name == "Vladimir Putin"
    assert spans[(5, 6)].code == "TUR"
    assert spans[(7, 8)].kind == "capital"
    assert spans[(1, 2)].kind == "role"


def test_a_custom_yaml_file_extends_the_dictionary(tmp_path):
    custom = tmp_path / "my_actors.yml"
    custom.write_text(
        textwrap.dedent(
            """\
            people:
              - name: Jane Example
                code: NOR
                variants: [Example]
                roles: ["IGO GOV 2020-01-01..2022-12-31 Special Envoy"]
            organisations:
              - {name: Valley Defence Front, code: UKR, sector: REB, variants: [VDF]}
            """
        ),
        encoding="utf-8",
    )
    actors = ActorDictionary.from_files([*default_paths(), custom])
    assert _code_sector(actors, "Example", dt.date(2021, 6, 1)) == ("IGO", "GOV")
    assert _code_sector(actors, "Jane Example", dt.date(2024, 6, 1)) == ("NOR", "ELI")
    assert _code_sector(actors, "VDF fighters") == ("UKR", "REB")
    assert actors.resolve("Ukraine").code == "UKR"
    alone = ActorDictionary.from_files([custom])
    assert alone.resolve("Ukraine") is None


def test_packaged_files_cover_every_un_member():
    import yaml

    countries = next(p for p in default_paths() if p.name == "countries.yml")
    codes = {c["code"] for c in yaml.safe_load(countries.read_text(encoding="utf-8"))["countries"]}
    assert len(codes) >= 193 + 5
    assert {"PSE", "TWN", "XKX", "VAT", "ESH", "SSD", "TLS", "MNE"} <= codes


@pytest.mark.parametrize(
    "text", ["Reuters", "TASS", "a Reuters report", "Al Jazeera", "RIA Novosti"]
)
def test_outlets_are_never_actors(actors, text):
    assert actors.resolve(text) is None
    assert actors.find_mentions(text.split()) == []


@pytest.mark.parametrize(
    ("text", "code"), [("Reuters", "GBR"), ("TASS", "RUS"), ("a Reuters report", "GBR")]
)
def test_outlets_resolve_as_sources(actors, text, code):
    ref = actors.resolve(text, sources=True)
    assert ref is not None and (ref.code, ref.sector) == (code, "JRN")


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("the Zionist entity", "ISR", "GOV"),
        ("the Kyiv regime", "UKR", "GOV"),
        ("the Kremlin", "RUS", "GOV"),
        ("the Sanaa government", "YEM", "REB"),
        ("the Islamic Republic of Pakistan", "PAK", None),
        ("Ansar Allah", "YEM", "REB"),
        ("the Three Brotherhood Alliance", "MMR", "REB"),
        ("Karabakh Armenian forces", "ARM", "REB"),
        ("the Rapid Support Forces", "SDN", "REB"),
        ("AFC/M23", "COD", "REB"),
    ],
)
def test_outlets_names_for_parties_and_armed_groups(actors, text, code, sector):
    assert _code_sector(actors, text) == (code, sector)


@pytest.mark.parametrize(
    ("text", "on", "code", "sector"),
    [
        ("Hans Grundberg", dt.date(2022, 4, 1), "IGO", "GOV"),
        ("Zabihullah Mujahid", dt.date(2020, 2, 29), "AFG", "REB"),
        ("Zabihullah Mujahid", dt.date(2025, 10, 20), "AFG", "GOV"),
        ("Getachew Reda", dt.date(2022, 11, 2), "ETH", "REB"),
        ("Pablo Beltrán", dt.date(2025, 1, 17), "COL", "REB"),
        ("Khawaja Asif", dt.date(2025, 10, 19), "PAK", "GOV"),
        ("Rustem Umierov", dt.date(2025, 6, 2), "UKR", "GOV"),
    ],
)
def test_peace_process_people_hold_dated_roles(actors, text, on, code, sector):
    assert _code_sector(actors, text, on) == (code, sector)


@pytest.mark.parametrize(
    ("place", "on", "sides"),
    [
        ("YEM", dt.date(2022, 4, 1), ("YEM", "SAU")),
        ("UKR", dt.date(2015, 2, 12), ("UKR", "RUS")),
        ("ETH", dt.date(2022, 11, 2), ("ETH",)),
        ("ETH", dt.date(2024, 1, 1), ()),
        ("FRA", dt.date(2024, 1, 1), ()),
    ],
)
def test_belligerents_are_the_dated_sides_of_the_war_fought_in_a_country(place, on, sides):
    assert ActorDictionary.default().belligerents(place, on) == sides


@pytest.mark.parametrize(
    ("text", "on", "body"),
    [
        ("Hans Grundberg", dt.date(2022, 4, 1), "UN"),
        ("Stoltenberg", dt.date(2020, 1, 1), "NATO"),
        ("Obasanjo", dt.date(2022, 11, 3), "AU"),
    ],
)
def test_an_official_of_an_international_body_acts_for_the_body(text, on, body):
    ref = ActorDictionary.default().resolve(text, on)
    assert ref is not None and (ref.code, ref.name) == ("IGO", body)


def test_a_state_official_keeps_his_own_name():
    ref = ActorDictionary.default().resolve("Lavrov", dt.date(2020, 1, 1))
    assert ref is not None and ref.code == "RUS" and ref.name == "Sergei Lavrov"


def test_remembered_answers_are_the_computed_ones_and_independent_copies():
    """Resolutions are memoised per dictionary: the same phrase on another date or as a
    source is asked afresh, and a caller changing its copy changes nothing for the next."""
    actors = ActorDictionary.from_files(default_paths())
    before, during = dt.date(2010, 1, 1), dt.date(2023, 1, 1)
    for text, on in [("President Zelensky", during), ("President Zelensky", before)]:
        first, again = actors.resolve(text, on), actors.resolve(text, on)
        assert first == again == actors._resolve(text, on, False)
        assert first is not again
    first = actors.resolve("Russia", None)
    first.code = "XXX"
    assert actors.resolve("Russia", None).code == "RUS"
    assert actors.resolve("Reuters", sources=True) != actors.resolve("Reuters")
    words = ["Russian", "President", "Vladimir", "Putin", "met", "Erdogan"]
    assert actors.find_mentions(words) == list(actors._find_mentions(tuple(words), None, False))
