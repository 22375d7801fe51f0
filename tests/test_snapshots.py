"""Snapshot tests of the main screens (pytest-textual-snapshot).

The app runs from the project folder on the relative path ``seeds`` so that the
snapshots do not depend on where the project is checked out. After an intended change
of the screens: ``.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update``
and look at the new SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, search_for, settle

SIZE = (130, 36)


@pytest.fixture
def seeds_app(make_app, monkeypatch):
    monkeypatch.chdir(ROOT)
    return make_app(Path("seeds"))


async def until_ready(pilot):
    await settle(pilot.app, pilot)


def test_the_list(snap_compare, seeds_app):
    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=until_ready)


def test_the_reader_with_an_entity_chosen(snap_compare, seeds_app):
    async def run_before(pilot):
        await until_ready(pilot)
        await pilot.press("enter", "tab", "down", "enter", "n")
        await pilot.pause()

    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=run_before)


def test_search_with_facets(snap_compare, seeds_app):
    async def run_before(pilot):
        await until_ready(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#query").cursor_blink = False  # a blink is not a difference
        await search_for(pilot.app, pilot, *"dispute panels")  # until its answer is on screen

    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=run_before)


def test_the_help_screen(snap_compare, seeds_app):
    async def run_before(pilot):
        await until_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=run_before)
