"""Options shared by the commands, and the corpus they name."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.analysis import AnalysisSettings, RulesError, TaxonomyError, settings_for_corpus
from tui.cli.errors import CliError, report
from tui.corpus import DEFAULT_MAX_FILE_MB, Corpus, CorpusPathError, LoadOptions, bundled_seeds, load_corpus


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a folder of articles (read recursively) or one file; default: the bundled seeds",
    )
    parser.add_argument(
        "--max-file-mb",
        type=_positive_float,
        default=DEFAULT_MAX_FILE_MB,
        metavar="MB",
        help=f"skip files larger than this (default: {DEFAULT_MAX_FILE_MB:g})",
    )


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="NAME",
        help="spaCy model package or folder (default: $NEWSREADER_SPACY_MODEL or en_core_web_sm)",
    )


def add_analysis_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_argument(parser)
    parser.add_argument(
        "--taxonomy",
        type=Path,
        metavar="FILE",
        help="issue taxonomy (default: issues.toml in the corpus folder; without one, key phrases)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="analysis cache folder (default: $NEWSREADER_CACHE_DIR or the user cache folder)",
    )
    parser.add_argument("--no-cache", action="store_true", help="analyse everything again, keep nothing")


def analysis_settings_from_args(args: argparse.Namespace, report_warnings: bool = True) -> AnalysisSettings:
    """``report_warnings`` False: the cache keeps its notices for the app to show (stderr
    would scribble over the app's screen)."""
    try:
        return settings_for_corpus(
            corpus_path(args),
            taxonomy_file=args.taxonomy,
            cache_folder=args.cache_dir,
            use_cache=not args.no_cache,
            model=args.model,
            warn=(lambda message: report(f"warning: {message}")) if report_warnings else None,
        )
    except (TaxonomyError, RulesError) as exc:
        raise CliError(str(exc)) from None


def corpus_path(args: argparse.Namespace) -> Path:
    return args.path if args.path is not None else bundled_seeds()


def load_corpus_from_args(args: argparse.Namespace) -> Corpus:
    options = LoadOptions(max_file_bytes=int(args.max_file_mb * 1024 * 1024))
    try:
        return load_corpus(corpus_path(args), options)
    except CorpusPathError as exc:
        raise CliError(str(exc)) from None


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0 or number != number or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number: {value!r}")
    return number
