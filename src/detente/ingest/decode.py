"""Bytes to text: UTF-8 first, then a detected legacy encoding, never silent garbage.

News in the region still circulates in cp1251/KOI8-R; decoding it as Latin-1 would
store mojibake that no later stage can recover from, so the encoding is detected
(charset-normalizer) and binary data is refused instead of decoded. UTF-16 without a
byte-order mark (Windows exports) is full of NUL bytes, so it is recognised by where
they sit before anything is called binary.
"""

from __future__ import annotations

from dataclasses import dataclass


class DecodeError(ValueError):
    """The bytes are not text we can read; the message is shown to the user."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes look like UTF-16 text without a byte-order mark.

    In UTF-16 text of one alphabet the high byte of nearly every code unit is one of a
    few values (0 for Latin, 4 for Cyrillic, 0 again for spaces and digits), and NULs
    sit on that side only; binary data spreads its NULs and high bytes evenly.
    """
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    even_nul, odd_nul = sample[0::2].count(0) / pairs, sample[1::2].count(0) / pairs
    if max(even_nul, odd_nul) < 0.1 or min(even_nul, odd_nul) > max(even_nul, odd_nul) / 10:
        return None
    encoding, high = (
        ("utf-16-le", sample[1::2]) if odd_nul > even_nul else ("utf-16-be", sample[0::2])
    )
    common = sorted((high.count(value) for value in set(high)), reverse=True)[:3]
    if sum(common) < pairs * 0.9:
        return None
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return None
    readable = sum(c.isprintable() or c in "\t\n\r" for c in text)
    return encoding if readable >= len(text) * 0.95 else None


def decode(data: bytes) -> Decoded:
    if not data.strip():
        raise DecodeError("empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"not valid UTF-16 despite its byte-order mark ({exc.reason})"
            ) from exc
    utf16 = bomless_utf16(data)
    if utf16:
        try:
            return Decoded(data[: len(data) - len(data) % 2].decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise DecodeError("binary data, not text")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("not text in any encoding we can detect")
    return Decoded(str(best), best.encoding)
