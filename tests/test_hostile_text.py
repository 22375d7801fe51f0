"""Hostile text (Rich and Textual markup, terminal escape sequences, spreadsheet formulas)
in an article, its source, an entity name, an issue label and a note: shown literally on
every screen and neutralised in every export."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import notices_on_screen, screen_text, search_for, settle, wait_until, write
from tui.app.reader import ReaderScreen
from tui.app.search_screen import SearchScreen
from tui.app.tray import NoteEditor, TrayScreen
from tui.excerpts import FORMATS

TITLE = '=HYPERLINK("http://evil.example") [bold]Steel[/bold] [@click=app.quit]talks[/]'
SOURCE = "[link=https://evil.example]Wire[/link]"
PERSON = "[b]Bob[/b] [@click=app.quit]L[/]"
ISSUE = "[reverse]Steel[/reverse] & [@click=app.quit]tariffs[/]"
NOTE = "[@click=app.quit]note[/] $x \\[escaped]"
BODY_MARKUP = "[red]steel[/red]"
ARTICLE = {
    "title": TITLE + "\x1b]0;pwned\x07",
    "source": SOURCE,
    "date": "2018-08-27",
    "url": "https://example.com/a",
    "text": (
        f"Robert Lighthizer said the {BODY_MARKUP} tariffs \x1b[31mwould stay\x1b]52;c;ZXZpbA==\x07 in place. "
        "[@click=app.quit]For now[/], he said.\n\n"
        "Mexico and Canada discussed steel tariffs again on Thursday, Lighthizer told reporters in Washington."
    ),
}


def corpus(folder):
    write(folder / "story.json", json.dumps(ARTICLE))
    write(folder / "aliases.toml", f'[[entity]]\nname = "{PERSON}\\u001b[31m"\ntype = "person"\naliases = ["Robert Lighthizer", "Lighthizer"]\n')
    write(folder / "issues.toml", f'[[issue]]\nid = "steel"\nlabel = "{ISSUE}\\u0007"\nphrases = ["steel tariffs", "steel"]\n')
    return folder


def no_escapes(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\x9d")


async def test_every_screen_shows_hostile_text_literally_and_every_export_neutralises_it(make_app, tmp_path):
    app = make_app(corpus(tmp_path / "corpus"))
    async with app.run_test(size=(220, 60), notifications=True) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)  # the list
        assert TITLE in shown and SOURCE[:15] + "…" in shown and no_escapes(shown)

        await pilot.press("enter")  # the reader, its panel and status
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        shown = screen_text(app)
        assert BODY_MARKUP in shown and "[@click=app.quit]For" in shown and TITLE in shown
        assert SOURCE in shown and PERSON in shown and ISSUE[:26] in shown and no_escapes(shown)
        await pilot.press("tab", "enter")  # the first entity in the panel: the person
        await pilot.pause()
        assert f"{PERSON} — 1 of 2" in screen_text(app)

        await pilot.press("escape")
        await search_for(app, pilot, "slash", *"stay")  # hits, passages and facets
        assert isinstance(app.screen, SearchScreen)
        shown = screen_text(app)
        assert TITLE in shown and BODY_MARKUP in shown and PERSON[:25] in shown and ISSUE[:25] in shown
        assert SOURCE[:25] in shown and no_escapes(shown)
        await pilot.press("enter", "space")  # mark the hit: a notification names the article, as text
        await wait_until(pilot, lambda: any("Marked" in text for text in notices_on_screen(app)))
        (notice,) = [text for text in notices_on_screen(app) if "Marked" in text]
        assert TITLE[:60] in notice and no_escapes(notice)  # its markup shown, not applied

        await pilot.press("escape", "escape", "t")  # the tray, with a hostile note
        assert isinstance(app.screen, TrayScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one("#note").value = NOTE
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(app)
        assert NOTE in shown and TITLE[:60] in shown and no_escapes(shown)
        assert app.is_running  # no [@click=app.quit] was run

        outputs = {}
        for fmt in FORMATS:
            ok, message = app.export_excerpts(fmt, tmp_path / f"briefing.{fmt}", None)
            assert ok, message
            outputs[fmt] = (tmp_path / f"briefing.{fmt}").read_text(encoding="utf-8")
    assert all(no_escapes(text) for text in outputs.values())
    assert r"\[bold\]Steel\[/bold\]" in outputs["md"] and r"\[@click=app.quit\]note\[/\]" in outputs["md"]
    (row,) = csv.DictReader(io.StringIO(outputs["csv"]))
    assert row["title"] == "'" + TITLE and row["note"] == NOTE  # a formula is shown as text
    assert json.loads(outputs["json"])["excerpts"][0]["title"] == TITLE
    assert TITLE in outputs["txt"] and "Steel" in outputs["bib"]
    assert json.loads(outputs["csl"])[0]["title"] == TITLE
