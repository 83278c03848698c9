"""Readings of one token that several stages ask for, computed once per parsed document.

The event coder and the position extractor both ask how firmly a trigger is stated and who
the text says is speaking; a speech act is often an event trigger as well ("demanded",
"rejected"). The first stage to ask computes the reading, the others read it back, so both
records say the same and the sentence is walked once. The readings live on the ``Doc``
(like the document context) and go with it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from spacy.tokens import Doc, Token

MEMO_KEY = ("detente", "memo")
T = TypeVar("T")


def reading(token: Token, name: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``name`` is asked of ``token`` in its document; a
    reading must depend on the parse alone: whatever else it depends on (the publication
    day, the process) goes into ``name``."""
    memo = token.doc.user_data.setdefault(MEMO_KEY, {})
    memo_key = (name, token.i)
    if memo_key not in memo:
        memo[memo_key] = compute()
    return memo[memo_key]


def document_reading(doc: Doc, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per document: a per-token table every sentence's reader shares."""
    memo = doc.user_data.setdefault(MEMO_KEY, {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def token_forms(token: Token) -> tuple[str, str, str]:
    """The forms a cue word may match: lower case, lemma (lower case) and spaCy's norm."""
    return (token.lower_, token.lemma_.lower(), token.norm_)


def document_forms(doc: Doc) -> list[tuple[str, str, str]]:
    """:func:`token_forms` of every token, by document token index, built once: cue lookups
    of every stage read this table instead of asking spaCy token by token."""
    return document_reading(doc, "forms", lambda: [token_forms(t) for t in doc])
