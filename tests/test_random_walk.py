"""Heavy use: the app driven by long random walks of keys, and resized to extremes.

Each walk is seeded (the seed is in the failure message) so a failure replays:
``NEWSREADER_WALK_SEED=<seed> make test PYTEST_ARGS='-k random_walk'``. Under ``make fuzz``
the walks are longer and more seeds are tried.
"""

from __future__ import annotations

import os
import random
import shutil
import unicodedata
from pathlib import Path

import pytest
from textual import events

from tests.conftest import FUZZ, ROOT, screen_text, search_for, settle, wait_until
from tui.app.search_screen import SearchScreen
from tui.corpus import load_corpus
from tui.excerpts import ExcerptStore, corpus_key

BBC = ROOT.parent / "shared" / "corpora" / "bbc"
# Every key the app binds, the keys of its widgets, and typing; never quit (q, ctrl+q,
# ctrl+c) and never the command palette (its "Quit" command would end the walk).
KEYS = (
    ["down"] * 6 + ["up"] * 3 + ["j"] * 4 + ["k"] * 2 + ["enter"] * 5 + ["escape"] * 4 + ["space"] * 4
    + ["slash", "tab", "shift+tab", "n", "N", "g", "s", "t", "e", "x", "K", "J", "question_mark", "f1",
       "pagedown", "pageup", "home", "end", "left", "right", "backspace", "delete", "ctrl+y",
       "left_square_bracket", "right_square_bracket"]
    + [str(n) for n in range(1, 9)]
    + list("abcdefghijklmnoprstuvwxyz") + ["colon", "quotation_mark", "asterisk", "minus", "left_parenthesis"]
)


def seeds_for_walks(default: list[int]) -> list[int]:
    """The walks to take: the fixed ones, one more per unit of NEWSREADER_FUZZ."""
    chosen = os.environ.get("NEWSREADER_WALK_SEED")
    if chosen:
        return [int(chosen)]
    return default + list(range(1000, 1000 + int(FUZZ) - 1))


# Keys per walk: CI takes ~45 ms a key (the app redraws, searches, re-highlights).
WALK_KEYS = 1000 if FUZZ == 1 else 3000


class MarkLedger:
    """What the store must hold after the walk: every mark and unmark the app reported."""

    def __init__(self, app) -> None:
        self.app = app
        self.expected: set[tuple[str, int, int]] = set()
        toggle, remove = app.toggle_excerpt, app.remove_excerpt

        def toggled(excerpt):
            outcome = toggle(excerpt)
            key = (excerpt.article_id, excerpt.start, excerpt.end)
            if outcome == "marked":
                assert key not in self.expected, "marked twice"
                self.expected.add(key)
            elif outcome == "unmarked":
                self.expected.remove(key)
            return outcome

        def removed(excerpt_id):
            gone = next(e for e in app.excerpts() if e.id == excerpt_id)
            done = remove(excerpt_id)
            if done:
                self.expected.discard((gone.article_id, gone.start, gone.end))
            return done

        app.toggle_excerpt, app.remove_excerpt = toggled, removed


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` (as Pilot builds it)."""
    try:
        char = unicodedata.lookup(key.upper().replace("_", " "))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def type_fast(app, pilot, keys: list[str]) -> None:
    """Keys as a fast typist or a held-down key sends them: queued together, then the
    app catches up (Pilot.press waits for idle after each key: 65 ms a key)."""
    for key in keys:
        app.post_message(key_event(key))
    await pilot.pause()


async def check_ready(app, pilot, articles: int, seed: int) -> None:
    """What the user sees once the walk has settled: escape leads back to the list, whose
    status line says the analysis is ready, for every article of the folder, and that
    nothing failed (a stalled or failed analysis, search or save would say otherwise)."""
    for _ in range(20):
        if len(app.screen_stack) == 1:
            break
        await pilot.press("escape")
    assert len(app.screen_stack) == 1, f"seed {seed}: escape does not lead back to the list from {type(app.screen).__name__}"

    def status() -> str:
        return str(app.query_one("#status").render())

    ready = f"ready — {articles:,} article{'' if articles == 1 else 's'}, "
    await wait_until(pilot, lambda: status().startswith(ready) and "failed" not in status(), limit=30)
    assert status().startswith(ready), f"seed {seed}: the status line says {status()!r}, not {ready!r}…"
    assert "failed" not in status(), f"seed {seed}: the status line says {status()!r}"


async def walk(app, seed: int, steps: int, articles: int) -> MarkLedger:
    rng = random.Random(seed)
    ledger = MarkLedger(app)
    async with app.run_test(size=(rng.choice([80, 120, 160]), rng.choice([24, 40]))) as pilot:
        await settle(app, pilot)
        done = 0
        while done < steps:
            burst = [rng.choice(KEYS) for _ in range(rng.randint(1, 8))]
            await type_fast(app, pilot, burst)
            done += len(burst)
            if rng.random() < 0.05:
                await pilot.resize_terminal(rng.randint(40, 220), rng.randint(10, 70))
            if rng.random() < 0.1:
                await pilot.pause(0.35)  # let a debounced search answer now and then
            assert app.is_running, f"the app stopped (seed {seed}, after {done} keys)"
        await settle(app, pilot)
        assert app.is_running, f"seed {seed}"
        await check_ready(app, pilot, articles, seed)
    return ledger


def check_store(root: Path, ledger: MarkLedger, seed: int) -> None:
    store = ExcerptStore()
    try:
        kept = store.excerpts(corpus_key(root))
    finally:
        store.close()
    found = {(e.article_id, e.start, e.end) for e in kept}
    assert found == ledger.expected, f"seed {seed}: the store does not hold the marks made"
    assert len(found) == len(kept), f"seed {seed}: a passage is marked twice"
    assert sorted(e.position for e in kept) == sorted({e.position for e in kept}), f"seed {seed}: positions collide"
    articles = {a.id: a for a in ledger.app.corpus.articles}
    for excerpt in kept:
        assert articles[excerpt.article_id].text[excerpt.start : excerpt.end] == excerpt.text, f"seed {seed}"


@pytest.mark.parametrize("seed", seeds_for_walks([1, 2]))
async def test_a_random_walk_of_keys_on_the_seeds(make_app, seeds_path, seed_corpus, tmp_path, monkeypatch, seed):
    monkeypatch.chdir(tmp_path)  # the export dialog's default path
    app = make_app(seeds_path)
    ledger = await walk(app, seed, WALK_KEYS, len(seed_corpus.articles))
    check_store(seeds_path, ledger, seed)


@pytest.fixture(scope="session")
def bbc_sample(tmp_path_factory):
    """200 BBC articles from every section (every sixth file)."""
    if not BBC.is_dir():
        pytest.skip(f"{BBC} is not there")
    files = sorted(p for p in BBC.rglob("*.txt"))[::6][:200]
    folder = tmp_path_factory.mktemp("bbc-200")
    for path in files:
        target = folder / path.relative_to(BBC)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return folder


@pytest.mark.parametrize("seed", seeds_for_walks([7]))
async def test_a_random_walk_of_keys_on_200_bbc_articles(make_app, bbc_sample, tmp_path, monkeypatch, seed):
    monkeypatch.chdir(tmp_path)
    app = make_app(bbc_sample)
    ledger = await walk(app, seed, WALK_KEYS * 3 // 2, len(load_corpus(bbc_sample).articles))
    check_store(bbc_sample, ledger, seed)


SCREENS = {
    "list": [],
    "reader": ["enter"],
    "reader-panel": ["enter", "tab", "enter", "n"],
    "search": ["slash", *"steel"],
    "results": ["slash", *"steel", "enter"],
    "help": ["question_mark"],
    "tray": ["enter", "space", "escape", "t"],
    "export": ["enter", "space", "escape", "e"],
}


# What each screen shows at every size, 20x5 included (the header, the footer's first
# key, the text of a dialog, cut to what fits) …
SHOWN_EVERYWHERE = {
    "list": ["Title", "⏎ Open"],
    "reader": ["0 marked", "esc Bac"],
    "reader-panel": ["0 marked", "esc Bac"],
    "search": ["steel", "esc B"],
    "results": ["steel", "esc B"],
    "help": ["╭──", "⏎ Open"],  # a box over the list
    "tray": ["1 excerpt(s)", "esc Bac"],
    "export": ["Export the exce", "Markdown bri"],
}
# … and from 40x10 up.
SHOWN_ROOMY = {
    "list": ["Title", "Source", "ready — 5 articles", "⏎ Open  s Sort  q Quit"],
    "reader": ["newsreader — The Trum", "0 marked · marking paragraphs", "esc Back  n Next"],
    "reader-panel": ["newsreader — The Trum", "0 marked · marking paragraphs", "esc Back  n Next"],
    "search": ["newsreader — search", "steel", "4 article(s)", "esc Back  ^y Did you mean"],
    "results": ["newsreader — search", "steel", "4 article(s)", "esc Back  ^y Did you mean"],
    "help": ["newsreader — keys", "Everywhere", "⏎ Open  s Sort  q Quit"],
    "tray": ["newsreader — excerpts", "1 excerpt(s) in the set", "1. The Trump administration", "esc Back"],
    "export": ["Export the excerpts", "Markdown briefing"],
}


@pytest.mark.parametrize("screen", SCREENS)
async def test_every_screen_survives_a_tiny_and_a_huge_terminal(make_app, seeds_path, tmp_path, monkeypatch, screen):
    monkeypatch.chdir(tmp_path)
    app = make_app(seeds_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        if "slash" in SCREENS[screen]:
            await search_for(app, pilot, *SCREENS[screen])  # until the search has answered
        else:
            await pilot.press(*SCREENS[screen])
            await settle(app, pilot)
        kind = type(app.screen)
        assert kind is not SearchScreen or app.screen.result.total == 4
        for width, height in [(40, 10), (20, 5), (400, 150), (40, 10), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.is_running and type(app.screen) is kind
            lines = screen_text(app).split("\n")  # what is drawn at that size
            assert len(lines) == height and max(map(len, lines)) <= width, f"{width}x{height}: {lines}"
            shown = "\n".join(lines)
            for words in SHOWN_EVERYWHERE[screen] + (SHOWN_ROOMY[screen] if width >= 40 else []):
                assert words in shown, f"{screen} at {width}x{height}: {words!r} not in\n{shown}"
        await pilot.press("down", "up", "j", "k")  # and still takes keys
        assert app.is_running
