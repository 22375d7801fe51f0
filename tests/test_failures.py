"""Never silent: a failure in any worker or thread of the app is on screen and in the log,
and the app goes on with what it has. Each place is made to fail by NEWSREADER_FAULT."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import notices_on_screen, screen_text, settle
from tui.analysis.settings import log_path
from tui.app.article_list import ArticleList
from tui.app.failures import FAULT_ENV
from tui.app.reader import ReaderScreen


def _status(app) -> str:
    return str(app.query_one("#status").render())


def _assert_reported(app, where: str) -> None:
    """The status line in the error colour, a notification naming the log, the traceback there."""
    status = app.query_one("#status")
    assert f"{where} failed: InjectedFault" in _status(app)
    assert status.has_class("-error")
    notices = [n for n in notices_on_screen(app) if f"{where} failed" in n]
    assert notices and str(log_path()) in notices[0]
    logged = log_path().read_text(encoding="utf-8")
    assert f"{where} failed" in logged and "Traceback (most recent call last)" in logged


@pytest.mark.parametrize("where", ["analysis", "indexing", "saving the results"])
async def test_a_failing_start_up_step_is_said_and_the_list_still_opens(make_app, seeds_path, monkeypatch, where):
    monkeypatch.setenv(FAULT_ENV, where)
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        _assert_reported(app, where)
        assert app.query_one(ArticleList).row_count == 5
        await pilot.press("enter")  # what is there can still be read
        assert isinstance(app.screen, ReaderScreen)
        assert "Nafta" in screen_text(app)


async def test_a_failing_read_of_the_folder_is_said(make_app, seeds_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "reading the folder")
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        _assert_reported(app, "reading the folder")
        assert app.is_running


async def test_a_failing_search_is_said_and_the_next_screen_works(make_app, seeds_path, monkeypatch):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        monkeypatch.setenv(FAULT_ENV, "search")
        await pilot.press("slash", *"steel")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert any("search failed: InjectedFault" in n for n in notices_on_screen(app))
        assert "search failed" in log_path().read_text(encoding="utf-8")
        monkeypatch.delenv(FAULT_ENV)
        await pilot.press("backspace")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert "Steel" in screen_text(app) or "steel" in screen_text(app)


@pytest.mark.parametrize(("key", "where"), [("w", "gathering the quotes")])
async def test_a_failing_view_across_the_pile_is_said(make_app, seeds_path, monkeypatch, key, where):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        monkeypatch.setenv(FAULT_ENV, where)
        await pilot.press(key)
        await settle(app, pilot)
        assert any(f"{where} failed" in n for n in notices_on_screen(app))
        await pilot.press("escape")
        assert isinstance(app.screen.query_one(ArticleList), ArticleList)


async def test_a_failing_dossier_is_said(make_app, seeds_path, monkeypatch):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        monkeypatch.setenv(FAULT_ENV, "the dossier")
        app.open_dossier("Robert Lighthizer", "person")
        await settle(app, pilot)
        assert any("the dossier failed" in n for n in notices_on_screen(app))


async def test_a_failing_export_is_said_and_writes_nothing(make_app, seeds_path, monkeypatch, tmp_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "space", "escape")  # a passage marked
        monkeypatch.setenv(FAULT_ENV, "export")
        written, message = app.export_excerpts("md", tmp_path / "brief.md", None)
        await pilot.pause()
        assert not written and "InjectedFault" in message
        assert not (tmp_path / "brief.md").exists()
        assert any("export failed" in n for n in notices_on_screen(app))


async def test_a_failing_folder_watch_is_said(make_app, seeds_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "watching the folder")
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(50):
            if "watching the folder failed" in _status(app):
                break
            await pilot.pause(0.05)
        _assert_reported(app, "watching the folder")


async def test_an_exception_ending_any_other_thread_is_said(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(app, pilot)

        def fails() -> None:
            raise OSError(28, "No space left on device")

        thread = threading.Thread(target=fails, name="snapshot-save")
        thread.start()
        while thread.is_alive():  # (its report waits for the app's loop: not joined here)
            await pilot.pause(0.01)
        await pilot.pause()
        assert "snapshot-save failed: OSError" in _status(app)
        assert any("No space left on device" in n for n in notices_on_screen(app))
