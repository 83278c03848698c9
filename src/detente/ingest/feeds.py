"""RSS/Atom feeds: each item becomes the article its link points to.

Feed items are usually teasers, so the linked page is fetched and extracted; when
the link is missing or fails, the item's own content is used instead, so a feed
that carries full text still yields articles when the site blocks fetching.

Each entry has a stable key (its guid, else its link, else a hash of its title and text)
and a fingerprint of what it says, so a poller can keep per-feed state and fetch only the
entries that are new or changed (:mod:`detente.service.watch`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import feedparser

from detente.ingest.dates import parse_date
from detente.ingest.decode import DecodeError, decode
from detente.ingest.fetch import Fetched, FetchError
from detente.ingest.models import Document, Rejection
from detente.ingest.parse import build, from_html, looks_like_html

if TYPE_CHECKING:
    from detente.ingest.reader import Item, _Reader


def _item_content(entry) -> str:
    contents = entry.get("content") or []
    if contents and contents[0].get("value"):
        return contents[0]["value"]
    return entry.get("summary", "") or ""


def parse_feed(body: bytes) -> feedparser.FeedParserDict | str:
    """The parsed feed, or why ``body`` is not one (a line to show)."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        return f"not an RSS or Atom feed{detail}"
    return parsed


def entry_key(entry) -> str:
    """What identifies an entry across polls: its guid, else its link, else its content."""
    key = entry.get("id") or entry.get("link")
    if key:
        return str(key)
    text = f"{entry.get('title', '')}\0{_item_content(entry)}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def entry_fingerprint(entry) -> str:
    """A hash of what the entry says (link, title, dates, text): it changes when the entry is
    edited, so an updated item is fetched again."""
    # dict.get: feedparser's own get("updated") falls back to "published" with a warning.
    parts = (entry.get("link"), entry.get("title"), entry.get("published"),
             dict.get(entry, "updated"), _item_content(entry))  # fmt: skip
    return hashlib.sha256("\0".join(p or "" for p in parts).encode()).hexdigest()[:32]


def feed_items(fetched: Fetched, url: str, reader: _Reader) -> Iterator[Item]:
    parsed = parse_feed(fetched.body)
    if isinstance(parsed, str):
        yield Rejection(url, parsed)
        return
    if not parsed.entries:
        yield Rejection(url, "feed has no items")
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_item(entry, f"{url}#item{number}", feed_title, reader)


def entry_item(entry, fallback_origin: str, feed_title: str | None, reader: _Reader) -> Item:
    """The article an entry links to, else the entry's own text, else a rejection."""
    link = entry.get("link")
    origin = link or fallback_origin
    raw_date = entry.get("published") or entry.get("updated")
    feed_date = parse_date(raw_date) if raw_date else None
    link_problem = "item has no link"
    if link:
        try:
            page = reader.fetcher.get(link)
            doc = from_html(decode(page.body).text, origin, url=page.url)
            if isinstance(doc, Document):
                return _with_feed_fields(doc, entry, feed_title, feed_date)
            link_problem = doc.reason
        except (FetchError, DecodeError) as exc:
            link_problem = str(exc)
    content = _item_content(entry)
    if not content.strip():
        return Rejection(origin, f"{link_problem}, and the item carries no content")
    if looks_like_html(content):
        doc = from_html(content, origin, url=link, title=entry.get("title"))
    else:
        doc = build(content, origin, title=entry.get("title"), url=link)
    if isinstance(doc, Document):
        doc.meta["link_problem"] = link_problem
        return _with_feed_fields(doc, entry, feed_title, feed_date)
    return doc


def _with_feed_fields(doc: Document, entry, feed_title: str | None, feed_date: str | None):
    doc.title = doc.title or entry.get("title")
    doc.author = doc.author or entry.get("author")
    doc.source = feed_title or doc.source
    if feed_date and doc.published is None:
        doc.published, doc.published_evidence = feed_date, "feed:published"
    return doc
