"""The JSON shapes of the CLI contract (see DESIGN.md)."""

from __future__ import annotations

from tui.analysis import ArticleAnalysis
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
