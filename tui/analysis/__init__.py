"""Articles to entities, issues and quotes: spaCy NER plus the project's own layer."""

from tui.analysis.model import ENTITY_TYPES, ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.nlp import DEFAULT_MODEL, MODEL_ENV, ModelUnavailable, load_nlp, model_name, use_thread_safe_processes
from tui.analysis.cache import AnalysisCache
from tui.analysis.pipeline import AnalysisSettings, analyze_articles, articles_to_analyse
from tui.analysis.rules import RulesError, load_rules
from tui.analysis.setup import settings_for_corpus
from tui.analysis.taxonomy import NO_TAXONOMY, Taxonomy, TaxonomyError, find_taxonomy, load_taxonomy

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
    "use_thread_safe_processes",
]
