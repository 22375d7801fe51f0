"""What the corpus layer hands to everything above it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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


class PackedParagraphs(Sequence):
    """An article's paragraphs as the folder snapshot keeps them (four checked numbers
    each), made into ``Paragraph`` objects on first use: a start reads 13,000 articles
    and shows the paragraphs of a few. Compares and hashes as the tuple it stands for."""

    __slots__ = ("_flat", "_made")

    def __init__(self, flat: list[int]) -> None:
        self._flat: list[int] | None = flat
        self._made: tuple[Paragraph, ...] | None = None

    def _paragraphs(self) -> tuple[Paragraph, ...]:
        made = self._made
        if made is None:
            flat = self._flat
            if flat is None:  # made by another thread meanwhile (it sets _made first)
                return self._made
            made = tuple(
                Paragraph(flat[i], flat[i + 1], None if flat[i + 2] == -1 else flat[i + 2], bool(flat[i + 3]))
                for i in range(0, len(flat), 4)
            )
            self._made = made
            self._flat = None
        return made

    def __len__(self) -> int:
        flat = self._flat
        return len(flat) // 4 if flat is not None else len(self._paragraphs())

    def __getitem__(self, index):
        return self._paragraphs()[index]

    def __iter__(self):
        return iter(self._paragraphs())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedParagraphs):
            mine, theirs = self._flat, other._flat
            if mine is not None and theirs is not None:
                return mine == theirs  # neither made yet: the numbers say it all
            other = other._paragraphs()
        return isinstance(other, tuple) and self._paragraphs() == other

    def __hash__(self) -> int:
        return hash(self._paragraphs())

    def __repr__(self) -> str:
        return repr(self._paragraphs())


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    text: str
    path: Path
    paragraphs: tuple[Paragraph, ...] | PackedParagraphs
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

    # The articles as the read before this one gave them, of the files read again or gone
    # since (under the ids they had then): what results kept from that read were made of.
    earlier: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)
    _index: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)
    # What each file gave (articles as read, skipped parts), for reading some files again.
    _files: dict[Path, list] = field(default_factory=dict, repr=False, compare=False)
    # Each file's size, time and inode as it was read (``changed_since``); empty when unknown.
    _signatures: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)

    def by_id(self, article_id: str) -> Article | None:
        """By id, through an index made on first use (13,000 articles: no linear scan)."""
        if len(self._index) != len(self.articles):
            self._index = {a.id: a for a in self.articles}
        return self._index.get(article_id)
