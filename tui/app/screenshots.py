"""Regenerate the README's screenshots from the real app: ``make screenshots``.

Drives the app on the bundled seeds with Textual's pilot and saves SVG, plus PNG when
cairosvg can render it (it needs the system's cairo library).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import tempfile

from tui.analysis import settings_for_corpus
from tui.app.app import NewsreaderApp
from tui.corpus import bundled_seeds
from tui.index import Library

SIZE = (120, 34)


async def _shots(folder: Path) -> list[Path]:
    with tempfile.TemporaryDirectory() as cache:  # the user's cache and excerpts stay untouched
        root = bundled_seeds()
        library = Library(root, settings_for_corpus(root, cache_folder=Path(cache)), index_base=Path(cache))
        app = NewsreaderApp(library, data_dir=Path(cache))
        saved = []
        async with app.run_test(size=SIZE) as pilot:
            await _idle(app, pilot)  # loading starts analysis, which starts indexing: wait for all
            saved.append(_save(app, folder, "list"))
            await pilot.press("enter")
            await pilot.pause()
            saved.append(_save(app, folder, "reader"))
            await pilot.press("tab", "down", "enter", "n")  # the first person in the panel, then the next mention
            await pilot.pause()
            saved.append(_save(app, folder, "reader-entity"))
            await pilot.press("escape", "slash")
            await pilot.press(*"dispute panels")
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()
            saved.append(_save(app, folder, "search"))
            await pilot.press("f1")  # "?" would be typed into the search box
            await pilot.pause()
            saved.append(_save(app, folder, "help"))
            await pilot.press("escape", "escape", "enter", "j", "space", "j", "j", "space", "escape", "t")
            await pilot.pause()
            saved.append(_save(app, folder, "tray"))
            await pilot.press("e")
            await pilot.pause()
            saved.append(_save(app, folder, "export"))
            await pilot.press("escape", "escape", "ctrl+p", *"go to entity")
            await pilot.pause(0.5)
            await pilot.press("enter", *"lighthizer")  # fuzzy completion of the name
            await pilot.pause()
            await pilot.press("enter")
            await _idle(app, pilot)
            saved.append(_save(app, folder, "dossier"))
            await pilot.press("escape", "w", *"lighthizer")
            await pilot.pause()
            saved.append(_save(app, folder, "quotes"))
            await pilot.press("escape", "i", "down")
            await pilot.pause()
            saved.append(_save(app, folder, "issues"))
        return saved


async def _idle(app: NewsreaderApp, pilot) -> None:
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


def _save(app: NewsreaderApp, folder: Path, name: str) -> Path:
    path = folder / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"newsreader — {name}"), encoding="utf-8")
    return path


def _to_png(svg: Path) -> Path | None:
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    png = svg.with_suffix(".png")
    cairosvg.svg2png(url=str(svg), write_to=str(png), output_width=1600)
    return png


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    for svg in asyncio.run(_shots(folder)):
        png = _to_png(svg)
        print(svg, "and", png if png else "(no PNG: cairosvg unavailable)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
