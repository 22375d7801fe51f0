"""Changes to a corpus folder while it is open, in batches (watchfiles, debounced): the
paths to read again. Hidden files, the fetch state and the folder's own settings files
are not articles and are left out."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

from tui.corpus.loader import SETTINGS_FILES

DEBOUNCE_MS = 400  # a burst of writes (a fetch, an editor's save) is one batch


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


def watch_folder(root: Path, stop: threading.Event) -> Iterator[set[Path]]:
    """Batches of paths added, changed or removed under ``root``, until ``stop`` is set."""
    from watchfiles import watch  # only when a folder is watched

    for changes in watch(root, stop_event=stop, debounce=DEBOUNCE_MS, recursive=True, raise_interrupt=False):
        paths = article_paths(root, {path for _, path in changes})
        if paths:
            yield paths
