"""The Whoosh index: schema, incremental building, search, facets, highlights,
suggestions. Knows nothing of Textual.

Whoosh and numpy are imported with the first module that needs them (the app paints
the article list before): what the layers above use at start comes from ``model`` and
``library``, the rest on first use.
"""

from importlib import import_module

from tui.index.library import Library, list_summary
from tui.index.model import (
    FACETS, Hit, IndexBusy, IndexUnwritable, IndexUpdate, Passage, QueryError, SearchResult, index_folder,
)

_LAZY = {"Searcher": "tui.index.search", "open_index": "tui.index.store", "update_index": "tui.index.store"}

__all__ = [
    "FACETS",
    "Hit",
    "IndexBusy",
    "IndexUnwritable",
    "IndexUpdate",
    "Library",
    "Passage",
    "QueryError",
    "SearchResult",
    "Searcher",
    "index_folder",
    "list_summary",
    "open_index",
    "update_index",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'tui.index' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
