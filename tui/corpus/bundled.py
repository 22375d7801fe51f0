"""Where the bundled seed corpus lives."""

from __future__ import annotations

import os
from pathlib import Path

SEEDS_ENV = "NEWSREADER_SEEDS"


def bundled_seeds() -> Path:
    """The bundled corpus: ``seeds/`` (five NAFTA/USMCA articles in ``seeds/articles``,
    their issue taxonomy in ``seeds/issues.toml``)."""
    override = os.environ.get(SEEDS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "seeds"
