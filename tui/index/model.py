"""What the index layer hands to the layers above, without importing Whoosh (which
the app needs only once the list is on screen): the facets, the results, the errors,
and where an index lives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tui.analysis.settings import cache_dir

# Bump when the schema or what goes into a document changes: the index is rebuilt.
SCHEMA_VERSION = 4

# Facet name -> the entity type it counts (None: not an entity facet).
ENTITY_FACETS = ("person", "organization", "place", "group", "law")
FACETS = (*ENTITY_FACETS, "issue", "source", "date")
# Fields a query may name, and the short forms users type.
FIELD_ALIASES = {
    "org": "organization",
    "organisation": "organization",
    "orgs": "organization",
    "people": "person",
    "places": "place",
    "laws": "law",
    "issues": "issue",
}
QUERY_FIELDS = frozenset({"title", "body", *FACETS})


class QueryError(ValueError):
    """A query or filter that cannot be run; the message says what to change."""


class IndexBusy(RuntimeError):
    """Another newsreader is writing this index right now."""


class IndexUnwritable(RuntimeError):
    """The index folder cannot be written (read-only, full disk): search from memory."""


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    added: int
    updated: int
    deleted: int
    unchanged: int
    documents_written: int
    rebuilt: bool  # the old index could not be used
    generation: int | None = None  # of the index as this update wrote or found it


def index_folder(corpus_root: Path, base: Path | None = None) -> Path:
    """One index per corpus folder, under the cache folder."""
    key = hashlib.sha256(str(corpus_root.expanduser().resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return (base or cache_dir()) / "index" / key


@dataclass(frozen=True, slots=True)
class Passage:
    paragraph: int
    text: str
    highlights: list[tuple[int, int]]  # offsets into ``text``


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    title: str
    score: float
    passages: list[Passage]


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    filters: dict[str, list[str]] = field(default_factory=dict)
