"""A child process of ``newsreader bench``: the raw-library baseline for the first
paint. A bare Textual app (header, DataTable, footer) showing the same first rows as
the app paints; prints ``paint <time>`` once they are on screen, then quits. What is
left between this and the app's own first paint is newsreader's.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 200  # as many as the app paints at once


class BareTable(App):
    def __init__(self, rows: list[list[str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("Title", "Source", "Date", "Words", "Entities", "Issues"):
            table.add_column(name)
        for row in self.rows:
            table.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in row))
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        print(f"paint {time.time()}", flush=True)
        self.exit()


def main(argv: list[str]) -> None:
    """``argv``: a JSON file of rows (lists of cell strings)."""
    rows = json.loads(Path(argv[0]).read_text(encoding="utf-8"))[:ROWS]
    BareTable(rows).run(headless=True, size=(160, 48))


if __name__ == "__main__":
    main(sys.argv[1:])
