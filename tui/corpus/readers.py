"""One reader per file format, all behind one interface.

A reader turns a file's bytes into ``RawDocument``s (fields as the file gives them,
text already decoded and cleaned) and ``Problem``s (a part of the file that gave no
article, with the reason). The loader turns documents into ``Article``s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tui.corpus.decode import NotText, clean_text, decode_bytes, looks_binary
from tui.corpus.dates import parse_date
from tui.corpus.structure import split_title_line


@dataclass(slots=True)
class RawDocument:
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    part: int | None = None  # entry/line number inside a multi-article file
    headings: frozenset[str] = field(default_factory=frozenset)
    encoding: str = "utf-8"


@dataclass(slots=True)
class Problem:
    reason: str
    part: str | None = None  # "line 7", "entry 3"


Reader = Callable[[bytes], Iterator[RawDocument | Problem]]

# Field names seen in news exports, in order of preference.
TEXT_FIELDS = ("text", "body", "content", "article", "full_text", "maintext")
TITLE_FIELDS = ("title", "headline", "name")
DATE_FIELDS = ("date", "published", "published_at", "publishedAt", "pubDate", "date_publish", "datetime")
SOURCE_FIELDS = ("source", "publisher", "source_name", "site_name", "outlet")
URL_FIELDS = ("url", "link", "href", "source_url")


def _decode(data: bytes) -> tuple[str, str]:
    text, encoding = decode_bytes(data)
    if looks_binary(text):
        raise NotText("binary file (mostly unprintable characters)")
    return text, encoding


def read_plain_text(data: bytes) -> Iterator[RawDocument | Problem]:
    text, encoding = _decode(data)
    title, body = split_title_line(clean_text(text))
    yield RawDocument(text=body, title=title, encoding=encoding)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# YAML's quoted scalars on one line: '…' with '' for a quote in it, "…" with backslash escapes.
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}


def _front_matter_value(value: str) -> str:
    """A value as YAML reads it: a quoted one without its one pair of outer quotes, any
    other with every character it has (a title is cited: "'Errors' doomed …" keeps its
    quote marks, and so does "'A' and 'B'", which is not one quoted value)."""
    value = value.strip()
    if quoted := _SINGLE_QUOTED.fullmatch(value):
        return quoted[1].replace("''", "'")
    if quoted := _DOUBLE_QUOTED.fullmatch(value):
        return clean_text(_ESCAPE.sub(_unescape, quoted[1]))  # ("\e[31m" is a terminal escape: dropped)
    return value


def _unescape(escape: re.Match) -> str:
    code = escape[1]
    if len(code) == 1:
        return _ESCAPED.get(code, escape[0])  # (YAML has no other: kept as written)
    number = int(code[1:], 16)
    return chr(number) if number <= 0x10FFFF else escape[0]


def read_markdown(data: bytes) -> Iterator[RawDocument | Problem]:
    """Markdown: YAML-style front matter for the fields, ``#`` lines as headings.

    The first level-1 heading, when it opens the document, is the title.
    """
    raw, encoding = _decode(data)
    text = clean_text(raw)
    fields: dict[str, str] = {}
    front = _FRONT_MATTER.match(text + "\n")
    if front:
        for line in front.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = _front_matter_value(value)
        text = text[front.end() :].lstrip("\n") if front.end() <= len(text) else ""

    title = _first_field(fields, TITLE_FIELDS)
    opening = _ATX_HEADING.match(text)
    if opening and len(opening.group(1)) == 1 and not title:
        title = opening.group(2)
        text = text[opening.end() :].lstrip("\n")
    if not title:
        title, text = split_title_line(text)
    headings = frozenset(m.group(2) for m in _ATX_HEADING.finditer(text))
    text = _ATX_HEADING.sub(lambda m: m.group(2), text)
    yield RawDocument(
        text=text,
        title=title,
        date=parse_date(_first_field(fields, DATE_FIELDS)),
        source=_first_field(fields, SOURCE_FIELDS),
        url=_first_field(fields, URL_FIELDS),
        headings=headings,
        encoding=encoding,
    )


def read_json(data: bytes) -> Iterator[RawDocument | Problem]:
    """One article object, a list of them, or ``{"articles": [...]}``."""
    text, encoding = _decode(data)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Problem("invalid JSON (nested too deeply)")
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        yield _from_object(value, None, encoding)
    elif isinstance(value, list):
        if not value:
            yield Problem("an empty JSON list")
        for number, item in enumerate(value, start=1):
            yield _from_object(item, number, encoding, label=f"entry {number}")
    else:
        yield Problem(f"expected a JSON object or a list of objects, found {_json_type(value)}")


def read_json_lines(data: bytes) -> Iterator[RawDocument | Problem]:
    """One article object a line; a bad line is reported and the rest kept."""
    text, encoding = _decode(data)
    if not text.strip():
        yield Problem("empty (no JSON lines)")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(f"invalid JSON ({exc.msg}, column {exc.colno})", f"line {number}")
            continue
        except RecursionError:
            yield Problem("invalid JSON (nested too deeply)", f"line {number}")
            continue
        yield _from_object(value, number, encoding, label=f"line {number}")


def _from_object(value: object, part: int | None, encoding: str, label: str | None = None) -> RawDocument | Problem:
    if not isinstance(value, dict):
        return Problem(f"expected an article object, found {_json_type(value)}", label)
    body = _first_value(value, TEXT_FIELDS)
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        body = "\n\n".join(body)  # a list of paragraphs
    if body is None:
        return Problem(f"no text field (one of: {', '.join(TEXT_FIELDS[:3])})", label)
    if not isinstance(body, str):
        return Problem(f"the text field is {_json_type(body)}, not a string", label)
    source = _first_value(value, SOURCE_FIELDS)
    if isinstance(source, dict):  # NewsAPI style: {"id": ..., "name": ...}
        source = source.get("name") or source.get("title")
    return RawDocument(
        text=clean_text(body),
        title=_as_str(_first_value(value, TITLE_FIELDS)),
        date=parse_date(_first_value(value, DATE_FIELDS)),
        source=_as_str(source),
        url=_as_str(_first_value(value, URL_FIELDS)),
        part=part,
        encoding=encoding,
    )


def _first_value(obj: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        if obj.get(key) is not None:
            return obj[key]
    return None


def _first_field(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    value = _first_value(fields, tuple(k.lower() for k in keys))
    return value or None


def _as_str(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(clean_text(value).split())
    return value or None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "a list of strings"
    return names.get(type(value), "a number")


def read_feed(data: bytes) -> Iterator[RawDocument | Problem]:
    """RSS and Atom (``web_readers``, imported when a feed is read)."""
    from tui.corpus.web_readers import read_feed as read

    yield from read(data)


def read_html(data: bytes) -> Iterator[RawDocument | Problem]:
    """Saved web pages (``web_readers``, imported when a page is read)."""
    from tui.corpus.web_readers import read_html as read

    yield from read(data)


READERS: dict[str, Reader] = {
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".json": read_json,
    ".jsonl": read_json_lines,
    ".ndjson": read_json_lines,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".html": read_html,
    ".htm": read_html,
}
