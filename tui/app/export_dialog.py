"""Export the excerpts: choose a format and a path; copy the Markdown if wanted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.excerpts import FORMATS, SUFFIXES

FORMAT_NAMES = {"md": "Markdown briefing", "json": "JSON", "csv": "CSV", "txt": "Plain text",
                "bib": "BibTeX (cited articles)", "csl": "CSL-JSON (cited articles)"}


class ExportDialog(ModalScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Cancel", id="export.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(Text("Export the excerpts", style="bold"))
            yield Select([(FORMAT_NAMES[f], f) for f in FORMATS], value="md", allow_blank=False, id="format")
            yield Select([("Markdown: group by article", "article"), ("Markdown: group by issue", "issue")],
                         value="article", allow_blank=False, id="group")
            yield Input(str(self._default_path("md")), id="path")
            yield Input(placeholder="only excerpts with this tag (optional)", id="tag")
            yield Static(id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Copy Markdown", id="copy")
                yield Button("Cancel", id="cancel")

    @staticmethod
    def _default_path(fmt: str) -> Path:
        return Path.cwd() / f"briefing-{date.today().isoformat()}{SUFFIXES[fmt]}"

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        if current.name.startswith("briefing-"):  # still the default: follow the format
            path.value = str(self._default_path(str(event.value)))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.app.pop_screen()

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        tag = self.query_one("#tag", Input).value.strip() or None
        path = Path(self.query_one("#path", Input).value.strip() or self._default_path(fmt)).expanduser()
        group = str(self.query_one("#group", Select).value)
        written, message = self.app.export_excerpts(fmt, path, tag, group)
        if written:
            self.app.pop_screen()
            self.app.notify(message, title="Exported", markup=False)
        else:
            self.query_one("#export-message", Static).update(Text(message, style="bold red"))

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        tag = self.query_one("#tag", Input).value.strip() or None
        self.app.copy_excerpts(tag)
