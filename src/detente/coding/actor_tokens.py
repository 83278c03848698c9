"""Tokens for actor matching: one normal form shared by dictionary variants and text.

Dictionary variants ("al-Qaeda", "U.S.", "Côte d'Ivoire") and the text being coded (a noun
phrase string, or spaCy token texts) must split the same way, or multi-word names would never
meet. Both go through :func:`split`, and every token gets a lookup key from :func:`key`:
lower-cased, accents folded, abbreviation dots removed ("U.S." and "US" share the key "us";
a case rule then keeps the pronoun "us" out). Hyphens, apostrophes, quotes and full stops are
dropped from the stream, so "al Qaeda"/"al-Qaeda" and "Workers' Party"/"Workers Party" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(
    r"[^\W\d_](?:\.[^\W\d_])+\.?"  # dotted abbreviations: U.S., U.N., F.W.
    r"|\w+(?:['’](?!s\b)\w+)*"  # words, keeping inner apostrophes: d'Ivoire, N'Djamena
    r"|['’]s\b"  # possessive 's
    r"|\S",
    re.UNICODE,
)
_DROPPED = frozenset("-'’‘\".“”`´")
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})

POSSESSIVE = "'s"

# How a variant token constrains the text token that matches it.
ANY, CAPITALISED, UPPER = 0, 1, 2


def split(text: str) -> list[str]:
    """Token texts of ``text`` in matching form (dropped punctuation removed)."""
    return [t for t in _TOKEN.findall(text) if t not in _DROPPED]


@lru_cache(maxsize=65536)
def split_token(token: str) -> tuple[str, ...]:
    """:func:`split` for one caller token (spaCy's), cached: the same words recur endlessly."""
    return tuple(split(token))


@lru_cache(maxsize=65536)
def key(token: str) -> str:
    """Lookup key: lower-case, accent-free, without abbreviation dots; "'s" stays "'s"."""
    if token in ("'s", "’s"):
        return POSSESSIVE
    folded = unicodedata.normalize("NFKD", token.translate(_FOLD))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.replace(".", "").replace("’", "'").lower()


def case_rule(token: str) -> int:
    """Short all-caps acronyms (US, UN) need upper case; names a capital; other words anything."""
    bare = token.replace(".", "")
    letters = [c for c in bare if c.isalpha()]
    if not letters:
        return ANY
    if len(letters) <= 3 and all(c.isupper() for c in letters) and len(letters) > 1:
        return UPPER
    if letters[0].isupper():
        return CAPITALISED
    return ANY


def case_ok(rule: int, token: str) -> bool:
    if rule == ANY:
        return True
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return False
    if rule == UPPER:
        return all(c.isupper() for c in letters)
    return letters[0].isupper()
