"""Search as you type: ranked hits with highlighted passages, facets, filter chips."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.failures import reported
from tui.app.footer import Footer
from tui.excerpts import Excerpt
from tui.index import FACETS, Library, Passage, QueryError, SearchResult

DEBOUNCE_SECONDS = 0.2
HITS = 50
FIRST_PASSAGES = 15  # a tall terminal shows about this many hits (two lines each)
FACET_TITLES = {
    "person": "People", "organization": "Organisations", "place": "Places", "group": "Groups",
    "law": "Laws & agreements", "issue": "Issues", "source": "Sources", "date": "Dates",
}
SNIPPET_BEFORE, SNIPPET_AFTER = 80, 200


class FilterChip(Button):
    """A drill-down filter; pressing it removes the filter."""

    def __init__(self, facet: str, value: str, shown: str | None = None) -> None:
        super().__init__(Text(f"{facet}: {shown or value} ✕"), classes="chip")
        self.facet = facet
        self.value = value


class ResultList(OptionList):
    """The hits; space marks the passage of the highlighted one."""

    BINDINGS = [Binding("space", "screen.mark_hit", "Mark passage", id="search.mark")]


ENTITY_FACETS = ("person", "organization", "place", "group", "law")


class FacetList(OptionList):
    """The facet values; enter filters by one, d opens an entity's dossier."""

    BINDINGS = [Binding("d", "screen.dossier", "Dossier", id="search.dossier")]


class SearchScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="search.back"),
        Binding("ctrl+y", "accept_suggestion", "Did you mean", id="search.accept"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="search.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="search.previous_pane"),
    ]

    def __init__(self, library: Library, text: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial = text
        self.filters: list[tuple[str, str]] = []
        self.result: SearchResult | None = None
        self._sequence = 0  # the newest search; older answers are dropped
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(value=self.initial, placeholder='Search: words, "phrases", person:lighthizer, issue:labor, date:2018-04 …', id="query")
        yield Static(id="search-message")
        yield Horizontal(id="chips")
        with Horizontal(id="search-body"):
            yield ResultList(id="results")
            yield FacetList(id="facets")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "search"
        self.query_one("#query", Input).focus()
        self.query_one("#chips").display = False
        if self.initial:
            self.run_search()
        else:
            self._message(Text("Type to search; enter opens a hit; tab moves to the facets.", style="dim"))

    # -- running searches --------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.run_search)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    def run_search(self) -> None:
        text = self.query_one("#query", Input).value
        self._sequence += 1
        if not text.strip():
            self._clear(Text("Type to search.", style="dim"))
            return
        if self.library.searcher is None:
            self._message(Text("The index is being built; the search runs when it is ready …", style="italic"))
            return
        self._search(self._sequence, text, [f"{facet}:{value}" for facet, value in self.filters])

    @work(thread=True, exclusive=True, group="search")
    @reported("search")
    def _search(self, sequence: int, text: str, filters: list[str]) -> None:
        try:
            # Passages for the hits a screen shows first; the rest follow just after.
            result = self.library.searcher.search(text, filters, limit=HITS, passages=FIRST_PASSAGES)
            error = None
        except QueryError as exc:
            result, error = None, str(exc)
        self.app.call_from_thread(self._show, sequence, result, error)
        if result is not None and len(result.hits) > FIRST_PASSAGES:
            rest = self.library.searcher.passages(text, [hit.id for hit in result.hits[FIRST_PASSAGES:]])
            self.app.call_from_thread(self._show_passages, sequence, rest)

    def _show_passages(self, sequence: int, passages: dict[str, list[Passage]]) -> None:
        """Every hit's passage, after the first screenful was shown without waiting for them."""
        if sequence != self._sequence or self.result is None:
            return
        hits = [replace(hit, passages=passages[hit.id]) if hit.id in passages else hit for hit in self.result.hits]
        self.result = replace(self.result, hits=hits)
        results = self.query_one("#results", OptionList)
        highlighted = results.highlighted
        self._fill_results(self.result)
        if highlighted is not None:
            results.highlighted = highlighted

    def _show(self, sequence: int, result: SearchResult | None, error: str | None) -> None:
        if sequence != self._sequence:
            return  # a newer search was started: never show an older answer over it
        if error is not None:
            self._message(Text.assemble(("✗ ", "bold red"), (error, "red")))
            return
        self.result = result
        self._fill_results(result)
        self._fill_facets(result)
        line = Text(f"{result.total} article(s)", style="bold")
        if result.suggestion:
            line.append("   did you mean ", style="dim")
            line.append(result.suggestion, style="bold italic")
            line.append("  (ctrl+y)", style="dim")
        self._message(line)

    def _message(self, text: Text) -> None:
        self.query_one("#search-message", Static).update(text)

    def _clear(self, message: Text) -> None:
        self.result = None
        self.query_one("#results", OptionList).clear_options()
        self.query_one("#facets", OptionList).clear_options()
        self._message(message)

    # -- showing results -----------------------------------------------------------

    def _fill_results(self, result: SearchResult) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        for number, hit in enumerate(result.hits):
            prompt = Text()
            prompt.append(hit.title, style="bold")
            for passage in hit.passages[:1]:
                prompt.append("\n")
                prompt.append_text(_snippet(passage.text, passage.highlights))
                prompt.append(f"  ¶{passage.paragraph}", style="dim")
            results.add_option(Option(prompt, id=f"hit:{number}"))

    def _shown(self, facet: str, value: str) -> str:
        """An issue is filtered by its id and shown by its label."""
        return self.library.issue_labels().get(value, value) if facet == "issue" else value

    def _fill_facets(self, result: SearchResult) -> None:
        facets = self.query_one("#facets", OptionList)
        facets.clear_options()
        chosen = set(self.filters)
        for facet in FACETS:
            values = [(v, c) for v, c in result.facets.get(facet, []) if (facet, v) not in chosen]
            if not values:
                continue
            facets.add_option(Option(Text(FACET_TITLES.get(facet, facet), style="bold"), disabled=True))
            for value, count in values[:10]:
                line = Text(f"  {self._shown(facet, value)}", no_wrap=True, overflow="ellipsis")
                line.append(f"  {count}", style="dim")
                facets.add_option(Option(line, id=f"facet:{facet}:{value}"))

    # -- choosing --------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.result is None or not event.option.id:
            return
        hit = self.result.hits[int(event.option.id.split(":")[1])]
        paragraph = hit.passages[0].paragraph if hit.passages else None
        self.app.open_article(hit.id, query=self.query_one("#query", Input).value, paragraph=paragraph)

    @on(OptionList.OptionSelected, "#facets")
    def _drill_down(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        _, facet, value = event.option.id.split(":", 2)
        if (facet, value) not in self.filters:
            self.filters.append((facet, value))
            self._show_chips()
            self.run_search()

    @on(Button.Pressed, ".chip")
    def _remove_filter(self, event: Button.Pressed) -> None:
        chip = event.button
        if isinstance(chip, FilterChip) and (chip.facet, chip.value) in self.filters:
            self.filters.remove((chip.facet, chip.value))
            self._show_chips()
            self.run_search()
            self.query_one("#query", Input).focus()

    def _show_chips(self) -> None:
        chips = self.query_one("#chips", Horizontal)
        chips.remove_children()
        chips.mount_all([FilterChip(facet, value, self._shown(facet, value)) for facet, value in self.filters])
        chips.display = bool(self.filters)

    def action_mark_hit(self) -> None:
        results = self.query_one("#results", OptionList)
        if self.result is None or results.highlighted is None:
            return
        hit = self.result.hits[results.highlighted]
        article = self.app.article(hit.id)
        if article is None or not hit.passages:
            return
        number = hit.passages[0].paragraph
        paragraph = next(p for p in article.paragraphs if p.number == number)
        query = self.query_one("#query", Input).value
        outcome = self.app.toggle_excerpt(Excerpt.of(article, paragraph.start, paragraph.end, number, query))
        if outcome:
            self.notify(  # the title is the article's text: never markup
                f"{outcome.capitalize()} ¶{number} of “{article.title[:60]}” — {self.app.excerpt_count()} marked",
                timeout=2, markup=False,
            )

    def action_dossier(self) -> None:
        facets = self.query_one("#facets", OptionList)
        if facets.highlighted is None:
            return
        option_id = facets.get_option_at_index(facets.highlighted).id or ""
        _, facet, value = (option_id.split(":", 2) + ["", ""])[:3]
        if facet in ENTITY_FACETS:
            self.app.open_dossier(value, facet)
        else:
            self.notify("A dossier is for a person, organisation, place, group or law.", timeout=3)

    def action_accept_suggestion(self) -> None:
        if self.result is not None and self.result.suggestion:
            field = self.query_one("#query", Input)
            field.value = self.result.suggestion
            field.cursor_position = len(field.value)
            field.focus()


def _snippet(text: str, highlights: list[tuple[int, int]]) -> Text:
    """The passage around its first highlight, highlights kept, as text (never markup)."""
    styled = Text(text)
    for start, end in highlights:
        styled.stylize("bold reverse", start, end)
    first = highlights[0][0] if highlights else 0
    begin = max(0, first - SNIPPET_BEFORE)
    end = min(len(text), first + SNIPPET_AFTER)
    if begin > 0:
        begin = text.rfind(" ", 0, begin) + 1
    piece = styled[begin:end]
    if begin > 0:
        piece = Text("…") + piece
    if end < len(text):
        piece.append("…")
    return piece
