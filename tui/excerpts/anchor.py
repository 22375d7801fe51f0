"""Is an excerpt still true to its article? Re-anchor it when its text moved, flag it
when its text is gone: never silently wrong."""

from __future__ import annotations

from tui.corpus import Article
from tui.excerpts.model import Excerpt


def reconcile(excerpt: Excerpt, article: Article | None) -> Excerpt:
    if article is None:
        return excerpt.with_changes(status="removed")
    if article.content_hash == excerpt.content_hash or article.text[excerpt.start : excerpt.end] == excerpt.text:
        return excerpt.with_changes(status="ok", content_hash=article.content_hash)
    found = _nearest(article.text, excerpt.text, excerpt.start)
    if found is None:
        return excerpt.with_changes(status="stale")
    paragraph = next(
        (p.number for p in article.paragraphs if p.start <= found < p.end and p.number is not None), excerpt.paragraph
    )
    return excerpt.with_changes(
        start=found, end=found + len(excerpt.text), content_hash=article.content_hash,
        paragraph=paragraph, status="re-anchored",
    )


def _nearest(text: str, needle: str, near: int) -> int | None:
    """The occurrence of ``needle`` closest to where it was."""
    if not needle:
        return None
    best = None
    index = text.find(needle)
    while index != -1:
        if best is None or abs(index - near) < abs(best - near):
            best = index
        index = text.find(needle, index + 1)
    return best
