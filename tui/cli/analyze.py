"""``newsreader analyze [PATH] [--json]``: the corpus and its entities, headless."""

from __future__ import annotations

import argparse
import sys

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tui.analysis import ArticleAnalysis, ModelUnavailable, analyze_articles, load_nlp
from tui.cli.errors import EXIT_ENVIRONMENT, EXIT_NOTHING, EXIT_OK, CliError, report
from tui.cli.options import load_corpus_from_args
from tui.cli.output import skipped_table, stderr_console, stdout_console, write_json
from tui.cli.serialize import article_json, skipped_json
from tui.corpus import Article, Corpus


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus_from_args(args)
    analyses = _analyze(corpus, args.model) if corpus.articles else []
    if args.json:
        write_json(
            {
                "articles": [article_json(a, r) for a, r in zip(corpus.articles, analyses)],
                "skipped": [skipped_json(s) for s in corpus.skipped],
            }
        )
    else:
        _print_summary(corpus, analyses)
    if not corpus.articles:
        if not args.json:  # with --json the skipped list is in the output already
            stderr_console().print(skipped_table(corpus.skipped))
        report(f"{corpus.root}: no usable articles ({len(corpus.skipped)} file(s) skipped)")
        return EXIT_NOTHING
    return EXIT_OK


def _analyze(corpus: Corpus, model: str | None) -> list[ArticleAnalysis]:
    try:
        nlp = load_nlp(model)
    except ModelUnavailable as exc:
        raise CliError(str(exc), EXIT_ENVIRONMENT) from None
    if not sys.stderr.isatty():
        return analyze_articles(corpus.articles, nlp)
    columns = (TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task("analysing", total=len(corpus.articles))
        return analyze_articles(corpus.articles, nlp, progress=lambda done, _total: bar.update(task, completed=done))


def _print_summary(corpus: Corpus, analyses: list[ArticleAnalysis]) -> None:
    console = stdout_console()
    if corpus.articles:
        table = Table(title=f"{len(corpus.articles)} article(s) in {corpus.root}", title_justify="left", expand=True)
        table.add_column("Article", ratio=3, min_width=24)
        table.add_column("Words", justify="right")
        table.add_column("People", ratio=2)
        table.add_column("Organisations", ratio=2)
        table.add_column("Places", ratio=2)
        for article, analysis in zip(corpus.articles, analyses):
            table.add_row(
                _title_cell(article),
                str(article.words),
                _top(analysis, "person"),
                _top(analysis, "organization"),
                _top(analysis, "place"),
            )
        console.print(table)
    if corpus.skipped and corpus.articles:
        console.print(skipped_table(corpus.skipped))


def _title_cell(article: Article) -> Text:
    cell = Text(article.title, style="bold")
    meta = " · ".join(x for x in (article.id, article.source, article.date) if x)
    cell.append(f"\n{meta}", style="dim")
    return cell


def _top(analysis: ArticleAnalysis, entity_type: str, limit: int = 3) -> Text:
    cell = Text()
    for i, entity in enumerate(analysis.entities_of(entity_type)[:limit]):
        cell.append(("\n" if i else "") + entity.name)
        cell.append(f" {len(entity.mentions)}", style="dim")
    return cell
