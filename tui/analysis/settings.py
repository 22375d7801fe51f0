"""Where analysis settings and caches live (user folders, overridable)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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


def corpus_settings_folder(root: Path) -> Path:
    """A corpus's own settings (issues.toml, aliases.toml) sit in its folder."""
    return root if root.is_dir() else root.parent
