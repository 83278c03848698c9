"""Parse only the sentences that can carry a record, and still return one whole ``Doc``.

Most news sentences hold no event. Each document is cut into sentence chunks by
the cheap segmenter; a chunk goes to the full spaCy pipeline only if one of its
tokens is a known trigger or cue form, otherwise it gets a flat placeholder parse.
The chunks are reassembled with ``Doc.from_docs`` so that character offsets are
exactly those of the clean text and every stage downstream sees ordinary spaCy
objects. Parsing is batched across documents with ``nlp.pipe``.

``max_sentences`` caps what one document may cost: only its first sentences are parsed
and the ``Doc`` covers that prefix of the text; :func:`cut_of` tells what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from detente.nlp.sentences import Sentence, split_sentences

Keep = Callable[[Sentence], bool]
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


def flat_doc(nlp: Language, text: str) -> Doc:
    """A tokenised chunk with a placeholder tree: one sentence, no tags, no entities."""
    tokens = nlp.tokenizer(text)
    n = len(tokens)
    doc = Doc(
        nlp.vocab,
        words=[t.text for t in tokens],
        spaces=[bool(t.whitespace_) for t in tokens],
        heads=[0] * n,
        deps=["ROOT"] + ["dep"] * (n - 1) if n else [],
        sent_starts=[True] + [False] * (n - 1) if n else [],
    )
    return doc


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
    pending: list[tuple[list[tuple[str, bool]], tuple[int, int] | None]] = []
    for text in texts:
        sentences = split_sentences(text)
        cut = None
        if max_sentences and len(sentences) > max_sentences:
            cut = (max_sentences, len(sentences))
            text = text[: sentences[max_sentences].start]
            sentences = sentences[:max_sentences]
        chunks = [
            (chunk, s is not None and (keep is None or keep(s)))
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
    docs: list[tuple[list[tuple[str, bool]], tuple[int, int] | None]],
    batch_size: int,
) -> Iterator[Doc]:
    to_parse = [chunk for chunks, _ in docs for chunk, parse in chunks if parse]
    parsed = iter(nlp.pipe(to_parse, batch_size=batch_size))
    for chunks, cut in docs:
        doc = _join(nlp, chunks, parsed)
        if cut:
            doc.user_data[CUT_KEY] = cut
        yield doc


def _join(nlp: Language, chunks: list[tuple[str, bool]], parsed: Iterator[Doc]) -> Doc:
    """One document's ``Doc`` from its parsed and placeholder chunks."""
    parts = []
    for chunk, parse in chunks:
        if parse:
            part = next(parsed)
            part.tensor = numpy.zeros((0, 0), dtype="float32")
        else:
            part = flat_doc(nlp, chunk)
        parts.append(part)
    if not parts:
        return Doc(nlp.vocab, words=[])
    return Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
