"""An excerpt: a marked passage with everything its citation needs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tui.corpus import Article


@dataclass(frozen=True, slots=True)
class Excerpt:
    article_id: str
    content_hash: str  # of the article text the offsets index
    start: int
    end: int
    text: str
    paragraph: int | None
    # A snapshot of the citation, so it survives the article being moved or removed.
    title: str
    source: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    query: str | None = None  # the search it was marked from
    speaker: str | None = None  # who said it, for a quote: the text alone does not say
    note: str = ""
    tags: tuple[str, ...] = ()
    created: float = 0.0  # seconds since the epoch
    id: int | None = None  # in the store
    position: int = 0  # order within its set
    status: str = "ok"  # "ok", "re-anchored" (text moved), "stale" (text gone), "removed" (article gone)

    @classmethod
    def of(cls, article: Article, start: int, end: int, paragraph: int | None, query: str | None = None,
           created: float = 0.0, speaker: str | None = None) -> Excerpt:
        return cls(
            article_id=article.id, content_hash=article.content_hash, start=start, end=end,
            text=article.text[start:end], paragraph=paragraph, title=article.title, source=article.source,
            date=article.date, url=article.url, path=str(article.path), query=query, speaker=speaker,
            created=created,
        )

    def with_changes(self, **changes) -> Excerpt:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ExcerptSet:
    name: str
    corpus: str  # the corpus folder the set belongs to
    excerpts: list[Excerpt] = field(default_factory=list)
