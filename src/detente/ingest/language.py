"""Which language a document is in, and whether detente can code it.

The coder's lexicons and parser are English; a Russian or Arabic article run through
them yields nothing, silently. So each document's language is detected at ingest and
stored, and ``codable`` tells the coding stage which documents to skip and why.

Detection is small and offline (no model download, no network): the script of the
letters decides for scripts one language owns (Greek, Georgian, Hangul …); otherwise
the most frequent function words of the languages written in that script are counted
(``data/languages.yml``). Function words are topic-free, so a paragraph of news is
enough; a text too short or too mixed to tell is left undetected (None), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from detente.data import load_yaml

SAMPLE_CHARS = 20_000
"""Enough text to decide; keeps detection constant-time on huge documents."""


@dataclass(frozen=True)
class LanguageRules:
    coded: frozenset[str]
    names: dict[str, str]
    min_letters: int
    min_share: float
    min_hits: int
    ranges: list[tuple[int, int, str]]
    script_language: dict[str, str]
    marker_letters: dict[str, frozenset[str]]
    words: dict[str, dict[str, frozenset[str]]]


@lru_cache(maxsize=1)
def rules() -> LanguageRules:
    data = load_yaml(
        resources.files("detente.data").joinpath("languages.yml").read_text(encoding="utf-8")
    )
    ranges = []
    for script, spans in data["scripts"].items():
        for span in spans:
            low, high = (int(part, 16) for part in span.split("-"))
            ranges.append((low, high, script))
    return LanguageRules(
        coded=frozenset(data["coded"]),
        names=dict(data["names"]),
        min_letters=int(data["min_letters"]),
        min_share=float(data["min_share"]),
        min_hits=int(data["min_hits"]),
        ranges=sorted(ranges),
        script_language=dict(data["script_language"]),
        marker_letters={lang: frozenset(chars) for lang, chars in data["marker_letters"].items()},
        words={
            script: {lang: frozenset(str(w) for w in words) for lang, words in langs.items()}
            for script, langs in data["words"].items()
        },
    )


CODED_LANGUAGES = rules().coded


def _script(char: str, r: LanguageRules) -> str | None:
    code = ord(char)
    if code < 0x250:
        return "latin"
    for low, high, script in r.ranges:
        if low <= code <= high:
            return script
    return None


def detect(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text``, or None when it cannot be told."""
    r = rules()
    sample = text[:SAMPLE_CHARS]
    counts: dict[str, int] = {}
    letters = 0
    for char in sample:
        if char.isalpha():
            letters += 1
            script = _script(char, r)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if letters < r.min_letters or not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < letters * r.min_share:
        return None
    if script in ("han", "kana"):
        return "ja" if counts.get("kana") else "zh"
    if script in r.script_language:
        return r.script_language[script]
    candidates = r.words.get(script, {})
    for lang, markers in r.marker_letters.items():
        if lang in candidates and sum(sample.count(c) for c in markers) >= 2:
            return lang
    words = re.findall(r"\w+", sample.casefold())
    hits = {lang: sum(w in vocab for w in words) for lang, vocab in candidates.items()}
    if not hits:
        return None
    best = max(hits, key=lambda lang: hits[lang])
    if script == "latin" and hits[best] < r.min_hits:
        return None
    return best


def name(code: str | None) -> str:
    return rules().names.get(code or "", code or "unknown")


def codable(doc) -> tuple[bool, str]:
    """``(True, "")`` for a document the coder reads, else ``(False, why)`` for the user.

    ``doc`` is anything with a ``language`` attribute (a ``Document``). An undetected
    language counts as codable: too little text to tell is no reason to skip it.
    """
    language = getattr(doc, "language", None)
    if language is None or language in CODED_LANGUAGES:
        return True, ""
    coded = ", ".join(name(code) for code in sorted(CODED_LANGUAGES))
    return False, f"in {name(language)} ({language}); detente codes {coded} only"
