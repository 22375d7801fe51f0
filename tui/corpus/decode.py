"""Bytes to clean text: the right encoding, LF newlines, no control characters.

Real news folders hold UTF-8, UTF-8 with a BOM, UTF-16 from Windows tools, and old
cp1252/latin-1 files, sometimes mixed within one file. The strategy: honour a BOM;
detect BOM-less UTF-16 by its NUL pattern; otherwise decode as UTF-8 and decode only
the bytes that are not valid UTF-8 as cp1252. That keeps a pure UTF-8 file exact,
reads a pure cp1252 file correctly (``Peña``, ``We’re``), and repairs the common
"UTF-8 with a few Windows bytes" file without mangling the rest.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NotText(ValueError):
    """The bytes are not a text document (binary, or undecodable)."""


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    if error.end == len(error.object) and error.reason == "unexpected end of data":
        return "", error.end  # a UTF-8 sequence cut off by truncation: drop it
    # cp1252 leaves five bytes undefined; latin-1 maps every byte.
    return "".join(_cp1252_byte(b) for b in bad), error.end


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


codecs.register_error("newsreader-cp1252", _cp1252_fallback)


def _looks_like_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise NotText for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise NotText(f"invalid {encoding} after its byte-order mark") from exc
    utf16 = _looks_like_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    sample = data[:8192]
    if sample.count(0) > max(2, len(sample) // 100):  # a stray NUL is noise, many are binary
        raise NotText("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="newsreader-cp1252")
        return text, "cp1252" if _is_pure_high_bytes(data) else "utf-8+cp1252"


def _is_pure_high_bytes(data: bytes) -> bool:
    """No valid multi-byte UTF-8 sequence at all: a single-byte encoding throughout."""
    return re.search(rb"[\xc2-\xf4][\x80-\xbf]", data) is None


# Terminal escape sequences (CSI, OSC, DCS/PM/APC strings, two-byte ESC forms),
# removed whole so that no "[31m" residue is left behind in the text.
_ESCAPES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]                      # CSI ... final byte
    | \x1b[\]PX^_][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)   # OSC/DCS/PM/APC, ends by line
    | \x9b[0-?]*[ -/]*[@-~]                              # 8-bit CSI
    | \x9d[^\n]*?(?:\x07|\x9c|(?=\n)|$)                  # 8-bit OSC
    | \x1b[ -/]*[0-~]?                             # other ESC sequences, lone ESC
    """,
    re.VERBOSE,
)
# Every C0/C1 control except tab and newline, DEL, and lone surrogates (from JSON
# "\ud800" escapes), which no UTF-8 writer accepts.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)


def clean_text(text: str) -> str:
    """Normalise line breaks, strip escape sequences and control characters, NFC.

    Printable text, brackets included (``[bold]`` stays ``[bold]``), is kept as it is.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    return text.strip("\n")


# Controls (not tab/newline/CR), private-use characters and lone surrogates.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


def looks_binary(text: str) -> bool:
    """Decoded text that is mostly unprintable was not text to begin with.

    Escape sequences are text-like (they are removed later), and a few stray control
    characters are noise, not evidence.
    """
    sample = _ESCAPES.sub("", text[:8192])
    if not sample:
        return False
    bad = len(_UNPRINTABLE.findall(sample))
    return bad > 8 and bad / len(sample) > 0.05
