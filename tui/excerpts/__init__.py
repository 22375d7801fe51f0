"""Excerpts: the passages a reader marks, their store, and the exporters.

Used by the app and the CLI.
"""

from tui.excerpts.anchor import reconcile
from tui.excerpts.export import FORMATS, SUFFIXES, ExportError, attributed, citation, render, write_atomic
from tui.excerpts.model import Excerpt
from tui.excerpts.store import DATA_ENV, DEFAULT_SET, ExcerptStore, ExcerptStoreError, corpus_key, data_dir

__all__ = [
    "DATA_ENV",
    "DEFAULT_SET",
    "FORMATS",
    "SUFFIXES",
    "Excerpt",
    "ExcerptStore",
    "ExcerptStoreError",
    "ExportError",
    "attributed",
    "citation",
    "corpus_key",
    "data_dir",
    "reconcile",
    "render",
    "write_atomic",
]
