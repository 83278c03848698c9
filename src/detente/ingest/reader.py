"""Read every kind of input into cleaned documents, without touching a database.

``iter_documents`` is the single entry point shared by ``detente ingest`` (which
stores and de-duplicates) and ``detente extract`` (which codes straight from the
inputs). Problems with one input become a ``Rejection`` in the stream so the caller
can report it and carry on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from detente.ingest.decode import DecodeError, decode
from detente.ingest.fetch import Fetched, Fetcher, FetchError
from detente.ingest.models import Document, Rejection
from detente.ingest.parse import build, from_html, from_jsonl_line, looks_like_html

DEFAULT_MAX_BYTES = 20_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
KNOWN_SUFFIXES = HTML_SUFFIXES | JSONL_SUFFIXES | TEXT_SUFFIXES

Item = Document | Rejection


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def iter_documents(
    inputs: Iterable[str],
    *,
    glob: str | None = None,
    feeds: Iterable[str] = (),
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield one ``Document`` or ``Rejection`` per article found in ``inputs`` and ``feeds``.

    Inputs are file or folder paths (folders are walked recursively: files with a known
    suffix, or those matching ``glob``), http(s) URLs, or ``-`` for standard input.
    """
    reader = _Reader(allow_private=allow_private, max_bytes=max_bytes)
    try:
        for item in inputs:
            if item == "-":
                yield from reader.stream(stdin or sys.stdin.buffer, "stdin")
            elif is_url(item):
                yield from reader.url(item)
            else:
                yield from reader.path(Path(item), glob)
        for feed in feeds:
            yield from reader.feed(feed)
    finally:
        reader.close()


class _Reader:
    def __init__(self, *, allow_private: bool, max_bytes: int):
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(allow_private=self.allow_private, max_bytes=self.max_bytes)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.__exit__(None, None, None)

    def _cap_message(self, size: int) -> str:
        return (
            f"{size / 1e6:.1f} MB is over the {self.max_bytes / 1e6:.1f} MB size cap"
            " (raise it with --max-mb)"
        )

    def path(self, path: Path, glob: str | None) -> Iterator[Item]:
        if path.is_dir():
            files = sorted(path.rglob(glob)) if glob else sorted(path.rglob("*"))
            for file in files:
                hidden = any(part.startswith(".") for part in file.relative_to(path).parts)
                wanted = glob is not None or file.suffix.lower() in KNOWN_SUFFIXES
                if file.is_file() and wanted and not hidden:
                    yield from self.file(file)
        elif path.is_file():
            yield from self.file(path)
        else:
            yield Rejection(str(path), "no such file or folder")

    def file(self, path: Path) -> Iterator[Item]:
        origin = str(path)
        size = path.stat().st_size
        if size > self.max_bytes:
            yield Rejection(origin, self._cap_message(size))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Rejection(origin, f"cannot read: {exc.strerror or exc}")
            return
        yield from self.content(data, origin, suffix=path.suffix.lower())

    def stream(self, handle: BinaryIO, origin: str) -> Iterator[Item]:
        data = handle.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            yield Rejection(origin, self._cap_message(len(data)) + " (or more)")
            return
        yield from self.content(data, origin, suffix="")

    def content(
        self, data: bytes, origin: str, *, suffix: str, url: str | None = None
    ) -> Iterator[Item]:
        try:
            text = decode(data).text
        except DecodeError as exc:
            yield Rejection(origin, str(exc))
            return
        kind = _kind(text, suffix)
        if kind == "jsonl":
            for number, line in enumerate(text.splitlines(), start=1):
                item = from_jsonl_line(line, f"{origin}:{number}")
                if item is not None:
                    yield item
        elif kind == "html":
            yield from_html(text, origin, url=url)
        else:
            yield build(text, origin, url=url)

    def url(self, url: str) -> Iterator[Item]:
        try:
            fetched = self.fetcher.get(url)
        except FetchError as exc:
            yield Rejection(url, str(exc))
            return
        if _is_feed_type(fetched.content_type):
            yield from self._feed_items(fetched, url)
            return
        suffix = ".html" if "html" in fetched.content_type else ""
        if "json" in fetched.content_type:
            suffix = ".jsonl"
        yield from self.content(fetched.body, url, suffix=suffix, url=fetched.url)

    def feed(self, url: str) -> Iterator[Item]:
        try:
            fetched = self.fetcher.get(url)
        except FetchError as exc:
            yield Rejection(url, str(exc))
            return
        yield from self._feed_items(fetched, url)

    def _feed_items(self, fetched: Fetched, url: str) -> Iterator[Item]:
        from detente.ingest.feeds import feed_items

        yield from feed_items(fetched, url, self)


def _kind(text: str, suffix: str) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    return "html" if looks_like_html(text) else "text"


def _is_feed_type(content_type: str) -> bool:
    return any(k in content_type for k in ("rss", "atom", "/xml", "+xml")) and (
        "html" not in content_type
    )
