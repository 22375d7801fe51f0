"""``newsreader entity NAME [PATH]``: an entity's dossier across the pile, headless."""

from __future__ import annotations

import argparse

from rich.table import Table
from rich.text import Text

from tui.analysis.pile import Dossier, Pile
from tui.cli.analyze import analyze_corpus
from tui.cli.errors import EXIT_NOTHING, EXIT_OK, CliError
from tui.cli.options import analysis_settings_from_args, load_corpus_from_args
from tui.cli.output import stdout_console, write_json
from tui.cli.serialize import dossier_json


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus_from_args(args)
    if not corpus.articles:
        raise CliError(f"{corpus.root}: no usable articles ({len(corpus.skipped)} file(s) skipped)", EXIT_NOTHING)
    analyses = {a.article_id: a for a in analyze_corpus(corpus, analysis_settings_from_args(args))}
    pile = Pile(corpus.articles, analyses)
    found, candidates = pile.find_entity(args.name)
    if found is None:
        names = "; ".join(f"{c.name} ({c.type})" for c in candidates[:8])
        hint = f" — did you mean: {names}" if names else ""
        raise CliError(f"no entity named {args.name!r} in {corpus.root}{hint}", EXIT_NOTHING)
    dossier = pile.dossier(found.name, found.type)
    assert dossier is not None  # found among the pile's own names
    if args.json:
        write_json(dossier_json(dossier))
    else:
        _print(dossier)
    return EXIT_OK


def _print(dossier: Dossier) -> None:
    console = stdout_console()
    heading = Text(dossier.name, style="bold")
    heading.append(f"  {dossier.type} · {dossier.mentions} mention(s) in {len(dossier.articles)} article(s)", style="dim")
    console.print(heading)
    if dossier.aliases:
        console.print(Text("seen as: " + ", ".join(f"{t} ({n})" for t, n in dossier.aliases), style="dim"))
    articles = Table("date", "article", "mentions", title="Articles", title_justify="left")
    for row in dossier.articles:
        articles.add_row(row.at.date or "—", Text(row.at.title), str(row.mentions))
    console.print(articles)
    if dossier.quotes:
        quotes = Table("quote", "article", title="Quotes", title_justify="left")
        for quote in dossier.quotes:
            quotes.add_row(Text(f"“{quote.text}”"), Text(quote.at.title))
        console.print(quotes)
    if dossier.issues:
        issues = Table("issue", "paragraphs together", "articles", title="Issues", title_justify="left")
        for issue in dossier.issues[:10]:
            issues.add_row(Text(issue.name), str(issue.together), str(issue.articles))
        console.print(issues)
    if dossier.related:
        related = Table("seen with", "type", "paragraphs together", "G²", "PMI", title="Seen with", title_justify="left")
        for other in dossier.related:
            related.add_row(Text(other.name), other.kind, str(other.together), f"{other.score:.1f}", f"{other.pmi:.2f}")
        console.print(related)
