"""Files to Articles: formats, encodings, paragraphs, titles, and what was skipped.

Imports nothing of the other layers (tests/test_architecture.py checks it).
"""

from tui.corpus.bundled import bundled_seeds
from tui.corpus.gc_pause import gc_paused
from tui.corpus.loader import (
    DEFAULT_MAX_FILE_MB, FIRST_ROWS, CorpusPathError, LoadOptions, changed_since, check_corpus_path, load_corpus, read_head,
    reload_files,
)
from tui.corpus.model import Article, Corpus, Paragraph, SkippedFile

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "FIRST_ROWS",
    "Article",
    "Corpus",
    "CorpusPathError",
    "LoadOptions",
    "Paragraph",
    "SkippedFile",
    "bundled_seeds",
    "changed_since",
    "check_corpus_path",
    "gc_paused",
    "load_corpus",
    "read_head",
    "reload_files",
]
