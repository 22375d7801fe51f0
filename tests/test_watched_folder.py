"""The folder, watched while the app is open: a file added, changed or removed is read,
analysed and indexed alone, and the list and an open search follow."""

from __future__ import annotations

import threading

from tests.conftest import search_for, settle, wait_until, write
from tui.app.article_list import ArticleList
from tui.app.search_screen import SearchScreen


def watching(app) -> bool:
    """The app's folder watcher runs (its thread is started once the app is ready)."""
    return app._watcher is not None and app._watcher.is_alive()


async def test_a_file_added_to_the_folder_appears_in_the_list_and_in_search(make_app, tmp_path):
    write(tmp_path / "1.txt", "Tariffs on steel\n\nRobert Lighthizer spoke about tariffs on steel.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: watching(app)), "the folder is not watched"  # started once the app is ready
        table = app.query_one(ArticleList)
        assert table.row_count == 1
        write(tmp_path / "2.txt", "Dairy quotas\n\nChrystia Freeland defended dairy quotas in Ottawa.")
        assert await wait_until(pilot, lambda: table.row_count == 2, limit=30)
        assert [table.cells(i)[0] for i in range(2)] == ["Tariffs on steel", "Dairy quotas"]
        assert await wait_until(pilot, lambda: table.cells(1)[4] != "…", limit=30)  # its analysis too
        await search_for(app, pilot, "slash", *"dairy")
        assert isinstance(app.screen, SearchScreen) and [h.title for h in app.screen.result.hits] == ["Dairy quotas"]
        (tmp_path / "1.txt").unlink()
        write(tmp_path / "2.txt", "Dairy quotas\n\nChrystia Freeland defended dairy quotas and supply management.")
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: table.row_count == 1, limit=30)
        await search_for(app, pilot, "slash", *"supply")
        assert [h.title for h in app.screen.result.hits] == ["Dairy quotas"]


async def test_an_excerpt_of_a_removed_article_is_kept_and_flagged(make_app, tmp_path):
    write(tmp_path / "1.txt", "Tariffs on steel\n\nRobert Lighthizer spoke about tariffs on steel.")
    write(tmp_path / "2.txt", "Dairy quotas\n\nChrystia Freeland defended dairy quotas in Ottawa.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: watching(app)), "the folder is not watched"
        await pilot.press("enter", "space", "escape")  # mark the first paragraph of the first article
        await pilot.pause()
        assert [e.status for e in app.excerpts()] == ["ok"]
        (tmp_path / "1.txt").unlink()
        table = app.query_one(ArticleList)
        assert await wait_until(pilot, lambda: table.row_count == 1, limit=30)
        (excerpt,) = app.excerpts()
        assert excerpt.status == "removed" and "Lighthizer" in excerpt.text


def hold_indexing(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Indexing waits for ``go`` (10 s at most) once it has set ``indexing``."""
    from tui.index import Library

    indexing, go = threading.Event(), threading.Event()
    index = Library.index

    def held(self, *args, **kwargs):
        indexing.set()
        go.wait(10)
        return index(self, *args, **kwargs)

    monkeypatch.setattr(Library, "index", held)
    return indexing, go


async def test_files_changed_while_the_folder_is_analysed_are_taken_in_once_ready(make_app, tmp_path, monkeypatch):
    # The watch begins once the app is ready: what changed between the folder's reading
    # and then (a fetch during a long first analysis) is found by comparing the files.
    write(tmp_path / "1.txt", "Tariffs on steel\n\nRobert Lighthizer spoke about tariffs on steel.")
    indexing, go = hold_indexing(monkeypatch)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        assert await wait_until(pilot, indexing.is_set, limit=30)
        write(tmp_path / "2.txt", "Dairy quotas\n\nChrystia Freeland defended dairy quotas in Ottawa.")
        write(tmp_path / "1.txt", "Tariffs on steel\n\nRobert Lighthizer spoke about zanzibarian steel.")
        go.set()
        table = app.query_one(ArticleList)
        assert await wait_until(pilot, lambda: table.row_count == 2, limit=30)
        assert await wait_until(pilot, lambda: app.library.searcher is not None
                              and len(app.library.searcher.search("zanzibarian OR dairy").hits) == 2, limit=30)


def test_what_the_watcher_takes_for_articles(tmp_path):
    from tui.corpus.watch import article_paths

    root = tmp_path / ".local" / "news"  # a folder under a hidden one is still read
    changed = {str(root / "a.txt"), str(root / "world" / "b.html"), str(root / ".fetch" / "state.json"),
               str(root / ".a.txt.swp"), str(root / "issues.toml"), str(root / "world" / "issues.toml")}
    assert article_paths(root, changed) == {root / "a.txt", root / "world" / "b.html", root / "world" / "issues.toml"}


async def test_quitting_while_the_index_is_made_keeps_the_resolution_for_the_next_start(tmp_path, monkeypatch):
    import asyncio

    from tui.analysis import settings_for_corpus
    from tui.app.app import NewsreaderApp
    from tui.index import Library

    root, cache = tmp_path / "news", tmp_path / "cache"
    write(root / "1.txt", "Tariffs on steel\n\nRobert Lighthizer spoke about tariffs on steel.")
    indexing, go = hold_indexing(monkeypatch)
    saved, remember = threading.Event(), Library.remember

    def remembered(self):  # the save once the held index is made (the app has quit by then)
        remember(self)
        if go.is_set():
            saved.set()

    monkeypatch.setattr(Library, "remember", remembered)
    app = NewsreaderApp(Library(root, settings_for_corpus(root, cache_folder=cache), index_base=cache))
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, indexing.is_set, limit=30)
        threading.Timer(0.3, go.set).start()
        await pilot.press("q")
    assert await asyncio.to_thread(saved.wait, 30), "nothing was saved once the index was made"
    monkeypatch.undo()
    again = Library(root, settings_for_corpus(root, cache_folder=cache), index_base=cache)
    again.load()
    again.analyse()
    assert again._as_kept is not None  # the whole result as kept: no resolution made again
    again.close()
