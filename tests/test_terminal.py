"""End to end, in a real terminal: the installed ``newsreader`` in tmux, with empty cache and
data folders, driven by keys as a new user drives it. Limits are hang limits, generous on
two cores; nothing here times the app (``newsreader bench`` does)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.terminal import NEWSREADER, Terminal, wait_gone, why_not_runnable

pytestmark = [pytest.mark.terminal, pytest.mark.skipif(why_not_runnable() is not None, reason=why_not_runnable() or "")]

BBC = ROOT.parent / "shared" / "corpora" / "bbc"
COLD_START_LIMIT = 30 * 60  # the first analysis of 1,328 stories: minutes on two busy cores, not half an hour
GONE_LIMIT = 5  # seconds from the terminal closed to every process of the app gone


def fresh_folders(tmp_path: Path) -> dict[str, str]:
    """A new user's machine: every folder the app writes to is new and empty."""
    home = tmp_path / "home"
    names = ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
    folders = {name: str(home / name.lower()) for name in names}
    return {**folders, "HOME": str(home), "NEWSREADER_FAULT": ""}


@pytest.fixture
def terminals():
    opened: list[Terminal] = []
    yield opened.append
    for terminal in opened:
        terminal.close()


@pytest.mark.skipif(not BBC.is_dir(), reason=f"the BBC corpus is not at {BBC}")
def test_a_new_user_opens_the_bbc_folder_searches_marks_exports_and_closes_the_terminal(tmp_path, terminals):
    work = tmp_path / "work"
    work.mkdir()
    term = Terminal([str(NEWSREADER), str(BBC)], cwd=work, env=fresh_folders(tmp_path))
    terminals(term)

    # Rows while the folder is read and analysed, batch by batch, then "ready".
    term.wait_for("Ad sales boost Time Warner profit", 60)
    term.wait_for("analysing", 120)
    screen = term.wait_for("ready — 1,328 articles", COLD_START_LIMIT, poll=2)
    assert "failed" not in screen

    # Search, narrow by the first value of the facets, open a hit.
    term.press("/")
    term.type("oil prices")
    term.wait_for("article(s)", 30)
    term.press("Tab", "Tab", "Down", "Enter")  # to the facets: the first value becomes a filter chip
    screen = term.wait_for("✕", 30)
    term.press("BTab", "Down", "Enter")  # back to the results: open the first hit
    term.wait_for("marking paragraphs", 30)

    # Mark the passage, export the briefing (the dialog's path field, enter).
    term.press("Space")
    term.wait_for("1 marked", 10)
    term.press("e")
    term.wait_for("Export the excerpts", 10)
    term.press("Tab", "Tab", "Enter")
    term.wait_for("Wrote 1 excerpt", 20)
    (briefing,) = work.glob("briefing-*.md")
    text = briefing.read_text(encoding="utf-8")
    assert text.count("\n> ") == 1 and "*Query:* `oil prices`" in text

    # The terminal goes away: every process of the app (spaCy's too) is gone soon after.
    processes = term.processes()
    assert processes
    term.close()
    assert not wait_gone(processes, GONE_LIMIT)


def test_a_failure_injected_into_the_analysis_is_on_screen_and_the_app_goes_on(tmp_path, terminals):
    env = {**fresh_folders(tmp_path), "NEWSREADER_FAULT": "analysis"}
    term = Terminal([str(NEWSREADER)], cwd=tmp_path, env=env)
    terminals(term)
    term.wait_for("analysis failed: InjectedFault", 60)  # the status line …
    term.wait_for("Details in", 10)  # … and the notification, which names the log
    log = Path(env["XDG_STATE_HOME"]) / "newsreader" / "newsreader.log"
    assert "Traceback" in log.read_text(encoding="utf-8")
    term.press("Enter")  # the list is still there to read
    term.wait_for("marking paragraphs", 30)
    term.press("Escape", "q")
    term.wait_for("[exited 0]", 10)


def test_closing_the_terminal_ends_the_app_run_by_make(tmp_path, terminals):
    """Under make the app gets no SIGHUP: it must see the terminal go itself."""
    if subprocess.run(["make", "--version"], capture_output=True).returncode != 0:
        pytest.skip("make is not installed")
    term = Terminal(["make", "--no-print-directory", "-C", str(ROOT), "run"], cwd=tmp_path, env=fresh_folders(tmp_path))
    terminals(term)
    term.wait_for("ready — 5 articles", 120)
    processes = term.processes()
    assert len(processes) >= 2  # make and the app
    term.close()
    assert not wait_gone(processes, GONE_LIMIT)
