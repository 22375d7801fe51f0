"""The article list: a Line-API widget that draws only the rows on screen.

A DataTable keeps a dict of cells per row and needs them all up front: 13,000 rows of
Rich Text made on the main thread while the analysis is decoded behind it. Here the list
holds the articles themselves and makes a row's cells when the row is drawn, so showing,
re-sorting or re-summarising the whole pile is a list assignment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.corpus.listing import Summary


class ListRow(Protocol):
    """What a row shows: an Article or a ListedArticle (which also carries its summary)."""

    id: str
    title: str
    source: str | None
    date: str | None
    words: int


# (key, header, width, right-aligned); the title takes whatever width the others leave.
COLUMNS = (
    ("title", "Title", 0, False),
    ("source", "Source", 16, False),
    ("date", "Date", 10, False),
    ("words", "Words", 6, True),
    ("entities", "Entities", 8, True),
    ("issues", "Issues", 26, False),
)
FIXED_WIDTH = sum(width for _, _, width, _ in COLUMNS)
PADDING = 1  # a space each side of every cell
MIN_TITLE = 20
HEADER = 1  # the header line stays at the top; rows scroll beneath it
MISSING = "—"  # a field the file does not give
PENDING = "…"  # a count not known until the article is analysed


def fit(value: str, width: int, right: bool = False) -> str:
    """``value`` in exactly ``width`` cells: cut with an ellipsis, or padded."""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…" if width > 0 else ""
    return " " * (width - cell_len(value)) + value if right else set_cell_size(value, width)


def one_line(value: str) -> str:
    """Text as text: no control codes (escape sequences), no line breaks."""
    return strip_control_codes(" ".join(value.split())) if value else ""


class ArticleList(ScrollView, can_focus=True):
    """The articles, a row each, with a cursor; ``enter`` or a click on the cursor's row
    posts ``Selected``."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="list.open"),
        Binding("s", "app.cycle_sort", "Sort", id="list.sort"),
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        # The keys every list has: not remapped, so a keymap that moves j/k keeps them.
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]
    # Styled in app.tcss, as DataTable's rows are: header, cursor, zebra stripes.
    COMPONENT_CLASSES = {
        "article-list--header",
        "article-list--cursor",
        "article-list--even-row",
        "article-list--odd-row",
        "article-list--missing",
    }

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Selected(Message):
        """The user chose the article at the cursor."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._articles: Sequence[ListRow] = ()
        self._positions: dict[str, int] | None = None  # id -> row, made when first asked
        self._summaries: Mapping[str, Summary] = {}

    # -- what is listed ---------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._articles)

    @property
    def articles(self) -> Sequence[ListRow]:
        return self._articles

    @property
    def cursor_id(self) -> str | None:
        """The id of the article at the cursor, if any."""
        return self._articles[self.cursor_row].id if self._articles else None

    def set_articles(self, articles: Sequence[ListRow], keep: str | None = None) -> None:
        """Show these rows, in this order. The cursor stays on the article ``keep`` (by
        default the one under it now) when it is still listed, else on the same row."""
        keep = self.cursor_id if keep is None else keep
        self._articles = articles
        self._positions = None
        self._update_size()
        row = self.row_of(keep) if keep is not None else None
        self.move_cursor(self.cursor_row if row is None else row, scroll=row is not None)
        self.refresh()

    def set_summaries(self, summaries: Mapping[str, Summary]) -> None:
        """The analyses' summaries by article id (the mapping is kept, not copied: the
        caller adds to it and calls ``refresh``)."""
        self._summaries = summaries
        self.refresh()

    def row_of(self, article_id: str) -> int | None:
        if self._positions is None:
            self._positions = {article.id: row for row, article in enumerate(self._articles)}
        return self._positions.get(article_id)

    def cells(self, row: int) -> list[str]:
        """The row's cells as shown, without padding (for tests and for copying)."""
        return [value for value, _ in self._cell_values(self._articles[row])]

    def _cell_values(self, article: ListRow) -> list[tuple[str, bool]]:
        """Each column's text, and whether it stands for a missing value."""
        summary = self._summaries.get(article.id) or getattr(article, "summary", None)
        named, issues = summary if summary is not None else (None, "")
        return [
            (one_line(article.title), False),
            (one_line(article.source or "") or MISSING, not article.source),
            (one_line(article.date or "") or MISSING, not article.date),
            (f"{article.words:,}", False),
            (PENDING if named is None else str(named), named is None),
            (one_line(issues), False),
        ]

    # -- cursor -------------------------------------------------------------------

    def move_cursor(self, row: int, scroll: bool = True) -> None:
        self.cursor_row = max(0, min(row, len(self._articles) - 1))
        if scroll:
            self.scroll_to_cursor()

    def watch_cursor_row(self) -> None:
        self.refresh()

    def scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - HEADER)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._articles) - 1)

    def action_select(self) -> None:
        if self._articles:
            self.post_message(self.Selected(self._articles[self.cursor_row].id))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to its row; a click on the cursor's row opens it."""
        row = round(self.scroll_y) + event.y - HEADER
        if event.y < HEADER or not 0 <= row < len(self._articles):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row, scroll=False)

    # -- drawing ------------------------------------------------------------------

    def on_resize(self) -> None:
        self._update_size()

    def _update_size(self) -> None:
        # No sideways scrolling: the title column takes the width there is.
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._articles) + HEADER)

    def column_widths(self) -> list[int]:
        width = self.scrollable_content_region.width
        title = max(MIN_TITLE, width - FIXED_WIDTH - 2 * PADDING * len(COLUMNS))
        return [title if key == "title" else fixed for key, _, fixed, _ in COLUMNS]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y < HEADER:
            style = self.get_component_rich_style("article-list--header")
            cells = [(label, False) for _, label, _, _ in COLUMNS]
            return self._strip(cells, style, width)
        row = round(self.scroll_y) + y - HEADER
        if row >= len(self._articles):
            return Strip.blank(width, self.rich_style)
        if row == self.cursor_row:
            style = self.get_component_rich_style("article-list--cursor")
        else:
            style = self.get_component_rich_style("article-list--odd-row" if row % 2 else "article-list--even-row")
        return self._strip(self._cell_values(self._articles[row]), style, width)

    def _strip(self, cells: list[tuple[str, bool]], style: Style, width: int) -> Strip:
        missing = style + self.get_component_rich_style("article-list--missing", partial=True)
        pad = " " * PADDING
        segments = []
        for (value, is_missing), cell_width, (_, _, _, right) in zip(cells, self.column_widths(), COLUMNS):
            segments.append(Segment(pad + fit(value, cell_width, right) + pad, missing if is_missing else style))
        return Strip(segments).crop_extend(0, width, style)
