"""Regenerate the README's screenshots from the real app: ``make screenshots``.

Drives the app on the bundled seeds with Textual's pilot and saves SVG, plus PNG when
cairosvg can render it (it needs the system's cairo library).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tui.app.app import NewsreaderApp
from tui.corpus import bundled_seeds

SIZE = (120, 34)


async def _shots(folder: Path) -> list[Path]:
    app = NewsreaderApp(bundled_seeds())
    saved = []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved.append(_save(app, folder, "list"))
        await pilot.press("enter")
        await pilot.pause()
        saved.append(_save(app, folder, "article"))
    return saved


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
