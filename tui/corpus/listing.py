"""The article list as the folder was last read, kept beside the index, so the app can
paint the list at once on the next start and read the folder behind it; with each
article's summary as last analysed (names found, main issues), so the rows are whole
from the first paint rather than filling in once the analysis is decoded.

A listing is only a first picture: the folder, read again in a worker, is the truth.
An unreadable, foreign or damaged listing file is simply not used.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from tui.corpus.model import Corpus

VERSION = 4
HEAD = 200  # rows on the first line of the file: more than any screen shows
Summary = tuple[int, str]  # what the list shows of an article's analysis: names found, main issues


class ListedArticle(NamedTuple):  # a tuple: 13,000 are made before the first paint
    """What the list shows of an article (``summary``: of its analysis, if known)."""

    id: str
    title: str
    source: str | None
    date: str | None
    words: int
    summary: Summary | None = None

    def file_fields(self) -> tuple:
        """What the folder alone decides (the summary comes later, from the analysis)."""
        return (self.id, self.title, self.source, self.date, self.words)


def listing_of(corpus: Corpus, summaries: dict[str, Summary] | None = None) -> list[ListedArticle]:
    summaries = summaries or {}
    return [ListedArticle(a.id, a.title, a.source, a.date, a.words, summaries.get(a.id)) for a in corpus.articles]


def save_listing(path: Path, corpus: Corpus, summaries: dict[str, Summary] | None = None,
                 analysis: str | None = None) -> None:
    """Write atomically; a cache folder that cannot be written costs only the head start.
    Two lines: the first screenful of rows (read before the first paint), then the rest.
    ``analysis``: the key of the analysis the summaries are of, when they are all of one
    (a start that finds that analysis unchanged takes them rather than making them again)."""
    rows = [[a.id, a.title, a.source, a.date, a.words, a.summary] for a in listing_of(corpus, summaries)]
    head = {"version": VERSION, "root": _key(corpus.root), "count": len(rows), "analysis": analysis,
            "articles": rows[:HEAD]}
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".listing-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(head, out, ensure_ascii=False, separators=(",", ":"))  # (JSON escapes newlines)
            out.write("\n")
            json.dump(rows[HEAD:], out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _key(root: Path) -> str:
    return str(Path(root).expanduser().resolve())


def _summary(value: object) -> Summary | None:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0], value[1]
    return None


class ListingHead(NamedTuple):
    rows: list[ListedArticle]  # the first screenful
    count: int  # rows in all
    rest: Callable[[], list[ListedArticle] | None]  # reads the others (None if damaged)
    analysis: str | None  # the key of the analysis the summaries are of, if one


def load_listing(path: Path, root: Path) -> tuple[list[ListedArticle], str | None] | None:
    """Every row, and the key of the analysis their summaries are of."""
    head = load_listing_head(path, root)
    if head is None:
        return None
    others = head.rest()
    return None if others is None else (head.rows + others, head.analysis)


def load_listing_head(path: Path, root: Path) -> ListingHead | None:
    try:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        data = json.loads(first)
        if data.get("version") != VERSION or data.get("root") != _key(root):
            return None
        head, count = _rows(data["articles"]), int(data["count"])
        analysis = data.get("analysis")
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None

    def the_rest() -> list[ListedArticle] | None:
        try:
            others = _rows(json.loads(rest))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return others if len(head) + len(others) == count else None

    return ListingHead(head, count, the_rest, analysis if isinstance(analysis, str) else None)


def _rows(rows: list) -> list[ListedArticle]:
    return [
        ListedArticle(str(i), str(t), s if isinstance(s, str) else None, d if isinstance(d, str) else None, int(w),
                      _summary(m))
        for i, t, s, d, w, m in rows
    ]
