"""``newsreader [PATH]``: check the path, then open the app on it."""

from __future__ import annotations

import argparse

from tui.cli.errors import EXIT_OK, CliError
from tui.cli.options import corpus_path
from tui.corpus import CorpusPathError, LoadOptions, check_corpus_path


def run(args: argparse.Namespace) -> int:
    path = corpus_path(args)
    try:
        check_corpus_path(path)  # a bad path is a message and exit 2, not an empty app
    except CorpusPathError as exc:
        raise CliError(str(exc)) from None
    from tui.app.app import NewsreaderApp

    NewsreaderApp(path, LoadOptions(max_file_bytes=int(args.max_file_mb * 1024 * 1024))).run()
    return EXIT_OK
