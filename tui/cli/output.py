"""Writing results: JSON to stdout as UTF-8 bytes, Rich tables for people."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.corpus import SkippedFile


def write_json(value: object) -> None:
    # Bytes, so the locale's encoding can never make a title unprintable.
    # allow_nan=False: NaN/Infinity are not JSON, and a consumer must never get them
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by a text stream (embedding, redirect_stdout)
        sys.stdout.write(data)
    else:
        buffer.write(data.encode("utf-8"))
    sys.stdout.flush()


def stdout_console() -> Console:
    return Console(highlight=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def skipped_table(skipped: list[SkippedFile]) -> Table:
    table = Table(title=f"Skipped {len(skipped)} file(s)", title_justify="left", expand=False)
    table.add_column("File", overflow="fold")
    table.add_column("Reason", overflow="fold")
    for item in skipped:
        # Text cells: a file name like "[bold].txt" is shown as it is, never as markup.
        table.add_row(Text(str(item.path)), Text(item.reason))
    return table
