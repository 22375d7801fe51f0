"""Shared fixtures. Tests never touch the user's folders: every XDG folder is a temp one."""

from __future__ import annotations

import os
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


async def search_for(app, pilot, *keys, wait=0.4):
    """Press ``keys`` (e.g. "slash", *"steel") and wait for the debounced search to answer."""
    await pilot.press(*keys)
    await pilot.pause(wait)
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


def notices_on_screen(app) -> list[str]:
    """The notifications the user sees now (title and message of each toast on screen)."""
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in app.screen.query(Toast)]
