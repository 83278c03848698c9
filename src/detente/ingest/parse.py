"""Turn one piece of raw input (text, HTML, a JSONL record) into a ``Document``.

Each builder returns either a ``Document`` or a ``Rejection`` with a reason a user
can act on, never raises for bad content: one unreadable article must not stop a
run of thousands.
"""

from __future__ import annotations

import copy
import json
import re
import sys

from detente.ingest.chrome import clean, normalise_newlines
from detente.ingest.dates import parse_date
from detente.ingest.fingerprint import content_hash, doc_id_for
from detente.ingest.language import detect
from detente.ingest.models import Document, Rejection

JSONL_FIELDS = ("id", "title", "url", "published", "source", "language", "author")
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""C0 controls (bar tab and newlines) and lone surrogates: JSON escapes and sloppy
pages carry them in, but SQLite, lxml and terminals refuse them, so they become spaces."""


def scrub(text: str) -> str:
    return UNSTORABLE.sub(" ", text)


def build(
    raw: str,
    origin: str,
    *,
    clean_text: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
    author: str | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
    published: str | None = None,
    published_evidence: str | None = None,
    meta: dict | None = None,
) -> Document | Rejection:
    """Clean ``raw`` (unless ``clean_text`` is given) and assemble the document.

    Metadata passed in wins over what is read from the text; a metadata date that
    cannot be parsed falls back to a date found in the text. The language is the
    exception: declared languages are often a site-wide default, so the detected one
    wins, and a declared one that disagrees is kept in ``meta['declared_language']``.
    """
    raw = scrub(raw)
    title, author, url, source, language, published = (
        scrub(value) if value else value
        for value in (title, author, url, source, language, published)
    )
    body = scrub(clean_text) if clean_text is not None else raw
    cleaned = clean(body, title=title, author=author)
    if not cleaned.text.strip():
        return Rejection(origin, "no article text after cleaning")
    iso = parse_date(published) if published else None
    evidence = published_evidence if iso else None
    if iso is None and cleaned.date is not None:
        iso, evidence = cleaned.date.iso, cleaned.date.evidence
    meta = dict(meta or {})
    detected = detect(cleaned.text)
    declared = language.split("-")[0].split("_")[0].lower() if language else None
    if detected and declared and declared != detected:
        meta["declared_language"] = language
    return Document(
        doc_id=scrub(doc_id) if doc_id else doc_id_for(cleaned.text),
        clean_text=cleaned.text,
        raw_text=raw,
        title=cleaned.title,
        author=cleaned.author,
        url=url,
        source=source,
        language=detected or declared,
        published=iso,
        published_evidence=evidence,
        origin=origin,
        content_hash=content_hash(cleaned.text),
        meta=meta,
    )


MAX_HTML_DEPTH = 2048
"""libxml2's nesting limit even with ``huge_tree``; deeper pages are refused, by name."""


def _parse_html(html: str):
    """The lxml tree, parsed without libxml2's default 256-level depth limit.

    Real pages built from nested layout blocks pass 256 levels; the default parser
    silently drops everything below, which reads as "no text". Returns the tree (or
    None) and the parser's resource-limit complaint, if any.
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        tree = None
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if any("depth" in message.lower() for message in limits):
        return tree, f"nested deeper than {MAX_HTML_DEPTH} levels, the HTML parser's limit"
    return tree, limits[0] if limits else None


def from_html(
    html: str, origin: str, *, url: str | None = None, **overrides
) -> Document | Rejection:
    """Main text and metadata via trafilatura; a malformed page is parsed as far as it goes."""
    import trafilatura  # heavy import, only needed for HTML

    html = scrub(html)
    tree, limit = _parse_html(html)
    if limit:  # what lies below the limit is lost; say so rather than store a torso
        return Rejection(origin, f"HTML page {limit}")
    try:
        extracted = trafilatura.bare_extraction(
            copy.deepcopy(tree) if tree is not None else html, url=url, with_metadata=True,
            include_comments=False, include_tables=False,
        )  # fmt: skip
        text = getattr(extracted, "text", None) if extracted is not None else None
        if not text:
            text = trafilatura.html2txt(tree if tree is not None else html) or ""
    except RecursionError:
        return Rejection(origin, f"HTML page nested deeper than {sys.getrecursionlimit()} levels")
    if not text.strip():
        return Rejection(origin, "no readable text in the HTML page")
    fields = {
        "title": getattr(extracted, "title", None),
        "author": getattr(extracted, "author", None),
        "source": getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None),
        "language": getattr(extracted, "language", None),
        "url": url or getattr(extracted, "url", None),
        "published": getattr(extracted, "date", None),
        "published_evidence": "html:metadata",
    }
    fields.update({k: v for k, v in overrides.items() if v is not None})
    return build(html, origin, clean_text="\n\n".join(text.splitlines()), **fields)


def from_jsonl_line(line: str, origin: str) -> Document | Rejection | None:
    """One JSONL record; None for a blank line."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return Rejection(origin, "JSON line is not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejection(origin, "record has no non-empty 'text' field")
    fields = {k: str(record[k]) for k in JSONL_FIELDS if record.get(k) not in (None, "")}
    extra = {k: v for k, v in record.items() if k not in JSONL_FIELDS and k != "text"}
    return build(
        normalise_newlines(text),
        origin,
        doc_id=fields.get("id"),
        title=fields.get("title"),
        author=fields.get("author"),
        url=fields.get("url"),
        source=fields.get("source"),
        language=fields.get("language"),
        published=fields.get("published"),
        published_evidence="jsonl:published",
        meta=extra,
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(head|body|article|p|div)[\s>]", head)
    )
