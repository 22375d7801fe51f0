"""Articles to entities, issues and quotes: spaCy NER plus the project's own layer.

The analysis itself (``pipeline``: resolution, quotes, key phrases) is imported with
the first use of ``analyze_articles`` or ``articles_to_analyse``: the app makes its
settings and paints the list before.
"""

from importlib import import_module

from tui.analysis.model import ENTITY_TYPES, ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.nlp import DEFAULT_MODEL, MODEL_ENV, ModelUnavailable, load_nlp, model_name, start_process_servers
from tui.analysis.cache import AnalysisCache
from tui.analysis.rules import RulesError, load_rules
from tui.analysis.settings import AnalysisSettings
from tui.analysis.setup import settings_for_corpus
from tui.analysis.taxonomy import NO_TAXONOMY, Taxonomy, TaxonomyError, find_taxonomy, load_taxonomy

_LAZY = {"analyze_articles": "tui.analysis.pipeline", "articles_to_analyse": "tui.analysis.pipeline"}

__all__ = [
    "NO_TAXONOMY",
    "AnalysisCache",
    "AnalysisSettings",
    "RulesError",
    "Taxonomy",
    "TaxonomyError",
    "find_taxonomy",
    "load_rules",
    "load_taxonomy",
    "settings_for_corpus",
    "DEFAULT_MODEL",
    "ENTITY_TYPES",
    "MODEL_ENV",
    "ArticleAnalysis",
    "Entity",
    "IssueMatch",
    "Mention",
    "ModelUnavailable",
    "Quote",
    "analyze_articles",
    "articles_to_analyse",
    "load_nlp",
    "model_name",
    "start_process_servers",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'tui.analysis' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
