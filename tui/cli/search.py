"""``newsreader search QUERY [PATH]``: the same index the app searches, headless."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from tui.analysis import AnalysisSettings, ArticleAnalysis
from tui.cli.analyze import analyze_corpus
from tui.cli.errors import EXIT_NOTHING, EXIT_OK, CliError, report
from tui.cli.options import analysis_settings_from_args, corpus_path, load_corpus_from_args
from tui.cli.output import stdout_console, write_json
from tui.corpus import Corpus
from tui.index import IndexBusy, Library, QueryError, SearchResult

# The facets of the JSON contract (docs/json.md); the app also shows groups.
CONTRACT_FACETS = ("person", "organization", "place", "issue", "law", "source", "date")


def run(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise CliError("--limit must be 0 or more")
    corpus = load_corpus_from_args(args)
    if not corpus.articles:
        raise CliError(f"{corpus.root}: no usable articles ({len(corpus.skipped)} file(s) skipped)", EXIT_NOTHING)
    settings = analysis_settings_from_args(args)
    analyses = {a.article_id: a for a in analyze_corpus(corpus, settings)}
    result = search_corpus(args, corpus, analyses, settings, args.query, args.filter, args.limit)
    if args.json:
        write_json(result_json(result))
    else:
        _print(result)
    return EXIT_OK


def search_corpus(
    args: argparse.Namespace,
    corpus: Corpus,
    analyses: dict[str, ArticleAnalysis],
    settings: AnalysisSettings,
    query: str,
    filters: list[str],
    limit: int,
) -> SearchResult:
    """Bring the index up to date (in a scratch folder with --no-cache) and search it."""
    with tempfile.TemporaryDirectory(prefix="newsreader-index-") as scratch:
        library = Library(corpus_path(args), settings, index_base=Path(scratch) if args.no_cache else args.cache_dir)
        library.corpus, library.analyses = corpus, analyses
        try:
            try:
                library.index()
            except IndexBusy:  # another newsreader is writing: its last commit is still searchable
                report("warning: the index is being updated by another newsreader; searching its last saved state")
                library.open_searcher()
            for notice in library.notices:  # the cache's own are reported as they happen
                report(f"warning: {notice}")
            return library.searcher.search(query, filters, limit=limit)
        except QueryError as exc:
            raise CliError(f"bad query: {exc}") from None
        finally:
            if library.searcher is not None:
                library.searcher.close()


def result_json(result: SearchResult) -> dict:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "score": hit.score,
                "passages": [
                    {"paragraph": p.paragraph, "text": p.text, "highlights": [list(h) for h in p.highlights]}
                    for p in hit.passages
                ],
            }
            for hit in result.hits
        ],
        "facets": {
            facet: [{"value": value, "count": count} for value, count in result.facets.get(facet, [])]
            for facet in CONTRACT_FACETS
        },
        "suggestion": result.suggestion,
    }


def _print(result: SearchResult) -> None:
    console = stdout_console()
    header = Text(f"{result.total} article(s) for ", style="bold")
    header.append(result.query, style="bold cyan")
    console.print(header)
    if result.suggestion:
        console.print(Text.assemble(("did you mean: ", "dim"), (result.suggestion, "italic yellow")))
    for hit in result.hits:
        title = Text.assemble((hit.title, "bold"), (f"  {hit.id} · {hit.score:.2f}", "dim"))
        passages = []
        for passage in hit.passages:
            body = Text(passage.text)  # text, never markup
            for start, end in passage.highlights:
                body.stylize("bold reverse", start, end)
            passages.append(Text.assemble((f"¶{passage.paragraph} ", "dim"), body))
        console.print(Group(Text(""), title, Padding(Group(*passages), (0, 0, 0, 2))))
    shown = [(facet, values) for facet, values in result.facets.items() if values]
    if shown:
        console.print(Text(""))
        for facet, values in shown:
            line = Text(f"{facet}: ", style="bold")
            line.append(", ".join(f"{value} ({count})" for value, count in values[:8]))
            console.print(line)
