"""RSS/Atom feeds: each item becomes the article its link points to.

Feed items are usually teasers, so the linked page is fetched and extracted; when
the link is missing or fails, the item's own content is used instead, so a feed
that carries full text still yields articles when the site blocks fetching.
"""

from __future__ import annotations

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


def feed_items(fetched: Fetched, url: str, reader: _Reader) -> Iterator[Item]:
    parsed = feedparser.parse(fetched.body)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        yield Rejection(url, f"not an RSS or Atom feed{detail}")
        return
    if not parsed.entries:
        yield Rejection(url, "feed has no items")
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        yield _item(entry, f"{url}#item{number}", feed_title, reader)


def _item(entry, fallback_origin: str, feed_title: str | None, reader: _Reader) -> Item:
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
