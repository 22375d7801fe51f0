"""The article list as the folder was last read, kept beside the index, so the app can
paint the list at once on the next start and read the folder behind it.

A listing is only a first picture: the folder, read again in a worker, is the truth.
An unreadable, foreign or damaged listing file is simply not used.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.model import Corpus

VERSION = 1


@dataclass(frozen=True, slots=True)
class ListedArticle:
    """What the list shows of an article."""

    id: str
    title: str
    source: str | None
    date: str | None
    words: int


def listing_of(corpus: Corpus) -> list[ListedArticle]:
    return [ListedArticle(a.id, a.title, a.source, a.date, a.words) for a in corpus.articles]


def save_listing(path: Path, corpus: Corpus) -> None:
    """Write atomically; a cache folder that cannot be written costs only the head start."""
    data = {
        "version": VERSION,
        "root": _key(corpus.root),
        "articles": [[a.id, a.title, a.source, a.date, a.words] for a in listing_of(corpus)],
    }
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".listing-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _key(root: Path) -> str:
    return str(Path(root).expanduser().resolve())


def load_listing(path: Path, root: Path) -> list[ListedArticle] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("root") != _key(root):
            return None
        return [
            ListedArticle(str(i), str(t), s if isinstance(s, str) else None, d if isinstance(d, str) else None, int(w))
            for i, t, s, d, w in data["articles"]
        ]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
