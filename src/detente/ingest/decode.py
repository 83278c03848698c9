"""Bytes to text: UTF-8 first, then a detected legacy encoding, never silent garbage.

News in the region still circulates in cp1251/KOI8-R; decoding it as Latin-1 would
store mojibake that no later stage can recover from, so the encoding is detected
(charset-normalizer) and binary data is refused instead of decoded.
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


def decode(data: bytes) -> Decoded:
    if not data.strip():
        raise DecodeError("empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
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
