"""Where the bundled seed corpus lives."""

from __future__ import annotations

import os
from pathlib import Path

SEEDS_ENV = "NEWSREADER_SEEDS"


def bundled_seeds() -> Path:
    """The five NAFTA/USMCA articles shipped in the project's ``seeds/articles``."""
    override = os.environ.get(SEEDS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "seeds" / "articles"
