"""The excerpts the user must not lose: SQLite in the user data folder.

One transaction per change (a mark survives ``kill -9`` a moment later), WAL with a
busy timeout (two app instances share the file safely), sets per corpus folder with
names ("briefing"). A file that is not an excerpt database is never overwritten: the
user gets a clear error and the file stays as it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from tui.excerpts.model import Excerpt

FILE_NAME = "excerpts.sqlite"
DATA_ENV = "NEWSREADER_DATA_DIR"
DEFAULT_SET = "briefing"
SCHEMA = 1
_COLUMNS = (
    "article_id", "content_hash", "start", "end", "text", "paragraph", "title", "source", "date", "url", "path",
    "query", "note", "tags", "created", "position",
)


class ExcerptStoreError(RuntimeError):
    """The excerpt database cannot be used; the message says which file and why."""


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("newsreader"))


def corpus_key(root: Path) -> str:
    """Sets belong to a corpus folder, wherever it is opened from."""
    return str(root.expanduser().resolve())


class ExcerptStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / FILE_NAME
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout=10000")
            version = self._check()  # before anything writes: a foreign file stays as it is
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # a committed mark is on the disk
            self._migrate(version)
        except sqlite3.DatabaseError as exc:
            raise ExcerptStoreError(
                f"{self.path}: not a usable excerpt database ({exc}); it was left untouched — move it aside to start a new one"
            ) from None
        except OSError as exc:
            raise ExcerptStoreError(f"{self.path}: cannot open ({exc.strerror or exc})") from None

    def _check(self) -> int:
        """The schema version; DatabaseError for a file that is not ours."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables:
            raise sqlite3.DatabaseError("it holds tables of another program")
        if version > SCHEMA:
            raise sqlite3.DatabaseError(f"it was written by a newer newsreader (schema {version})")
        return version

    def _migrate(self, version: int) -> None:
        if version == SCHEMA:
            return
        with self._transaction():  # the write lock first, then look again:
            if self._check() == SCHEMA:
                return  # another instance created the tables a moment ago
            self._db.execute(
                "CREATE TABLE sets (id INTEGER PRIMARY KEY, corpus TEXT NOT NULL, name TEXT NOT NULL, "
                "created REAL NOT NULL, UNIQUE (corpus, name))"
            )
            self._db.execute(
                "CREATE TABLE excerpts (id INTEGER PRIMARY KEY, set_id INTEGER NOT NULL REFERENCES sets(id) "
                "ON DELETE CASCADE, article_id TEXT NOT NULL, content_hash TEXT NOT NULL, start INTEGER NOT NULL, "
                '"end" INTEGER NOT NULL, text TEXT NOT NULL, paragraph INTEGER, title TEXT NOT NULL, source TEXT, '
                "date TEXT, url TEXT, path TEXT, query TEXT, note TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL "
                "DEFAULT '[]', created REAL NOT NULL, position INTEGER NOT NULL)"
            )
            self._db.execute("CREATE INDEX excerpts_by_set ON excerpts (set_id, position)")
            self._db.execute(f"PRAGMA user_version={SCHEMA}")

    def _transaction(self):
        store = self

        class _Transaction:
            def __enter__(self):
                store._lock.acquire()
                store._db.execute("BEGIN IMMEDIATE")  # the write lock first: no lost update

            def __exit__(self, kind, *_):
                try:
                    store._db.execute("COMMIT" if kind is None else "ROLLBACK")
                finally:
                    store._lock.release()

        return _Transaction()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- sets ----------------------------------------------------------------------

    def _set_id(self, corpus: str, name: str) -> int:
        row = self._db.execute("SELECT id FROM sets WHERE corpus=? AND name=?", (corpus, name)).fetchone()
        if row:
            return row[0]
        cursor = self._db.execute("INSERT INTO sets (corpus, name, created) VALUES (?, ?, ?)", (corpus, name, time.time()))
        return cursor.lastrowid

    def set_names(self, corpus: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT name FROM sets WHERE corpus=? ORDER BY created", (corpus,)).fetchall()
        return [row[0] for row in rows]

    # -- excerpts --------------------------------------------------------------------

    def excerpts(self, corpus: str, name: str = DEFAULT_SET, tag: str | None = None) -> list[Excerpt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT e.id, " + ", ".join(f'e."{c}"' for c in _COLUMNS) + " FROM excerpts e JOIN sets s ON e.set_id = s.id "
                "WHERE s.corpus=? AND s.name=? ORDER BY e.position, e.id",
                (corpus, name),
            ).fetchall()
        found = [_excerpt(row) for row in rows]
        return [e for e in found if tag is None or tag in e.tags]

    def add(self, corpus: str, excerpt: Excerpt, name: str = DEFAULT_SET) -> Excerpt:
        with self._transaction():
            set_id = self._set_id(corpus, name)
            last = self._db.execute("SELECT COALESCE(MAX(position), -1) FROM excerpts WHERE set_id=?", (set_id,)).fetchone()[0]
            values = _values(excerpt.with_changes(position=last + 1, created=excerpt.created or time.time()))
            cursor = self._db.execute(
                "INSERT INTO excerpts (set_id, " + ", ".join(f'"{c}"' for c in _COLUMNS) + ") VALUES (?, "
                + ", ".join("?" * len(_COLUMNS)) + ")",
                (set_id, *values),
            )
            return excerpt.with_changes(id=cursor.lastrowid, position=last + 1)

    def toggle(self, corpus: str, excerpt: Excerpt, name: str = DEFAULT_SET) -> Excerpt | None:
        """Mark the passage, or unmark it if exactly it is marked. Returns the new excerpt or None."""
        with self._transaction():
            set_id = self._set_id(corpus, name)
            row = self._db.execute(
                'SELECT id FROM excerpts WHERE set_id=? AND article_id=? AND start=? AND "end"=?',
                (set_id, excerpt.article_id, excerpt.start, excerpt.end),
            ).fetchone()
            if row:
                self._db.execute("DELETE FROM excerpts WHERE id=?", (row[0],))
                return None
        return self.add(corpus, excerpt, name)

    def remove(self, excerpt_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM excerpts WHERE id=?", (excerpt_id,))

    def update(self, excerpt: Excerpt) -> None:
        """Note, tags, and re-anchored offsets."""
        with self._transaction():
            self._db.execute(
                'UPDATE excerpts SET note=?, tags=?, start=?, "end"=?, content_hash=?, paragraph=? WHERE id=?',
                (excerpt.note, json.dumps(list(excerpt.tags)), excerpt.start, excerpt.end, excerpt.content_hash,
                 excerpt.paragraph, excerpt.id),
            )

    def move(self, corpus: str, excerpt_id: int, delta: int, name: str = DEFAULT_SET) -> None:
        """Move an excerpt up (-1) or down (+1) in its set."""
        with self._transaction():
            set_id = self._set_id(corpus, name)
            ids = [r[0] for r in self._db.execute("SELECT id FROM excerpts WHERE set_id=? ORDER BY position, id", (set_id,))]
            if excerpt_id not in ids:
                return
            index = ids.index(excerpt_id)
            target = min(max(index + delta, 0), len(ids) - 1)
            ids.insert(target, ids.pop(index))
            self._db.executemany("UPDATE excerpts SET position=? WHERE id=?", [(p, i) for p, i in enumerate(ids)])


def _values(excerpt: Excerpt) -> tuple:
    return tuple(json.dumps(list(excerpt.tags)) if c == "tags" else getattr(excerpt, c) for c in _COLUMNS)


def _excerpt(row: Iterable) -> Excerpt:
    row = list(row)
    values = dict(zip(("id", *_COLUMNS), row))
    try:
        values["tags"] = tuple(json.loads(values["tags"] or "[]"))
    except (ValueError, TypeError):
        values["tags"] = ()
    return Excerpt(**values)
