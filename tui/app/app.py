"""The Textual app: the article list first, analysis and indexing in workers."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import CellKey, ColumnKey, DuplicateKey, Row, RowKey

from tui.analysis import ArticleAnalysis, ModelUnavailable, use_thread_safe_processes
from tui.app.article_text import LAYER_LABELS, LAYERS
from tui.app.help_screen import HelpScreen
from tui.app.keymap import load_keymap
from tui.app.reader import ReaderScreen
from tui.app.search_screen import SearchScreen
from tui.app.export_dialog import ExportDialog
from tui.app.tray import TrayScreen
from tui.corpus import Article, Corpus, CorpusPathError
from tui.corpus.listing import ListedArticle, Summary, listing_of
from tui.excerpts import DEFAULT_SET, Excerpt, ExcerptStore, ExcerptStoreError, ExportError, corpus_key, reconcile, render, write_atomic
from tui.index import IndexBusy, Library, list_summary

SORTS = (("file order", None), ("date", "date"), ("title", "title"), ("length", "words"))


class ArticleTable(DataTable):
    """The article list; the title column takes whatever width the others leave."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="list.open"),
        Binding("s", "app.cycle_sort", "Sort", id="list.sort"),
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    ]
    FIXED_COLUMNS = {"source": 16, "date": 10, "words": 6, "entities": 8, "issues": 26}
    MIN_TITLE = 20

    def on_mount(self) -> None:
        self.add_column("Title", key="title", width=self.MIN_TITLE)
        for key, width in self.FIXED_COLUMNS.items():
            self.add_column(key.capitalize(), key=key, width=width)

    # Every column has a set width and every row one line, and DataTable's per-row and
    # per-cell bookkeeping is built for small tables: add_row re-validates the cursor,
    # each new or updated cell is measured with Rich (80,000 measurements for 13,000
    # articles), and the height is re-summed over every row after each change. Here rows
    # arrive and change in bulk, and only the virtual size follows the row count: 13,000
    # rows in 0.1 s instead of 3. (Textual is pinned to 8.x; the list tests cover these.)

    def add_article_rows(self, rows: Iterable[tuple[str, list[Text]]]) -> None:
        """One-line rows at the bottom, each (key, cells)."""
        # Plain strings as cell keys: equal to (and hashed like) the ColumnKeys DataTable
        # looks them up with, without a Python-level __hash__ call per cell.
        columns = [column.key.value for column in self.ordered_columns]
        first = self.row_count == 0
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            self._row_locations[row_key] = len(self.rows)
            self._data[row_key] = dict(zip(columns, cells))
            self.rows[row_key] = Row(row_key, 1)
        self._changed()
        self.cursor_coordinate = self.cursor_coordinate  # what add_row does, once
        if first and self.row_count and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()

    def update_article_cells(self, values: dict[str, dict[str, Text]]) -> None:
        """{row key: {column key: value}} for rows present; others are ignored."""
        for key, cells in values.items():
            row = self._data.get(RowKey(key))
            if row is not None:
                row.update(cells)
        self._changed()

    def _changed(self) -> None:
        self._update_count += 1  # the render caches are keyed by it
        self._require_update_dimensions = True
        self.check_idle()
        self.refresh()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(width + self._row_label_column_width, self.row_count + header)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        pass

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


_CELLS: dict[tuple[str, object], Text] = {}


def _shared_cell(column: str, value: object) -> Text:
    """One Text per column and value (13,000 rows repeat their sources, dates, counts and
    often their issues; Rich only reads a cell's Text, so rows can share one)."""
    cell = _CELLS.get((column, value))
    if cell is None:
        if column == "entities":  # names found; "…" until analysed
            cell = Text("…", style="dim", justify="right") if value is None else Text(str(value), justify="right")
        elif column == "words":
            cell = Text(f"{value:,}", justify="right")
        elif column == "issues":
            cell = Text(str(value), no_wrap=True, overflow="ellipsis")
        else:  # source, date: "—" when the file does not say
            cell = Text(str(value), no_wrap=True, overflow="ellipsis") if value else Text("—", style="dim")
        if len(_CELLS) > 50_000:
            _CELLS.clear()
        _CELLS[(column, value)] = cell
    return cell


class NewsreaderApp(App):
    TITLE = "newsreader"
    CSS_PATH = "app.tcss"
    FIRST_ROWS = 200  # painted at once: more than any screen shows
    ROWS_PER_STEP = 2000  # then this many per frame (~60 ms of work)
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark,f1", "help", "Keys", id="app.help"),  # f1 where a text box takes "?"
        Binding("t", "tray", "Excerpts", id="app.tray"),
        Binding("e", "export", "Export", id="app.export"),
    ]

    def __init__(self, library: Library, data_dir: Path | None = None, excerpt_set: str = DEFAULT_SET) -> None:
        super().__init__()
        self.library = library
        self.corpus: Corpus | None = None
        self._sort = 0
        self._listed: list[ListedArticle] = []  # rows painted from the last listing, until the folder is read
        self._unfilled: list[Article | ListedArticle] = []  # rows still to add to the table
        self._fill_scheduled = False
        self._summaries: dict[str, Summary] = {}  # of the analyses so far (also for rows not added yet)
        self._shown: dict[str, Summary | None] = {}  # what each row shows
        self._keymap, self._keymap_problem = load_keymap()
        self.corpus_id = corpus_key(library.root)
        self.excerpt_set = excerpt_set
        self.excerpt_store: ExcerptStore | None = None
        self._store_problem: str | None = None
        try:
            self.excerpt_store = ExcerptStore(data_dir)
        except ExcerptStoreError as exc:
            self._store_problem = str(exc)

    def compose(self) -> ComposeResult:
        yield Header()
        yield ArticleTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Static(id="empty")
        yield Static(Text(f"reading {self.library.root} …"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        use_thread_safe_processes()  # analysis may start spaCy processes from a worker thread
        self.sub_title = str(self.library.root)
        if self._keymap:
            self.set_keymap(self._keymap)
        if self._keymap_problem:
            self.notify(self._keymap_problem, severity="warning", markup=False)
        if self._store_problem:
            self.notify(f"Marking is off: {self._store_problem}", severity="error", markup=False, timeout=10)
        if self.excerpt_store is not None and self.excerpt_store.notice:
            self.notify(self.excerpt_store.notice, severity="warning", markup=False, timeout=30)
        self.query_one(ArticleTable).focus()
        head = self.library.cached_listing_head()
        if head is not None and head[0]:  # the list as last read, painted now; the folder is read behind it
            self._listed = head[0]
            self._fill_table(self._listed, later=True)
            self.status(f"{head[1]:,} article(s) as last read · reading {self.library.root} …")
        self.load_articles()

    def on_unmount(self) -> None:
        self.library.close()
        if self.excerpt_store is not None:
            self.excerpt_store.close()

    # -- excerpts -------------------------------------------------------------------

    def excerpts(self, tag: str | None = None) -> list[Excerpt]:
        """The current set, each checked against its article as it is now."""
        found = self._with_store(lambda store: store.excerpts(self.corpus_id, self.excerpt_set, tag), [])
        return [reconcile(e, self.article(e.article_id)) if self.corpus else e for e in found]

    def excerpt_count(self) -> int:
        return len(self._with_store(lambda store: store.excerpts(self.corpus_id, self.excerpt_set), []))

    def marked_spans(self, article_id: str) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in self.excerpts() if e.article_id == article_id and e.status in ("ok", "re-anchored")]

    def toggle_excerpt(self, excerpt: Excerpt) -> str | None:
        """"marked", "unmarked", or None when the store cannot be used (the user is told)."""
        if self.excerpt_store is None:
            self.notify(f"Marking is off: {self._store_problem}", severity="error", markup=False)
            return None
        outcome = self._with_store(lambda store: store.toggle(self.corpus_id, excerpt, self.excerpt_set), False)
        if outcome is False:
            return None
        return "marked" if outcome is not None else "unmarked"

    def move_excerpt(self, excerpt_id: int, delta: int) -> None:
        self._with_store(lambda store: store.move(self.corpus_id, excerpt_id, delta, self.excerpt_set), None)

    def remove_excerpt(self, excerpt_id: int) -> bool:
        return self._with_store(lambda store: store.remove(excerpt_id) or True, False)

    def update_excerpt(self, excerpt: Excerpt) -> None:
        self._with_store(lambda store: store.update(excerpt), None)

    def _with_store(self, use, failed):
        """``use(store)``, or ``failed`` with an on-screen notice when the database fails
        (a full disk, the file removed under us): the change was rolled back, not half made."""
        if self.excerpt_store is None:
            return failed
        try:
            return use(self.excerpt_store)
        except ExcerptStoreError as exc:
            self.notify(f"Excerpts: {exc}", severity="error", markup=False, timeout=10)
            return failed

    def _issues_of(self, excerpt: Excerpt) -> list[str]:
        """The issues an excerpt touches, for a briefing grouped by issue."""
        analysis = self.library.analyses.get(excerpt.article_id)
        if analysis is None:
            return []
        return [i.label for i in analysis.issues if any(excerpt.start < m.end and m.start < excerpt.end for m in i.mentions)]

    def export_excerpts(self, fmt: str, path: Path, tag: str | None, group: str = "article") -> tuple[bool, str]:
        excerpts = self.excerpts(tag)
        if not excerpts:
            return False, "Nothing to export: no excerpts" + (f" tagged {tag!r}" if tag else "") + "."
        try:
            content = render(fmt, excerpts, title=f"Briefing — {self.excerpt_set}", group_by=group, issues_of=self._issues_of)
            written = write_atomic(path, content)
        except ExportError as exc:
            return False, str(exc)
        return True, f"Wrote {len(excerpts)} excerpt(s) to {written}"

    def copy_excerpts(self, tag: str | None = None) -> None:
        excerpts = self.excerpts(tag)
        if not excerpts:
            self.notify("Nothing to copy: no excerpts.", severity="warning")
            return
        self.copy_to_clipboard(render("md", excerpts, title=f"Briefing — {self.excerpt_set}"))
        self.notify(f"Copied {len(excerpts)} excerpt(s) as Markdown (terminals with OSC 52 clipboard support).")

    def action_tray(self) -> None:
        if not isinstance(self.screen, TrayScreen):
            self.push_screen(TrayScreen())

    def action_export(self) -> None:
        if not isinstance(self.screen, ExportDialog):
            self.push_screen(ExportDialog())

    # -- start-up: load, analyse, index -------------------------------------------

    @work(thread=True, exclusive=True, group="corpus", exit_on_error=False)
    def load_articles(self) -> None:
        if self._listed:  # the rest of the list as last read: parsed here, not before the paint
            self.call_from_thread(self._listed_more, self.library.rest_of_listing())
        try:
            corpus = self.library.load()
        except CorpusPathError as exc:
            self.call_from_thread(self.status, str(exc), True)
            return
        finally:
            self.call_from_thread(self._resume_fill)  # the list as last read, whole, whatever happened
        self.call_from_thread(self._show_corpus, corpus)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse_and_index(self) -> None:
        total = len(self.library.articles)
        try:
            analyses = self.library.analyse(
                progress=lambda done, _: self.call_from_thread(self.status, f"analysing {done}/{total}"),
                partial=lambda batch: self.call_from_thread(self._show_analyses, batch),  # rows fill in as it goes
            )
        except ModelUnavailable as exc:
            self.call_from_thread(self.status, f"no analysis: {exc}", True)
            return
        self.call_from_thread(self._show_analyses, analyses, self.library.summaries)
        def indexing(done: int, todo: int) -> None:
            message = f"indexing {done}/{todo}" if done < todo else "saving the index …"
            self.call_from_thread(self.status, message)

        try:
            self.library.index(progress=indexing)
        except IndexBusy:
            self.call_from_thread(self.notify, "Another newsreader is updating the index: searching its last saved state.")
            self.library.open_searcher()
        for notice in self.library.all_notices():
            self.call_from_thread(self.notify, notice[:1].upper() + notice[1:], severity="warning", markup=False, timeout=15)
        entities = sum(len(a.entity_heads()) for a in analyses.values())
        self.call_from_thread(self._index_ready, f"ready — {total:,} article{'' if total == 1 else 's'}, {entities:,} entities")
        if self.library.searcher is not None:
            self.library.searcher.warm_up()

    def _index_ready(self, message: str) -> None:
        self.status(message)
        if isinstance(self.screen, SearchScreen):
            self.screen.run_search()

    def status(self, message: str, error: bool = False) -> None:
        self.query_one("#status", Static).update(Text(message, style="bold red" if error else ""))
        if error:
            self.notify(message, severity="error", markup=False)

    def _fill_table(self, articles: Iterable[Article | ListedArticle], later: bool = False) -> None:
        """A screenful of rows at once, the rest a step per frame: adding 13,000 rows
        takes about a second, which the first paint and the keys must not wait for.
        ``later``: the rest waits for ``_resume_fill``. While the folder is read, each of
        the reading thread's 13,000 file calls gives the GIL up and waits for its turn:
        frames of rows then make the reading a second slower."""
        self._unfilled = list(articles)
        self._fill_step(self.FIRST_ROWS, schedule=not later)

    def _listed_more(self, rows: list[ListedArticle]) -> None:
        """Rows of the listing after its head: filled in when the fill resumes."""
        self._listed = self._listed + rows
        self._unfilled = self._unfilled + rows

    def _resume_fill(self) -> None:
        if self._unfilled and not self._fill_scheduled:
            self._fill_scheduled = True
            self.call_after_refresh(self._next_fill_step)

    def _next_fill_step(self) -> None:
        self._fill_scheduled = False
        self._fill_step(self.ROWS_PER_STEP)

    def _fill_step(self, count: int | None = None, schedule: bool = True) -> None:
        table = self.query_one(ArticleTable)
        batch = self._unfilled if count is None else self._unfilled[:count]
        self._unfilled = self._unfilled[len(batch):]
        table.add_article_rows((article.id, self._row_cells(article)) for article in batch)
        if schedule:
            self._resume_fill()

    def _finish_fill(self) -> None:
        """Every row now (before sorting or replacing them)."""
        if self._unfilled:
            self._fill_step(None, schedule=False)

    def _row_cells(self, article: Article | ListedArticle) -> list[Text]:
        summary = self._summary_of(article)
        self._shown[article.id] = summary
        return [
            Text(article.title, no_wrap=True, overflow="ellipsis"),
            _shared_cell("source", article.source),
            _shared_cell("date", article.date),
            _shared_cell("words", article.words),
            *self._summary_cells(summary),
        ]

    def _summary_of(self, article: Article | ListedArticle) -> Summary | None:
        """From its analysis, or as last analysed (the listing), or None."""
        summary = self._summaries.get(article.id)
        if summary is not None:
            return summary
        return article.summary if isinstance(article, ListedArticle) else None

    @staticmethod
    def _summary_cells(summary) -> list[Text]:
        if summary is None:
            return [_shared_cell("entities", None), _shared_cell("issues", "")]
        named, issues = summary
        return [_shared_cell("entities", named), _shared_cell("issues", issues)]

    def _show_corpus(self, corpus: Corpus) -> None:
        self.corpus = corpus
        table = self.query_one(ArticleTable)
        painted = [a.file_fields() for a in self._listed]
        if [a.file_fields() for a in listing_of(corpus)] != painted:  # the folder changed since the list was painted
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key if table.row_count else None
            self._unfilled = []
            table.clear()
            self._fill_table(corpus.articles)
            if current is not None and current.value in table.rows:
                table.move_cursor(row=table.get_row_index(current.value), animate=False)
        self._resume_fill()
        self._listed = []
        if corpus.articles:
            skipped = f" · {len(corpus.skipped)} file(s) skipped" if corpus.skipped else ""
            self.status(f"{len(corpus.articles):,} article(s){skipped} · analysing …")
            self.analyse_and_index()  # from the main thread, once the list is on screen
        else:
            self._show_empty(corpus)

    def _show_analyses(self, analyses: dict[str, ArticleAnalysis], summaries: dict[str, Summary] | None = None) -> None:
        """``summaries``: of these analyses, when the worker has made them already."""
        for screen in self.screen_stack:  # a reader opened before its analysis was ready
            if isinstance(screen, ReaderScreen) and screen.analysis is None and screen.article.id in analyses:
                screen.set_analysis(analyses[screen.article.id])
        summaries = summaries or {aid: list_summary(analysis) for aid, analysis in analyses.items()}
        self._summaries.update(summaries)  # rows still to come are made with them
        updates = {}
        for article_id, summary in summaries.items():
            if article_id in self._shown and self._shown[article_id] != summary:  # (rows painted from the
                self._shown[article_id] = summary  # listing mostly show it already)
                entities, issues = self._summary_cells(summary)
                updates[article_id] = {"entities": entities, "issues": issues}
        self.query_one(ArticleTable).update_article_cells(updates)

    def _show_empty(self, corpus: Corpus) -> None:
        message = Text(f"No usable articles in {corpus.root}.\n\n", style="bold")
        for item in corpus.skipped[:200]:
            message.append(f"{item.path}")
            message.append(f" — {item.reason}\n", style="dim")
        empty = self.query_one("#empty", Static)
        empty.update(message)
        empty.display = True
        self.query_one(ArticleTable).display = False
        self.status(f"no usable articles · {len(corpus.skipped)} file(s) skipped", error=True)

    # -- list ---------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_article(str(event.row_key.value))

    def action_cycle_sort(self) -> None:
        """File order → date → title → length; the selected article stays selected."""
        if self.corpus is None or not self.corpus.articles:
            return
        self._finish_fill()
        table = self.query_one(ArticleTable)
        current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        self._sort = (self._sort + 1) % len(SORTS)
        name, field = SORTS[self._sort]
        order = {a.id: i for i, a in enumerate(self.corpus.articles)}
        by_id = {a.id: a for a in self.corpus.articles}
        sort_keys = {
            None: lambda aid: order[aid],
            "date": lambda aid: (by_id[aid].date is None, by_id[aid].date or "", order[aid]),
            "title": lambda aid: (by_id[aid].title.casefold(), order[aid]),
            "words": lambda aid: (-by_id[aid].words, order[aid]),
        }[field]
        # DataTable.sort's key sees only cell values, not row keys: rebuild in order.
        self._resort(table, sorted(table.rows, key=lambda key: sort_keys(key.value)), current)
        self.notify(f"sorted by {name}", timeout=2)

    def _resort(self, table: ArticleTable, rows, current) -> None:
        """Rebuild the rows in a new order and keep the selection on the same article."""
        values = {key: table.get_row(key) for key in rows}
        table.clear()
        table.add_article_rows((key.value, values[key]) for key in rows)
        table.move_cursor(row=table.get_row_index(current), animate=False)

    # -- other screens -----------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self.corpus.by_id(article_id) if self.corpus else None

    def open_article(self, article_id: str, query: str | None = None, paragraph: int | None = None) -> None:
        article = self.article(article_id)
        if article is None:
            if self.corpus is None:  # the list came from the last listing; the folder is being read
                self.notify("Still reading the folder: a moment.", timeout=2)
            return
        analysis = self.library.analyses.get(article_id)
        spans = self.library.searcher.term_spans(query, article.text) if query and self.library.searcher else []
        self.push_screen(ReaderScreen(article, analysis, search_spans=spans, query=query, paragraph=paragraph))

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            self.screen.query_one("#query").focus()
            return
        self.push_screen(SearchScreen(self.library))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding by where it works, with the user's keymap applied."""
        sections = [
            ("Everywhere", [*self._rows(self.BINDINGS), ("ctrl+p", "command palette")]),
            ("Article list", self._rows(ArticleTable.BINDINGS) + [("↑ ↓", "move")]),
            ("Reader", self._rows(ReaderScreen.BINDINGS) + [("↑ ↓ pgup pgdn", "scroll")]),
            ("Search", self._rows(SearchScreen.BINDINGS) + [("enter", "open the hit / add the facet value as a filter"),
                                                          ("space", "on a result: mark its passage")]),
            ("Excerpts", self._rows(TrayScreen.BINDINGS) + [("enter", "open the excerpt in its article")]),
        ]
        return sections

    def _rows(self, bindings: Iterable[Binding]) -> list[tuple[str, str]]:
        rows = []
        for binding in bindings:
            keys = self._keymap.get(binding.id or "", binding.key)
            rows.append((", ".join(_key_name(k) for k in keys.split(",")), binding.description or binding.action))
        return rows

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Search the corpus (/)", self.action_search)
        yield SystemCommand("Keys", "Show every key (?)", self.action_help)
        yield SystemCommand("Excerpts", "Review the marked excerpts (t)", self.action_tray)
        yield SystemCommand("Export excerpts", "Write the briefing (e)", self.action_export)
        if isinstance(screen, ReaderScreen):
            for layer in LAYERS:
                yield SystemCommand(
                    f"Toggle {LAYER_LABELS[layer]}", f"Show or hide the {LAYER_LABELS[layer]} highlights",
                    lambda layer=layer: screen.action_toggle(layer),
                )
        if self.corpus is not None:
            for article in self.corpus.articles:
                yield SystemCommand(f"Open: {article.title}", article.id, lambda aid=article.id: self.open_article(aid))


def _key_name(key: str) -> str:
    """"right_square_bracket" -> "]": a key as printed on the keyboard."""
    named = {"slash": "/", "escape": "esc", "enter": "enter", "space": "space", "tab": "tab", "delete": "delete"}
    if key in named:
        return named[key]
    try:
        return unicodedata.lookup(key.upper().replace("_", " "))
    except KeyError:
        return key
