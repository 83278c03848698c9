"""Fuzzing the event coder: any text — separators, control and format characters, huge
words, news-like fragments — codes without an exception, and every event points at a real
span of the text it came from. Lone surrogates never reach the coder: ingestion replaces
them (tests/ingest/test_fuzz.py)."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.models import Document

pytestmark = pytest.mark.fuzz

FRAGMENTS = [
    "Russia and Ukraine exchanged 150 prisoners on Friday.",
    "Ukraine's foreign minister met his Turkish counterpart in Ankara.",
    "The ceasefire was violated, the army said.",
    "He urged both sides to return to talks",
    "\u2028",
    "\u2029",
    "\x85",
    "\n\n",
    "“",
    "U.S.-brokered",
    "Forty-one",
    "\x00",
    "\u200b",
    "-" * 300,
]
texts = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    min_size=1,
    max_size=8,
).map(" ".join)


@lru_cache(maxsize=1)
def _coder():
    from detente.pipeline import make_coder

    return make_coder()


@settings(deadline=None)  # the first example loads the model
@given(texts)
def test_any_text_codes_and_evidence_points_into_it(text):
    document = Document(doc_id="fuzz", clean_text=text, published="2025-01-01")
    coded = next(_coder().code_documents([document]))
    for event in coded.events:
        span = text[event.evidence.start : event.evidence.end]
        assert 0 <= event.evidence.start <= event.evidence.end <= len(text)
        assert " ".join(span.split()) == " ".join(event.evidence.sentence.split())
