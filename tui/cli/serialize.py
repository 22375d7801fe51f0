"""The JSON shapes of the CLI contract (docs/json.md describes every field)."""

from __future__ import annotations

from tui.analysis import ArticleAnalysis
from tui.analysis.pile import Dossier, Place
from tui.corpus import Article, SkippedFile


def article_json(article: Article, analysis: ArticleAnalysis) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "path": str(article.path),
        "words": article.words,
        "source": article.source,
        "date": article.date,
        "url": article.url,
        "text": article.text,
        "entities": [
            {
                "name": entity.name,
                "type": entity.type,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in entity.mentions],
            }
            for entity in analysis.entities
        ],
        "issues": [
            {
                "id": issue.id,
                "label": issue.label,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in issue.mentions],
            }
            for issue in analysis.issues
        ],
        "quotes": [
            {"speaker": q.speaker, "text": q.text, "start": q.start, "end": q.end} for q in analysis.quotes
        ],
    }


def skipped_json(skipped: SkippedFile) -> dict:
    return {"path": str(skipped.path), "reason": skipped.reason}


def place_json(place: Place) -> dict:
    return {"article": place.article_id, "title": place.title, "date": place.date,
            "start": place.start, "end": place.end, "paragraph": place.paragraph}


def dossier_json(dossier: Dossier) -> dict:
    """``newsreader entity NAME --json``: the entity's dossier, as the app shows it."""
    return {
        "name": dossier.name,
        "type": dossier.type,
        "mentions": dossier.mentions,
        "aliases": [{"text": text, "count": count} for text, count in dossier.aliases],
        "articles": [{**place_json(a.at), "mentions": a.mentions} for a in dossier.articles],
        "quotes": [{"speaker": q.speaker, "text": q.text, **place_json(q.at), "issues": list(q.issues)}
                   for q in dossier.quotes],
        "issues": [{"id": i.key, "label": i.name, "paragraphs": i.together, "articles": i.articles}
                   for i in dossier.issues],
        "related": [{"name": r.name, "type": r.kind, "paragraphs": r.together, "articles": r.articles, "pmi": r.pmi,
                     "g2": r.score}
                    for r in dossier.related],
    }
