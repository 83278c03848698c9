"""Where a document's headline block ends.

Ingested text often starts with the title on its own line — sometimes twice, often followed by
a byline or a dateline — and the sentence splitter glues those lines onto the first sentence
("… Agreed To Start Peace Talks By Andrew Korybko The path ahead …"). Headlines are
compressed, often Title Case and repeated by the body, so their cues are left out rather than
lent to the sentence they were glued to.
"""

from __future__ import annotations

MAX_HEADLINE_WORDS = 25
MAX_HEAD_LINES = 4
TERMINAL = (".", "?", "!", '"', "”", "’", "'", ":", ";")


def _is_head_line(line: str) -> bool:
    if line.endswith(TERMINAL) or any(mark in line for mark in (". ", "? ", "! ")):
        return False
    return len(line.split()) <= MAX_HEADLINE_WORDS


def headline_end(text: str) -> int:
    """Character offset just past the leading lines without closing punctuation (headline,
    byline, dateline), or 0 when the text does not start with one or has nothing after it."""
    offset, end, heads = 0, 0, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        offset += len(line)
        if not stripped:
            continue
        if heads >= MAX_HEAD_LINES or not _is_head_line(stripped):
            return end
        heads, end = heads + 1, offset
    return 0
