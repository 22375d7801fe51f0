"""The Textual app: the article list first, everything else in workers."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import ColumnKey

from tui.app.article_screen import ArticleScreen
from tui.corpus import Corpus, CorpusPathError, LoadOptions, load_corpus


class ArticleTable(DataTable):
    """The article list; the title column takes whatever width the others leave."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    FIXED_COLUMNS = {"source": 18, "date": 10, "words": 7}
    MIN_TITLE = 20

    def on_mount(self) -> None:
        self.add_column("Title", key="title", width=self.MIN_TITLE)
        for key, width in self.FIXED_COLUMNS.items():
            self.add_column(key.capitalize(), key=key, width=width)

    def on_resize(self) -> None:
        # DataTable's own resize handler has just invalidated its row caches, so the
        # new width is drawn everywhere. (The gutter for the scrollbar is reserved in
        # app.tcss, so rows arriving later never narrow the table without a resize.)
        self.fit_title_column()

    def fit_title_column(self) -> None:
        padding = 2 * self.cell_padding * len(self.columns)
        spare = self.scrollable_content_region.width - sum(self.FIXED_COLUMNS.values()) - padding
        column = self.columns.get(ColumnKey("title"))
        width = max(self.MIN_TITLE, spare)
        if column is None or column.width == width:
            return
        column.width = width
        # DataTable has no public call for "a column's width changed"; this flag is what
        # its own add_column sets so that the virtual size and render caches are redone.
        self._require_update_dimensions = True
        self.refresh()


class NewsreaderApp(App):
    TITLE = "newsreader"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, corpus_path: Path, load_options: LoadOptions | None = None) -> None:
        super().__init__()
        self.corpus_path = corpus_path
        self.load_options = load_options or LoadOptions()
        self.corpus: Corpus | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        table = ArticleTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty")
        yield Static(Text(f"reading {self.corpus_path} …"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.corpus_path)
        self.query_one(ArticleTable).focus()
        self.load_articles()

    @work(thread=True, exclusive=True, group="corpus")
    def load_articles(self) -> None:
        try:
            corpus = load_corpus(self.corpus_path, self.load_options)
        except CorpusPathError as exc:
            self.call_from_thread(self._show_status, str(exc), error=True)
            return
        self.call_from_thread(self._show_corpus, corpus)

    def _show_corpus(self, corpus: Corpus) -> None:
        self.corpus = corpus
        table = self.query_one(ArticleTable)
        for article in corpus.articles:
            table.add_row(
                Text(article.title, no_wrap=True, overflow="ellipsis"),
                Text(article.source or "—", style="dim" if not article.source else "", no_wrap=True, overflow="ellipsis"),
                Text(article.date or "—", style="dim" if not article.date else ""),
                Text(f"{article.words:,}", justify="right"),
                key=article.id,
            )
        skipped = f" · {len(corpus.skipped)} file(s) skipped" if corpus.skipped else ""
        if corpus.articles:
            self._show_status(f"{len(corpus.articles)} article(s){skipped}")
        else:
            self._show_empty(corpus)

    def _show_empty(self, corpus: Corpus) -> None:
        message = Text(f"No usable articles in {corpus.root}.\n\n", style="bold")
        for item in corpus.skipped[:200]:
            message.append(f"{item.path}", style="")
            message.append(f" — {item.reason}\n", style="dim")
        empty = self.query_one("#empty", Static)
        empty.update(message)
        empty.display = True
        self.query_one(ArticleTable).display = False
        self._show_status(f"no usable articles · {len(corpus.skipped)} file(s) skipped", error=True)

    def _show_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(message, style="bold red" if error else ""))
        if error:
            self.notify(Text(message).plain, severity="error", markup=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        article = self.corpus.by_id(str(event.row_key.value)) if self.corpus else None
        if article is not None:
            self.push_screen(ArticleScreen(article))
