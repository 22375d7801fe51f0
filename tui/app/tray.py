"""The tray: the marked excerpts in order, to review, reorder, annotate and export."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.footer import Footer
from tui.excerpts import Excerpt, attributed, citation


class NoteEditor(ModalScreen[tuple[str, str] | None]):
    """Edit an excerpt's note and tags (comma separated)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, excerpt: Excerpt) -> None:
        super().__init__()
        self.excerpt = excerpt

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="dialog"):
            yield Label(Text("Note", style="bold"))
            yield Input(self.excerpt.note, placeholder="a note for this excerpt", id="note")
            yield Label(Text("Tags (comma separated)", style="bold"))
            yield Input(", ".join(self.excerpt.tags), placeholder="use, needs check", id="tags")
            yield Static(Text("enter saves · escape cancels", style="dim"))

    @on(Input.Submitted)
    def _save(self) -> None:
        self.dismiss((self.query_one("#note", Input).value.strip(), self.query_one("#tags", Input).value))


class TrayScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="tray.back"),
        Binding("ctrl+up,K", "move(-1)", "Move up", id="tray.up"),
        Binding("ctrl+down,J", "move(1)", "Move down", id="tray.down"),
        Binding("n", "note", "Note/tags", id="tray.note"),
        Binding("delete,x", "remove", "Remove", id="tray.remove"),
        Binding("e", "app.export", "Export", id="tray.export"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tray-title")
        yield OptionList(id="tray")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "excerpts"
        self.refresh_list()
        self.query_one("#tray", OptionList).focus()

    def refresh_list(self, keep: int | None = None) -> None:
        excerpts = self.app.excerpts()
        tray = self.query_one("#tray", OptionList)
        highlighted = tray.highlighted
        tray.clear_options()
        for number, excerpt in enumerate(excerpts, start=1):
            line = Text()
            line.append(f"{number}. ", style="bold")
            short = excerpt.text if len(excerpt.text) <= 300 else excerpt.text[:299] + "…"
            line.append(attributed(excerpt.with_changes(text=short)))
            line.append(f"\n   — {citation(excerpt)}", style="dim")
            if excerpt.status != "ok":
                line.append(f"  [{excerpt.status}]", style="bold red")
            if excerpt.tags:
                line.append("  " + " ".join(f"#{t}" for t in excerpt.tags), style="italic")
            if excerpt.note:
                line.append(f"\n   note: {excerpt.note}", style="italic")
            tray.add_option(Option(line, id=str(excerpt.id)))
        self.query_one("#tray-title", Static).update(
            Text.assemble((f"{len(excerpts)} excerpt(s)", "bold"), (" in the set ", "dim"), (self.app.excerpt_set, "bold"),
                          ("  ·  enter opens · ctrl+↑/↓ (K/J) reorder · n note · x remove · e export", "dim"))
        )
        if excerpts:
            ids = [str(e.id) for e in excerpts]
            target = ids.index(str(keep)) if keep is not None and str(keep) in ids else (highlighted or 0)
            tray.highlighted = min(target, len(ids) - 1)

    def _current(self) -> Excerpt | None:
        tray = self.query_one("#tray", OptionList)
        if tray.highlighted is None:
            return None
        wanted = tray.get_option_at_index(tray.highlighted).id
        return next((e for e in self.app.excerpts() if str(e.id) == wanted), None)

    def action_move(self, delta: int) -> None:
        excerpt = self._current()
        if excerpt is not None:
            self.app.move_excerpt(excerpt.id, delta)
            self.refresh_list(keep=excerpt.id)

    def action_remove(self) -> None:
        excerpt = self._current()
        if excerpt is not None:
            if self.app.remove_excerpt(excerpt.id):
                self.notify("Excerpt removed.", timeout=2)
            self.refresh_list()

    def action_note(self) -> None:
        excerpt = self._current()
        if excerpt is None:
            return

        def saved(result: tuple[str, str] | None) -> None:
            if result is not None:
                note, tags = result
                clean = tuple(t.strip() for t in tags.split(",") if t.strip())
                self.app.update_excerpt(excerpt.with_changes(note=note, tags=clean))
                self.refresh_list(keep=excerpt.id)

        self.app.push_screen(NoteEditor(excerpt), saved)

    @on(OptionList.OptionSelected, "#tray")
    def _open(self, event: OptionList.OptionSelected) -> None:
        excerpt = next((e for e in self.app.excerpts() if str(e.id) == event.option.id), None)
        if excerpt is not None:
            self.app.open_article(excerpt.article_id, paragraph=excerpt.paragraph)
