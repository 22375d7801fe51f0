"""Articles to entities, issues and quotes: spaCy NER plus the project's own layer."""

from tui.analysis.model import ENTITY_TYPES, ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.nlp import DEFAULT_MODEL, MODEL_ENV, ModelUnavailable, load_nlp, model_name
from tui.analysis.pipeline import analyze_articles

__all__ = [
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
    "load_nlp",
    "model_name",
]
