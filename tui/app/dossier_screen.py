"""An entity's dossier: what the whole pile says of one person, organisation or place.

Four lists side by side: the articles that mention it, its quotes, the issues it comes
up with, and the entities seen with it. Enter on a row goes to the passage (or to the
issue, or to the other entity's dossier); ``m`` merges it into another entity and ``x``
says it is none, both saved in the user's aliases file.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.analysis.pile import Dossier, EntityName
from tui.app.entity_picker import EntityPicker
from tui.app.failures import reported
from tui.app.footer import Footer

WIDE = 300  # characters of a quote shown in its row


class DossierScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="dossier.back"),
        Binding("tab", "app.focus_next", "Next list", show=False, id="dossier.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous list", show=False, id="dossier.previous_pane"),
        Binding("m", "merge", "Merge into…", id="dossier.merge"),
        Binding("x", "not_entity", "Not an entity", id="dossier.not_entity"),
    ]

    def __init__(self, name: str, entity_type: str | None = None) -> None:
        super().__init__()
        self.entity_name = name
        self.entity_type = entity_type
        self.dossier: Dossier | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.entity_name, style="bold"), id="dossier-title")
        yield Static(Text("gathering what the pile says …", style="dim"), id="dossier-aliases")
        with Grid(id="dossier-grid"):
            for key, title in (("articles", "Articles"), ("quotes", "Quotes"), ("issues", "Issues"),
                               ("related", "Seen with")):
                with Vertical(classes="dossier-part"):
                    yield Label(Text(title, style="bold"), id=f"dossier-{key}-title")
                    yield OptionList(id=f"dossier-{key}")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"dossier · {self.entity_name}"
        self.query_one("#dossier-articles", OptionList).focus()
        self.gather()

    @work(thread=True, exclusive=True)
    @reported("the dossier")
    def gather(self) -> None:
        """In a worker: on a large pile every article's mentions are looked at."""
        pile = self.app.pile()
        dossier = pile.dossier(self.entity_name, self.entity_type) if pile is not None else None
        self.app.call_from_thread(self._show, dossier)

    def _show(self, dossier: Dossier | None) -> None:
        if dossier is None:
            self.query_one("#dossier-aliases", Static).update(
                Text("Not in the pile (any more): the analysis may have changed.", style="bold red"))
            return
        self.dossier = dossier
        self.entity_type = dossier.type
        title = Text(dossier.name, style="bold")
        title.append(f"  {dossier.type} · {dossier.mentions} mention(s) in {len(dossier.articles)} article(s)"
                     f" · {len(dossier.quotes)} quote(s)", style="dim")
        self.query_one("#dossier-title", Static).update(title)
        forms = ", ".join(f"{text} ({count})" for text, count in dossier.aliases)
        self.query_one("#dossier-aliases", Static).update(Text(f"seen as: {forms}", style="dim"))
        self._fill("articles", f"Articles ({len(dossier.articles)}: mentions, date)", [
            Text.assemble((f"{row.mentions:>3}×  {row.at.date or '—':<10}  ", "dim"), row.at.title)
            for row in dossier.articles
        ])
        self._fill("quotes", f"Quotes ({len(dossier.quotes)})", [
            Text.assemble(f"“{_cut(q.text)}”", (f"\n  — {q.at.title}" + (f", {q.at.date}" if q.at.date else ""), "dim"))
            for q in dossier.quotes
        ])
        self._fill("issues", f"Issues ({len(dossier.issues)}: paragraphs and articles shared)", [
            Text.assemble((f"{i.together:>3} ¶ {i.articles:>3} art.  ", "dim"), i.name) for i in dossier.issues
        ])
        self._fill("related", f"Seen with ({len(dossier.related)}: paragraphs shared, G², PMI)", [
            Text.assemble((f"{r.together:>3} ¶ {r.score:6.1f} {r.pmi:5.2f}  ", "dim"), r.name, (f"  {r.kind}", "dim"))
            for r in dossier.related
        ])

    def _fill(self, key: str, title: str, lines: list[Text]) -> None:
        self.query_one(f"#dossier-{key}-title", Label).update(Text(title, style="bold"))
        options = self.query_one(f"#dossier-{key}", OptionList)
        options.clear_options()
        if not lines:
            options.add_option(Option(Text("none", style="dim"), disabled=True))
        options.add_options([Option(line, id=str(i)) for i, line in enumerate(lines)])
        if lines:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _go(self, event: OptionList.OptionSelected) -> None:
        dossier, key = self.dossier, (event.option_list.id or "").removeprefix("dossier-")
        if dossier is None or event.option.id is None:
            return
        index = int(event.option.id)
        if key == "articles":
            row = dossier.articles[index]
            self.app.open_place(row.at, choose=f"entity:{dossier.type}:{dossier.name}")
        elif key == "quotes":
            quote = dossier.quotes[index]
            self.app.open_place(quote.at, choose=f"quote@{quote.at.start}")
        elif key == "issues":
            self.app.open_issue(dossier.issues[index].key)
        elif key == "related":
            other = dossier.related[index]
            self.app.open_dossier(other.name, other.kind)

    def action_merge(self) -> None:
        pile, dossier = self.app.pile(), self.dossier
        if pile is None or dossier is None:
            return
        others = [e for e in pile.entity_names() if (e.name, e.type) != (dossier.name, dossier.type)]

        def merge(into: EntityName | None) -> None:
            if into is not None:
                self.app.merge_entity(dossier, into)

        self.app.push_screen(EntityPicker(f"Merge “{dossier.name}” into …", others), merge)

    def action_not_entity(self) -> None:
        if self.dossier is not None:
            self.app.mark_not_entity(self.dossier)


def _cut(text: str) -> str:
    return text if len(text) <= WIDE else text[: WIDE - 1] + "…"
