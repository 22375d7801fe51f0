"""Changes to a corpus folder while it is open, in batches (watchfiles, debounced): the
paths to read again. Hidden files, the fetch state and the folder's own settings files
are not articles and are left out."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.corpus.loader import SETTINGS_FILES

DEBOUNCE_MS = 400  # a burst of writes (a fetch, an editor's save) is one batch
CATCH_UP_MS = 1000  # at most this long after the watch begins, the changes made before it are asked for


def article_paths(root: Path, changed: Iterator[str] | set[str]) -> set[Path]:
    """The changed paths that can be articles: not hidden below the folder, not the
    folder's settings. (The folder itself may sit under a hidden one, ~/.local/news.)"""
    bases = (Path(os.path.abspath(root)), Path(root).resolve())
    found = set()
    for raw in changed:
        path = Path(os.path.abspath(raw))
        base = next((b for b in bases if path.is_relative_to(b)), None)
        parts = path.relative_to(base).parts if base is not None else (path.name,)
        if not parts or any(p.startswith(".") for p in parts) or (len(parts) == 1 and parts[0] in SETTINGS_FILES):
            continue
        found.add(path)
    return found


def watch_folder(root: Path, stop: threading.Event,
                 catch_up: Callable[[], set[Path]] | None = None) -> Iterator[set[Path]]:
    """Batches of paths added, changed or removed under ``root``, until ``stop`` is set.
    ``catch_up``: the paths changed before the watch began (since the folder was read),
    asked once the watch is on, so that no change falls between the two."""
    from watchfiles import watch  # only when a folder is watched

    # (yield_on_timeout: the first, empty, batch says the watch is on even when nothing changes)
    for changes in watch(root, stop_event=stop, debounce=DEBOUNCE_MS, recursive=True, raise_interrupt=False,
                         yield_on_timeout=True, rust_timeout=CATCH_UP_MS):
        paths = article_paths(root, {path for _, path in changes})
        if catch_up is not None:
            paths |= article_paths(root, {str(p) for p in catch_up()})
            catch_up = None
        if paths:
            yield paths
