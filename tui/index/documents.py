"""Articles and their analysis as Whoosh documents."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

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
    its facets (canonical names can change because another article arrived), or where
    its entities and issues are (an edited taxonomy moves mentions between paragraphs)."""
    mentions = sorted(
        [(m.start, m.end, e.type, e.name) for e in analysis.entities for m in e.mentions]
        + [(m.start, m.end, "issue", i.id) for i in analysis.issues for m in i.mentions]
    )
    payload = json.dumps(
        [SCHEMA_VERSION, article.content_hash, article.title, article.source, article.date,
         facet_values(article, analysis), [(p.start, p.end, p.number) for p in article.paragraphs], mentions],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def date_number(iso: str | None) -> int | None:
    return int(iso.replace("-", "")) if iso else None


def keyword(values: list[str]) -> str:
    """Folded exact values for a KEYWORD field (commas separate values)."""
    return ",".join(fold(v).replace(",", " ") for v in values)


def documents(article: Article, analysis: ArticleAnalysis, digest: str) -> Iterator[dict]:
    facets = facet_values(article, analysis)
    names = {facet: " ; ".join(facets[facet]) for facet in (*ENTITY_FACETS, "source")}
    date = date_number(article.date)
    article_doc = {
        "uid": article.id,
        "article": article.id,
        "kind": "article",
        "digest": digest,
        "title": article.title,
        "body": article.text,
        "spell": f"{article.title}\n{article.text}",
        "issue": ",".join(facets["issue"]),
        "facets": facets,
        **{facet: text for facet, text in names.items()},
        **{f"f_{facet}": keyword(facets[facet]) for facet in (*ENTITY_FACETS, "source")},
    }
    if date is not None:
        article_doc["date"] = date
    yield article_doc
    yield from _paragraph_documents(article, analysis, date)


def _paragraph_documents(article: Article, analysis: ArticleAnalysis, date: int | None) -> Iterator[dict]:
    spans = [(m.start, m.end, e.type, e.name) for e in analysis.entities for m in e.mentions]
    spans += [(m.start, m.end, "issue", i.id) for i in analysis.issues for m in i.mentions]
    for paragraph in article.paragraphs:
        if paragraph.is_heading or paragraph.number is None:
            continue
        inside = [s for s in spans if paragraph.start <= s[0] and s[1] <= paragraph.end]
        names: dict[str, list[str]] = {}
        for _, _, facet, value in inside:
            names.setdefault(facet, [])
            if value not in names[facet]:
                names[facet].append(value)
        doc = {
            "uid": f"{article.id}#{paragraph.number}",
            "article": article.id,
            "kind": "paragraph",
            "body": article.text[paragraph.start : paragraph.end],
            "paragraph": paragraph.number,
            "passage": article.text[paragraph.start : paragraph.end],
            "marks": [(s - paragraph.start, e - paragraph.start, facet, value) for s, e, facet, value in inside],
            "issue": ",".join(names.get("issue", [])),
        }
        for facet in ENTITY_FACETS:
            if names.get(facet):
                doc[facet] = " ; ".join(names[facet])
                doc[f"f_{facet}"] = keyword(names[facet])
        if article.source:
            doc["source"] = article.source
            doc["f_source"] = keyword([article.source])
        if date is not None:
            doc["date"] = date
        yield doc
