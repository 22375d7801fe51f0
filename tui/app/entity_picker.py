"""Choosing an entity by typing part of its name: a fuzzy-matched list (the "go to
entity…" dialog, and the target of a merge), and the command palette's entity hits."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # (the pile's module is imported by the app when it makes one: not before the list is painted)
    from tui.analysis.pile import EntityName

SHOWN = 50  # names listed at a time
SEARCHED = 5000  # the most mentioned names the palette looks through (a keystroke's worth)
PALETTE_HITS = 20  # entities the palette lists for what is typed


def matches(names: list[EntityName], typed: str, limit: int = SHOWN) -> list[EntityName]:
    """The names that fuzzily match what was typed, best first; all (most mentioned
    first) when nothing was typed."""
    if not typed.strip():
        return names[:limit]
    matcher = Matcher(typed)
    scored = [(matcher.match(e.name), index, e) for index, e in enumerate(names[:SEARCHED])]
    return [e for score, _, e in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:limit]]


def _line(entity: EntityName) -> Text:
    return Text.assemble(entity.name, (f"  {entity.type} · {entity.articles} article(s), {entity.mentions} mention(s)", "dim"))


class EntityPicker(ModalScreen["EntityName | None"]):
    """Type part of a name; enter takes the highlighted entity, escape none."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, title: str, names: list[EntityName]) -> None:
        super().__init__()
        self.title_text = title
        self.names = names
        self.shown: list[EntityName] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="picker"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(placeholder="part of a name (fuzzy)", id="picker-input")
            yield OptionList(id="picker-list")
            yield Static(Text("enter chooses · ↑ ↓ move · escape cancels", style="dim"))

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        self.shown = matches(self.names, typed)
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        options.add_options([Option(_line(e), id=str(i)) for i, e in enumerate(self.shown)])
        if self.shown:
            options.highlighted = 0

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + delta))

    @on(Input.Submitted, "#picker-input")
    def _take_highlighted(self) -> None:
        highlighted = self.query_one("#picker-list", OptionList).highlighted
        if self.shown and highlighted is not None:
            self.dismiss(self.shown[highlighted])

    @on(OptionList.OptionSelected, "#picker-list")
    def _take(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[int(event.option.id)])


class EntityCommands(Provider):
    """The command palette finds entities by name and opens their dossiers."""

    async def search(self, query: str) -> Hits:
        app = self.app
        pile = app.pile()
        if pile is None:
            return
        matcher = self.matcher(query)
        scored = [(matcher.match(e.name), index, e) for index, e in enumerate(pile.entity_names()[:SEARCHED])]
        best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:PALETTE_HITS]
        for score, _, entity in best:  # (thousands of hits for one letter would hold the palette up)
            yield Hit(
                score, matcher.highlight(entity.name), partial(app.open_dossier, entity.name, entity.type),
                text=entity.name, help=f"{entity.type} · {entity.articles} article(s) — open the dossier",
            )
