"""``newsreader``: open the app, or run the engine headless (``analyze``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tui import __version__
from tui.cli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CliError, report
from tui.cli.options import add_analysis_arguments, add_corpus_arguments
from tui.excerpts import DEFAULT_SET, FORMATS

COMMANDS = ("analyze", "search", "entity", "export", "fetch", "eval", "bench")


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and exit 2 via CliError."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see '{self.prog} --help')", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newsreader",
        description="Read a pile of news closely: entities and issues highlighted, "
        "faceted search, briefings with citations.",
        epilog="commands: analyze (entities, issues, quotes as a table or JSON), "
        "search (ranked articles, passages, facets), entity (a dossier across the pile), fetch (feeds into a folder), export (a briefing of the marked excerpts), "
        "eval (scores against a hand annotation), bench (timings beside the raw libraries). "
        "'newsreader COMMAND --help' for more. A folder named like a command: pass ./analyze.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    add_corpus_arguments(parser)
    add_analysis_arguments(parser)
    parser.add_argument("--set", default=DEFAULT_SET, metavar="NAME", help=f"the excerpt set to mark into (default {DEFAULT_SET!r})")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the excerpts are kept (default: $NEWSREADER_DATA_DIR or the user data folder)")
    return parser


def build_command_parser(command: str) -> argparse.ArgumentParser:
    if command == "analyze":
        parser = _Parser(
            prog="newsreader analyze",
            description="Analyse a corpus and print its articles with their entities, "
            "issues and quotes (a table, or with --json the JSON described in docs/json.md).",
        )
        add_corpus_arguments(parser)
        add_analysis_arguments(parser)
        parser.add_argument("--json", action="store_true", help="print one JSON object (every field: docs/json.md)")
        return parser
    if command == "search":
        parser = _Parser(
            prog="newsreader search",
            description="Search the corpus: ranked articles with highlighted passages, facet "
            'counts and a "did you mean". Query language: words, "phrases", AND/OR/NOT, '
            "(groups), field:value (person: org: place: group: law: issue: source: date: title:), "
            "date:2018-04 or date:[2018-04-01 to 2018-05-01], wildcards (tariff*) and fuzziness (tarif~).",
        )
        parser.add_argument("query", help="the query (quote it for the shell)")
        add_corpus_arguments(parser)
        add_analysis_arguments(parser)
        parser.add_argument("--filter", action="append", default=[], metavar="FIELD:VALUE",
                            help='narrow to a facet value, e.g. person:"Robert Lighthizer" (repeatable: '
                            "OR within a field, AND across fields)")
        parser.add_argument("--limit", type=int, default=10, metavar="N", help="at most N articles (default 10)")
        parser.add_argument("--json", action="store_true", help="print one JSON object (every field: docs/json.md)")
        return parser
    if command == "entity":
        parser = _Parser(
            prog="newsreader entity",
            description="An entity's dossier across the pile: the forms it is seen as, the articles that "
            "mention it, its quotes, the issues it comes up with and the entities seen with it "
            "(ranked by pointwise mutual information over paragraphs).",
        )
        parser.add_argument("name", help="the entity's name (case and accents aside; a unique part will do)")
        add_corpus_arguments(parser)
        add_analysis_arguments(parser)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        return parser
    if command == "fetch":
        parser = _Parser(
            prog="newsreader fetch",
            description="Download RSS or Atom feeds and their articles into a folder the reader opens "
            "(each entry a file; a feed's summary-only entries get their page). Polite: a timeout, a user "
            "agent, ETag/Last-Modified, nothing downloaded twice.",
        )
        parser.add_argument("urls", nargs="+", metavar="URL", help="feed URLs (http or https)")
        parser.add_argument("--into", type=Path, default=Path("news"), metavar="FOLDER",
                            help="where to put them (default ./news)")
        parser.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                            help="pause before each article page (default 1)")
        return parser
    if command == "export":
        parser = _Parser(
            prog="newsreader export",
            description="Export the marked excerpts of a corpus (or, with --query, the best passages "
            "of a search) as a briefing with citations.",
        )
        add_corpus_arguments(parser)
        add_analysis_arguments(parser)
        parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), json, csv, txt, bib, csl")
        parser.add_argument("--set", default=DEFAULT_SET, metavar="NAME", help=f"the excerpt set (default {DEFAULT_SET!r})")
        parser.add_argument("--tag", metavar="TAG", help="only the excerpts with this tag")
        parser.add_argument("--query", metavar="Q", help="export the best passages of this search instead")
        parser.add_argument("--limit", type=int, default=10, metavar="N", help="with --query: at most N articles")
        parser.add_argument("--group", choices=("article", "issue"), default="article", help="Markdown: group by")
        parser.add_argument("--title", metavar="TEXT", help="the briefing's heading")
        parser.add_argument("--out", type=Path, metavar="FILE", help="write here (atomically) instead of stdout")
        parser.add_argument("--data-dir", type=Path, metavar="DIR",
                            help="where the excerpts are kept (default: $NEWSREADER_DATA_DIR or the user data folder)")
        return parser
    if command == "bench":
        from tui.cli import bench

        parser = _Parser(prog="newsreader bench", description=bench.__doc__.split("\n\n")[0].replace("``", "'"))
        bench.add_arguments(parser)
        return parser
    if command == "eval":
        parser = _Parser(
            prog="newsreader eval",
            description="Measure the analysis against a hand annotation: precision, recall "
            "and F1 for people, organisations, places, groups, laws, events, issues and quotes; "
            "quotes found and their speakers; each split of the annotation on its own.",
        )
        add_corpus_arguments(parser)
        add_analysis_arguments(parser)
        parser.add_argument("--gold", type=Path, required=True, metavar="FILE",
                            help="the annotation (JSON); without PATH, its own stories if it names their sources")
        parser.add_argument("--raw", action="store_true", help="score spaCy's model alone beside the analysis")
        parser.add_argument("--json", action="store_true", help="print the scores as JSON")
        parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and extra")
        return parser
    raise AssertionError(command)


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        command = argv[0]
        args = build_command_parser(command).parse_intermixed_args(argv[1:])  # "search steel --json PATH" works too
        from tui.cli import analyze, bench, entity, evaluate, export, fetch, search

        runners: dict[str, Callable[[argparse.Namespace], int]] = {
            "analyze": analyze.run,
            "search": search.run,
            "entity": entity.run,
            "fetch": fetch.run,
            "export": export.run,
            "eval": evaluate.run,
            "bench": bench.run,
        }
        return runners[command](args)
    args = build_parser().parse_args(argv)
    from tui.cli import open_app  # deferred: Textual is only imported to open the app

    return open_app.run(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(argv)
    except CliError as exc:
        report(str(exc))
        return exc.code
    except KeyboardInterrupt:
        report("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`| head`): not an error worth a message.
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        report(f"internal error: {type(exc).__name__}: {exc} (set NEWSREADER_DEBUG=1 for details)")
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
