"""``newsreader eval --gold FILE [PATH]``: the analysis scored against a hand annotation."""

from __future__ import annotations

import argparse

from rich.table import Table
from rich.text import Text

from tui.analysis.evaluation import Evaluation, GoldError, evaluate, load_gold
from tui.cli.analyze import analyze_corpus
from tui.cli.errors import EXIT_NOTHING, EXIT_OK, CliError
from tui.cli.options import analysis_settings_from_args, load_corpus_from_args
from tui.cli.output import stdout_console, write_json


def run(args: argparse.Namespace) -> int:
    try:
        gold = load_gold(args.gold)
    except GoldError as exc:
        raise CliError(str(exc)) from None
    corpus = load_corpus_from_args(args)
    if not corpus.articles:
        raise CliError(f"{corpus.root}: no usable articles", EXIT_NOTHING)
    result = evaluate(gold, corpus.articles, analyze_corpus(corpus, analysis_settings_from_args(args)))
    if result.articles == 0:
        raise CliError(f"{args.gold}: annotates none of the {len(corpus.articles)} articles (ids differ?)", EXIT_NOTHING)
    if args.json:
        write_json(_as_json(result))
    else:
        _print(result, args.verbose)
    return EXIT_OK


def _as_json(result: Evaluation) -> dict:
    return {
        "articles": result.articles,
        "bad_offsets": result.bad_offsets,
        "areas": {
            name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                   "tp": s.tp, "fp": s.fp, "fn": s.fn, "misses": s.misses, "extras": s.extras}
            for name, s in result.areas.items()
        },
    }


def _print(result: Evaluation, verbose: bool) -> None:
    console = stdout_console()
    table = Table(title=f"Analysis against the annotation of {result.articles} article(s)", title_justify="left")
    for column in ("Area", "Precision", "Recall", "F1", "Right", "Extra", "Missed"):
        table.add_column(column, justify="left" if column == "Area" else "right")
    for name, s in result.areas.items():
        table.add_row(name, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.tp), str(s.fp), str(s.fn))
    console.print(table)
    console.print(Text(f"mentions whose offsets do not index the text: {result.bad_offsets}"))
    if verbose:
        for name, s in result.areas.items():
            for line in s.misses:
                console.print(Text(f"{name} missed  {line}"))
            for line in s.extras:
                console.print(Text(f"{name} extra   {line}"))
