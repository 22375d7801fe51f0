"""The Whoosh index: schema, incremental building, search, facets, highlights,
suggestions. Knows nothing of Textual."""

from tui.index.library import Library, list_summary
from tui.index.query import QueryError
from tui.index.schema import FACETS
from tui.index.search import Hit, Passage, Searcher, SearchResult
from tui.index.store import IndexBusy, IndexUpdate, index_folder, open_index, update_index

__all__ = [
    "FACETS",
    "Hit",
    "IndexBusy",
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
