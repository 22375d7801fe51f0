"""The reader and the search screen, driven by keys as a user drives them."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import write
from tests.conftest import notices_on_screen, open_reader, search_for, settle, toasts_on_screen, wait_until
from tui.app.article_list import ArticleList
from tui.app.help_screen import HelpScreen
from tui.app.reader import ReaderScreen
from tui.app.search_screen import FilterChip, SearchScreen


def paragraph_showing(screen: ReaderScreen, words: str) -> tuple[int, Text]:
    for index, widget in enumerate(screen.query(".paragraph")):
        content = widget.content
        if isinstance(content, Text) and words in content.plain:
            return index, content
    raise AssertionError(f"no paragraph shows {words!r}")


def styles_at(text: Text, start: int, end: int) -> list:
    return [span.style for span in text.spans if span.start <= start and end <= span.end]


async def test_an_entity_is_highlighted_in_its_types_style_and_a_toggle_hides_it(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_reader(app, pilot)
        _, text = paragraph_showing(screen, "Robert Lighthizer met again")
        start = text.plain.index("Robert Lighthizer")
        person_style = screen._styles["person"]
        assert person_style in styles_at(text, start, start + len("Robert Lighthizer"))
        place = text.plain.index("U.S.")
        assert screen._styles["place"] in styles_at(text, place, place + 4)
        await pilot.press("1")  # people off
        _, text = paragraph_showing(screen, "Robert Lighthizer met again")
        assert person_style not in styles_at(text, start, start + len("Robert Lighthizer"))
        assert screen._styles["place"] in styles_at(text, place, place + 4)  # places still on
        await pilot.press("1")
        _, text = paragraph_showing(screen, "Robert Lighthizer met again")
        assert person_style in styles_at(text, start, start + len("Robert Lighthizer"))


async def test_choosing_an_entity_in_the_panel_and_cycling_its_mentions(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_reader(app, pilot)
        await pilot.press("tab")
        assert app.focused.id == "panel"
        panel = app.focused
        index = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == "entity:person:Chrystia Freeland")
        panel.highlighted = index
        await pilot.press("enter")
        assert screen.target.label == "Chrystia Freeland" and screen.target.position == 0
        assert "1 of 5" in str(screen.query_one("#reader-status").render())
        await pilot.press("n", "n")
        assert screen.target.position == 2
        start, end = screen.target.spans[2]
        assert screen.article.text[start:end] in {"Freeland", "Chrystia Freeland"}
        _, text = paragraph_showing(screen, screen.article.text[start:end])
        await pilot.press("N", "N", "N")
        assert screen.target.position == 4  # wraps around


async def test_search_drill_down_and_remove_the_filter(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        screen = app.screen
        await search_for(app, pilot, *"steel")
        first = [h.id for h in screen.result.hits]
        assert len(first) == 4
        facets = screen.query_one("#facets")
        ids = [facets.get_option_at_index(i).id for i in range(facets.option_count)]
        # a facet value on screen that exactly one hit carries
        facet, value = next(
            (f, v) for f, values in screen.result.facets.items() for v, count in values
            if count == 1 and f"facet:{f}:{v}" in ids
        )
        facets.focus()
        facets.highlighted = ids.index(f"facet:{facet}:{value}")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: screen.result.filters), "no answer to the search with the filter"
        await settle(app, pilot)
        assert screen.result.total == 1 and len(screen.result.hits) == 1
        assert dict(screen.result.facets[facet])[value] == 1
        (chip,) = screen.query(FilterChip)
        assert value in str(chip.label)
        chip.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert [h.id for h in screen.result.hits] == first and not screen.query(FilterChip)


async def test_a_bad_query_is_shown_inline_and_a_suggestion_can_be_accepted(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "slash", *"foo:bar")
        assert "unknown field 'foo'" in str(app.screen.query_one("#search-message").render())
        query = app.screen.query_one("#query")
        query.value = "ligthizer"
        await search_for(app, pilot)
        assert "did you mean lighthizer" in str(app.screen.query_one("#search-message").render())
        await search_for(app, pilot, "ctrl+y")
        assert query.value == "lighthizer" and app.screen.result.total == 5


async def test_a_hit_opens_the_article_at_its_passage_with_the_query_terms_marked(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "slash", *'"dispute panels"')
        await pilot.press("enter", "enter")  # to the results, then open the first
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article.id == "000_9cf93562ebcfcd3e"
        assert reader.target.label.startswith("search:")
        start, end = reader.target.spans[reader.target.position]
        assert reader.article.text[start:end] == "dispute panels"
        index, text = paragraph_showing(reader, "dispute panels")
        assert reader.article.paragraphs[index].number == 4


async def test_the_help_screen_lists_the_keys(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 80)) as pilot:  # tall: the whole list at once
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = app.export_screenshot().replace("&#160;", " ")
        for words in ("Search", "Quit", "command palette", "Next", "Toggle people", "Did you mean", "Sort",
                      "Mark", "Excerpts", "Export", "Move up", "Note/tags"):
            assert words in shown, words
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("slash", "f1")  # in the search box "?" is text; f1 still helps
        assert isinstance(app.screen, HelpScreen)


async def test_sorting_keeps_the_selected_article_and_skips_dates_where_there_are_none(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await settle(app, pilot)
        table = app.query_one(ArticleList)
        await pilot.press("j", "j")  # 002, 373 words
        await pilot.press("s")  # file order -> (date: the seeds have none) -> title
        assert any("sorted by title (no article has a date)" in n for n in notices_on_screen(app))
        assert table.cells(0)[0].startswith("President Donald Trump")
        await pilot.press("s")  # -> length
        assert table.cursor_id == "002_415109d018e1cdaf"
        assert [table.cells(i)[3] for i in range(5)] == ["887", "640", "425", "412", "373"]


async def test_a_keymap_file_remaps_a_binding(make_app, seeds_path, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "keys.toml", '[keys]\n"app.search" = "f"\n')
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        assert isinstance(app.screen, SearchScreen)


async def test_unknown_ids_in_the_keymap_file_are_named_and_the_others_apply(make_app, seeds_path, tmp_path, monkeypatch):
    from tui.app.tray import TrayScreen

    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "keys.toml", '[keys]\n"app.serach" = "f"\n"app.tray" = "b"\n"zzz" = "z"\n')
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: any("keys.toml" in text for _, text in toasts_on_screen(app)))
        ((severity, notice),) = [(s, text) for s, text in toasts_on_screen(app) if "keys.toml" in text]
        assert severity == "warning"
        assert notice.startswith(f"{tmp_path / 'keys.toml'}: unknown binding id(s) ignored: ")
        assert '"app.serach" (did you mean "app.search"?), "zzz";' in notice
        await pilot.press("b")  # the valid entry applies
        assert isinstance(app.screen, TrayScreen)


async def test_markup_and_escapes_in_an_article_render_literally_in_the_reader(make_app, tmp_path):
    write(tmp_path / "x.txt", "[bold]T[/bold]\n\nRobert Lighthizer said [link=http://x]no[/link] \x1b[31mtoday[@click=app.quit].")
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await open_reader(app, pilot)
        shown = app.export_screenshot()
        assert "[link=http://x]no[/link]" in shown and "[@click=app.quit]" in shown and "[bold]T[/bold]" in shown
        assert "\x1b" not in shown


async def test_a_very_long_article_is_read_in_parts(make_app, tmp_path):
    paragraphs = [f"Paragraph {n} is about tariffs number {n}." for n in range(1, 451)]
    paragraphs[399] = "Paragraph 400 is where Freeland speaks about dairy."
    write(tmp_path / "long.txt", "A long one\n\n" + "\n\n".join(paragraphs))
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        reader = await open_reader(app, pilot)
        assert (reader.page, len(reader.pages)) == (0, 3)
        assert len(reader.query(".paragraph")) == 200  # not 450 widgets
        assert "part 1 of 3" in str(reader.query_one("#part-note").render())
        await pilot.press("right_square_bracket")
        assert reader.page == 1 and paragraph_showing(reader, "Paragraph 201 ")
        await pilot.press(*["k"] * 1)  # the cursor steps back over the edge: part 1 again
        assert reader.page == 0 and reader.units[reader.cursor][2] == 199
        await pilot.press("escape")
        await search_for(app, pilot, "slash", *"dairy")
        await pilot.press("enter", "enter")  # the hit opens the article at its passage
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.page == 1
        assert paragraph_showing(reader, "where Freeland speaks")


async def test_hits_past_the_first_screenful_get_their_passages_after_it(make_app, tmp_path):
    for n in range(30):
        write(tmp_path / f"{n:02}.txt", f"Story {n}\n\nOpening words.\n\nSteel tariffs were raised again, story {n} says.")
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "slash", *"steel")
        result = app.screen.result
        assert result.total == 30 and len(result.hits) == 30
        assert all(hit.passages and "Steel tariffs" in hit.passages[0].text for hit in result.hits)
