"""Turn one piece of raw input (text, HTML, a JSONL record) into a ``Document``.

Each builder returns either a ``Document`` or a ``Rejection`` with a reason a user
can act on, never raises for bad content: one unreadable article must not stop a
run of thousands.
"""

from __future__ import annotations

import json
import re

from detente.ingest.chrome import clean, normalise_newlines
from detente.ingest.dates import parse_date
from detente.ingest.fingerprint import content_hash, doc_id_for
from detente.ingest.models import Document, Rejection

JSONL_FIELDS = ("id", "title", "url", "published", "source", "language", "author")


def guess_language(text: str) -> str | None:
    """Coarse script check: enough to keep Cyrillic text from being treated as English."""
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return None
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters)
    if cyrillic > 0.5:
        return "uk" if re.search(r"[їєґіЇЄҐІ]", text[:5000]) else "ru"
    latin = sum(c.isascii() for c in letters) / len(letters)
    return "en" if latin > 0.9 else None


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
    cannot be parsed falls back to a date found in the text.
    """
    cleaned = clean(clean_text if clean_text is not None else raw, title=title, author=author)
    if not cleaned.text.strip():
        return Rejection(origin, "no article text after cleaning")
    iso = parse_date(published) if published else None
    evidence = published_evidence if iso else None
    if iso is None and cleaned.date is not None:
        iso, evidence = cleaned.date.iso, cleaned.date.evidence
    return Document(
        doc_id=doc_id or doc_id_for(cleaned.text),
        clean_text=cleaned.text,
        raw_text=raw,
        title=cleaned.title,
        author=cleaned.author,
        url=url,
        source=source,
        language=language or guess_language(cleaned.text),
        published=iso,
        published_evidence=evidence,
        origin=origin,
        content_hash=content_hash(cleaned.text),
        meta=meta or {},
    )


def from_html(
    html: str, origin: str, *, url: str | None = None, **overrides
) -> Document | Rejection:
    """Main text and metadata via trafilatura; a malformed page is parsed as far as it goes."""
    import trafilatura  # heavy import, only needed for HTML

    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text:
        text = trafilatura.html2txt(html) or ""
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
