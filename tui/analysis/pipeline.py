"""Analyse articles: spaCy NER in batches, mentions cleaned and grouped per article."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.analysis.chunks import CHUNK_CHARS, chunk_spans
from tui.analysis.grouping import group_mentions
from tui.analysis.mentions import RawMention, mention_from_span
from tui.analysis.model import ArticleAnalysis
from tui.analysis.nlp import load_nlp, model_id
from tui.corpus import Article

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int, int], None]  # (articles done, articles in all)
BATCH_SIZE = 32


def analyze_articles(
    articles: Sequence[Article],
    nlp: Language | None = None,
    progress: Progress | None = None,
    chunk_chars: int = CHUNK_CHARS,
) -> list[ArticleAnalysis]:
    """One ``ArticleAnalysis`` per article, in the same order."""
    nlp = nlp or load_nlp()
    model = model_id(nlp)
    limit = min(chunk_chars, nlp.max_length)

    # Every chunk of every article goes through one nlp.pipe, so spaCy batches freely.
    jobs = [
        (article.text[start:end], (index, start, final))
        for index, article in enumerate(articles)
        for start, end, final in _with_last_flag(chunk_spans(article.text, article.paragraphs, limit))
    ]
    mentions: list[list[RawMention]] = [[] for _ in articles]
    done = 0
    if progress:
        progress(0, len(articles))
    for doc, (index, offset, final) in nlp.pipe(jobs, as_tuples=True, batch_size=BATCH_SIZE):
        text = articles[index].text
        for ent in doc.ents:
            mention = mention_from_span(text, offset + ent.start_char, offset + ent.end_char, ent.label_)
            if mention is not None:
                mentions[index].append(mention)
        if final:
            done += 1
            if progress:
                progress(done, len(articles))

    results = []
    for article, found in zip(articles, mentions):
        results.append(
            ArticleAnalysis(
                article_id=article.id,
                content_hash=article.content_hash,
                model=model,
                entities=group_mentions(found),
            )
        )
    return results


def _with_last_flag(spans):
    spans = list(spans)
    for i, (start, end) in enumerate(spans):
        yield start, end, i == len(spans) - 1
