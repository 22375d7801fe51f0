"""The analysis settings for a corpus folder: its taxonomy, aliases and the cache.

Shared by the CLI and the app so that both find the same files the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.analysis.cache import AnalysisCache
from tui.analysis.rules import FILE_NAME as ALIASES_FILE
from tui.analysis.rules import EntityRules, load_rules
from tui.analysis.settings import AnalysisSettings, cache_dir, config_dir, corpus_settings_folder
from tui.analysis.taxonomy import NO_TAXONOMY, find_taxonomy, load_taxonomy


def rules_for_corpus(root: Path) -> EntityRules:
    """The default rules, then the user's aliases file, then the corpus folder's.
    Raise RulesError for a file that cannot be used."""
    return load_rules(config_dir() / ALIASES_FILE, corpus_settings_folder(root) / ALIASES_FILE)


def settings_for_corpus(
    root: Path,
    *,
    taxonomy_file: Path | None = None,
    cache_folder: Path | None = None,
    use_cache: bool = True,
    model: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> AnalysisSettings:
    """Raise TaxonomyError or RulesError for a settings file that cannot be used."""
    folder = corpus_settings_folder(root)
    taxonomy_path = taxonomy_file or find_taxonomy(folder)
    taxonomy = load_taxonomy(taxonomy_path) if taxonomy_path else NO_TAXONOMY
    rules = rules_for_corpus(root)
    cache = AnalysisCache(cache_folder or cache_dir(), warn) if use_cache else None
    scope = str(Path(root).expanduser().resolve())
    return AnalysisSettings(taxonomy=taxonomy, rules=rules, cache=cache, model=model, scope=scope)
