"""The app, driven through Textual's pilot as a user drives it with the keyboard."""

from __future__ import annotations

from tests.conftest import screen_text, settle, write
from tui.app.article_list import MIN_TITLE, PADDING, ArticleList
from tui.app.reader import ReaderScreen as ArticleScreen



HOSTILE_TITLE = "[bold]Not bold[/bold] [@click=app.quit]Not a link[/]"




async def test_the_list_shows_the_seed_articles(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        assert table.row_count == 5
        titles = [table.cells(i)[0] for i in range(5)]
        assert titles[0].startswith("The Trump administration and its Nafta partners")
        assert table.cells(0)[3] == "887"
        assert "ready — 5 articles" in str(app.query_one("#status").render())
        assert table.has_focus


async def test_enter_opens_the_article_and_escape_goes_back(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.id == "001_a38a9690114d7a33"
        body = "\n".join(str(p.render()) for p in app.screen.query(".paragraph"))
        assert "Broad Support" in body and "Lighthizer" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, ArticleScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_markup_in_articles_is_shown_as_text(make_app, tmp_path):
    write(tmp_path / "x.txt", f"{HOSTILE_TITLE}\n\nBody with [red]markup[/red] and \x1b[31mescapes.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        assert table.cells(0)[0] == HOSTILE_TITLE
        screen = app.export_screenshot()
        assert "[bold]Not" in screen and "[@click=app.quit]Not" in screen
        await pilot.press("enter")
        assert app.is_running  # the [@click=app.quit] title did not quit the app
        assert isinstance(app.screen, ArticleScreen)
        assert "[red]markup[/red]" in app.export_screenshot()


async def test_a_folder_without_articles_says_so_and_lists_why(make_app, tmp_path):
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "image.png", b"\x89PNG")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert not app.query_one(ArticleList).display
        empty = str(app.query_one("#empty").render())
        assert "No usable articles" in empty
        assert "empty file" in empty and "unsupported file type '.png'" in empty
        await pilot.press("enter")  # nothing to open: no crash
        assert app.is_running


async def test_every_column_stays_visible_in_a_narrow_terminal_and_after_a_resize(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.export_screenshot()
        assert "887" in screen and "Words" in screen  # the last column is not cut off
        await pilot.resize_terminal(200, 30)
        await pilot.pause()
        table = app.query_one(ArticleList)
        wide = table.column_widths()[0]
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        narrow = table.column_widths()[0]
        assert wide > narrow >= MIN_TITLE
        assert "887" in app.export_screenshot()


async def test_every_column_fits_beside_the_scrollbar_of_a_long_list(make_app, tmp_path):
    for n in range(25):  # more rows than the screen: a vertical scrollbar
        write(tmp_path / f"{n:03}.txt", f"Article {n}\n\n" + "word " * (110 + n))
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        assert table.show_vertical_scrollbar
        used = sum(width + 2 * PADDING for width in table.column_widths())
        assert used == table.scrollable_content_region.width  # all of it, none under the scrollbar
        assert "Issues" in app.export_screenshot()


async def test_every_row_of_a_long_list_gets_its_analysis_and_keeps_it_when_sorted(make_app, tmp_path):
    for n in range(25):
        write(tmp_path / f"{n:03}.txt", f"Article {n}\n\nRobert Lighthizer met Chrystia Freeland in Ottawa, text {n}.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        assert [table.cells(i)[0] for i in range(table.row_count)] == [f"Article {n}" for n in range(25)]
        assert all(table.cells(i)[4] == "3" for i in range(25))  # people, places: not "…"
        await pilot.press("end")
        assert table.cursor_id == app.corpus.articles[-1].id
        assert "Article 24" in screen_text(app) and "Article 0 " not in screen_text(app)  # scrolled to the cursor
        await pilot.press("s")  # by date: none has one, so file order
        assert table.row_count == 25 and table.cursor_id == app.corpus.articles[-1].id
        assert all(table.cells(i)[4] == "3" for i in range(25))


async def test_clicking_a_row_selects_it_and_clicking_it_again_opens_it(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        await pilot.click(ArticleList, offset=(5, 3))  # below the header: the third row
        assert table.cursor_row == 2 and not isinstance(app.screen, ArticleScreen)
        await pilot.click(ArticleList, offset=(5, 3))
        assert isinstance(app.screen, ArticleScreen) and app.screen.article.id == table.cursor_id

def hold_folder_reading(monkeypatch):
    """The app's reading of the folder waits until the returned event is set."""
    import threading

    from tui.index import Library

    reading = threading.Event()
    real_load = Library.load
    monkeypatch.setattr(Library, "load", lambda self, partial=None: reading.wait(30) and real_load(self, partial))
    return reading


async def test_the_list_as_last_read_is_painted_before_the_folder_is_read_again(make_app, tmp_path, monkeypatch):
    for n in (1, 2):
        write(tmp_path / f"{n}.txt", f"Article {n}\n\nText of article {n}.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)  # the first start reads the folder and keeps its listing
    write(tmp_path / "3.txt", "Article 3\n\nAdded since.")
    (tmp_path / "1.txt").unlink()
    reading = hold_folder_reading(monkeypatch)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(ArticleList)
        assert [table.cells(i)[0] for i in range(table.row_count)] == ["Article 1", "Article 2"]
        assert "as last read" in str(app.query_one("#status").render())
        reading.set()  # the folder, read now, is the truth
        await settle(app, pilot)
        assert [table.cells(i)[0] for i in range(table.row_count)] == ["Article 2", "Article 3"]


async def test_a_first_start_paints_the_first_rows_before_the_folder_is_read(make_app, tmp_path, monkeypatch):
    for n in range(80):
        write(tmp_path / f"{n:03}.txt", f"Article {n}\n\nText {n}.")
    reading = hold_folder_reading(monkeypatch)  # no listing kept, and the folder's read held
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(ArticleList)
        assert [table.cells(i)[0] for i in range(table.row_count)] == [f"Article {n}" for n in range(30)]
        reading.set()
        await settle(app, pilot)
        assert table.row_count == 80


async def start_once_on_twelve_articles(make_app, tmp_path) -> None:
    """A folder of twelve articles, started once so that its listing is kept."""
    for n in range(12):
        write(tmp_path / f"{n:03}.txt", f"Article {n}\n\nText {n}.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)


async def test_a_long_list_as_last_read_is_listed_whole_while_the_folder_is_read(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr("tui.corpus.listing.HEAD", 3)  # the listing's first line: 3 rows, the rest on its second
    await start_once_on_twelve_articles(make_app, tmp_path)
    reading = hold_folder_reading(monkeypatch)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(10):
            await pilot.pause()
        table = app.query_one(ArticleList)
        assert [table.cells(i)[0] for i in range(table.row_count)] == [f"Article {n}" for n in range(12)]
        assert "as last read" in str(app.query_one("#status").render())
        reading.set()
        await settle(app, pilot)
        assert [table.cells(i)[0] for i in range(table.row_count)] == [f"Article {n}" for n in range(12)]


async def test_the_list_as_last_read_stays_when_reading_the_folder_fails(make_app, tmp_path, monkeypatch):
    from tui.index import Library

    monkeypatch.setattr("tui.corpus.listing.HEAD", 3)
    await start_once_on_twelve_articles(make_app, tmp_path)

    def fails(self, partial=None):
        raise OSError("the disk went away")

    monkeypatch.setattr(Library, "load", fails)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(20):
            await pilot.pause()
        table = app.query_one(ArticleList)
        assert table.row_count == 12
        assert "cannot read" in str(app.query_one("#status").render()) and "the disk went away" in str(app.query_one("#status").render())


async def test_a_second_start_paints_rows_whole_with_the_analysis_as_last_seen(make_app, tmp_path, monkeypatch):
    write(tmp_path / "1.txt", "Article 1\n\nRobert Lighthizer met Chrystia Freeland in Ottawa.")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        first = (table.cells(0)[4], table.cells(0)[5])
    assert first[0] == "3"
    held = hold_folder_reading(monkeypatch)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(ArticleList)
        assert (table.cells(0)[4], table.cells(0)[5]) == first  # not "…" while the folder is read
        held.set()
        await settle(app, pilot)
        assert (table.cells(0)[4], table.cells(0)[5]) == first


def test_a_damaged_listing_is_not_used(tmp_path):
    from tui.analysis import settings_for_corpus
    from tui.index import Library

    write(tmp_path / "corpus" / "a.txt", "A\n\nText.")
    library = Library(tmp_path / "corpus", settings_for_corpus(tmp_path / "corpus", use_cache=False), index_base=tmp_path)
    library.load()
    assert [a.title for a in library.cached_listing()] == ["A"]
    library._listing_path().write_text('{"version": 1, "root": "x", "articles": [[1]]', encoding="utf-8")
    assert library.cached_listing() is None


def test_the_listing_gives_its_first_screenful_first_and_the_rest_on_demand(tmp_path, monkeypatch):
    from tui.analysis import settings_for_corpus
    from tui.corpus import listing
    from tui.index import Library

    monkeypatch.setattr(listing, "HEAD", 2)
    for n in range(5):
        write(tmp_path / "corpus" / f"{n}.txt", f"Title {n}\n\nText {n}.")
    library = Library(tmp_path / "corpus", settings_for_corpus(tmp_path / "corpus", use_cache=False), index_base=tmp_path)
    library.load()
    head, count = library.cached_listing_head()
    assert [a.title for a in head] == ["Title 0", "Title 1"] and count == 5
    assert [a.title for a in library.rest_of_listing()] == ["Title 2", "Title 3", "Title 4"]
    # a damaged rest: the head alone, and the full listing is not trusted
    path = library._listing_path()
    first, _, _ = path.read_text(encoding="utf-8").partition("\n")
    path.write_text(first + "\n[[1, 2", encoding="utf-8")
    head, count = library.cached_listing_head()
    assert len(head) == 2 and library.rest_of_listing() == [] and library.cached_listing() is None


def test_a_start_takes_the_summaries_it_kept_only_for_the_analysis_they_are_of(tmp_path):
    from tui.analysis import settings_for_corpus
    from tui.cli.analyze import analyze_corpus
    from tui.corpus import load_corpus
    from tui.index import Library
    from tui.index.library import list_summary

    write(tmp_path / "corpus" / "1.txt", "Article 1\n\nRobert Lighthizer met Chrystia Freeland in Ottawa.")
    write(tmp_path / "corpus" / "2.txt", "Article 2\n\nJustin Trudeau spoke.")

    def start() -> Library:
        root = tmp_path / "corpus"
        library = Library(root, settings_for_corpus(root, cache_folder=tmp_path / "cache"), index_base=tmp_path)
        library.cached_listing_head()
        library.rest_of_listing()
        library.load()
        library.analyse()
        return library

    first = start()
    assert first.summaries["1"][0] == 3
    again = start()  # nothing changed: the kept summaries, equal to ones made afresh
    assert again.summaries == {aid: list_summary(a) for aid, a in again.analyses.items()}
    write(tmp_path / "corpus" / "1.txt", "Article 1\n\nRobert Lighthizer met Chrystia Freeland and Jean Chrétien in Ottawa.")
    analyze_corpus(load_corpus(tmp_path / "corpus"), first.settings)  # `newsreader analyze`: the listing is not told
    changed = start()  # the analysis as kept, but not the one the listing's summaries are of
    assert changed.summaries["1"][0] == 4 and changed.summaries["2"] == first.summaries["2"]


def test_reading_the_folder_without_the_list_keeps_the_summaries_of_the_listing(tmp_path):
    from tui.analysis import settings_for_corpus
    from tui.index import Library

    root = tmp_path / "corpus"
    write(root / "1.txt", "Article 1\n\nRobert Lighthizer met Chrystia Freeland in Ottawa.")
    settings = settings_for_corpus(root, cache_folder=tmp_path / "cache")
    library = Library(root, settings, index_base=tmp_path)
    library.load()
    library.analyse()
    write(root / "2.txt", "Article 2\n\nAdded since.")
    Library(root, settings, index_base=tmp_path).load()  # as the CLI does: no list painted first
    rows, _ = Library(root, settings, index_base=tmp_path).cached_listing_head()
    assert [(a.title, a.summary and a.summary[0]) for a in rows] == [("Article 1", 3), ("Article 2", None)]
