"""Property-based tests of everything that reads untrusted input (issue 9, item 7).

Random bytes, random Unicode (line and paragraph separators, NEL, lone surrogates,
controls) and random nesting: every reader must answer with a ``Document`` or a
``Rejection``, never an exception, and what it returns must be storable.
"""

from __future__ import annotations

import io
import json
import re
import string

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from detente.ingest.chrome import clean, normalise_newlines  # noqa: E402
from detente.ingest.dates import EARLIEST, find_date, parse_date  # noqa: E402
from detente.ingest.decode import DecodeError, decode  # noqa: E402
from detente.ingest.language import codable, detect  # noqa: E402
from detente.ingest.models import Document, Rejection  # noqa: E402
from detente.ingest.parse import from_html, from_jsonl_line  # noqa: E402
from detente.ingest.pipeline import load_index, store_document  # noqa: E402
from detente.ingest.reader import iter_documents  # noqa: E402
from detente.store.db import connect  # noqa: E402

pytestmark = pytest.mark.fuzz

SEPARATORS = "\n\r\u2028\u2029\x85\x0b\x0c\t \u00a0\ufeff"
WORDS = ["talks", "Kyiv", "ceasefire", "said", "Putin", "the", "on", "May", "2025", "12"]

any_text = st.text(
    alphabet=st.one_of(
        st.characters(),  # every code point, surrogates included
        st.sampled_from(SEPARATORS),
        st.sampled_from(string.ascii_letters + ".,:;-'\"<>{}"),
    ),
    max_size=400,
)
wordy_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.characters()),
    max_size=120,
).map("".join)


def storable(text: str | None) -> bool:
    """SQLite, JSON files and terminals all refuse lone surrogates and raw controls."""
    return text is None or not re.search(r"[\ud800-\udfff\x00-\x08\x0e-\x1f]", text)


def check_item(item) -> None:
    assert isinstance(item, Document | Rejection)
    assert storable(item.origin)
    if isinstance(item, Document):
        assert item.clean_text.strip()
        for value in (item.clean_text, item.raw_text, item.title, item.author, item.url):
            assert storable(value)
        assert item.doc_id and item.content_hash


@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_decode_error(data):
    try:
        decoded = decode(data)
    except DecodeError:
        return
    assert not re.search(r"[\ud800-\udfff]", decoded.text)  # decoders never invent surrogates


@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")
        | st.just("\n"),
        min_size=1,
        max_size=300,
    ).filter(str.strip)
)
def test_decode_reads_utf8_text_back_exactly(text):
    assert decode(text.encode("utf-8")).text == text


@given(st.binary(max_size=3000), st.sampled_from([".txt", ".jsonl", ".html", ".md", ""]))
def test_readers_turn_random_bytes_into_documents_or_rejections(data, suffix):
    for item in iter_documents(["-"], stdin=io.BytesIO(data)):
        check_item(item)
    reader_items = list(iter_documents(["-"], stdin=io.BytesIO(data), max_bytes=500))
    assert all(isinstance(i, Document | Rejection) for i in reader_items)


@given(st.lists(st.one_of(any_text, wordy_text), min_size=1, max_size=6))
def test_jsonl_of_random_unicode_keeps_every_record_and_its_line_number(texts):
    lines = [
        json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=i % 2 == 0) for i, t in enumerate(texts)
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    items = list(iter_documents(["-"], stdin=io.BytesIO(data)))
    assert [item.origin for item in items] == [f"stdin:{n}" for n in range(1, len(texts) + 1)]
    for item in items:
        check_item(item)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=30,
)


@given(
    st.dictionaries(st.sampled_from(["text", "title", "id", "published", "url", "x"]), json_values)
)
def test_jsonl_records_of_any_shape_are_read_and_stored(record):
    record.setdefault("text", "Putin said on Monday that talks in Istanbul could resume.")
    line = json.dumps(record)
    item = from_jsonl_line(line, "fuzz.jsonl:1")
    check_item(item)
    if isinstance(item, Document):
        conn = connect(":memory:")
        try:
            outcome, _ = store_document(conn, item, load_index(conn))
            assert outcome in ("ingested", "rejected")
        finally:
            conn.close()


tags = st.sampled_from(["div", "p", "span", "article", "section", "b", "table", "td", "li", "ul"])


def html_tree(children):
    return st.tuples(tags, st.lists(children, max_size=3)).map(
        lambda pair: f"<{pair[0]}>" + "".join(pair[1]) + f"</{pair[0]}>"
    )


html_fragments = st.recursive(any_text.map(lambda t: t.replace("<", " ")), html_tree, max_leaves=25)


@settings(max_examples=25)
@given(html_fragments, st.sampled_from([0, 1, 7, 300, 2100]), st.booleans())
def test_html_of_random_nesting_is_read_or_rejected_with_a_reason(fragment, depth, closed):
    body = "<div>" * depth + fragment + ("</div>" * depth if closed else "")
    item = from_html(f"<html><body>{body}</body></html>", "fuzz.html")
    check_item(item)
    if isinstance(item, Rejection):
        assert item.reason.startswith(("no readable", "no article", "HTML page nested deeper"))
    if depth > 2048:
        assert isinstance(item, Rejection) and "2048 levels" in item.reason


@given(any_text)
def test_chrome_stripping_keeps_only_text_that_was_there(raw):
    cleaned = clean(raw)
    source = normalise_newlines(raw)
    for paragraph in cleaned.text.split("\n\n"):
        assert paragraph in source
    assert "\n\n\n" not in cleaned.text


@given(st.lists(any_text | wordy_text, max_size=8))
def test_find_date_returns_only_plausible_iso_dates(lines):
    found = find_date(lines)
    if found is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.iso)
        assert found.iso >= EARLIEST.isoformat()


@given(any_text | wordy_text)
def test_parse_date_never_raises(text):
    iso = parse_date(text)
    assert iso is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso)


@given(any_text | wordy_text)
def test_language_detection_answers_for_any_text(text):
    language = detect(text)
    assert language is None or re.fullmatch(r"[a-z]{2}", language)
    ok, why = codable(Document(doc_id="d", clean_text=text or "x", language=language))
    assert ok == (not why)
