"""The reader: an article with its entities and issues highlighted, a legend with a
toggle per type, and a side panel of entities, issues and quotes to jump through."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.analysis import ENTITY_TYPES, ArticleAnalysis
from tui.app.article_text import (
    LAYER_LABELS, LAYERS, article_spans, layer_styles, legend, paragraph_text, passage_styles, reading_pages,
)
from tui.app.footer import Footer
from tui.corpus import Article
from tui.corpus.structure import sentence_spans
from tui.excerpts import Excerpt

TOGGLE_KEYS = {layer: str(number) for number, layer in enumerate(LAYERS, start=1)}
_TYPE_TITLES = {
    "person": "People", "organization": "Organisations", "place": "Places", "group": "Groups",
    "law": "Laws & agreements", "event": "Events", "date": "Dates", "money": "Money", "percent": "Percentages",
}


@dataclass
class Target:
    """What n/N move through: an entity's mentions, an issue's, a quote, the search terms."""

    label: str
    spans: list[tuple[int, int]]
    position: int = 0


def _entry(name: str, count: int) -> Text:
    """A panel line: the name on one line (cut with … if long), then its count."""
    line = Text("  ", no_wrap=True, overflow="ellipsis")
    line.append(name)
    line.append(f"  {count}", style="dim")
    return line


# Actions that draw on the article: they wait until the reader has drawn it once.
_NEEDS_DRAWING = frozenset(
    {"next_mention", "previous_mention", "part", "toggle", "cursor", "granularity", "toggle_mark"}
)


class Paragraph(Static):
    """One paragraph of the article (so the reader can scroll to it)."""


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="reader.back"),
        Binding("n", "next_mention", "Next", id="reader.next"),
        Binding("N", "previous_mention", "Previous", show=False, id="reader.previous"),
        Binding("space", "toggle_mark", "Mark", id="reader.mark"),
        Binding("g", "granularity", "¶/sentence", id="reader.granularity"),
        Binding("d", "dossier", "Dossier", id="reader.dossier"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="reader.next_pane"),
        Binding("j,down", "cursor(1)", "Next passage", show=False, id="reader.down"),
        Binding("k,up", "cursor(-1)", "Previous passage", show=False, id="reader.up"),
        Binding("right_square_bracket", "part(1)", "Next part (long articles)", show=False, id="reader.next_part"),
        Binding("left_square_bracket", "part(-1)", "Previous part", show=False, id="reader.previous_part"),
        *[
            Binding(key, f"toggle('{layer}')", f"Toggle {LAYER_LABELS[layer]}", show=False, id=f"reader.toggle.{layer}")
            for layer, key in TOGGLE_KEYS.items()
        ],
    ]

    def __init__(
        self,
        article: Article,
        analysis: ArticleAnalysis | None,
        search_spans: list[tuple[int, int]] | None = None,
        query: str | None = None,
        paragraph: int | None = None,
        choose: str | None = None,
    ) -> None:
        super().__init__()
        self.choose = choose  # what the panel starts on (entity:TYPE:NAME, issue:ID, quote@START)
        self.article = article
        self.analysis = analysis
        self.spans = article_spans(analysis) if analysis else []
        self.search_spans = search_spans or []
        self.search_query = query  # not self.query: that is Widget.query()
        self.start_paragraph = paragraph
        self.enabled = set(LAYERS)
        self.targets: dict[str, Target] = {}
        self.target: Target | None = None
        self._styles = {}
        self.by_sentence = False
        self.units: list[tuple[int, int, int]] = []  # (start, end, paragraph index) the cursor moves over
        self.cursor = 0
        self.marked: list[tuple[int, int]] = []
        self.pages = reading_pages(article.paragraphs)
        self._page_starts = [lo for lo, _ in self.pages]
        self._paragraph_starts = [p.start for p in article.paragraphs]
        start_index = next(
            (i for i, p in enumerate(article.paragraphs) if paragraph is not None and p.number == paragraph), 0
        )
        self.page = self._page_of(start_index)
        self._ready = False  # keys typed ahead of the first drawing wait for it (check_action)
        self._panel_stale = False
        self._buckets: tuple[list, dict[int, list]] | None = None

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader-body"):
            with VerticalScroll(id="reader"):
                yield Static(Text(self.article.title), id="article-title")
                meta = " · ".join(
                    x for x in (self.article.source, self.article.date, f"{self.article.words:,} words", str(self.article.path)) if x
                )
                yield Static(Text(meta), id="article-meta")
                yield Static(id="legend")
                with Vertical(id="paragraphs"):
                    yield from self._paragraph_widgets()
                yield Static(id="part-note")
            yield OptionList(*self._panel_options(), id="panel")
        yield Static(id="reader-status")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = self.article.title
        self._set_styles()
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self.marked = self.app.marked_spans(self.article.id)
        self._build_units()
        if self.start_paragraph is not None:
            self.cursor = next(
                (i for i, (_, _, p) in enumerate(self.units) if self.article.paragraphs[p].number == self.start_paragraph), 0
            )
        self._render_all()
        self._show_status()
        if self.search_spans:
            self.targets["search"] = Target(f"search: {self.search_query}", self.search_spans)
            await self._choose("search", start_paragraph=self.start_paragraph)
        elif self.choose is not None and self._target_key(self.choose) in self.targets:
            await self._choose(self._target_key(self.choose), start_paragraph=self.start_paragraph)
        else:
            self._show_status()
        self.query_one("#reader").focus()
        if self.analysis is not None and self._panel_stale:
            self._fill_panel()
        self._ready = True

    def _target_key(self, choose: str) -> str:
        """``quote@START`` is the panel's quote that starts there."""
        if choose.startswith("quote@") and self.analysis is not None:
            start = choose[len("quote@"):]
            return next((f"quote:{n}" for n, q in enumerate(self.analysis.quotes) if str(q.start) == start), choose)
        return choose

    def action_dossier(self) -> None:
        """The dossier of the entity highlighted in the panel (or being stepped through)."""
        panel = self.query_one("#panel", OptionList)
        key = None
        if panel.highlighted is not None:
            key = panel.get_option_at_index(panel.highlighted).id
        if not (key or "").startswith("entity:") and self.target is not None:
            key = next((k for k, t in self.targets.items() if t is self.target), None)
        if not (key or "").startswith("entity:"):
            self.notify("Highlight an entity in the panel first (tab, then ↑ ↓).", timeout=3)
            return
        _, entity_type, name = key.split(":", 2)
        self.app.open_dossier(name, entity_type)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._ready or action not in _NEEDS_DRAWING

    def set_analysis(self, analysis: ArticleAnalysis) -> None:
        """The analysis arrived after the article was opened: highlights and panel now."""
        self.analysis = analysis
        self.spans = article_spans(analysis)
        if not self._ready:
            self._panel_stale = True  # on_mount draws with it
            return
        self._fill_panel()
        self._render_all()

    def _fill_panel(self) -> None:
        self.targets = {k: v for k, v in self.targets.items() if k == "search"}
        panel = self.query_one("#panel", OptionList)
        panel.clear_options()
        panel.add_options(self._panel_options())

    def _set_styles(self) -> None:
        theme = self.app.get_css_variables()
        self._styles = layer_styles(theme)
        self._cursor_style, self._marked_style = passage_styles(theme)

    def _on_theme_changed(self, _theme) -> None:
        self._set_styles()
        self._render_all()

    def _build_units(self) -> None:
        """What the cursor moves over and space marks: body paragraphs, or their sentences."""
        self.units = []
        for index, paragraph in enumerate(self.article.paragraphs):
            if paragraph.is_heading:
                continue
            if self.by_sentence:
                self.units += [(s, e, index) for s, e in sentence_spans(self.article.text, paragraph.start, paragraph.end)]
            else:
                self.units.append((paragraph.start, paragraph.end, index))

    def _panel_options(self) -> list[Option]:
        options: list[Option] = []
        if self.analysis is None:
            return [Option(Text("analysing …", style="dim"), disabled=True)]
        by_type: dict[str, list] = {}
        for entity in self.analysis.entities:
            by_type.setdefault(entity.type, []).append(entity)
        for entity_type in ENTITY_TYPES:
            entities = by_type.get(entity_type)
            if not entities:
                continue
            options.append(Option(Text(_TYPE_TITLES[entity_type], style="bold"), disabled=True))
            for entity in entities:
                key = f"entity:{entity.type}:{entity.name}"
                self.targets[key] = Target(entity.name, [(m.start, m.end) for m in entity.mentions])
                options.append(Option(_entry(entity.name, len(entity.mentions)), id=key))
        if self.analysis.issues:
            options.append(Option(Text("Issues", style="bold"), disabled=True))
            for issue in self.analysis.issues:
                key = f"issue:{issue.id}"
                self.targets[key] = Target(issue.label, [(m.start, m.end) for m in issue.mentions])
                options.append(Option(_entry(issue.label, len(issue.mentions)), id=key))
        if self.analysis.quotes:
            options.append(Option(Text("Quotes", style="bold"), disabled=True))
            for number, quote in enumerate(self.analysis.quotes):
                key = f"quote:{number}"
                self.targets[key] = Target(f"{quote.speaker}: “{quote.text}”", [(quote.start, quote.end)])
                line = Text.assemble(("  " + quote.speaker, "bold"), f" — {quote.text}", no_wrap=True, overflow="ellipsis")
                options.append(Option(line, id=key))
        return options

    # -- drawing -----------------------------------------------------------------

    def _paragraph_widgets(self) -> list[Paragraph]:
        lo, hi = self.pages[self.page]
        return [Paragraph(id=f"p{index}", classes="paragraph") for index in range(lo, hi)]

    def _spans_in(self, index: int) -> list:
        """The highlight spans of one paragraph (bucketed once: a long article has thousands)."""
        if self._buckets is None or self._buckets[0] is not self.spans:
            buckets: dict[int, list] = {}
            for span in self.spans:
                buckets.setdefault(self._paragraph_of(span.start), []).append(span)
            self._buckets = (self.spans, buckets)
        return self._buckets[1].get(index, [])

    def _page_of(self, index: int) -> int:
        return max(0, bisect_right(self._page_starts, index) - 1)

    async def _show_page_of(self, index: int) -> None:
        """Make paragraph ``index`` part of the screen (another part of a long article)."""
        page = self._page_of(index)
        if page == self.page:
            return
        self.page = page
        container = self.query_one("#paragraphs", Vertical)
        await container.remove_children()
        await container.mount_all(self._paragraph_widgets())
        self._render_all()
        self._show_status()

    def _render_all(self) -> None:
        self.query_one("#legend", Static).update(legend(self._styles, self.enabled, TOGGLE_KEYS))
        lo, hi = self.pages[self.page]
        for index in range(lo, hi):
            self._render_paragraph(index)
        note = self.query_one("#part-note", Static)
        note.display = len(self.pages) > 1
        if len(self.pages) > 1:
            note.update(Text(f"part {self.page + 1} of {len(self.pages):,} — ] next part, [ previous", style="dim"))

    def _render_paragraph(self, index: int) -> None:
        lo, hi = self.pages[self.page]
        if not lo <= index < hi:
            return  # in another part: drawn when that part is shown
        current = None
        if self.target and self.target.spans:
            current = self.target.spans[self.target.position]
        cursor = self.units[self.cursor][:2] if self.units else None
        text = paragraph_text(
            self.article, self.article.paragraphs[index], self._spans_in(index), self._styles, self.enabled,
            search=self.search_spans, current=current, marked=self.marked, cursor=cursor,
            marked_style=self._marked_style, cursor_style=self._cursor_style,
        )
        self.query_one(f"#p{index}", Paragraph).update(text)

    def _paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def _show_status(self) -> None:
        status = self.query_one("#reader-status", Static)
        unit = "sentences" if self.by_sentence else "paragraphs"
        marks = Text.assemble((f"{self.app.excerpt_count()} marked", "bold"), (f" · marking {unit}", "dim"), ("  │  ", "dim"))
        if len(self.pages) > 1:
            marks.append_text(Text.assemble(f"part {self.page + 1}/{len(self.pages):,}", ("  │  ", "dim")))
        if self.target is None:
            marks.append("tab: the panel, enter: choose, then n/N", style="dim")
        else:
            marks.append_text(Text.assemble((self.target.label, "bold"), f" — {self.target.position + 1} of {len(self.target.spans)}"))
        status.update(marks)

    # -- actions -----------------------------------------------------------------

    @on(OptionList.OptionSelected, "#panel")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and self._ready:
            await self._choose(event.option.id)

    async def _choose(self, key: str, start_paragraph: int | None = None) -> None:
        target = self.targets.get(key)
        if target is None or not target.spans:
            return
        previous = self.target
        self.target = target
        target.position = 0
        if start_paragraph is not None:  # opened from a search hit: start at that passage
            for position, (start, _) in enumerate(target.spans):
                number = self.article.paragraphs[self._paragraph_of(start)].number
                if number == start_paragraph:
                    target.position = position
                    break
        await self._move(previous)

    async def _move(self, previous: Target | None) -> None:
        touched = set()
        if previous and previous.spans:
            touched.add(self._paragraph_of(previous.spans[previous.position][0]))
        start, _ = self.target.spans[self.target.position]
        index = self._paragraph_of(start)
        touched.add(index)
        await self._show_page_of(index)
        for paragraph in touched:
            self._render_paragraph(paragraph)
        self.query_one(f"#p{index}", Paragraph).scroll_visible(animate=False, top=False)
        self._show_status()

    async def _step(self, delta: int) -> None:
        if self.target is None or not self.target.spans:
            self.notify("Choose an entity, issue or quote in the panel first (tab, then enter).", timeout=3)
            return
        previous = Target(self.target.label, self.target.spans, self.target.position)
        self.target.position = (self.target.position + delta) % len(self.target.spans)
        await self._move(previous)

    async def action_next_mention(self) -> None:
        await self._step(1)

    async def action_previous_mention(self) -> None:
        await self._step(-1)

    async def action_part(self, delta: int) -> None:
        """The next or previous part of a long article, the cursor at its first passage."""
        page = self.page + delta
        if not self.units or not 0 <= page < len(self.pages):
            return
        lo = self.pages[page][0]
        self.cursor = next((i for i, (_, _, p) in enumerate(self.units) if p >= lo), self.cursor)
        await self._show_page_of(self.units[self.cursor][2])
        self.query_one("#reader", VerticalScroll).scroll_home(animate=False)

    def action_toggle(self, layer: str) -> None:
        if layer in self.enabled:
            self.enabled.discard(layer)
        else:
            self.enabled.add(layer)
        self._render_all()

    # -- the passage cursor and marks ---------------------------------------------

    async def action_cursor(self, delta: int) -> None:
        if not self.units:
            return
        before = self.units[self.cursor][2]
        self.cursor = max(0, min(len(self.units) - 1, self.cursor + delta))
        after = self.units[self.cursor][2]
        await self._show_page_of(after)
        for index in {before, after}:
            self._render_paragraph(index)
        self.query_one(f"#p{after}", Paragraph).scroll_visible(animate=False)

    def action_granularity(self) -> None:
        position = self.units[self.cursor][0] if self.units else 0
        self.by_sentence = not self.by_sentence
        self._build_units()
        self.cursor = next((i for i, (s, e, _) in enumerate(self.units) if s <= position < e or s >= position), 0)
        self._render_all()
        self._show_status()

    def action_toggle_mark(self) -> None:
        if not self.units:
            return
        start, end, index = self.units[self.cursor]
        number = self.article.paragraphs[index].number
        excerpt = Excerpt.of(self.article, start, end, number, self.search_query)
        if self.app.toggle_excerpt(excerpt) is None:
            return  # the store could not be used: the app has said why
        self.marked = self.app.marked_spans(self.article.id)
        self._render_paragraph(index)
        self._show_status()
