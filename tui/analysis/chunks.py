"""Cut long texts into pieces spaCy accepts, at paragraph or sentence boundaries.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its memory
grows with text length, so every article is analysed in windows of at most
``limit`` characters whose offsets are mapped back to the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.corpus import Paragraph

CHUNK_CHARS = 100_000
_BREAKS = (re.compile(r"[.!?][\"”’')\]]*\s"), re.compile(r"\s"))


def chunk_spans(text: str, paragraphs: tuple[Paragraph, ...], limit: int = CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` windows covering every paragraph, each at most ``limit`` long."""
    if len(text) <= limit:
        if text:
            yield 0, len(text)
        return
    window_start = window_end = None
    for paragraph in paragraphs:
        if window_start is not None and paragraph.end - window_start > limit:
            yield window_start, window_end
            window_start = None
        if paragraph.end - paragraph.start > limit:
            yield from _split_long(text, paragraph.start, paragraph.end, limit)
            continue
        if window_start is None:
            window_start = paragraph.start
        window_end = paragraph.end
    if window_start is not None:
        yield window_start, window_end


def _split_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """A paragraph longer than ``limit``: cut after a sentence, else at a space."""
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
