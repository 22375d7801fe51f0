"""Exit codes and the one-line error messages of every command."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_NOTHING = 1  # the input was readable but held no usable article
EXIT_USAGE = 2  # bad arguments, a missing path, an unparsable query
EXIT_ENVIRONMENT = 3  # the machine lacks something (the spaCy model)
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # a bug: reported in one line, traceback only with NEWSREADER_DEBUG=1


class CliError(Exception):
    """An error to report as ``newsreader: <message>`` and exit with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def report(message: str) -> None:
    print(f"newsreader: {_one_line(message)}", file=sys.stderr)


def _one_line(message: str) -> str:
    # Messages may quote file names and contents: no control characters on the terminal.
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(message.split()))
