"""Analysis results: what the panel, highlights, facets and `analyze --json` show."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

# The entity types of the CLI contract, in display order.
ENTITY_TYPES = ("person", "organization", "place", "group", "law", "event", "date", "money", "percent")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: made a million times on a start
class Mention:
    """``article.text[start:end] == text`` always holds."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    name: str  # canonical name
    type: str  # one of ENTITY_TYPES
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class IssueMatch:
    id: str
    label: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str
    text: str
    start: int
    end: int


_UNPACKING = threading.Lock()
Head = tuple[str, str, int]  # (name, type, mentions) of an entity; (id, label, mentions) of an issue


@dataclass(slots=True)
class ArticleAnalysis:
    article_id: str
    content_hash: str
    model: str  # "<model name>-<version>": results from another model are not reused
    entities: list[Entity] = field(default_factory=list)
    issues: list[IssueMatch] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # A start decodes 13,000 cached analyses, and the list, the facets and the index need
    # only their entities' names and counts: the mentions (600,000 objects) are made when
    # an article is opened or searched, from ``_unpack``.
    _unpack: Callable[[], tuple[list[Entity], list[IssueMatch], list[Quote]]] | None = field(
        default=None, init=False, repr=False, compare=False)
    _heads: tuple[list[Head], list[Head]] | None = field(default=None, init=False, repr=False, compare=False)
    # what ``_unpack`` makes them from, in the columns they were read from (written back as such)
    _columns: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def packed(cls, article_id: str, content_hash: str, model: str, heads: tuple[list[Head], list[Head]],
               unpack: Callable[[], tuple[list[Entity], list[IssueMatch], list[Quote]]], columns: tuple | None = None,
               ) -> ArticleAnalysis:
        """An analysis whose entities, issues and quotes are made on first use by ``unpack``;
        ``heads`` (entities' and issues' names and counts) are known at once; ``columns``:
        the data ``unpack`` reads, for ``tui.analysis.resolved`` to write back unmade."""
        analysis = cls.__new__(cls)
        analysis.article_id, analysis.content_hash, analysis.model = article_id, content_hash, model
        analysis._unpack, analysis._heads, analysis._columns = unpack, heads, columns
        return analysis

    def packed_columns(self) -> tuple | None:
        """(heads, columns) of an analysis not unpacked yet, else None."""
        columns, heads = self._columns, self._heads  # (columns first: unpacking clears heads first)
        return (heads, columns) if columns is not None and heads is not None else None

    def __getattr__(self, name: str):
        """Only reached for a field not set yet: a packed analysis's entities, issues, quotes."""
        if name not in ("entities", "issues", "quotes"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        with _UNPACKING:  # the reader and a search worker may ask at once: made once
            try:
                return object.__getattribute__(self, name)  # made while this thread waited
            except AttributeError:
                pass
            try:
                unpack = object.__getattribute__(self, "_unpack")
            except AttributeError:  # (a copy being made: nothing set yet)
                unpack = None
            if unpack is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            self.entities, self.issues, self.quotes = unpack()
            self._unpack = self._heads = self._columns = None  # from now on the objects themselves are the truth
            return object.__getattribute__(self, name)

    def entity_heads(self) -> list[Head]:
        """(name, type, mentions) of each entity, in order, without making the mentions."""
        heads = self._heads
        if heads is not None:
            return heads[0]
        return [(e.name, e.type, len(e.mentions)) for e in self.entities]

    def issue_heads(self) -> list[Head]:
        """(id, label, mentions) of each issue, in order, without making the mentions."""
        heads = self._heads
        if heads is not None:
            return heads[1]
        return [(i.id, i.label, len(i.mentions)) for i in self.issues]

    def entities_of(self, entity_type: str) -> list[Entity]:
        return [e for e in self.entities if e.type == entity_type]
