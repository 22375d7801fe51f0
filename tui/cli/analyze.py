"""``newsreader analyze [PATH] [--json]``: the corpus and its entities, headless."""

from __future__ import annotations

import argparse
import sys

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tui.analysis import AnalysisSettings, ArticleAnalysis, ModelUnavailable, analyze_articles
from tui.cli.errors import EXIT_ENVIRONMENT, EXIT_NOTHING, EXIT_OK, CliError, report
from tui.cli.options import analysis_settings_from_args, load_corpus_from_args
from tui.cli.output import skipped_table, stderr_console, stdout_console, write_json
from tui.cli.serialize import article_json, skipped_json
from tui.corpus import Article, Corpus


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus_from_args(args)
    analyses = analyze_corpus(corpus, analysis_settings_from_args(args)) if corpus.articles else []
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


def analyze_corpus(corpus: Corpus, settings: AnalysisSettings) -> list[ArticleAnalysis]:
    """Analyse with a progress bar on a terminal; a missing model is exit 3."""
    try:
        if not sys.stderr.isatty():
            return analyze_articles(corpus.articles, settings=settings)
        columns = (TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=stderr_console(), transient=True) as bar:
            task = bar.add_task("analysing", total=len(corpus.articles))
            return analyze_articles(
                corpus.articles, settings=settings, progress=lambda done, _total: bar.update(task, completed=done)
            )
    except ModelUnavailable as exc:
        raise CliError(str(exc), EXIT_ENVIRONMENT) from None
    finally:
        if settings.cache is not None:
            settings.cache.close()


def _print_summary(corpus: Corpus, analyses: list[ArticleAnalysis]) -> None:
    console = stdout_console()
    if corpus.articles:
        table = Table(title=f"{len(corpus.articles)} article(s) in {corpus.root}", title_justify="left", expand=True)
        table.add_column("Article", ratio=3, min_width=24)
        table.add_column("Words", justify="right")
        table.add_column("People", ratio=2)
        table.add_column("Organisations", ratio=2)
        table.add_column("Places", ratio=2)
        table.add_column("Issues", ratio=2)
        for article, analysis in zip(corpus.articles, analyses):
            table.add_row(
                _title_cell(article),
                str(article.words),
                _top(analysis, "person"),
                _top(analysis, "organization"),
                _top(analysis, "place"),
                Text("\n".join(i.label for i in analysis.issues[:3])),
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
