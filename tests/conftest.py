"""Shared fixtures. Tests never touch the user's folders: every XDG folder is a temp one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui.analysis import MODEL_ENV, analyze_articles, load_nlp, settings_for_corpus
from tui.corpus import bundled_seeds, load_corpus
from tui.corpus.bundled import SEEDS_ENV

ROOT = Path(__file__).resolve().parents[1]
# `make fuzz` sets NEWSREADER_FUZZ (e.g. 50): property tests try that many times more
# inputs and the random walks of keys run that many times longer.
FUZZ = max(1.0, float(os.environ.get("NEWSREADER_FUZZ", "1") or 1))


def examples(count: int) -> int:
    """How many inputs a property test tries: ``count`` in CI, more under `make fuzz`."""
    return int(count * FUZZ)


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.delenv(SEEDS_ENV, raising=False)
    monkeypatch.delenv("NEWSREADER_DEBUG", raising=False)
    monkeypatch.delenv("NEWSREADER_CACHE_DIR", raising=False)
    monkeypatch.delenv("NEWSREADER_CONFIG_DIR", raising=False)


@pytest.fixture(scope="session")
def seeds_path() -> Path:
    path = bundled_seeds()
    assert path == ROOT / "seeds"
    return path


@pytest.fixture(scope="session")
def seed_corpus(seeds_path):
    return load_corpus(seeds_path)


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def seed_settings(seeds_path):
    """The bundled corpus's own taxonomy and the default aliases; no cache."""
    return settings_for_corpus(seeds_path, use_cache=False, cache_folder=None)


@pytest.fixture(scope="session")
def seed_analyses(seed_corpus, nlp, seed_settings):
    return analyze_articles(seed_corpus.articles, nlp, settings=seed_settings)


def write(path: Path, content: bytes | str) -> Path:
    """Create ``path`` (and its folders) with ``content``; str is written as UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One analysis cache for the app tests: the first analyses for real, the rest reuse it."""
    return tmp_path_factory.mktemp("app-cache")


@pytest.fixture
def make_app(shared_cache):
    """The app on a corpus folder, its cache and index in the tests' temporary folders."""
    from tui.app.app import NewsreaderApp
    from tui.index import Library

    def make(root):
        return NewsreaderApp(Library(root, settings_for_corpus(root, cache_folder=shared_cache), index_base=shared_cache))

    return make


async def settle(app, pilot):
    """Wait until loading, analysis and indexing are done and their messages handled."""
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


async def open_reader(app, pilot, *keys):
    """From the list, once the app is ready: press ``keys``, then enter; the reader."""
    from tui.app.reader import ReaderScreen

    await settle(app, pilot)
    await pilot.press(*keys, "enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def wait_until(pilot, condition, limit: float = 10.0) -> bool:
    """Poll ``condition`` every 0.05 s (the app running meanwhile) until it holds or ``limit``
    seconds have passed; whether it holds. Callers assert on it, naming what they waited for."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
    return True


def search_message(screen) -> str:
    """The line under the search box: "N article(s)", an error, or a hint."""
    return str(screen.query_one("#search-message").render())


def search_answered(screen, since: int = 0) -> bool:
    """The search screen shows the answer to the query now in its box: the hits of a search
    for exactly that text (with their count on the message line), or, for a query that
    cannot run, the error of a search started after ``since`` (its ``_sequence`` then)."""
    from textual.widgets import Input

    from tui.app.search_screen import SearchScreen

    if not isinstance(screen, SearchScreen) or not screen.is_mounted:
        return False
    text = screen.query_one("#query", Input).value
    message = search_message(screen)
    if not text.strip():
        return screen.result is None and message.startswith("Type to search")
    if screen.result is not None and screen.result.query == text:
        return message.startswith(f"{screen.result.total} article(s)")
    searching = any(w.node is screen and w.group == "search" and w.is_running for w in screen.app.workers)
    return screen._sequence > since and not searching and message.startswith("✗")


async def search_for(app, pilot, *keys, limit: float = 20.0):
    """Press ``keys`` (e.g. "slash", *"steel") and wait until the search screen shows the
    answer to its query (the search is debounced, then runs in a thread), then settle."""
    from tui.app.search_screen import SearchScreen

    before = app.screen
    since = before._sequence if isinstance(before, SearchScreen) else 0
    await pilot.press(*keys)
    if app.screen is not before:
        since = 0  # a new search screen: any search it ran is for what was typed
    answered = await wait_until(pilot, lambda: search_answered(app.screen, since), limit)
    shown = search_message(app.screen) if isinstance(app.screen, SearchScreen) else type(app.screen).__name__
    assert answered, f"no answer to the search within {limit} s: {shown!r}"
    await settle(app, pilot)


def screen_text(app) -> str:
    """What the terminal shows, line by line, rebuilt from the app's SVG screenshot (each
    run of text placed at its column, so strings split over styles read whole)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    for x, y, content in re.findall(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        column = round(float(x) / 12.2)
        for offset, char in enumerate(html.unescape(content).replace("\xa0", " ")):
            rows.setdefault(float(y), {})[column + offset] = char
    return "\n".join(
        "".join(cells.get(c, " ") for c in range(max(cells) + 1)).rstrip() for _, cells in sorted(rows.items())
    )


def toasts_on_screen(app) -> list[tuple[str, str]]:
    """(severity, text) of each toast on the current screen: the severity as its class gives
    it (``-information``, ``-warning``, ``-error``: the colour of its edge and title), the
    text its title and message as drawn. Toasts exist only under ``run_test(notifications=True)``."""
    from textual.widgets._toast import Toast

    severities = ("information", "warning", "error")
    return [
        (next((s for s in severities if toast.has_class(f"-{s}")), "?"), str(toast.render()))
        for toast in app.screen.query(Toast)
    ]


def notices_on_screen(app) -> list[str]:
    """The notifications the user sees now (title and message of each toast on screen)."""
    return [text for _, text in toasts_on_screen(app)]
