"""What the corpus layer hands to everything above it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True, unsafe_hash=True)  # not frozen: made 100,000 times on a start
class Paragraph:
    """A block of the article text: ``text[start:end]`` is its content.

    ``number`` is the 1-based position among body paragraphs (what a citation
    says); section headings have ``number`` None.
    """

    start: int
    end: int
    number: int | None
    is_heading: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    text: str
    path: Path
    paragraphs: tuple[Paragraph, ...]
    words: int
    source: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    url: str | None = None
    encoding: str = "utf-8"
    _hash: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        """Identifies the text that analysis results were computed from (kept: hashing
        13,000 texts takes a tenth of a second, and a start asks more than once)."""
        found = self._hash
        if found is None:
            found = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
            object.__setattr__(self, "_hash", found)
        return found

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file (or a part of one: a JSONL line, a JSON entry) that gave no article."""

    path: Path
    reason: str


@dataclass(slots=True)
class Corpus:
    root: Path
    articles: list[Article] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    _index: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)
    # What each file gave (articles as read, skipped parts), for reading some files again.
    _files: dict[Path, list] = field(default_factory=dict, repr=False, compare=False)

    def by_id(self, article_id: str) -> Article | None:
        """By id, through an index made on first use (13,000 articles: no linear scan)."""
        if len(self._index) != len(self.articles):
            self._index = {a.id: a for a in self.articles}
        return self._index.get(article_id)
