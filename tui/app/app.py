"""The Textual app: the article list first, analysis and indexing in workers."""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.analysis import ArticleAnalysis, ModelUnavailable, RulesError, start_process_servers
from tui.analysis.settings import log_path
from tui.app.article_list import ArticleList
from tui.app.entity_picker import EntityCommands, EntityPicker
from tui.app.failures import failure_message, inject, one_line, report_from_thread, report_uncaught_threads, reported, write_log
from tui.app.footer import Footer
from tui.app.keymap import check_keymap, load_keymap
from tui.app.lifetime import end_with_the_terminal
from tui.corpus import FIRST_ROWS, Article, Corpus, CorpusPathError, read_head
from tui.corpus.listing import ListedArticle, Summary
from tui.excerpts import DEFAULT_SET, Excerpt, ExcerptStore, ExcerptStoreError, ExportError, corpus_key, reconcile, render, write_atomic
from tui.index import IndexBusy, Library, list_summary

# The screens (reader, search, tray, dossier …) and the pile are imported when first
# used: their modules are a tenth of the app's imports, which the first paint waits for.
if TYPE_CHECKING:
    from tui.analysis.pile import Dossier, EntityName, Pile, Place

SORTS = (("file order", None), ("date", "date"), ("title", "title"), ("length", "words"))


class NewsreaderApp(App):
    TITLE = "newsreader"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark,f1", "help", "Keys", id="app.help"),  # f1 where a text box takes "?"
        Binding("t", "tray", "Excerpts", id="app.tray"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("w", "quotes", "Quotes", id="app.quotes"),
        Binding("i", "issues", "Issues", id="app.issues"),
    ]
    COMMANDS = App.COMMANDS | {EntityCommands}

    def __init__(self, library: Library, data_dir: Path | None = None, excerpt_set: str = DEFAULT_SET) -> None:
        super().__init__()
        self.library = library
        self.corpus: Corpus | None = None
        self._sort = 0
        self._listed: list[ListedArticle] = []  # rows painted before the folder is read
        self._first_start = False  # no listing kept: rows come as the folder is read
        self._summaries: dict[str, Summary] = {}  # what the list shows of the analyses so far
        self._pile: Pile | None = None
        self._stop_watching = threading.Event()
        self._changing = threading.Lock()  # one change of the library at a time: the watcher's, or a re-analysis
        self._saving = threading.Lock()  # held while the library saves its results: quitting waits for it
        self._watcher: threading.Thread | None = None
        self._keymap, self._keymap_problem = load_keymap()
        self.corpus_id = corpus_key(library.root)
        self.excerpt_set = excerpt_set
        self.excerpt_store: ExcerptStore | None = None
        self._store_problem: str | None = None
        try:
            self.excerpt_store = ExcerptStore(data_dir)
        except ExcerptStoreError as exc:
            self._store_problem = str(exc)
        self._restore_thread_hook = self._unwatch_terminal = lambda: None
        self._failure: str | None = None  # the last failure reported, kept in the status line
        _start_process_servers()  # before Textual takes stdio: see start_process_servers

    def compose(self) -> ComposeResult:
        yield Header()
        yield ArticleList(id="articles")
        yield Static(id="empty")
        yield Static(Text(f"reading {self.library.root} …"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._restore_thread_hook = report_uncaught_threads(self)
        self._unwatch_terminal = end_with_the_terminal(self)
        self.sub_title = str(self.library.root)
        if self._keymap:
            self.set_keymap(self._keymap)  # (Textual ignores an unknown id: it is named below)
        if self._keymap_problem:
            self.notify(self._keymap_problem, severity="warning", markup=False)
        if self._store_problem:
            self.notify(f"Marking is off: {self._store_problem}", severity="error", markup=False, timeout=10)
        if self.excerpt_store is not None and self.excerpt_store.notice:
            self.notify(self.excerpt_store.notice, severity="warning", markup=False, timeout=30)
        articles = self.query_one(ArticleList)
        articles.set_summaries(self._summaries)
        articles.focus()
        head = self.library.cached_listing_head()
        if head is not None and head[0]:  # the list as last read, painted now; the folder is read behind it
            self._listed = head[0]
            articles.set_articles(self._listed)
            self.status(f"{head[1]:,} article(s) as last read · reading {self.library.root} …")
        else:  # a first start: a screenful read now, in the first frame; the rest as it is read
            self._first_start = True
            if head_rows := read_head(self.library.root, self.library.load_options, min(FIRST_ROWS, self.size.height)):
                self._reading(head_rows)
        # After the first frame: the worker's reading holds the GIL for most of its time,
        # and the painting of these rows would wait its turn for it (0.1 s at 13,000 articles).
        self.call_after_refresh(self.load_articles)
        if self._keymap:
            self.call_after_refresh(self._check_keymap)

    def _check_keymap(self) -> None:
        """Name the ids of keys.toml no binding has: after the first paint and once the
        folder's reading has started, as knowing every id imports every screen."""
        if problem := check_keymap(self._keymap):
            self.notify(problem, severity="warning", markup=False, timeout=15)

    def on_unmount(self) -> None:
        self._restore_thread_hook()
        self._unwatch_terminal()
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join(timeout=15)  # it may be refreshing (the first change loads the model): closed after it
        if self._saving.acquire(timeout=10):  # a save under way is finished (a second at 13,000 articles)
            self._saving.release()
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
            inject("export")
            content = render(fmt, excerpts, title=f"Briefing — {self.excerpt_set}", group_by=group, issues_of=self._issues_of)
            written = write_atomic(path, content)
        except ExportError as exc:
            return False, str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug: said, logged, and nothing half written (write_atomic)
            self.report_failure("export", exc)
            return False, f"Not exported: {one_line(exc)}"
        return True, f"Wrote {len(excerpts)} excerpt(s) to {written}"

    def copy_excerpts(self, tag: str | None = None) -> None:
        excerpts = self.excerpts(tag)
        if not excerpts:
            self.notify("Nothing to copy: no excerpts.", severity="warning")
            return
        self.copy_to_clipboard(render("md", excerpts, title=f"Briefing — {self.excerpt_set}"))
        self.notify(f"Copied {len(excerpts)} excerpt(s) as Markdown (terminals with OSC 52 clipboard support).")

    def action_tray(self) -> None:
        from tui.app.tray import TrayScreen

        if not isinstance(self.screen, TrayScreen):
            self.push_screen(TrayScreen())

    def action_export(self) -> None:
        from tui.app.export_dialog import ExportDialog

        if not isinstance(self.screen, ExportDialog):
            self.push_screen(ExportDialog())

    # -- start-up: load, analyse, index -------------------------------------------

    @work(thread=True, exclusive=True, group="corpus")
    @reported("reading the folder")
    def load_articles(self) -> None:
        if not self._first_start:  # the rest of the list as last read: parsed here, not before the paint
            self.call_from_thread(self._listed_more, self.library.rest_of_listing())
        reading = (lambda rows: self.call_from_thread(self._reading, rows)) if self._first_start else None
        try:
            corpus = self.library.load(partial=reading)
        except CorpusPathError as exc:
            self.call_from_thread(self.status, str(exc), True)
            return
        except OSError as exc:  # the disk went away: the list as last read stays
            self.call_from_thread(self.status, f"cannot read {self.library.root}: {exc.strerror or exc}", True)
            return
        self.call_from_thread(self._show_corpus, corpus)

    @work(thread=True, exclusive=True, group="analysis")
    @reported("analysis")
    def analyse_and_index(self) -> None:
        with self._changing:
            self._analyse_and_index()

    def _analyse_and_index(self) -> None:
        total = len(self.library.articles)
        try:
            analyses = self.library.analyse(
                progress=lambda done, _: self.call_from_thread(self.status, f"analysing {done}/{total}"),
                partial=lambda batch: self.call_from_thread(self._show_analyses, batch),  # rows fill in as it goes
                remember=False,  # saved once "ready" is on screen (a second at 13,000 articles) …
            )
        except ModelUnavailable as exc:
            self.call_from_thread(self.status, f"no analysis: {exc}", True)
            return
        if self.library.resolved_anew:  # … or now, when it was made from nothing (costly to make again)
            self._remember()
        try:
            self._index_and_show(analyses)
        finally:  # (also when the app quits while indexing: a resolution followed is kept for the next start)
            self._remember()

    @reported("indexing")
    def _index_and_show(self, analyses: dict[str, ArticleAnalysis]) -> None:
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
        self.call_from_thread(self._index_ready, self._ready_message())

    @reported("saving the results")
    def _remember(self) -> None:
        """Save the library's results for the next start (in a worker, once on screen)."""
        with self._saving:
            self.library.remember()

    def _index_ready(self, message: str) -> None:
        self.status(message)
        if _is_screen(self.screen, "tui.app.search_screen", "SearchScreen"):
            self.screen.run_search()
        self.call_after_refresh(self._warm_up)  # once "ready" is on screen
        if self._watcher is None and self.library.root.is_dir():
            self._watcher = threading.Thread(target=self._watch, name="folder-watch", daemon=True)
            self._watcher.start()

    # -- the folder, watched -----------------------------------------------------------

    @reported("watching the folder")
    def _watch(self) -> None:
        """A thread of its own (not a worker: it never ends while the app runs). Files
        added, changed or removed are read, analysed and indexed alone, one batch at a
        time, then saved for the next start."""
        from tui.corpus.watch import watch_folder

        try:
            # (the changes made since the folder was read, while it was analysed and indexed, too)
            for paths in watch_folder(self.library.root, self._stop_watching, catch_up=self.library.changed_since_read):
                if self._stop_watching.is_set():
                    return
                self.call_from_thread(self.status, f"reading {len(paths)} changed file(s) …")
                while not self._changing.acquire(timeout=0.2):  # a re-analysis holds it: wait, unless quitting
                    if self._stop_watching.is_set():
                        return
                try:
                    result = self.library.refresh(paths)
                    if not self._stop_watching.is_set():
                        self.call_from_thread(self._refreshed, result)
                    self._remember()  # once the change is on screen
                except Exception as exc:  # noqa: BLE001 - no model, a full disk: said, and the app goes on
                    report_from_thread(self, "taking in a change of the folder", exc)
                    continue
                finally:
                    self._changing.release()
        except Exception as exc:  # noqa: BLE001 - the folder itself went away, no inotify: say so, once
            if not self._stop_watching.is_set():
                report_from_thread(self, f"watching {self.library.root}", exc)

    def _refreshed(self, result) -> None:
        """The library took in a change of the folder: the list, the summaries, an open
        search follow, and a notice says what changed."""
        corpus = self.library.corpus
        if corpus is None:
            return
        self.corpus = corpus
        for article_id in result.removed:
            self._summaries.pop(article_id, None)
        for article_id in (*result.added, *result.changed):
            if article_id in self.library.summaries:
                self._summaries[article_id] = self.library.summaries[article_id]
        articles = self.query_one(ArticleList)
        articles.display = True
        self.query_one("#empty", Static).display = False
        articles.set_articles(corpus.articles)
        parts = [f"{len(ids)} {what}" for ids, what in ((result.added, "added"), (result.changed, "changed"),
                                                         (result.removed, "removed")) if ids]
        if parts:
            removed_marks = sum(1 for e in self.excerpts() if e.status == "removed")
            kept = f" · {removed_marks} excerpt(s) of removed articles kept, flagged in the tray" if result.removed and removed_marks else ""
            self.notify(f"The folder changed: {', '.join(parts)}.{kept}", timeout=6, markup=False)
        self.status(self._ready_message())
        if _is_screen(self.screen, "tui.app.search_screen", "SearchScreen"):
            self.screen.run_search()

    def _ready_message(self) -> str:
        total = len(self.library.articles)
        entities = sum(len(a.entity_heads()) for a in self.library.analyses.values())
        return f"ready — {total:,} article{'' if total == 1 else 's'}, {entities:,} entities"

    @work(thread=True, exclusive=True, group="warm-up")
    @reported("warming up the search")
    def _warm_up(self) -> None:
        """What the first search and the palette's first keystroke would otherwise wait for."""
        if self.library.searcher is not None:
            self.library.searcher.warm_up()
        pile = self.pile()
        if pile is not None:
            pile.entity_names()

    def status(self, message: str, error: bool = False) -> None:
        """The status line; a failure reported earlier stays at its end, in the error colour."""
        status = self.query_one("#status", Static)
        if not error and self._failure:
            message = f"{message} · {self._failure}"
        status.update(Text(message))
        status.set_class(error or bool(self._failure), "-error")
        if error:
            self.notify(message, severity="error", markup=False)

    def report_failure(self, where: str, exc: BaseException) -> None:
        """A worker or thread failed: the status line in the error colour, a notification
        naming the log, the traceback in the log. The app goes on with what it has."""
        line, notice = failure_message(where, exc, write_log(where, exc))
        self._failure = line
        if self.is_running and self.screen_stack:
            status = self.query_one("#status", Static)
            status.update(Text(line))
            status.set_class(True, "-error")
        self.notify(notice, title="Something went wrong", severity="error", markup=False, timeout=30)

    def _reading(self, rows: list[ListedArticle]) -> None:
        """The rows read so far, on a first start, until the whole folder is read."""
        if self.corpus is None:
            self._listed = rows
            self.query_one(ArticleList).set_articles(rows)
            self.status(f"reading {self.library.root} · {len(rows):,} article(s) so far …")

    def _listed_more(self, rows: list[ListedArticle]) -> None:
        """The listing's rows after its head, until the folder has been read."""
        if rows and self.corpus is None:
            self._listed = self._listed + rows
            self.query_one(ArticleList).set_articles(self._listed)

    def _show_corpus(self, corpus: Corpus) -> None:
        self.corpus = corpus
        # Rows painted from the listing keep its summaries until the analysis is decoded,
        # where the folder still gives the article as listed.
        listed = {a.id: a for a in self._listed}
        for article in corpus.articles:
            before = listed.get(article.id)
            if before is not None and before.summary is not None and article.id not in self._summaries \
                    and before.file_fields() == (article.id, article.title, article.source, article.date, article.words):
                self._summaries[article.id] = before.summary
        self.query_one(ArticleList).set_articles(corpus.articles)
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
            if _is_screen(screen, "tui.app.reader", "ReaderScreen") and screen.analysis is None and screen.article.id in analyses:
                screen.set_analysis(analyses[screen.article.id])
        self._summaries.update(summaries or {aid: list_summary(analysis) for aid, analysis in analyses.items()})
        self.query_one(ArticleList).refresh()

    def _show_empty(self, corpus: Corpus) -> None:
        message = Text(f"No usable articles in {corpus.root}.\n\n", style="bold")
        for item in corpus.skipped[:200]:
            message.append(f"{item.path}")
            message.append(f" — {item.reason}\n", style="dim")
        empty = self.query_one("#empty", Static)
        empty.update(message)
        empty.display = True
        self.query_one(ArticleList).display = False
        self.status(f"no usable articles · {len(corpus.skipped)} file(s) skipped", error=True)

    # -- list ---------------------------------------------------------------------

    def on_article_list_selected(self, event: ArticleList.Selected) -> None:
        event.stop()
        self.open_article(event.article_id)

    def action_cycle_sort(self) -> None:
        """File order → date → title → length; the selected article stays selected."""
        if self.corpus is None or not self.corpus.articles:
            return
        self._sort = (self._sort + 1) % len(SORTS)
        name, field = SORTS[self._sort]
        articles = self.corpus.articles  # in file order: sorted() is stable, so ties keep it
        skipped = ""
        if field == "date" and not any(a.date for a in articles):  # the same order again: not an order of its own
            self._sort = (self._sort + 1) % len(SORTS)
            name, field = SORTS[self._sort]
            skipped = " (no article has a date)"
        if field == "date":
            articles = sorted(articles, key=lambda a: (a.date is None, a.date or ""))
        elif field == "title":
            articles = sorted(articles, key=lambda a: a.title.casefold())
        elif field == "words":
            articles = sorted(articles, key=lambda a: -a.words)
        self.query_one(ArticleList).set_articles(articles)
        self.notify(f"sorted by {name}{skipped}", timeout=2)

    # -- other screens -----------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self.corpus.by_id(article_id) if self.corpus else None

    def open_article(self, article_id: str, query: str | None = None, paragraph: int | None = None,
                     choose: str | None = None) -> None:
        """``choose``: what the reader's panel starts on (``entity:TYPE:NAME``, ``issue:ID``,
        ``quote@START``), its mention nearest ``paragraph`` shown."""
        from tui.app.reader import ReaderScreen

        article = self.article(article_id)
        if article is None:
            if self.corpus is None:  # the list came from the last listing; the folder is being read
                self.notify("Still reading the folder: a moment.", timeout=2)
            return
        analysis = self.library.analyses.get(article_id)
        spans = self.library.searcher.term_spans(query, article.text) if query and self.library.searcher else []
        self.push_screen(ReaderScreen(article, analysis, search_spans=spans, query=query, paragraph=paragraph, choose=choose))

    # -- across the pile ---------------------------------------------------------------

    def pile(self) -> Pile | None:
        """The corpus and its analyses for the views across the pile (None until analysed)."""
        from tui.analysis.pile import Pile

        analyses = self.library.analyses  # (replaced whole when an analysis ends)
        if self.corpus is None or not analyses:
            return None
        if self._pile is None or self._pile.analyses is not analyses:
            self._pile = Pile(self.corpus.articles, analyses)
        return self._pile

    def _analysing(self) -> bool:
        return any(w.is_running and w.group == "analysis" for w in self.workers)

    def _not_ready(self) -> bool:
        if self.pile() is None:
            self.notify("The analysis is not ready yet: a moment.", timeout=3)
            return True
        return False

    def open_place(self, place: Place, choose: str | None = None) -> None:
        self.open_article(place.article_id, paragraph=place.paragraph, choose=choose)

    def open_dossier(self, name: str, entity_type: str | None = None) -> None:
        from tui.app.dossier_screen import DossierScreen

        if not self._not_ready():
            self.push_screen(DossierScreen(name, entity_type))

    def open_issue(self, issue_id: str) -> None:
        from tui.app.issues_screen import IssuesScreen

        if not self._not_ready():
            self.push_screen(IssuesScreen(issue_id))

    def open_quotes(self, speaker: str = "", issue: str = "") -> None:
        from tui.app.quotes_screen import QuotesScreen

        if not self._not_ready():
            self.push_screen(QuotesScreen(speaker, issue))

    def action_quotes(self) -> None:
        from tui.app.quotes_screen import QuotesScreen

        if not isinstance(self.screen, QuotesScreen):
            self.open_quotes()

    def action_issues(self) -> None:
        from tui.app.issues_screen import IssuesScreen

        if not isinstance(self.screen, IssuesScreen):
            self.open_issue("")

    def action_go_to_entity(self) -> None:
        pile = self.pile()
        if self._not_ready() or pile is None:
            return

        def chosen(entity: EntityName | None) -> None:
            if entity is not None:
                self.open_dossier(entity.name, entity.type)

        self.push_screen(EntityPicker("Go to entity …", pile.entity_names()), chosen)

    def merge_entity(self, dossier: Dossier, into: EntityName) -> None:
        """Save "``dossier``'s entity is ``into``" in the user's aliases, and resolve again."""
        from tui.analysis.user_rules import add_merge

        forms = [dossier.name, *(text for text, _ in dossier.aliases)]
        self._correct(lambda: add_merge(into.name, into.type, forms), f"“{dossier.name}” is now part of “{into.name}”.")

    def mark_not_entity(self, dossier: Dossier) -> None:
        from tui.analysis.user_rules import add_not_entity

        forms = [dossier.name, *(text for text, _ in dossier.aliases)]
        self._correct(lambda: add_not_entity(forms), f"“{dossier.name}” is no longer taken for an entity.")

    def _correct(self, change, message: str) -> None:
        """Write a correction and resolve the names again (the kept spaCy results: no NLP)."""
        from tui.app.dossier_screen import DossierScreen

        if self._analysing():
            self.notify("The analysis is still running: try again once it is ready.", severity="warning")
            return
        try:
            path = change()
            self.library.reload_rules()
        except RulesError as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False, timeout=10)
            return
        while isinstance(self.screen, DossierScreen):
            self.pop_screen()
        self.notify(f"{message} Saved in {path}.", markup=False, timeout=8)
        self.status("resolving names again (no NLP) …")
        self.analyse_and_index()

    def action_search(self) -> None:
        from tui.app.search_screen import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.query_one("#query").focus()
            return
        self.push_screen(SearchScreen(self.library))

    def action_help(self) -> None:
        from tui.app.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding by where it works, with the user's keymap applied."""
        from tui.app.dossier_screen import DossierScreen
        from tui.app.issues_screen import IssuesScreen
        from tui.app.quotes_screen import QuotesScreen
        from tui.app.reader import ReaderScreen
        from tui.app.search_screen import SearchScreen
        from tui.app.tray import TrayScreen

        sections = [
            ("Everywhere", [*self._rows(self.BINDINGS), ("ctrl+p", "command palette")]),
            ("Article list", self._rows(b for b in ArticleList.BINDINGS if b.id)  # (the arrows: one line)
             + [("↑ ↓ pgup pgdn home end", "move")]),
            ("Reader", self._rows(ReaderScreen.BINDINGS) + [("↑ ↓ pgup pgdn", "scroll")]),
            ("Search", self._rows(SearchScreen.BINDINGS) + [("enter", "open the hit / add the facet value as a filter"),
                                                          ("space", "on a result: mark its passage")]),
            ("Excerpts", self._rows(TrayScreen.BINDINGS) + [("enter", "open the excerpt in its article")]),
            ("Dossier (ctrl+p, an entity's name; d on an entity)", self._rows(DossierScreen.BINDINGS)
             + [("enter", "go to the passage / issue / other entity")]),
            ("Quotes (w)", self._rows(QuotesScreen.BINDINGS) + [("space", "on a quote: mark it"), ("enter", "open it")]),
            ("Issues over time (i)", self._rows(IssuesScreen.BINDINGS) + [("enter", "open the article / the speaker's quotes")]),
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
        from tui.app.article_text import LAYER_LABELS, LAYERS
        from tui.app.reader import ReaderScreen

        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Search the corpus (/)", self.action_search)
        yield SystemCommand("Keys", "Show every key (?)", self.action_help)
        yield SystemCommand("Excerpts", "Review the marked excerpts (t)", self.action_tray)
        yield SystemCommand("Export excerpts", "Write the briefing (e)", self.action_export)
        yield SystemCommand("Go to entity …", "An entity's dossier: type part of its name", self.action_go_to_entity)
        yield SystemCommand("Quotes", "Who said what, across the pile (w)", self.action_quotes)
        yield SystemCommand("Issues over time", "Each issue's articles and mentions by date (i)", self.action_issues)
        if isinstance(screen, ReaderScreen):
            for layer in LAYERS:
                yield SystemCommand(
                    f"Toggle {LAYER_LABELS[layer]}", f"Show or hide the {LAYER_LABELS[layer]} highlights",
                    lambda layer=layer: screen.action_toggle(layer),
                )
        if self.corpus is not None:
            for article in self.corpus.articles:
                yield SystemCommand(f"Open: {article.title}", article.id, lambda aid=article.id: self.open_article(aid))


def _start_process_servers() -> None:
    """What spaCy's worker processes say goes to the log (to nothing if it cannot be written)."""
    try:
        start_process_servers(log_path())
    except OSError:
        start_process_servers(Path(os.devnull))


def _key_name(key: str) -> str:
    """"right_square_bracket" -> "]": a key as printed on the keyboard."""
    named = {"slash": "/", "escape": "esc", "enter": "enter", "space": "space", "tab": "tab", "delete": "delete"}
    if key in named:
        return named[key]
    try:
        return unicodedata.lookup(key.upper().replace("_", " "))
    except KeyError:
        return key


def _is_screen(screen: Screen, module: str, name: str) -> bool:
    """``isinstance(screen, module.name)`` without importing the module on the way to
    "ready": when it is not imported, no such screen has been opened."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(screen, getattr(loaded, name))
