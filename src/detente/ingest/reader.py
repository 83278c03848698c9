"""Read every kind of input into cleaned documents, without touching a database.

``iter_documents`` is the single entry point shared by ``detente ingest`` (which
stores and de-duplicates) and ``detente extract`` (which codes straight from the
inputs), so both take the same options (:class:`ReadOptions`). Problems with one
input become a ``Rejection`` in the stream so the caller can report it and carry on.

JSONL is streamed: records are split on ``\\n`` only (JSON strings may hold U+2028,
U+2029 or NEL, which ``str.splitlines`` would break on), read one at a time, and the
size cap applies to each record, so a dump of any size is read in constant memory
and one oversized line costs only itself.
"""

from __future__ import annotations

import fnmatch
import io
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from detente.ingest.decode import DecodeError, bomless_utf16, decode
from detente.ingest.fetch import DEADLINE_S, Fetched, Fetcher, FetchError
from detente.ingest.models import Document, Rejection
from detente.ingest.parse import build, from_html, from_jsonl_line, looks_like_html

DEFAULT_MAX_BYTES = 20_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
KNOWN_SUFFIXES = HTML_SUFFIXES | JSONL_SUFFIXES | TEXT_SUFFIXES
SNIFF_BYTES = 1 << 16
"""How much of an input is looked at to tell JSONL from text or HTML."""
CHUNK_BYTES = 1 << 16

Item = Document | Rejection


@dataclass(frozen=True)
class ReadOptions:
    """What ``ingest`` and ``extract`` accept alike, so the two cannot drift apart."""

    glob: str | None = None
    """Only files matching this pattern when walking folders."""
    feeds: tuple[str, ...] = ()
    allow_private: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    """Cap per document: a file, a download, or one JSONL record."""
    follow_symlinks: bool = False
    """Follow symlinks that lead outside a folder named on the command line."""
    deadline_s: float = DEADLINE_S
    """Total time allowed for one download, however slowly the server sends."""


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def shown(path: str | os.PathLike) -> str:
    """``path`` as printable text: bytes of a non-UTF-8 file name become ``\\xNN`` escapes.

    Such names arrive as lone surrogates, which no terminal, JSON file or SQLite text
    column accepts; the escaped form names the file unambiguously instead.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_documents(
    inputs: Iterable[str], *, stdin: BinaryIO | None = None, **options
) -> Iterator[Item]:
    """Yield one ``Document`` or ``Rejection`` per article found in ``inputs`` and feeds.

    Inputs are file or folder paths (folders are walked recursively: files with a known
    suffix, or those matching ``glob``), http(s) URLs, or ``-`` for standard input.
    ``options`` are the fields of :class:`ReadOptions`.
    """
    opts = ReadOptions(**{**options, "feeds": tuple(options.get("feeds") or ())})
    reader = _Reader(opts)
    try:
        for item in inputs:
            if item == "-":
                yield from reader.stream(stdin or sys.stdin.buffer, "stdin")
            elif is_url(item):
                yield from reader.url(item)
            else:
                yield from reader.path(Path(item))
        for feed in opts.feeds:
            yield from reader.feed(feed)
    finally:
        reader.close()


def _inside(target: Path, root: Path) -> bool:
    try:
        target.relative_to(root)
    except ValueError:
        return False
    return True


class _Reader:
    def __init__(self, options: ReadOptions):
        self.options = options
        self.max_bytes = options.max_bytes
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(
                allow_private=self.options.allow_private,
                max_bytes=self.max_bytes,
                deadline=self.options.deadline_s,
            )
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.__exit__(None, None, None)

    def _cap_message(self, size: int, what: str = "size cap") -> str:
        return f"{_size(size)} is over the {_size(self.max_bytes)} {what} (raise it with --max-mb)"

    def path(self, path: Path) -> Iterator[Item]:
        if path.is_dir():
            yield from self.folder(path)
        elif path.is_file():
            yield from self.file(path)
        elif path.exists():
            yield Rejection(shown(path), "not a regular file")
        else:
            yield Rejection(shown(path), "no such file or folder")

    def folder(self, root: Path) -> Iterator[Item]:
        """Files under ``root`` in path order; hidden entries skipped, symlinks kept inside."""
        glob, follow = self.options.glob, self.options.follow_symlinks
        real_root = root.resolve()
        problems: list[Rejection] = []
        files: list[Path] = []
        visited: set[Path] = set()

        def unreadable(exc: OSError) -> None:
            problems.append(Rejection(shown(exc.filename or root), f"cannot read: {exc.strerror}"))

        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=follow):
            current = Path(dirpath)
            if follow:
                real = current.resolve()
                if real in visited:  # a symlink loop, or two links to one folder
                    dirnames[:] = []
                    continue
                visited.add(real)
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in dirnames:
                link = current / name
                if not follow and link.is_symlink() and not _inside(link.resolve(), real_root):
                    problems.append(self._outside(link, root))
            for name in filenames:
                file = current / name
                relative = file.relative_to(root)
                if name.startswith("."):
                    continue
                if glob is not None:
                    if not (fnmatch.fnmatch(name, glob) or PurePath(relative).match(glob)):
                        continue
                elif file.suffix.lower() not in KNOWN_SUFFIXES:
                    continue
                files.append(file)
        yield from problems
        for file in sorted(files):
            if file.is_symlink():
                target = file.resolve()
                if not target.exists():
                    yield Rejection(shown(file), "broken symlink")
                    continue
                if not follow and not _inside(target, real_root):
                    yield self._outside(file, root)
                    continue
            if file.is_file():
                yield from self.file(file)

    def _outside(self, link: Path, root: Path) -> Rejection:
        return Rejection(
            shown(link),
            f"symlink leads outside {shown(root)} (to {shown(link.resolve())}); not followed"
            " (use --follow-symlinks)",
        )

    def file(self, path: Path) -> Iterator[Item]:
        origin = shown(path)
        note = None if origin == str(path) else "file name is not valid UTF-8 (shown with escapes)"
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield Rejection(origin, f"cannot read: {exc.strerror or exc}")
            return
        with handle:
            try:
                size = os.fstat(handle.fileno()).st_size
                for item in self.stream(handle, origin, suffix=path.suffix.lower(), size=size):
                    if note and isinstance(item, Document):
                        item.meta["warning"] = note
                    yield item
            except OSError as exc:
                yield Rejection(origin, f"cannot read: {exc.strerror or exc}")

    def stream(
        self,
        handle: BinaryIO,
        origin: str,
        *,
        suffix: str = "",
        url: str | None = None,
        size: int | None = None,
    ) -> Iterator[Item]:
        """Read ``handle``: JSONL record by record, anything else as one capped document."""
        head = handle.read(SNIFF_BYTES)
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or bomless_utf16(head)
        if not utf16 and _is_jsonl(head, suffix, complete=len(head) < SNIFF_BYTES):
            yield from self.jsonl(handle, head, origin)
            return
        if size is not None and size > self.max_bytes:
            yield Rejection(origin, self._cap_message(size))
            return
        data = head + handle.read(max(self.max_bytes + 1 - len(head), 0))
        if len(data) > self.max_bytes:
            yield Rejection(origin, self._cap_message(len(data)) + " (or more)")
            return
        yield from self.content(data, origin, suffix=suffix, url=url)

    def jsonl(self, handle: BinaryIO, head: bytes, origin: str) -> Iterator[Item]:
        cap = "per-record size cap"
        records = 0
        for number, line in _lines(handle, head, self.max_bytes):
            where = f"{origin}:{number}"
            if isinstance(line, int):
                records += 1
                yield Rejection(where, "record " + self._cap_message(line, cap))
                continue
            if not line.strip():
                continue
            records += 1
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                try:
                    text = decode(line).text
                except DecodeError as exc:
                    yield Rejection(where, str(exc))
                    continue
            item = from_jsonl_line(text, where)
            if item is not None:
                yield item
        if not records:
            yield Rejection(origin, "empty input")

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
            for number, line in enumerate(text.split("\n"), start=1):
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
        if fetched.not_modified:  # a 304 to an unconditional request: nothing to read
            yield Rejection(url, "HTTP 304 Not Modified with no body")
            return
        if _is_feed_type(fetched.content_type):
            yield from self._feed_items(fetched, url)
            return
        suffix = ".html" if "html" in fetched.content_type else ""
        if "json" in fetched.content_type:
            suffix = ".jsonl"
        yield from self.stream(io.BytesIO(fetched.body), url, suffix=suffix, url=fetched.url)

    def feed(self, url: str) -> Iterator[Item]:
        try:
            fetched = self.fetcher.get(url)
        except FetchError as exc:
            yield Rejection(url, str(exc))
            return
        if fetched.not_modified:  # a 304 to an unconditional request: nothing to read
            yield Rejection(url, "HTTP 304 Not Modified with no body")
            return
        yield from self._feed_items(fetched, url)

    def _feed_items(self, fetched: Fetched, url: str) -> Iterator[Item]:
        from detente.ingest.feeds import feed_items

        yield from feed_items(fetched, url, self)


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def _lines(handle: BinaryIO, head: bytes, cap: int) -> Iterator[tuple[int, bytes | int]]:
    """``(number, line)`` for each ``\\n``-terminated line; ``(number, size)`` when over ``cap``.

    An oversized line is skipped as it streams past (its bytes are counted, not kept),
    so memory stays within ``cap`` plus one chunk whatever the input.
    """
    number, parts, size = 0, [], 0
    pending, pos = head, 0
    while True:
        if pos >= len(pending):
            pending, pos = handle.read(CHUNK_BYTES), 0
            if not pending:
                if size or parts:
                    yield number + 1, size if size > cap else b"".join(parts)
                return
        newline = pending.find(b"\n", pos)
        end = len(pending) if newline < 0 else newline
        size += end - pos
        if size <= cap:
            parts.append(pending[pos:end])
        else:
            parts = []
        pos = end + 1 if newline >= 0 else end
        if newline >= 0:
            number += 1
            yield number, size if size > cap else b"".join(parts)
            parts, size = [], 0


def _is_jsonl(head: bytes, suffix: str, *, complete: bool) -> bool:
    """JSONL by suffix, or (no known suffix) when every line seen starts with ``{``."""
    if suffix in JSONL_SUFFIXES:
        return True
    if suffix in HTML_SUFFIXES | TEXT_SUFFIXES:
        return False
    lines = head.decode("utf-8", "replace").split("\n")
    if not complete:
        lines = lines[:-1]  # the last one may be cut short
    lines = [line.lstrip("\ufeff \t\r") for line in lines if line.strip()]
    return bool(lines) and all(line.startswith("{") for line in lines)


def _kind(text: str, suffix: str) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    return "html" if looks_like_html(text) else "text"


def _is_feed_type(content_type: str) -> bool:
    return any(k in content_type for k in ("rss", "atom", "/xml", "+xml")) and (
        "html" not in content_type
    )
