"""Articles and their analysis as Whoosh documents."""

from __future__ import annotations

import hashlib
import json
from tui.analysis import ArticleAnalysis
from tui.analysis.rules import fold
from tui.corpus import Article
from tui.index.schema import ENTITY_FACETS, SCHEMA_VERSION


def facet_values(article: Article, analysis: ArticleAnalysis) -> dict[str, list[str]]:
    """Display values per facet: canonical names, issue ids, the source, the date."""
    values: dict[str, list[str]] = {facet: [] for facet in ENTITY_FACETS}
    for entity in analysis.entities:
        if entity.type in values and entity.name not in values[entity.type]:
            values[entity.type].append(entity.name)
    values["issue"] = [issue.id for issue in analysis.issues]
    values["source"] = [article.source] if article.source else []
    values["date"] = [article.date] if article.date else []
    return values


def article_digest(article: Article, analysis: ArticleAnalysis) -> str:
    """Changes when anything indexed about the article changes: its text, title, fields,
    or its facets (canonical names can change because another article arrived)."""
    payload = json.dumps(
        [SCHEMA_VERSION, article.content_hash, article.title, article.source, article.date,
         facet_values(article, analysis)],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:24]


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
        "spell": f"{article.title}\n{article.text}",
        "issue": ",".join(facets["issue"]),
        **{facet: " ; ".join(facets[facet]) for facet in (*ENTITY_FACETS, "source")},
        **{f"f_{facet}": keyword(facets[facet]) for facet in (*ENTITY_FACETS, "source")},
    }
    date = date_number(article.date)
    if date is not None:
        doc["date"] = date
    return doc
