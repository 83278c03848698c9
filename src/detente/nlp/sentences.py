"""Cheap sentence segmentation with character offsets.

The dependency parser is the expensive part of the pipeline, so segmentation uses
the rule-based sentencizer on a tokenizer-only pipeline: every sentence gets its
offsets into the clean text and its paragraph number, and only sentences that the
pre-filter flags are sent to the parser afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Span

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[*•\-–—]\s)|\n(?=[^\n]{0,80}\n)")
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]


@lru_cache(maxsize=1)
def _segmenter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph spans: blank lines, list bullets and short title-like lines break paragraphs."""
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets, paragraph numbers and token texts."""
    segmenter = _segmenter()
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        chunk = text[p_start:p_end]
        if not chunk.strip():
            continue
        doc = segmenter(chunk.replace("\n", " "))
        for sent in doc.sents:
            stripped = sent.text.strip()
            if not stripped:
                continue
            start = p_start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            end = start + len(stripped)
            if end - start > MAX_SENTENCE_CHARS:
                end = start + MAX_SENTENCE_CHARS
            sentences.append(
                Sentence(
                    index=len(sentences),
                    paragraph=paragraph,
                    start=start,
                    end=end,
                    text=text[start:end].replace("\n", " "),
                    tokens=tuple(t.text for t in sent if not t.is_space),
                )
            )
    return sentences


def trimmed(span: Span) -> Span:
    """The span without leading or trailing whitespace tokens (chunks end in "\n\n")."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start == end:
        return span[0:0]
    return doc[start:end]


@lru_cache(maxsize=16)
def sentence_words(sent: Span) -> frozenset[str]:
    """Lemmas and lower-case forms of a sentence, for cue lookups.

    Several rules of the coder ask "does the sentence contain any of these words?" for
    every event; the set is built once per sentence and shared.
    """
    return frozenset(t.lemma_.lower() for t in sent) | frozenset(t.lower_ for t in sent)
