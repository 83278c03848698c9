"""Strip page chrome from text copied off the web.

Copied pages carry the site around the article: bylines, share rows, comment forms,
teaser lists, disclaimers, sometimes a whole second article. The cues live in
``data/chrome.yml`` so they can be extended without touching code; the algorithm
here only decides *where* they apply:

* the header (first lines) yields the title, the byline and the dateline;
* the first end-of-article marker met after enough body text cuts the page;
* short lines matching a boilerplate pattern are dropped anywhere;
* repeats of the title are dropped, and so are short lines just before a cut
  (author bios and sign-offs sit between the article and the comment form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from detente.data import load_yaml
from detente.ingest.dates import DateFound, find_date


@dataclass(frozen=True)
class ChromeRules:
    end_markers: list[re.Pattern]
    drop_lines: list[re.Pattern]
    bylines: list[re.Pattern]
    min_body_words: int
    trailing_short_line_words: int
    max_chrome_words: int
    header_lines: int


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    author: str | None = None
    date: DateFound | None = None


def _compile(patterns: list[str]) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


@lru_cache(maxsize=1)
def rules() -> ChromeRules:
    data = load_yaml(
        resources.files("detente.data").joinpath("chrome.yml").read_text(encoding="utf-8")
    )
    return ChromeRules(
        end_markers=_compile(data["end_markers"]),
        drop_lines=_compile(data["drop_lines"]),
        bylines=_compile(data["bylines"]),
        min_body_words=int(data["min_body_words"]),
        trailing_short_line_words=int(data["trailing_short_line_words"]),
        max_chrome_words=int(data["max_chrome_words"]),
        header_lines=int(data["header_lines"]),
    )


def _matches(patterns: list[re.Pattern], line: str) -> bool:
    return any(p.fullmatch(line) for p in patterns)


def _key(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.casefold()))


def _looks_like_title(line: str) -> bool:
    return 0 < len(line.split()) <= 25 and not line.endswith((".", ",", ";", ":"))


def _looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    return 1 <= len(words) <= 6 and all(w[0].isupper() or w in {"and", "&"} for w in words)


def _first_line_as_title(lines: list[str], r: ChromeRules) -> str | None:
    for line in lines[: r.header_lines]:
        if line and not _matches(r.end_markers, line) and not _matches(r.drop_lines, line):
            return line if _looks_like_title(line) else None
    return None


def _byline(line: str, r: ChromeRules) -> str | None:
    for pattern in r.bylines:
        match = pattern.fullmatch(line)
        if match and _looks_like_name(match["author"].strip()):
            return match["author"].strip()
    return None


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def clean(raw: str, *, title: str | None = None, author: str | None = None) -> Cleaned:
    """Return the article in ``raw`` as paragraphs separated by blank lines.

    ``title``/``author`` come from metadata when the caller has it (HTML, JSONL);
    otherwise the first short line is taken as the title and a byline as author.
    """
    r = rules()
    lines = [line.strip() for line in normalise_newlines(raw).split("\n")]
    lines = [line for line in lines if line]
    date = find_date(lines)
    if date and date.strip_line is not None:
        index, remainder = date.strip_line
        lines[index] = remainder
    if title is None:
        title = _first_line_as_title(lines, r)
    title_key = _key(title) if title else None

    kept: list[str] = []
    body_words = 0
    cut = False
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next or not line:
            skip_next = False
            continue
        words = len(line.split())
        short = words <= r.max_chrome_words
        if title_key and _key(line) == title_key:
            if not kept:
                kept.append(line)
            continue
        if index < r.header_lines and short:
            if line.casefold().rstrip(":") == "by":
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if _looks_like_name(following):
                    author = author or following
                skip_next = len(following.split()) <= 6
                continue
            name = _byline(line, r)
            if name:
                author = author or name
                continue
        if short and _matches(r.end_markers, line):
            if body_words >= r.min_body_words:
                cut = True
                break
            continue
        if short and _matches(r.drop_lines, line):
            continue
        kept.append(line)
        body_words += words
    while cut and len(kept) > 1 and len(kept[-1].split()) < r.trailing_short_line_words:
        kept.pop()
    return Cleaned(text="\n\n".join(kept), title=title, author=author, date=date)
