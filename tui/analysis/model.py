"""Analysis results: what the panel, highlights, facets and `analyze --json` show."""

from __future__ import annotations

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


@dataclass(slots=True)
class ArticleAnalysis:
    article_id: str
    content_hash: str
    model: str  # "<model name>-<version>": results from another model are not reused
    entities: list[Entity] = field(default_factory=list)
    issues: list[IssueMatch] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def entities_of(self, entity_type: str) -> list[Entity]:
        return [e for e in self.entities if e.type == entity_type]
