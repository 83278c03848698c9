"""Parse only the sentences that can carry a record, and still return one whole ``Doc``.

Most news sentences hold no event. Each document is cut into sentence chunks by
the cheap segmenter; a chunk goes to the full spaCy pipeline only if one of its
tokens is a known trigger or cue form, otherwise it gets a flat placeholder parse.
Adjacent kept sentences are parsed as one ``Doc`` with their starts preset (spaCy's cost
per ``Doc`` is paid per stretch, not per sentence), and the stretches are reassembled with
``Doc.from_docs`` so that character offsets are exactly those of the clean text and every
stage downstream sees ordinary spaCy objects. Parsing is batched across documents with
``nlp.pipe``.

``max_sentences`` caps what one document may cost: only its first sentences are parsed
and the ``Doc`` covers that prefix of the text; :func:`cut_of` tells what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from detente.nlp.sentences import Sentence, split_sentences

Keep = Callable[[Sentence], bool]
Chunk = tuple[str, bool, bool]
"""A sentence's text up to the next one, whether it is parsed, whether it ends in a stop."""
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
CUT_KEY = ("detente", "cut")


def cut_of(doc: Doc) -> tuple[int, int] | None:
    """``(sentences parsed, sentences in the text)`` when ``max_sentences`` cut the text."""
    return doc.user_data.get(CUT_KEY)


def chunk_text(text: str, sentences: list[Sentence]) -> list[tuple[str, Sentence | None]]:
    """Contiguous chunks covering ``text`` exactly, one per sentence."""
    if not sentences:
        return [(text, None)] if text else []
    bounds = [0] + [s.start for s in sentences[1:]] + [len(text)]
    return [(text[bounds[i] : bounds[i + 1]], s) for i, s in enumerate(sentences)]


def flat_doc(nlp: Language, tokens: Doc, firsts: list[int] | None = None) -> Doc:
    """Tokenised unparsed sentences (one starting at each token index of ``firsts``, by
    default one) with a placeholder tree each: no tags, no entities."""
    firsts = set(firsts or [0])
    heads, head = [], 0
    for i in range(len(tokens)):
        if i in firsts:
            head = i
        heads.append(head)
    return Doc(
        nlp.vocab,
        words=[t.text for t in tokens],
        spaces=[bool(t.whitespace_) for t in tokens],
        heads=heads,
        deps=["ROOT" if h == i else "dep" for i, h in enumerate(heads)],
        sent_starts=[h == i for i, h in enumerate(heads)],
    )


def _first_tokens(doc: Doc, starts: list[int]) -> list[int] | None:
    """Token index of each character offset in ``starts``; ``None`` if one falls inside a
    token (the tokenizer of a longer text cut it differently from the sentence splitter)."""
    idx = doc.to_array(IDX)  # no Token objects: this runs for every stretch of text
    firsts = numpy.searchsorted(idx, starts)
    if len(idx) == 0 or (firsts >= len(idx)).any() or (idx[firsts] != starts).any():
        return None
    return firsts.tolist()


def _tokenised(nlp: Language, text: str, starts: list[int]) -> list[tuple[Doc, list[int]]]:
    """A stretch of adjacent sentences (starting at ``starts``) tokenised as one ``Doc``, with
    the token index where each sentence starts. If a start falls inside a token, each
    sentence is tokenised on its own instead."""
    doc = nlp.make_doc(text)
    firsts = _first_tokens(doc, starts)
    if firsts is not None:
        return [(doc, firsts)]
    bounds = [*starts[1:], len(text)]
    return [(nlp.make_doc(text[a:b]), [0]) for a, b in zip(starts, bounds, strict=True)]


def _preset_starts(doc: Doc, firsts: list[int]) -> None:
    """Start a sentence at each of ``firsts`` and at no punctuation-only edge of one: the
    parser may still split a sentence (a dateline from its story), but with the next
    sentence in view it would otherwise cut off a closing quote or a leading bullet."""
    ends = [*firsts[1:], len(doc)]
    for first, end in zip(firsts, ends, strict=True):
        doc[first].is_sent_start = True
        i = end - 1
        while i > first and (doc[i].is_punct or doc[i].is_space):
            doc[i].is_sent_start = False
            i -= 1
        i = first + 1
        while i < end and (doc[i - 1].is_punct or doc[i - 1].is_space):
            doc[i].is_sent_start = False
            i += 1


def _runs(chunks: list[Chunk]) -> list[tuple[str, bool, list[int]]]:
    """Adjacent chunks with the same fate joined: ``(text, parse, offsets of their sentence
    starts in text)``. A kept sentence joins the one before it only if that one ends like a
    sentence: next to a headline, a dateline or a bullet without a full stop, the parser
    reads the two as one and tags them otherwise than alone."""
    runs: list[tuple[list[str], bool, list[int]]] = []
    closed, length = False, 0
    for chunk, parse, ends in chunks:
        if runs and runs[-1][1] == parse and (closed or not parse):
            runs[-1][0].append(chunk)
            runs[-1][2].append(length)
            length += len(chunk)
        else:
            runs.append(([chunk], parse, [0]))
            length = len(chunk)
        closed = ends
    return [("".join(texts), parse, starts) for texts, parse, starts in runs]


def parse_documents(
    nlp: Language,
    texts: Iterable[str],
    keep: Keep | None = None,
    batch_docs: int = 32,
    batch_size: int = 256,
    max_sentences: int | None = None,
) -> Iterator[Doc]:
    """Yield one assembled ``Doc`` per input text, in order.

    ``keep=None`` parses every sentence (the baseline the benchmarks compare with).
    """
    pending: list[tuple[list[Chunk], tuple[int, int] | None]] = []
    for text in texts:
        sentences = split_sentences(text)
        cut = None
        if max_sentences and len(sentences) > max_sentences:
            cut = (max_sentences, len(sentences))
            text = text[: sentences[max_sentences].start]
            sentences = sentences[:max_sentences]
        chunks = [
            (
                chunk,
                s is not None and (keep is None or keep(s)),
                s is not None and SENTENCE_END.search(s.text) is not None,
            )
            for chunk, s in chunk_text(text, sentences)
        ]
        pending.append((chunks, cut))
        if len(pending) >= batch_docs:
            yield from _assemble(nlp, pending, batch_size)
            pending = []
    if pending:
        yield from _assemble(nlp, pending, batch_size)


def _assemble(
    nlp: Language,
    docs: list[tuple[list[Chunk], tuple[int, int] | None]],
    batch_size: int,
) -> Iterator[Doc]:
    """Parse the kept stretches of a batch of documents together, then join each document.

    Adjacent kept sentences are parsed as one ``Doc`` with each sentence start preset (the
    parser keeps preset starts and may add more inside a sentence, as it does for a
    sentence parsed alone): one ``Doc`` per stretch rather than per sentence saves spaCy's
    per-``Doc`` cost in every component."""
    pieces = [
        [
            (parse, doc, firsts)
            for text, parse, starts in _runs(chunks)
            for doc, firsts in _tokenised(nlp, text, starts)
        ]
        for chunks, _ in docs
    ]
    to_parse = []
    for parse, doc, firsts in (piece for doc_pieces in pieces for piece in doc_pieces):
        if parse:
            _preset_starts(doc, firsts)
            to_parse.append(doc)
    parsed = iter(nlp.pipe(to_parse, batch_size=batch_size))
    for doc_pieces, (_, cut) in zip(pieces, docs, strict=True):
        doc = _join(nlp, doc_pieces, parsed)
        if cut:
            doc.user_data[CUT_KEY] = cut
        yield doc


def _join(nlp: Language, pieces: list[tuple[bool, Doc, list[int]]], parsed: Iterator[Doc]) -> Doc:
    """One document's ``Doc`` from its parsed and placeholder stretches."""
    parts = []
    for parse, tokens, firsts in pieces:
        if parse:
            part = next(parsed)
            part.tensor = numpy.zeros((0, 0), dtype="float32")
        else:
            part = flat_doc(nlp, tokens, firsts)
        parts.append(part)
    if not parts:
        return Doc(nlp.vocab, words=[])
    return Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
