"""Paragraphs, section headings, titles and word counts of a cleaned text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.corpus.model import Paragraph

_BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n+")
_WORD = re.compile(r"\w+(?:[’'\-.]\w+)*")
# A paragraph whose lines are this long was not hard-wrapped: each line is a paragraph.
_UNWRAPPED_LINE = 100
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 70
_TITLE_MAX_CHARS = 100

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "st",
    "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "pres", "hon",
}
# A "paragraph" longer than this (four times the longest in 1,328 BBC articles) is a
# dump or a file without line breaks: it is cut at sentences so that reading, marking
# and search passages stay a readable size.
PARAGRAPH_MAX_CHARS = 10_000
_BREAKS = (re.compile(r"[.!?][\"”’')\]]*\s"), re.compile(r"\s"))
_SENTENCE_END = re.compile(r"[.!?][”\"’')\]]*\s+(?=[“\"‘'(\[]?[A-Z0-9])")
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’\-]{1,40}(?:\s*\([^)]{1,30}\))?\s*(?:--|—|–|-)\s+(?=\S)"
)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def split_paragraphs(text: str, headings: frozenset[str] = frozenset()) -> tuple[Paragraph, ...]:
    """Split into paragraphs with offsets into ``text``.

    Blank lines separate paragraphs. A block of long lines (text with one line per
    paragraph and no blank lines) is split at every line; a block of short lines is
    hard-wrapped prose and stays one paragraph. ``headings`` are lines known to be
    headings (Markdown ``#`` lines); others are recognised by shape.
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        if "\n" in block and max(len(line) for line in block.split("\n")) > _UNWRAPPED_LINE:
            offset = block_start
            for line in block.split("\n"):
                if line.strip():
                    lead = len(line) - len(line.lstrip())
                    spans.append((offset + lead, offset + len(line.rstrip())))
                offset += len(line) + 1
        else:
            spans.append((block_start, block_end))
    if any(end - start > PARAGRAPH_MAX_CHARS for start, end in spans):
        spans = [piece for start, end in spans for piece in _pieces(text, start, end)]

    paragraphs: list[Paragraph] = []
    number = 0
    for i, (start, end) in enumerate(spans):
        chunk = text[start:end]
        is_last = i == len(spans) - 1
        if chunk in headings or (not is_last and _looks_like_heading(chunk)):
            paragraphs.append(Paragraph(start, end, None, is_heading=True))
        else:
            number += 1
            paragraphs.append(Paragraph(start, end, number))
    return tuple(paragraphs)


def _pieces(text: str, start: int, end: int):
    for piece_start, piece_end in cut_long_span(text, start, end, PARAGRAPH_MAX_CHARS):
        yield from _stripped(text, piece_start, piece_end)


def cut_long_span(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``limit``: cut after a sentence, else at a space."""
    while end - start > limit:
        cut = None
        window = text[start + limit // 2 : start + limit]
        for pattern in _BREAKS:
            found = None
            for found in pattern.finditer(window):
                pass
            if found:
                cut = start + limit // 2 + found.end()
                break
        if cut is None:
            cut = start + limit  # no space at all: cut anywhere
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _blocks(text: str):
    start = 0
    for sep in _BLOCK_SEPARATOR.finditer(text):
        yield from _stripped(text, start, sep.start())
        start = sep.end()
    yield from _stripped(text, start, len(text))


def _stripped(text: str, start: int, end: int):
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    if end - trail > start + lead:
        yield start + lead, end - trail


def _looks_like_heading(chunk: str) -> bool:
    """A short single line without closing punctuation: "Trump Optimism"."""
    if "\n" in chunk or len(chunk) > _HEADING_MAX_CHARS:
        return False
    words = chunk.split()
    if not words or len(words) > _HEADING_MAX_WORDS or not chunk[0].isupper():
        return False
    return not chunk.rstrip()[-1] in ".,;:!?\"”’)"


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as offsets into ``text`` (not fooled by "U.S.")."""
    spans = []
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"(\S+)\.$", text[begin : match.start() + 1])
        if word and _is_abbreviation(word.group(1)):
            continue
        stop = match.end()
        piece = text[begin:stop].rstrip()
        if piece.strip():
            spans.append((begin, begin + len(piece)))
        begin = stop
    if text[begin:end].strip():
        spans.append((begin, end))
    return spans


def first_sentence(text: str) -> str:
    """The first sentence, not fooled by "U.S." or "Mr." or "Apr. 13"."""
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start() + 1]
        word = re.search(r"(\S+)\.$", before)
        if word and _is_abbreviation(word.group(1)):
            continue
        return text[: match.start() + 1].strip()
    return text.strip()


def _is_abbreviation(word: str) -> bool:
    word = word.lstrip("“\"‘'([")
    return (
        word.lower() in _ABBREVIATIONS
        or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word) is not None  # U.S, U.S.A, p.m
        or (len(word) == 1 and word.isupper())  # an initial: "John F. Kennedy"
    )


def derive_title(paragraphs: tuple[Paragraph, ...], text: str) -> str:
    """A title for an article that has none: its first sentence, shortened."""
    body = next((p for p in paragraphs if not p.is_heading), None)
    if body is None:
        return shorten(text[: _TITLE_MAX_CHARS * 3]) if text else "Untitled"
    # A title comes from the opening words: a 50 MB one-line file is not read whole.
    opening = text[body.start : min(body.end, body.start + _TITLE_MAX_CHARS * 20)]
    sentence = first_sentence(" ".join(opening.split()))
    sentence = _DATELINE.sub("", sentence)
    return shorten(sentence)


def shorten(title: str, limit: int = _TITLE_MAX_CHARS) -> str:
    """One line, at most ``limit`` characters, cut at a clause or word boundary."""
    title = " ".join(title[: limit * 20].split())
    if len(title) <= limit:
        return title or "Untitled"
    head = title[: limit - 1]
    clause = max(head.rfind(", "), head.rfind("; "), head.rfind(" — "), head.rfind(" -- "))
    cut = clause if clause >= limit // 2 else head.rfind(" ")
    if cut <= 0:
        cut = limit - 1
    return head[:cut].rstrip(" ,;:—-") + "…"


def split_title_line(text: str) -> tuple[str | None, str]:
    """A first line that is short and followed by a blank line is the title.

    Returns ``(title, rest_of_text)``, or ``(None, text)`` when the first line is
    prose (long, or ending like a sentence).
    """
    first, sep, rest = text.partition("\n")
    if not sep or not rest.startswith("\n") or not rest.strip():
        return None, text
    first = first.strip()
    words = first.split()
    if not words or len(first) > 120 or len(words) > 20 or first[-1] in ".,;:":
        return None, text
    return first, rest.strip("\n")
