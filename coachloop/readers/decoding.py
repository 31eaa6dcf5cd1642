"""Bytes to text: the encodings transcript exports really come in.

Order of trust: an explicit ``encoding``; a byte-order mark (UTF-8, UTF-16, UTF-32);
strict UTF-8; UTF-16 without a BOM (recognised by its zero bytes); then cp1252,
the usual encoding of text saved on Windows when it is not UTF-8. Only when cp1252
cannot decode the bytes either do we ask charset-normalizer (on short Western text
it guesses cp1250 or mac_latin2 for what is really cp1252, so it comes last).
Binary data (a recording, a PDF, a zip) is refused, not decoded into garbage.
"""

from __future__ import annotations

import codecs
import re

from coachloop.errors import EncodingError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_HINT = "give the exported transcript (.vtt, .srt, .txt or .json), not the recording"


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, *, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. The BOM is not part of the text."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise EncodingError(
                f"unknown encoding {encoding!r}", file=file, hint="name a Python codec, e.g. cp1252"
            ) from None
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"not valid {encoding}: byte {exc.start} cannot be decoded",
                file=file,
                hint="leave out the encoding to let coachloop detect it",
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(name), file), name
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"starts with a {name} byte-order mark but byte {exc.start + len(bom)} is not {name}",
                    file=file,
                    hint="save the file again as UTF-8",
                ) from None
    try:
        return _checked(data.decode("utf-8"), file), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        name16 = _utf16_without_bom(data)
        if name16 is not None:
            try:
                return _checked(data.decode(name16), file), name16
            except UnicodeDecodeError:
                pass
        raise EncodingError(
            f"binary data, not text (a zero byte at byte {data.index(0)})",
            file=file,
            hint=_BINARY_HINT,
        )
    try:
        return _checked(data.decode("cp1252"), file), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is not None and best.encoding:
        try:
            return _checked(data.decode(best.encoding), file), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise EncodingError(
        "cannot tell the text encoding",
        file=file,
        hint="save the file as UTF-8 and try again",
    )


def _checked(text: str, file: str) -> str:
    """Refuse text that is mostly control characters: binary that happened to decode."""
    bad = _CONTROL.search(text)
    if bad is not None and len(_CONTROL.findall(text[:65536])) > max(2, len(text[:65536]) // 100):
        raise EncodingError(
            f"binary data, not text (control character {bad.group(0)!r} at character {bad.start()})",
            file=file,
            hint=_BINARY_HINT,
        )
    return text
