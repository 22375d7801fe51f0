"""Marking, reviewing and exporting excerpts in the app, by keys."""

from __future__ import annotations

import threading

from tests.conftest import notices_on_screen, open_reader, search_for, settle, wait_until
from tui.app.export_dialog import ExportDialog
from tui.app.reader import ReaderScreen
from tui.app.tray import NoteEditor, TrayScreen
from tui.excerpts import ExcerptStore, corpus_key


def stored(seeds_path):
    store = ExcerptStore()
    try:
        return store.excerpts(corpus_key(seeds_path))
    finally:
        store.close()


async def test_space_marks_the_paragraph_under_the_cursor_and_again_unmarks_it(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("j", "space")  # the second paragraph
        (excerpt,) = stored(seeds_path)
        paragraph = reader.article.paragraphs[reader.units[1][2]]
        assert (excerpt.paragraph, excerpt.text) == (2, reader.article.paragraph_text(paragraph))
        assert excerpt.content_hash == reader.article.content_hash and excerpt.query is None
        assert "1 marked" in str(reader.query_one("#reader-status").render())
        assert (excerpt.start, excerpt.end) in reader.marked
        await pilot.press("space")
        assert stored(seeds_path) == []


async def test_by_sentence_marks_one_sentence(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await open_reader(app, pilot)
        await pilot.press("g", "j", "space")
        (excerpt,) = stored(seeds_path)
        assert excerpt.text == "U.S. Trade Representative Robert Lighthizer met again Thursday with Canadian Foreign Affairs Minister Chrystia Freeland and Mexican Economy Minister Ildefonso Guajardo in an effort to reach an agreement, the third straight day for such meetings."


async def test_space_on_a_search_result_marks_its_passage_with_the_query(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "slash", *"sovereignty")
        await pilot.press("enter", "space")  # to the results, mark the first hit's passage
        (excerpt,) = stored(seeds_path)
        assert excerpt.query == "sovereignty" and "sovereignty" in excerpt.text


async def test_the_tray_reorders_annotates_and_removes(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await open_reader(app, pilot)
        await pilot.press("space", "j", "space", "j", "space", "escape", "t")
        assert isinstance(app.screen, TrayScreen)
        assert [e.paragraph for e in stored(seeds_path)] == [1, 2, 3]
        await pilot.press("down", "K")  # the second one up
        assert [e.paragraph for e in stored(seeds_path)] == [2, 1, 3]
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one("#note").value = "check with the desk"
        app.screen.query_one("#tags").value = "use, needs check"
        await pilot.press("enter")
        await pilot.pause()
        first = stored(seeds_path)[0]
        assert (first.note, first.tags) == ("check with the desk", ("use", "needs check"))
        await pilot.press("x")
        assert [e.paragraph for e in stored(seeds_path)] == [1, 3]


async def test_the_export_dialog_writes_the_briefing_and_reports_a_bad_path(make_app, seeds_path, tmp_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await open_reader(app, pilot)
        await pilot.press("j", "j", "j", "space", "e")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#path").value = str(tmp_path / "missing" / "b.md")
        await pilot.click("#export")
        assert isinstance(app.screen, ExportDialog)  # still open, with the reason
        assert "no such folder" in str(app.screen.query_one("#export-message").render())
        assert not (tmp_path / "missing").exists()
        path = app.screen.query_one("#path")
        path.value = str(tmp_path / "briefing.md")
        path.focus()
        await pilot.press("enter")  # by keyboard: enter in the path field exports
        await pilot.pause()
        message = str(app.screen.query_one("#export-message").render()) if isinstance(app.screen, ExportDialog) else ""
        assert not isinstance(app.screen, ExportDialog), message
        text = (tmp_path / "briefing.md").read_text()
        assert text.startswith("# Briefing — briefing") and "However, a quick deal over Nafta" in text
        await pilot.press("e")
        app.screen.query_one("#group").value = "issue"
        path = app.screen.query_one("#path")
        path.value = str(tmp_path / "by-issue.md")
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        by_issue = (tmp_path / "by-issue.md").read_text()
        assert "## Sunset clause" in by_issue and "## Dispute settlement panels" in by_issue


async def test_a_reader_opened_before_the_analysis_gets_it_when_it_arrives(make_app, tmp_path):
    from tests.conftest import write

    write(tmp_path / "a.txt", "Talks\n\nRobert Lighthizer met Chrystia Freeland in Ottawa on Monday.")
    app = make_app(tmp_path)
    real_analyse = app.library.analyse
    go = threading.Event()

    def slow_analyse(*args, **kwargs):  # held back until the reader is open, as on a big corpus
        go.wait(timeout=30)
        return real_analyse(*args, **kwargs)

    app.library.analyse = slow_analyse
    async with app.run_test(size=(150, 45)) as pilot:
        # the list is there; analysis has only started
        assert await wait_until(pilot, lambda: app.corpus is not None), "the folder was not read"
        app.open_article("a")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.analysis is None
        go.set()
        await settle(app, pilot)
        assert reader.analysis is not None
        assert "entity:person:Robert Lighthizer" in reader.targets


async def test_a_notification_shows_a_hostile_title_as_text(make_app, tmp_path):
    from tests.conftest import write

    write(tmp_path / "x.txt", "[bold]Steel[/bold] [@click=app.quit]deal[/]\n\nSteel tariffs were discussed at length.")
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "slash", *"tariffs")
        await pilot.press("enter", "space")  # to the results; mark: a notice names the article
        # The toast as drawn: the title's markup shown as text, not applied (nor run).
        await wait_until(pilot, lambda: any("Steel" in text for text in notices_on_screen(app)))
        (notice,) = [text for text in notices_on_screen(app) if "Steel" in text]
        assert "[bold]Steel[/bold] [@click=app.quit]deal[/]" in notice
        assert app.is_running
