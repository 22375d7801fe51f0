"""The views across the pile in the app: dossier, quotes, issues over time, merging."""

from __future__ import annotations

from tests.conftest import open_reader, screen_text, settle, wait_until
from tui.app.dossier_screen import DossierScreen
from tui.app.issues_screen import IssuesScreen
from tui.app.quotes_screen import QuotesScreen
from tui.app.reader import ReaderScreen

LIGHTHIZER = "Robert Lighthizer"


async def until_idle(app, pilot):
    await settle(app, pilot)
    await pilot.pause()


async def test_the_palette_lists_entities_by_name(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"lighthizer")
        # the palette's providers answer in their own time
        assert await wait_until(pilot, lambda: "person · 5 article(s) — open the dossier" in screen_text(app)), screen_text(app)


async def test_go_to_entity_completes_a_name_and_opens_its_dossier(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"go to entity")
        assert await wait_until(pilot, lambda: "Go to entity …" in screen_text(app)), screen_text(app)  # the command listed
        await pilot.press("enter", *"lghthzr")  # fuzzy
        await pilot.pause()
        await pilot.press("enter")
        await until_idle(app, pilot)
        assert isinstance(app.screen, DossierScreen)
        dossier = app.screen.dossier
        assert dossier.name == LIGHTHIZER and len(dossier.articles) == 5 and dossier.quotes
        shown = screen_text(app)
        assert "Articles (5:" in shown and f"Quotes ({len(dossier.quotes)})" in shown and "Seen with" in shown
        await pilot.press("enter")  # the first article, at the entity's first mention, stepping through it
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.id == dossier.articles[0].at.article_id
        assert app.screen.target is not None and app.screen.target.label == LIGHTHIZER


async def test_d_on_an_entity_of_the_reader_panel_opens_its_dossier(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("tab", "down")
        panel = reader.query_one("#panel")
        key = panel.get_option_at_index(panel.highlighted).id
        assert key.startswith("entity:person:")
        await pilot.press("d")
        await until_idle(app, pilot)
        assert isinstance(app.screen, DossierScreen)
        assert (app.screen.dossier.type, app.screen.dossier.name) == tuple(key.split(":", 2)[1:])


async def test_a_quote_of_the_dossier_opens_at_that_quote(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        app.open_dossier(LIGHTHIZER, "person")
        await until_idle(app, pilot)
        quote = app.screen.dossier.quotes[0]
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.article.id == quote.at.article_id
        assert app.screen.target.spans == [(quote.at.start, quote.at.end)]


async def test_quotes_filter_as_you_type_and_space_marks_one(make_app, seeds_path, tmp_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, QuotesScreen)
        every = len(app.screen.rows)
        await pilot.press(*"lighthizer")
        await pilot.pause()
        rows = app.screen.rows
        assert 0 < len(rows) < every and all(r.speaker == LIGHTHIZER for r in rows)
        assert f"{len(rows)} quote(s)" in screen_text(app)
        await pilot.press("enter", "space")  # to the list; mark the first
        await pilot.pause()
        (excerpt,) = app.excerpts()
        assert (excerpt.article_id, excerpt.start, excerpt.end) == (rows[0].at.article_id, rows[0].at.start, rows[0].at.end)
        assert app.export_excerpts("md", tmp_path / "b.md", None)[0]  # the briefing says who said it
        assert f"\n> “{rows[0].text}” — {LIGHTHIZER}\n" in (tmp_path / "b.md").read_text(encoding="utf-8")
        await pilot.press("t")  # and so does the tray
        await pilot.pause()
        assert f"“{rows[0].text[:40]}" in screen_text(app) and f"— {LIGHTHIZER}" in screen_text(app)


async def test_issues_over_time_say_when_there_are_no_dates(make_app, seeds_path):
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IssuesScreen)
        timeline = app.screen.timeline
        assert timeline is not None and not timeline.dated
        assert "No dates in these articles" in screen_text(app)
        assert len(timeline.buckets) == len(timeline.articles)
        await pilot.press("tab", "enter")  # the issue's first article, stepping through the issue
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.target.label == timeline.label


async def test_merging_in_the_dossier_is_saved_and_changes_the_pile(make_app, seeds_path, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path / "config"))
    root = tmp_path / "seeds"
    shutil.copytree(seeds_path, root)
    app = make_app(root)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        before = {e.name: e.mentions for e in app.pile().entity_names()}
        assert "Chrystia Freeland" in before
        app.open_dossier("Chrystia Freeland", "person")
        await until_idle(app, pilot)
        await pilot.press("m", *"robert lighthizer")
        await pilot.pause()
        await pilot.press("enter")
        await until_idle(app, pilot)
        assert not isinstance(app.screen, DossierScreen)
        after = {e.name: e.mentions for e in app.pile().entity_names()}
        assert "Chrystia Freeland" not in after and after[LIGHTHIZER] > before[LIGHTHIZER]
        saved = (tmp_path / "config" / "aliases.toml").read_text(encoding="utf-8")
        assert 'name = "Robert Lighthizer"' in saved and '"Chrystia Freeland"' in saved
        assert "ready" in str(app.query_one("#status").render())


async def test_the_app_dossier_is_what_the_entity_command_prints(make_app, seeds_path, capsys):
    import json

    from tui.cli.main import main
    from tui.cli.serialize import dossier_json

    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        app.open_dossier(LIGHTHIZER, "person")
        await until_idle(app, pilot)
        shown = json.loads(json.dumps(dossier_json(app.screen.dossier)))
    capsys.readouterr()
    assert main(["entity", "Robert Lighthizer", str(seeds_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == shown
