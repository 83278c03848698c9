"""Every local input kind, and every kind of bad local input."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from detente.ingest.language import codable
from detente.ingest.models import Document, Rejection
from detente.ingest.reader import iter_documents

ARTICLE = (
    "Zelensky offers talks with Putin in Istanbul\n\n"
    "Ukrainian President Volodymyr Zelensky said on Sunday he would wait for Vladimir Putin "
    "in Istanbul on Thursday and urged a full ceasefire before any negotiations.\n\n"
    "The Kremlin said Russia had yet to agree to a ceasefire."
)

HTML = """<!DOCTYPE html><html lang="en"><head><title>Erdogan offers to host talks</title>
<meta property="og:title" content="Erdogan offers to host talks">
<meta name="author" content="Selin Kaya">
<meta property="article:published_time" content="2025-05-12T09:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Erdogan offers to host talks</h1>
<p>Turkish President Recep Tayyip Erdogan said on Monday that Turkey was ready to host direct
talks between Russian and Ukrainian delegations in Istanbul.</p>
<p>Erdogan told Putin by phone that a ceasefire could create the conditions for peace.</p>
</article><footer>Copyright 2025 Example Media. All rights reserved.</footer></body></html>"""

RUSSIAN = (
    "Москва и Киев договорились об обмене пленными. Переговоры прошли в Стамбуле, "
    "делегации обсудили прекращение огня и гуманитарные вопросы. "
) * 4


def read(*inputs, **kwargs) -> list[Document | Rejection]:
    return list(iter_documents([str(i) for i in inputs], **kwargs))


def test_plain_text_file(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (doc,) = read(path)
    assert isinstance(doc, Document)
    assert doc.title == "Zelensky offers talks with Putin in Istanbul"
    assert "yet to agree" in doc.clean_text
    assert doc.raw_text == ARTICLE
    assert doc.doc_id.startswith("d-") and len(doc.doc_id) == 14
    assert doc.origin == str(path)


def test_folder_is_walked_recursively_and_glob_filters(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text(ARTICLE.replace("Sunday", "Monday"), "utf-8")
    (tmp_path / "sub" / "c.md").write_text(ARTICLE.replace("Sunday", "Friday"), "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert len(read(tmp_path)) == 3
    only_txt = read(tmp_path, glob="*.txt")
    assert sorted(Path(d.origin).name for d in only_txt) == ["a.txt", "b.txt"]


def test_html_file_uses_metadata(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    (doc,) = read(path)
    assert doc.title == "Erdogan offers to host talks"
    assert doc.author == "Selin Kaya"
    assert doc.published == "2025-05-12"
    assert doc.published_evidence == "html:metadata"
    assert "ready to host direct" in doc.clean_text
    assert "Home | World" not in doc.clean_text and "All rights reserved" not in doc.clean_text


def test_malformed_html_is_read_as_far_as_it_goes(tmp_path: Path):
    path = tmp_path / "broken.html"
    path.write_text(
        "<html><body><div><p>Russian forces launched a drone attack on Odesa overnight, "
        "killing two people, the regional governor said.<p>Talks <b>resume<i> on Friday.",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert isinstance(doc, Document)
    assert "drone attack on Odesa" in doc.clean_text


def test_jsonl_keeps_good_lines_and_rejects_bad_ones(tmp_path: Path):
    path = tmp_path / "wire.jsonl"
    good = {
        "id": "w1",
        "text": ARTICLE,
        "title": "Offer",
        "url": "https://x.example/1",
        "published": "2025-05-11",
        "source": "Wire",
        "language": "en",
        "desk": "europe",
    }
    path.write_text(
        json.dumps(good)
        + "\n{not json\n\n"
        + json.dumps({"title": "no text"})
        + "\n"
        + json.dumps({"text": "Putin proposed direct talks in Istanbul without preconditions."})
        + "\n",
        encoding="utf-8",
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Rejection", "Document"]
    first, bad, no_text, last = items
    assert (first.doc_id, first.source, first.url) == ("w1", "Wire", "https://x.example/1")
    assert (first.published, first.published_evidence) == ("2025-05-11", "jsonl:published")
    assert first.title == "Offer" and first.meta == {"desk": "europe"}
    assert bad.origin == f"{path}:2" and "not valid JSON" in bad.reason
    assert no_text.origin == f"{path}:4" and "text" in no_text.reason
    assert last.doc_id.startswith("d-")


def test_stdin_text_and_jsonl():
    (doc,) = read("-", stdin=io.BytesIO(ARTICLE.encode("utf-8")))
    assert doc.origin == "stdin" and "Istanbul" in doc.clean_text
    line = json.dumps({"id": "s1", "text": "Lavrov said Moscow was open to talks."})
    (doc,) = read("-", stdin=io.BytesIO(line.encode("utf-8")))
    assert (doc.doc_id, doc.origin) == ("s1", "stdin:1")


def test_empty_binary_and_missing_inputs_are_rejected(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 10)
    items = read(tmp_path / "empty.txt", tmp_path / "blob.txt", tmp_path / "missing.txt")
    reasons = {Path(i.origin).name: i.reason for i in items}
    assert all(isinstance(i, Rejection) for i in items)
    assert reasons == {
        "empty.txt": "empty input",
        "blob.txt": "binary data, not text",
        "missing.txt": "no such file or folder",
    }


def test_cp1251_russian_text_is_decoded(tmp_path: Path):
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    (doc,) = read(path)
    assert "Стамбуле" in doc.clean_text
    assert doc.language == "ru"


def test_size_cap_rejects_big_file_with_clear_reason(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (rejection,) = read(path)
    assert isinstance(rejection, Rejection)
    assert "52.4 MB is over the 20.0 MB size cap" in rejection.reason
    (small,) = read(tmp_path / "huge.txt", max_bytes=100)
    assert "cap" in small.reason


def test_file_name_that_is_not_utf8_is_read_with_an_escaped_origin(tmp_path: Path):
    """Issue 9: such a name crashed the run (surrogates not allowed) and skipped later files."""
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"caf\xe9 \xff.txt")
    with open(odd, "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    (folder / "z.txt").write_text(RUSSIAN, encoding="utf-8")
    first, second = read(folder)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.origin.endswith("caf\\xe9 \\xff.txt")
    first.origin.encode("utf-8")  # storable and printable: no lone surrogates left
    assert "not valid UTF-8" in first.meta["warning"]
    assert second.origin.endswith("z.txt") and "warning" not in second.meta


def test_jsonl_splits_on_newline_only(tmp_path: Path):
    """U+2028, U+2029 and NEL are legal inside JSON strings; str.splitlines broke on them."""
    path = tmp_path / "seps.jsonl"
    texts = [
        "Lavrov said\u2028Moscow was open to talks on a ceasefire in Istanbul.",
        "Zelensky said\u2029Kyiv would send a delegation to the talks.",
        "Erdogan offered\x85to host the next round of negotiations.",
    ]
    lines = [
        json.dumps({"id": f"s{i}", "text": text}, ensure_ascii=False)
        for i, text in enumerate(texts)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert [i.doc_id for i in items] == ["s0", "s1", "s2"]
    assert [i.origin for i in items] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert "\u2028" in items[0].raw_text and "Moscow" in items[0].clean_text


def test_jsonl_size_cap_is_per_record_not_per_file(tmp_path: Path):
    """A dump bigger than the cap is read; only the one oversized record is refused."""
    path = tmp_path / "dump.jsonl"
    good = [json.dumps({"id": f"g{i}", "text": f"{ARTICLE} Item {i}."}) for i in range(40)]
    huge = json.dumps({"id": "huge", "text": "talks " * 5000})
    path.write_text("\n".join(good[:20] + [huge] + good[20:]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 20_000
    items = read(path, max_bytes=20_000)
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert len([i for i in items if isinstance(i, Document)]) == 40
    (too_big,) = rejected
    assert too_big.origin == f"{path}:21"
    assert "is over the 20.0 kB per-record size cap" in too_big.reason
    assert [i.origin for i in items][21] == f"{path}:22"


def test_jsonl_is_streamed_not_read_whole(tmp_path: Path):
    """Records arrive before the input ends: nothing waits for (or holds) the whole file."""
    record = json.dumps({"text": ARTICLE}).encode("utf-8") + b"\n"

    class Endless(io.RawIOBase):
        sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = record * 50
            self.sent += len(chunk)
            buffer[: len(chunk)] = chunk
            return len(chunk)

    source = Endless()
    stream = iter_documents(["-"], stdin=io.BufferedReader(source, 1 << 16))
    first = [next(stream) for _ in range(3)]
    assert all(isinstance(i, Document) for i in first)
    assert source.sent < 1_000_000


def test_utf16_without_bom_is_decoded(tmp_path: Path):
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(ARTICLE.encode(encoding))
        (doc,) = read(path)
        assert isinstance(doc, Document) and "Istanbul" in doc.clean_text


def nested(levels: int) -> str:
    body = "<div>" * levels + f"<p>{ARTICLE.splitlines()[2]}</p>" + "</div>" * levels
    return f"<html><head><title>Deep</title></head><body>{body}</body></html>"


def test_deep_html_is_parsed_or_rejected_with_the_real_reason(tmp_path: Path):
    (tmp_path / "deep.html").write_text(nested(300), encoding="utf-8")
    (tmp_path / "deeper.html").write_text(nested(5000), encoding="utf-8")
    deep, deeper = read(tmp_path / "deep.html", tmp_path / "deeper.html")
    assert isinstance(deep, Document) and "Istanbul" in deep.clean_text
    assert isinstance(deeper, Rejection) and "nested deeper than 2048 levels" in deeper.reason


def test_symlinks_leading_outside_a_folder_are_not_followed_unless_asked(tmp_path: Path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "private.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "own.txt").write_text(RUSSIAN, encoding="utf-8")
    (folder / "link.txt").symlink_to(outside / "private.txt")
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "own.txt")
    items = read(folder)
    refused = {Path(i.origin).name: i.reason for i in items if isinstance(i, Rejection)}
    assert set(refused) == {"link.txt", "linked-dir"}
    assert all("--follow-symlinks" in reason for reason in refused.values())
    assert sorted(Path(i.origin).name for i in items if isinstance(i, Document)) == [
        "inside.txt",
        "own.txt",
    ]
    followed = read(folder, follow_symlinks=True)
    assert all(isinstance(i, Document) for i in followed) and len(followed) == 4


def test_language_is_detected_and_non_english_is_marked_uncodable(tmp_path: Path):
    (tmp_path / "ru.txt").write_text(RUSSIAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ARTICLE, encoding="utf-8")
    en, ru = read(tmp_path / "en.txt", tmp_path / "ru.txt")
    assert (en.language, ru.language) == ("en", "ru")
    assert codable(en) == (True, "")
    ok, why = codable(ru)
    assert not ok and "Russian" in why and "English only" in why


def test_jsonl_dump_over_20_mb_is_read_with_the_default_cap(tmp_path: Path):
    """Issue 9: a dump over 20 MB was refused whole; now only a record over the cap is."""
    path = tmp_path / "big.jsonl"
    padding = b" " * 1_000_000  # JSON allows whitespace after the object
    with path.open("wb") as handle:
        for number in range(22):
            handle.write(
                json.dumps({"id": f"b{number}", "text": ARTICLE}).encode() + padding + b"\n"
            )
        handle.write(b'{"id": "huge", "text": "' + b"x" * 21_000_000 + b'"}\n')
        handle.write(json.dumps({"id": "last", "text": ARTICLE + " Later."}).encode() + b"\n")
    assert path.stat().st_size > 40_000_000
    items = read(path)
    assert [i.doc_id for i in items if isinstance(i, Document)][-1] == "last"
    assert len([i for i in items if isinstance(i, Document)]) == 23
    (huge,) = [i for i in items if isinstance(i, Rejection)]
    assert huge.origin == f"{path}:23" and "21.0 MB is over the 20.0 MB per-record" in huge.reason
