"""Broken state around the program: a full disk, an unwritable cache folder, a damaged
excerpt database. Each degrades to working with a notice; nothing the user made is lost."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

from tests.conftest import ROOT, notices_on_screen, search_for, settle, wait_until, write
from tui.analysis import settings_for_corpus
from tui.excerpts import ExcerptStore, corpus_key

NEWSREADER = [sys.executable, "-c", "import sys; from tui.cli.main import main; sys.exit(main())"]


def _small_files_only() -> None:
    """In the child: every file it writes stops at 16 kB, as on a disk that is full."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write that would pass the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))


def _search(cache, limit=None):
    return subprocess.run(
        [*NEWSREADER, "search", "steel tariffs", "--json", "--cache-dir", str(cache), str(ROOT / "seeds")],
        capture_output=True, text=True, cwd=ROOT, timeout=300, preexec_fn=limit,
    )


def test_on_a_full_disk_the_cli_searches_without_cache_or_saved_index_and_says_so(tmp_path):
    full = _search(tmp_path / "full", _small_files_only)
    normal = _search(tmp_path / "normal")
    assert full.returncode == 0 == normal.returncode, full.stderr
    assert json.loads(full.stdout) == json.loads(normal.stdout)
    assert "analysis cache disabled" in full.stderr and "searching a copy in memory" in full.stderr
    assert "Traceback" not in full.stderr and normal.stderr == ""


async def test_an_unwritable_cache_folder_still_gives_search_with_a_notice(tmp_path, seeds_path):
    from tui.app.app import NewsreaderApp
    from tui.app.search_screen import SearchScreen
    from tui.index import Library

    blocked = write(tmp_path / "not-a-folder", "a file where the cache folder should be") / "cache"
    app = NewsreaderApp(Library(seeds_path, settings_for_corpus(seeds_path, cache_folder=blocked), index_base=blocked))
    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await settle(app, pilot)
        said = lambda *words: any(all(w in text for w in words) for text in notices_on_screen(app))  # noqa: E731
        await wait_until(pilot, lambda: said("Analysis cache disabled") and said("searching a copy in memory"))
        assert said("Analysis cache disabled"), notices_on_screen(app)
        assert said("searching a copy in memory"), notices_on_screen(app)
        await search_for(app, pilot, "slash", *"lighthizer")
        assert isinstance(app.screen, SearchScreen) and app.screen.result.total == 5


async def test_a_damaged_excerpt_database_is_kept_and_marking_goes_on(make_app, seeds_path, tmp_path, monkeypatch):
    from tui.app.reader import ReaderScreen  # noqa: F401 - the reader is where marks are made

    data = tmp_path / "data"
    write(data / "excerpts.sqlite", b"SQLite format 3\x00" + b"\x07" * 5000)  # a damaged header
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(data))
    app = make_app(seeds_path)
    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, lambda: any("excerpt database" in text for text in notices_on_screen(app)))
        (notice,) = [text for text in notices_on_screen(app) if "excerpt database" in text]
        kept = next(data.glob("excerpts.sqlite.damaged-*"))
        assert str(kept) in notice and kept.read_bytes().endswith(b"\x07" * 5000)
        await pilot.press("enter", "space")
        await pilot.pause()
    store = ExcerptStore(data)
    assert len(store.excerpts(corpus_key(seeds_path))) == 1
    store.close()
