"""The analysis settings, and where settings and caches live (user folders, overridable).

Light to import: the app makes its settings before the list is painted, and the
analysis itself (``pipeline``) is imported by the worker that runs it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tui.analysis.cache import AnalysisCache
from tui.analysis.chunks import CHUNK_CHARS
from tui.analysis.rules import EntityRules, load_rules
from tui.analysis.taxonomy import NO_TAXONOMY, Taxonomy

APP_NAME = "newsreader"
CACHE_ENV = "NEWSREADER_CACHE_DIR"
CONFIG_ENV = "NEWSREADER_CONFIG_DIR"


def cache_dir() -> Path:
    """``$NEWSREADER_CACHE_DIR``, else the platform's user cache folder (XDG on Linux)."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME))


def config_dir() -> Path:
    """``$NEWSREADER_CONFIG_DIR``, else the platform's user config folder."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """The platform's user state folder (``$XDG_STATE_HOME/newsreader``): the log."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def log_path() -> Path:
    """Where the app writes what went wrong (tracebacks) and what its worker processes say."""
    return state_dir() / "newsreader.log"


def corpus_settings_folder(root: Path) -> Path:
    """A corpus's own settings (issues.toml, aliases.toml) sit in its folder."""
    return root if root.is_dir() else root.parent


# Entities are looked for in an article's first million characters (spaCy's own
# max_length; ~150,000 words, a hundred long features): beyond that a file is not an
# article but a dump, and analysing 50 MB would hold the whole pile up for minutes.
# The rest is still shown and searchable, only without highlights.
MAX_ANALYSED_CHARS = 1_000_000


@dataclass
class AnalysisSettings:
    """Everything besides the articles that decides the results."""

    taxonomy: Taxonomy = NO_TAXONOMY
    rules: EntityRules = field(default_factory=load_rules)
    cache: AnalysisCache | None = None
    model: str | None = None  # None: $NEWSREADER_SPACY_MODEL or the default
    chunk_chars: int = CHUNK_CHARS
    max_chars: int = MAX_ANALYSED_CHARS
    processes: int | None = None  # spaCy processes; None: both cores for a large job
    scope: str | None = None  # the corpus folder: its last whole result replaces the one before
