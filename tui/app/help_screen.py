"""The ``?`` screen: every key, where it works, as the user has mapped it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("does")
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), Text(""))
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row(Text(""), Text(""))
        with VerticalScroll(id="help"):
            yield Static(Text("newsreader — keys", style="bold"), id="help-title")
            yield Static(table, id="help-table")
            yield Static(Text("escape or ? closes this; ctrl+p opens the command palette", style="dim"))
