"""Cut long texts into pieces spaCy accepts, at paragraph or sentence boundaries.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its memory
grows with text length, so every article is analysed in windows of at most
``limit`` characters whose offsets are mapped back to the article.
"""

from __future__ import annotations

from collections.abc import Iterator

from tui.corpus import Paragraph
from tui.corpus.structure import cut_long_span

CHUNK_CHARS = 100_000


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
            yield from cut_long_span(text, paragraph.start, paragraph.end, limit)
            continue
        if window_start is None:
            window_start = paragraph.start
        window_end = paragraph.end
    if window_start is not None:
        yield window_start, window_end
