"""The corpus as the app and the CLI use it: load, analyse, index, search.

Each step is a plain method with a progress callback, so the app can run it in a
Textual worker and the CLI in the foreground; nothing here knows about either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.analysis import AnalysisSettings, ArticleAnalysis
from tui.corpus import Article, Corpus, LoadOptions, changed_since, gc_paused, load_corpus, reload_files
from tui.corpus.loader import Partial
from tui.corpus.listing import ListedArticle, Summary, listing_of, load_listing, load_listing_head, save_listing
from tui.index.documents import facet_values
from tui.index.model import SCHEMA_VERSION, IndexUnwritable, IndexUpdate, index_folder

if TYPE_CHECKING:
    from whoosh.index import Index

    from tui.analysis.pipeline import CorpusAnalysis

    from tui.index.search import Searcher

Progress = Callable[[int, int], None]
NUMBERS = ("date", "money", "percent")  # entities the list does not count as names


SUMMARY_VERSION = 1  # of list_summary: kept summaries made otherwise are made again


def list_summary(analysis: ArticleAnalysis) -> Summary:
    """What the article list shows of an analysis: how many names, the first issues."""
    named = sum(1 for _, kind, _ in analysis.entity_heads() if kind not in NUMBERS)
    return named, ", ".join(label for _, label, _ in analysis.issue_heads()[:3])


def batches(total: int, first: int, largest: int = 16) -> list[tuple[int, int]]:
    """(start, end) of the batches of a long first analysis: ``first`` articles, then twice as
    many each time up to ``largest`` × ``first``. The first rows fill in soon; later batches
    are large because each one starts spaCy's worker processes anew (seconds each)."""
    spans, start, size = [], 0, first
    while start < total:
        spans.append((start, min(total, start + size)))
        start, size = start + size, min(size * 2, first * largest)
    return spans


def _same(old: ArticleAnalysis | None, new: ArticleAnalysis) -> bool:
    """The same object, or (the first time the resolution is made after a start that read
    the analyses as kept) an equal one."""
    return old is new or old == new


@dataclass(frozen=True)
class Refresh:
    """What ``Library.refresh`` found: article ids added, changed (in text, fields or
    analysis: a new name elsewhere can change an untouched article's) and removed."""

    added: list[str]
    changed: list[str]
    removed: list[str]


@dataclass
class Library:
    root: Path
    settings: AnalysisSettings
    load_options: LoadOptions = field(default_factory=LoadOptions)
    index_base: Path | None = None  # None: the user cache folder
    corpus: Corpus | None = None
    analyses: dict[str, ArticleAnalysis] = field(default_factory=dict)
    searcher: Searcher | None = None
    batch: int = 200  # articles analysed between two partial results
    notices: list[str] = field(default_factory=list)
    _memory: Index | None = None  # the index, when the folder for it cannot be written
    _listing: list[ListedArticle] | None = None  # as last saved or read
    _listing_rest: Callable[[], list[ListedArticle] | None] | None = None  # reads the rest of the head read
    _listing_analysis: str | None = None  # what the listing's summaries are of (``_summaries_key``), if known
    summaries: dict[str, Summary] = field(default_factory=dict)  # what the list shows of each analysis
    _state: str | None = None  # the key of the analysed corpus (what the index must hold), if known
    _facets: dict[str, dict[str, list[str]]] | None = None  # per article, made for the index
    _facets_of: dict | None = None
    _labels: dict[str, str] | None = None
    _labels_of: dict | None = None
    _live: CorpusAnalysis | None = None  # the corpus-wide resolution, kept once made, to follow changes
    _as_kept: list[Article] | None = None  # the articles whose analyses were read as kept, until a change
    _prepared_unsaved: bool = False  # the searcher's columns, patched since last saved
    _index_behind: bool = False  # a refresh's changes are not all in the index
    _before: tuple | None = None  # the last run's articles and analyses, when the folder changed since
    _unsaved: bool = False  # the resolution changed since ``remember`` last saved it
    resolved_anew: bool = False  # the last ``analyse`` resolved the corpus from its records (not kept: costly to redo)

    def load(self, partial: Partial | None = None) -> Corpus:
        """Read the folder (``partial``: see ``load_corpus``)."""
        if self._listing_rest is not None:  # the listing must be whole to be compared
            self.rest_of_listing()
        self.corpus = load_corpus(self.root, self.load_options, snapshot=self._beside_index(".corpus.json.z"),
                                  partial=partial)
        if self._listing is None:  # (not read for a list on screen): its summaries carry over
            self.cached_listing()
        summaries = {a.id: a.summary for a in self._listing or () if a.summary}  # as last analysed, until analysed
        listing = listing_of(self.corpus, summaries)
        if [a.file_fields() for a in listing] != [a.file_fields() for a in self._listing or ()]:
            save_listing(self._listing_path(), self.corpus, summaries)
            self._listing, self._listing_analysis = listing, None
        return self.corpus

    def cached_listing(self) -> list[ListedArticle] | None:
        """The list as the folder was last read (for the app to paint before reading it)."""
        found = load_listing(self._listing_path(), self.root)
        self._listing, self._listing_analysis = found if found is not None else (None, None)
        return self._listing

    def cached_listing_head(self) -> tuple[list[ListedArticle], int] | None:
        """The first screenful of the list as last read, and how many rows it has in all;
        ``rest_of_listing`` reads the others (in a worker: the paint need not wait)."""
        found = load_listing_head(self._listing_path(), self.root)
        if found is None:
            self._listing = self._listing_analysis = None
            return None
        self._listing, self._listing_rest, self._listing_analysis = found.rows, found.rest, found.analysis
        return found.rows, found.count

    def rest_of_listing(self) -> list[ListedArticle]:
        """The rows after the head (none if the file's rest is damaged)."""
        rest, self._listing_rest = self._listing_rest, None
        others = rest() if rest is not None else None
        if others is None:
            return []
        self._listing = (self._listing or []) + others
        return others

    def _listing_path(self) -> Path:
        return self._beside_index(".listing.json")

    def _beside_index(self, suffix: str) -> Path:
        folder = index_folder(self.root, self.index_base)
        return folder.with_name(f"{folder.name}{suffix}")  # beside the index: a rebuild wipes only that

    @property
    def articles(self) -> list[Article]:
        return self.corpus.articles if self.corpus else []

    def analyse(
        self,
        progress: Progress | None = None,
        partial: Callable[[dict[str, ArticleAnalysis]], None] | None = None,
        remember: bool = True,
    ) -> dict[str, ArticleAnalysis]:
        """Analyse every article. With ``partial``, batches are reported as they are done
        (their names resolved within the batch); the final pass over the cached records
        resolves names across the whole corpus, at the cost of the resolution alone. Once
        that is done, the resolution is kept and a next call redoes only what changed.
        ``remember`` False: leave saving the results to ``remember`` (a live update)."""
        from tui.analysis.pipeline import CorpusAnalysis, analyze_articles, articles_to_analyse  # not before the list

        articles = self.articles
        total = len(articles)
        earlier = self.corpus.earlier if self.corpus is not None else {}
        if self.corpus is not None:
            self.corpus.earlier = {}  # (asked once: the files as they were are not kept)
        self.resolved_anew = False
        if self._live is None:
            unchanged = analyze_articles(articles, settings=self.settings, progress=progress, only_if_unchanged=True)
            if unchanged is not None:  # the corpus as last analysed: no batches, no resolution
                self.analyses = {r.article_id: r for r in unchanged}
                self._state = self._state_key(unchanged.key)
                self.summaries = self._summaries_as_listed() or {aid: list_summary(a) for aid, a in self.analyses.items()}
                self._save_summaries()
                self._as_kept = articles  # a change then takes up the resolution kept with these results
                return self.analyses
            if partial is not None and total > self.batch and articles_to_analyse(articles, self.settings) > self.batch:
                for start, end in batches(total, self.batch):  # much for spaCy to do: show results as they come
                    part = articles[start:end]
                    step = (lambda done, _n, start=start: progress(start + done, total)) if progress else None
                    batch = analyze_articles(part, settings=self.settings, progress=step, remember=False)
                    partial({r.article_id: r for r in batch})
        live, kept, before = self._live, self._live is not None, None
        if live is None:
            live = CorpusAnalysis(self.settings)
            if self._as_kept is not None:
                kept = live.resume(self._as_kept, self.analyses)
            elif live.resume_changed(articles, earlier):
                # files added, changed or removed since the last run: its resolution is followed,
                # and its index too (``index``), from the results it kept
                before, live.previous = (live.previous, live.results), None
            self.resolved_anew = not kept and before is None
        self._as_kept = None
        results = live.update(articles, progress=progress)
        self._live, self._before, self._unsaved = live, before, True
        self.analyses = {r.article_id: r for r in results}
        self._state = self._state_key(results.key)
        self._update_summaries(live.changed if kept else None)  # (all, after a start: none are held)
        if remember:
            self.remember()
        return self.analyses

    def reload_rules(self) -> None:
        """Read the aliases files again (the reader merged two entities, or said a name is
        none): the next ``analyse`` resolves the names anew from the kept spaCy results,
        without NLP. Raise RulesError for a file that cannot be used (nothing changes)."""
        from tui.analysis.setup import rules_for_corpus

        self.settings.rules = rules_for_corpus(self.root)
        self._live = self._as_kept = None

    def remember(self) -> None:
        """Save what a next start reads at once: the resolved analyses, the listing with
        what the list shows of each, and the search's columns."""
        if self._live is not None and self._unsaved:
            self._live.remember()
            self._unsaved = False
        self._save_summaries()
        if self._prepared_unsaved and self.searcher is not None and self._memory is None:
            self._save_prepared(self.searcher)

    def refresh(self, paths: Iterable[Path]) -> Refresh:
        """Files added, changed or removed in the folder: read again, re-analysed and
        re-indexed alone, the rest of the corpus untouched (what a watched folder calls).
        The first call after a start that read the analyses as kept resolves the corpus
        once; later ones redo only what the change reaches. ``remember`` saves it all."""
        corpus, analysed = self.corpus, self.analyses
        before = {a.id: a for a in self.articles}
        self.corpus = reload_files(corpus, paths, self.load_options)
        try:
            self.analyse(remember=False)
        except BaseException:
            self.corpus = corpus  # (no model for a new article, say): the library as it was
            raise
        refresh = self._changes_since(before, analysed)
        if self._index_behind:  # a refresh could not write the index: compare every article
            self.index()
            self._index_behind = False
        elif refresh.added or refresh.changed or refresh.removed:
            self._index_changes([self.corpus.by_id(aid) for aid in (*refresh.added, *refresh.changed)], refresh.removed)
        return refresh

    def _changes_since(self, before: dict[str, Article], analysed: dict[str, ArticleAnalysis]) -> Refresh:
        """What differs between the articles and analyses held and these."""
        now = {a.id: a for a in self.articles}
        changed = [aid for aid, a in now.items() if before.get(aid) is not a or not _same(analysed.get(aid), self.analyses[aid])]
        return Refresh(added=[aid for aid in changed if aid not in before],
                       changed=[aid for aid in changed if aid in before], removed=[aid for aid in before if aid not in now])

    def changed_since_read(self) -> set[Path]:
        """The files added, changed or removed since the folder was read (for ``refresh``)."""
        return changed_since(self.corpus, self.load_options) if self.corpus is not None else set()

    def _index_changes(self, articles: list[Article], gone: list[str]) -> None:
        """Write these articles again and delete ``gone``; patch the searcher's columns."""
        from tui.index.prepared import patched, segment_layout
        from tui.index.search import Searcher
        from tui.index.store import write_changes

        searcher = self.searcher
        if searcher is None or self._memory is not None:
            self.index()
            return
        written = {a.id: facet_values(a, self.analyses[a.id]) for a in articles}
        if self._facets is not None:
            for aid in gone:
                self._facets.pop(aid, None)
            self._facets.update(written)
            self._facets_of = self.analyses
        ix = searcher._ix
        before = segment_layout(searcher.reader)
        docnums = {uid: docnum for docnum, uid in searcher.prepared.uids.items()}
        try:
            write_changes(ix, [(a, self.analyses[a.id], written[a.id]) for a in articles], gone, (before, docnums))
        except Exception:  # noqa: BLE001 - busy, full, damaged: the full update says what or rebuilds
            self._index_behind = True
            self.index()
            self._index_behind = False
            return

        def facets_of(uid: str) -> dict[str, list[str]] | None:
            if uid in written:
                return written[uid]
            article, analysis = self.corpus.by_id(uid), self.analyses.get(uid)
            return facet_values(article, analysis) if article is not None and analysis is not None else None

        def patch(reader):
            return patched(searcher.prepared, reader, before, written.keys() | set(gone), facets_of)

        made = self._facets if self._facets_of is self.analyses else None
        with gc_paused(len(self.articles)):
            self.searcher = Searcher(ix, self.articles, self.analyses.values(), made, patch=patch)
        searcher.close()
        self._prepared_unsaved = True

    def _state_key(self, analysis_key: str | None, articles: list[Article] | None = None) -> str | None:
        """Everything the index holds: the analysis (its key covers the texts) and each
        article's id, title, source and date, in order."""
        if analysis_key is None:
            return None
        digest = hashlib.sha256(f"{SCHEMA_VERSION}|{analysis_key}".encode())
        for a in self.articles if articles is None else articles:
            digest.update(f"\x00{a.id}\x01{a.title}\x01{a.source}\x01{a.date}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _update_summaries(self, changed: Iterable[str] | None) -> None:
        """What the list shows of each analysis: of all, or of the ``changed`` ones."""
        if changed is None:
            self.summaries = {aid: list_summary(analysis) for aid, analysis in self.analyses.items()}
            return
        summaries = {aid: self.summaries[aid] for aid in self.analyses if aid in self.summaries}
        summaries.update({aid: list_summary(self.analyses[aid]) for aid in changed})
        self.summaries = summaries

    def _summaries_as_listed(self) -> dict[str, Summary] | None:
        """The listing's summaries, if they are of the analysis held (13,000 made again
        cost a seventh of a second on a start)."""
        listing = self._listing
        if self._state is None or self._listing_analysis != self._summaries_key() or listing is None \
                or len(listing) != len(self.articles) or any(a.summary is None for a in listing):
            return None
        if [a.id for a in listing] != [a.id for a in self.articles]:
            return None
        return {a.id: a.summary for a in listing}

    def _save_summaries(self) -> None:
        """The listing with what the list shows of each analysis, for the next start."""
        if self.corpus is None:
            return
        summaries = self.summaries
        listing = listing_of(self.corpus, summaries)
        key = self._summaries_key()
        if listing != self._listing or self._listing_analysis != key:
            save_listing(self._listing_path(), self.corpus, summaries, analysis=key)
            self._listing, self._listing_analysis = listing, key

    def _summaries_key(self) -> str | None:
        """What the summaries are of: the analysis held, summarised by this version."""
        return None if self._state is None else f"{SUMMARY_VERSION}|{self._state}"

    def index(self, progress: Progress | None = None) -> IndexUpdate | None:
        """Bring the saved index up to date; None when it could not be saved and the
        search runs on an index in memory instead (``notices`` says why)."""
        from tui.index.store import memory_index, update_index  # Whoosh: after the first paint

        folder = index_folder(self.root, self.index_base)
        before, self._before = self._before, None
        if self._state is not None and self._open_as_saved(folder):
            return IndexUpdate(0, 0, 0, len(self.articles), 0, rebuilt=False)
        if before is not None and self._state is not None:  # the index as the last run left it, and the changes since
            update = self._follow_saved(folder, *before)
            if update is not None:
                return update
        analyses = [self.analyses[a.id] for a in self.articles]
        try:
            with gc_paused(len(self.articles)):  # digests of every article: many small objects
                self._facets = {a.id: facet_values(a, r) for a, r in zip(self.articles, analyses)}
                self._facets_of = self.analyses
                update = update_index(folder, self.articles, analyses, progress, self._facets)
        except IndexUnwritable as exc:
            self.notices.append(f"the search index cannot be saved ({exc}): searching a copy in memory")
            self._memory = memory_index(self.articles, analyses, progress)
            self.open_searcher()
            return None
        self._memory = None
        searcher = self.open_searcher(just_updated=True)
        # Saved only for the index this update wrote or checked: another newsreader may
        # have committed since, and its state is not the one the key describes.
        if update.generation == searcher.prepared.generation:
            self._save_prepared(searcher)
        return update

    def _save_prepared(self, searcher: Searcher) -> None:
        from tui.index.prepared import save_prepared  # numpy: not before the list is painted
        from tui.index.store import index_identity

        identity = index_identity(index_folder(self.root, self.index_base))
        if self._state is not None and identity:
            save_prepared(self._beside_index(".prepared.npz"), f"{self._state}|{identity}", searcher.prepared)
        self._prepared_unsaved = False

    def _follow_saved(self, folder: Path, articles: list[Article], results) -> IndexUpdate | None:
        """The index as saved by the last run (on ``articles``, analysed as ``results``),
        with the articles changed since written alone: None when it was not saved so."""
        analysed = {r.article_id: r for r in results}
        if not self._open_as_saved(folder, self._state_key(results.key, articles), articles, analysed):
            return None
        changes = self._changes_since({a.id: a for a in articles}, analysed)
        written = [self.corpus.by_id(aid) for aid in (*changes.added, *changes.changed)]
        self._index_changes(written, changes.removed)
        if self._prepared_unsaved and self.searcher is not None and self._memory is None:
            self._save_prepared(self.searcher)  # (for the next start, which looks for them first)
        return IndexUpdate(len(changes.added), len(changes.changed), len(changes.removed),
                           len(self.articles) - len(written), len(written), rebuilt=False)

    def _open_as_saved(self, folder: Path, state: str | None = None, articles: list[Article] | None = None,
                       analyses: dict[str, ArticleAnalysis] | None = None) -> bool:
        """A searcher on the index as saved, when it was saved for this very corpus and
        analysis (by default the ones held): no article's digest to compare, no facet
        column to make. Anything amiss (another state, another index, damage) leaves it
        to the full update."""
        from tui.index.prepared import load_prepared  # numpy: not before the list is painted
        from tui.index.search import Searcher
        from tui.index.store import index_identity, open_saved_index

        state = self._state if state is None else state
        articles = self.articles if articles is None else articles
        analyses = self.analyses if analyses is None else analyses
        identity = index_identity(folder)
        prepared = load_prepared(self._beside_index(".prepared.npz"), f"{state}|{identity}") if identity else None
        ix = open_saved_index(folder) if prepared is not None else None
        if ix is None:
            return False
        try:
            with gc_paused(len(articles)):
                searcher = Searcher(ix, articles, analyses.values(), prepared=prepared)
        except Exception:  # noqa: BLE001 - a damaged index: the full update rebuilds it
            return False
        if searcher.prepared is not prepared:  # the index changed since (another newsreader)
            searcher.close()
            return False
        if self.searcher is not None:
            self.searcher.close()
        self.searcher, self._memory = searcher, None
        return True

    def open_searcher(self, just_updated: bool = False) -> Searcher:
        """A searcher on the index as last saved (also while another process writes it)."""
        from tui.index.search import Searcher
        from tui.index.store import open_index

        if self.searcher is not None:
            self.searcher.close()
        ix = self._memory or open_index(index_folder(self.root, self.index_base), check=not just_updated)[0]
        with gc_paused(len(self.articles)):
            made = self._facets if self._facets_of is self.analyses else None  # analyse() makes a new dict
            self.searcher = Searcher(ix, self.articles, self.analyses.values(), made)
        return self.searcher

    def issue_labels(self) -> dict[str, str]:
        """Issue id -> label, over the analysed articles (taxonomy issues and key phrases)."""
        if self._labels is None or self._labels_of is not self.analyses:  # analyse() makes a new dict
            self._labels = {i: label for a in self.analyses.values() for i, label, _ in a.issue_heads()}
            self._labels_of = self.analyses
        return self._labels

    def all_notices(self) -> list[str]:
        """What went wrong but did not stop anything (cache or index not saved)."""
        cache = self.settings.cache
        return [*(cache.notices if cache else []), *self.notices]

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
        if self.settings.cache is not None:
            self.settings.cache.close()
