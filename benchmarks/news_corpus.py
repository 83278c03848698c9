"""Generated "ordinary news": about 22 sentences a document, most of them without events.

Backfills are mostly articles in which nothing codable happens (markets, weather, sport,
local politics), and those articles are full of everyday uses of words the coder also
knows (talks, help, open, round, vote, march, stand, decline). Each document mixes such
sentences with two or three event sentences about a conflict. Deterministic for a seed.
"""

from __future__ import annotations

import random

PEOPLE = [
    "the mayor",
    "the coach",
    "the author",
    "a spokeswoman for the company",
    "the manager",
    "residents",
    "the council",
    "analysts",
    "the museum director",
    "local officials",
    "the head teacher",
    "the chief executive",
    "fans",
    "the festival organisers",
]
PLACES = [
    "Leeds",
    "Lyon",
    "Porto",
    "Graz",
    "Tampere",
    "Bergen",
    "Utrecht",
    "Ghent",
    "Brno",
    "Malmo",
    "Cork",
    "Aarhus",
    "Krakow",
    "Bilbao",
]
THINGS = [
    "the new library",
    "the bridge",
    "the shopping centre",
    "the stadium",
    "the museum",
    "the rail line",
    "the school",
    "the hospital wing",
    "the market",
    "the ferry terminal",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "September", "October"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINARY = [
    "{Person} said {thing} in {place} would open on {day}.",
    "Shares in the retailer declined {n} percent in early trading on {day}.",
    "The team advanced to the second round after a {n}-{m} win in {place}.",
    "Residents will vote on the new parking rules in {month}.",
    "Sales rose {n} percent in {month}, the best month since the spring.",
    "{Person} talks about the history of {place} in a new documentary.",
    "Volunteers help clean the river banks in {place} every {day}.",
    "{Thing} will stand for another fifty years, engineers said.",
    "Temperatures in {place} are expected to reach {n} degrees on {day}.",
    "The festival drew {n} thousand visitors over the weekend.",
    "{Person} said the budget for {thing} had grown by {n} million euros.",
    "The match was postponed because of heavy rain in {place}.",
    "Ticket prices will rise by {n} percent from {month}.",
    "Talks between the club and its new sponsor are expected to end in {month}.",
    "The council agreed to extend opening hours at {thing}.",
    "Unemployment in the region fell to {n} percent, according to new figures.",
    "{Person} thanked the volunteers who had helped during the storm.",
    "The orchestra will open its season with a concert in {place} on {day}.",
    "Traffic on the ring road was slow after a lorry broke down near {place}.",
    "{Person} said demand for flats in {place} remained strong.",
    "A march through the old town is planned for the end of {month}.",
    "Petrol prices have declined for the third week in a row.",
    "The final round of the chess tournament starts on {day}.",
    "{Person} told reporters the project was on schedule.",
    "Students can apply for the scholarship until the end of {month}.",
    "The airport in {place} handled {n} thousand passengers in {month}.",
    "{Thing} closed for two hours on {day} because of a power cut.",
    "Local farmers said the harvest was {n} percent smaller than last year.",
    "The union and the bus operator will hold talks on pay next week.",
    "{Person} said the town would stand by its plans for a new cycle lane.",
]
EVENTS = [
    "Russian forces shelled {city} overnight, Ukrainian officials said.",
    "Ukraine accused Russia of targeting civilians in {city}.",
    "Russia and Ukraine exchanged {n} prisoners of war on {day}.",
    "Turkey offered to host talks between Moscow and Kyiv.",
    "The European Union imposed new sanctions on Russian banks.",
    "Qatar mediated the return of {n} children to Ukraine.",
    "Zelensky urged Western allies to send more air defence systems.",
    "The Kremlin rejected the proposal for a ceasefire.",
    "A drone attack on {city} killed {n} people, the regional governor said.",
    "Ukrainian and Russian negotiators met in Istanbul on {day}.",
]
CITIES = ["Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Sumy", "Mykolaiv"]
SENTENCES_PER_DOC = 22
EVENT_SENTENCES = (2, 3)


def _fill(template: str, rng: random.Random) -> str:
    person = rng.choice(PEOPLE)
    thing = rng.choice(THINGS)
    return template.format(
        Person=person[0].upper() + person[1:], thing=thing, Thing=thing[0].upper() + thing[1:],
        place=rng.choice(PLACES), day=rng.choice(DAYS), month=rng.choice(MONTHS),
        city=rng.choice(CITIES), n=rng.randint(2, 300), m=rng.randint(0, 3),
    )  # fmt: skip


def ordinary_news(documents: int, seed: int = 7) -> list[dict]:
    """JSONL-ready records (``id``, ``published``, ``title``, ``text``)."""
    rng = random.Random(seed)
    records = []
    for number in range(documents):
        events = rng.randint(*EVENT_SENTENCES)
        sentences = [_fill(rng.choice(ORDINARY), rng) for _ in range(SENTENCES_PER_DOC - events)]
        for _ in range(events):
            sentences.insert(rng.randrange(len(sentences) + 1), _fill(rng.choice(EVENTS), rng))
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        records.append(
            {
                "id": f"news-{number:07d}",
                "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "title": f"Around {rng.choice(PLACES)} this week",
                "text": "\n\n".join(paragraphs),
            }
        )
    return records
