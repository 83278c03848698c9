"""Property-based tests of sentence splitting: random Unicode, separators, surrogates."""

from __future__ import annotations

import string

import pytest

pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from detente.nlp.sentences import MAX_SENTENCE_CHARS, split_sentences  # noqa: E402

pytestmark = pytest.mark.fuzz

SEPARATORS = "\n\r\u2028\u2029\x85\x0b\x0c\t \u00a0"
texts = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(SEPARATORS),
        st.sampled_from(["Mr.", "U.S.", "talks.", "Kyiv", "said:", "* ", "\n\n", "?!", "..."]),
        st.sampled_from(string.ascii_letters + " .,;!?\"'"),
    ),
    max_size=150,
).map("".join)


@given(texts)
def test_sentences_point_back_into_the_text_in_order(text):
    sentences = split_sentences(text)
    previous_end, previous_paragraph = 0, 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.end - sentence.start <= MAX_SENTENCE_CHARS
        assert text[sentence.start : sentence.end].replace("\n", " ") == sentence.text
        assert sentence.text.strip() and sentence.paragraph >= previous_paragraph
        previous_end, previous_paragraph = sentence.end, sentence.paragraph


@given(st.text(st.sampled_from("ab. \n"), max_size=5000))
def test_long_runs_are_split_without_loss(text):
    covered = "".join(text[s.start : s.end] for s in split_sentences(text))
    assert sum(c.isalpha() for c in covered) == sum(c.isalpha() for c in text) or any(
        s.end - s.start == MAX_SENTENCE_CHARS for s in split_sentences(text)
    )
