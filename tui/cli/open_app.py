"""``newsreader [PATH]``: check the path and the settings, then open the app on it."""

from __future__ import annotations

import argparse

from tui.cli.errors import EXIT_OK, CliError
from tui.cli.options import analysis_settings_from_args, corpus_path
from tui.corpus import CorpusPathError, LoadOptions, check_corpus_path


def run(args: argparse.Namespace) -> int:
    path = corpus_path(args)
    try:
        check_corpus_path(path)  # a bad path is a message and exit 2, not an empty app
    except CorpusPathError as exc:
        raise CliError(str(exc)) from None
    settings = analysis_settings_from_args(args, report_warnings=False)  # a broken issues.toml is exit 2 too
    from tui.app.app import NewsreaderApp  # deferred: Textual only for the app
    from tui.app.lifetime import leave
    from tui.index import Library

    library = Library(
        path,
        settings,
        LoadOptions(max_file_bytes=int(args.max_file_mb * 1024 * 1024)),
        index_base=args.cache_dir,
    )
    app = NewsreaderApp(library, data_dir=args.data_dir, excerpt_set=args.set)
    app.run()
    leave(app.return_code or EXIT_OK)  # not waiting for an analysis under way: see tui.app.lifetime
    return EXIT_OK
