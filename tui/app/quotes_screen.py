"""Who said what, across the pile: every quote with its speaker, article and date,
filtered by speaker, issue and words; space marks a quote as an excerpt."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.analysis.pile import QuoteRow
from tui.app.failures import reported
from tui.app.footer import Footer
from tui.excerpts import Excerpt

SHOWN = 500  # rows listed at once; the filters narrow the rest
WIDE = 400  # characters of a quote shown


class QuoteList(OptionList):
    BINDINGS = [Binding("space", "screen.mark", "Mark quote", id="quotes.mark")]


class QuotesScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="quotes.back"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="quotes.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, id="quotes.previous_pane"),
    ]

    def __init__(self, speaker: str = "", issue: str = "") -> None:
        super().__init__()
        self.initial = (speaker, issue)
        self.rows: list[QuoteRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="quote-filters"):
            yield Input(self.initial[0], placeholder="speaker", id="quote-speaker")
            yield Input(self.initial[1], placeholder="issue", id="quote-issue")
            yield Input(placeholder="words in the quote", id="quote-text")
        yield Static(id="quote-count")
        yield QuoteList(id="quotes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "who said what"
        self.refilter()
        self.query_one("#quotes" if any(self.initial) else "#quote-speaker").focus()

    @on(Input.Changed)
    def refilter(self) -> None:
        pile = self.app.pile()
        if pile is None:
            self.query_one("#quote-count", Static).update(Text("The analysis is not ready yet: a moment.", style="dim"))
            return
        values = tuple(self.query_one(f"#quote-{key}", Input).value for key in ("speaker", "issue", "text"))
        self._filter(pile, values)

    @work(thread=True, exclusive=True, group="quotes")
    @reported("gathering the quotes")
    def _filter(self, pile, values: tuple[str, str, str]) -> None:
        """In a worker: the first time, every article's quotes are gathered (seconds on a
        pile of 13,000); then each keystroke filters tens of thousands."""
        if not pile.quotes_gathered:
            self.app.call_from_thread(self.query_one("#quote-count", Static).update,
                                      Text("gathering every quote of the pile …", style="dim"))
        rows = pile.filter_quotes(*values)
        labels = pile.issue_labels()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, rows, labels)

    def _show(self, rows: list[QuoteRow], labels: dict[str, str]) -> None:
        self.rows = rows
        quotes = self.query_one("#quotes", OptionList)
        quotes.clear_options()
        quotes.add_options([Option(_line(row, labels), id=str(i)) for i, row in enumerate(rows[:SHOWN])])
        if rows:
            quotes.highlighted = 0
        more = f" (the first {SHOWN} listed: narrow with the filters)" if len(rows) > SHOWN else ""
        self.query_one("#quote-count", Static).update(
            Text.assemble((f"{len(rows):,} quote(s)", "bold"), (f"{more}  ·  enter opens · space marks", "dim")))

    @on(Input.Submitted)
    def _to_list(self) -> None:
        self.query_one("#quotes", OptionList).focus()

    @on(OptionList.OptionSelected, "#quotes")
    def _open(self, event: OptionList.OptionSelected) -> None:
        row = self.rows[int(event.option.id)]
        self.app.open_place(row.at, choose=f"quote@{row.at.start}")

    def action_mark(self) -> None:
        highlighted = self.query_one("#quotes", OptionList).highlighted
        if highlighted is None or highlighted >= len(self.rows):
            return
        row = self.rows[highlighted]
        article = self.app.article(row.at.article_id)
        if article is None:
            return
        quote = Excerpt.of(article, row.at.start, row.at.end, row.at.paragraph, speaker=row.speaker)
        outcome = self.app.toggle_excerpt(quote)
        if outcome:
            self.notify(f"{outcome.capitalize()}: {row.speaker} in “{article.title[:60]}” — {self.app.excerpt_count()} marked",
                        timeout=2, markup=False)


def _line(row: QuoteRow, labels: dict[str, str]) -> Text:
    text = row.text if len(row.text) <= WIDE else row.text[: WIDE - 1] + "…"
    line = Text.assemble((row.speaker, "bold"), f"  “{text}”")
    where = " · ".join(x for x in (row.at.title, row.at.date) if x)
    line.append(f"\n  {where}", style="dim")
    if row.issues:
        line.append("  [" + ", ".join(labels.get(i, i) for i in row.issues) + "]", style="italic dim")
    return line
