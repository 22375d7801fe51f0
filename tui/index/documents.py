"""Articles and their analysis as Whoosh documents."""

from __future__ import annotations

import hashlib
from tui.analysis import ArticleAnalysis
from tui.analysis.rules import fold
from tui.corpus import Article
from tui.index.model import ENTITY_FACETS, SCHEMA_VERSION


def facet_values(article: Article, analysis: ArticleAnalysis) -> dict[str, list[str]]:
    """Display values per facet: canonical names, issue ids, the source, the date."""
    values: dict[str, list[str]] = {facet: [] for facet in ENTITY_FACETS}
    for name, kind, _ in analysis.entity_heads():  # (the mentions are not needed)
        if kind in values and name not in values[kind]:
            values[kind].append(name)
    values["issue"] = [issue_id for issue_id, _, _ in analysis.issue_heads()]
    values["source"] = [article.source] if article.source else []
    values["date"] = [article.date] if article.date else []
    return values


def article_digest(article: Article, analysis: ArticleAnalysis, facets: dict[str, list[str]] | None = None) -> str:
    """Changes when anything indexed about the article changes: its text, title, fields,
    or its facets (canonical names can change because another article arrived).
    ``facets``: its ``facet_values`` when already made."""
    facets = facets if facets is not None else facet_values(article, analysis)
    parts = [str(SCHEMA_VERSION), article.content_hash, article.title, article.source or "", article.date or ""]
    parts += ["\x1e".join(facets[name]) for name in sorted(facets)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def date_number(iso: str | None) -> int | None:
    return int(iso.replace("-", "")) if iso else None


def keyword(values: list[str]) -> str:
    """Folded exact values for a KEYWORD field (commas separate values)."""
    return ",".join(fold(v).replace(",", " ") for v in values)


def document(article: Article, analysis: ArticleAnalysis, digest: str) -> dict:
    """The article's Whoosh document."""
    facets = facet_values(article, analysis)
    doc = {
        "uid": article.id,
        "digest": digest,
        "title": article.title,
        "body": article.text,
        "issue": ",".join(facets["issue"]),
        **{facet: " ; ".join(facets[facet]) for facet in (*ENTITY_FACETS, "source")},
        **{f"f_{facet}": keyword(facets[facet]) for facet in (*ENTITY_FACETS, "source")},
    }
    date = date_number(article.date)
    if date is not None:
        doc["date"] = date
    return doc
