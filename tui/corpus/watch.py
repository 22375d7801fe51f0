"""Changes to a corpus folder while it is open, in batches (watchfiles, debounced): the
paths to read again. Hidden files, the fetch state and the folder's own settings files
are not articles and are left out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from tui.corpus.loader import SETTINGS_FILES

DEBOUNCE_MS = 400  # a burst of writes (a fetch, an editor's save) is one batch


def article_paths(root: Path, changed: Iterator[str] | set[str]) -> set[Path]:
    """The changed paths that can be articles: not hidden, not the folder's settings."""
    found = set()
    base = Path(root)
    for raw in changed:
        path = Path(raw)
        try:
            parts = path.relative_to(base).parts if path.is_relative_to(base) else path.parts
        except ValueError:
            parts = path.parts
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
