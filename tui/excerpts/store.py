"""The excerpts the user must not lose: SQLite in the user data folder.

One transaction per change (a mark survives ``kill -9`` a moment later), WAL with a
busy timeout (two app instances share the file safely), sets per corpus folder with
names ("briefing"). A file that is not a usable excerpt database (damaged, truncated,
another program's) is never overwritten: it is renamed, with its journal files, to
``excerpts.sqlite.damaged-<time>`` for the user to recover, a new one is started, and
``notice`` says so. A database written by a newer newsreader is left alone (an error):
moving it aside would split the user's marks between two files; an older one is brought
up to date in place, its marks kept.
"""

from __future__ import annotations

import functools
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
SCHEMA = 2  # 1: the first; 2: a quote's speaker
_COLUMNS = (
    "article_id", "content_hash", "start", "end", "text", "paragraph", "title", "source", "date", "url", "path",
    "query", "speaker", "note", "tags", "created", "position",
)


class ExcerptStoreError(RuntimeError):
    """The excerpt database cannot be used; the message says which file and why."""


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("newsreader"))


def corpus_key(root: Path) -> str:
    """Sets belong to a corpus folder, wherever it is opened from."""
    return str(root.expanduser().resolve())


def _guarded(method):
    """A database error in use (disk full, file removed under us) is an ExcerptStoreError
    the app and the CLI can show, not a traceback; the transaction was rolled back."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise ExcerptStoreError(f"{self.path}: {exc}") from None

    return guarded


class _Newer(Exception):
    """Written by a newer newsreader: not ours to move or change."""


class ExcerptStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / FILE_NAME
        self.notice: str | None = None  # what the user must be told (a damaged file set aside)
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.OperationalError as exc:
                raise ExcerptStoreError(f"{self.path}: cannot be used right now ({exc})") from None
            except sqlite3.DatabaseError as exc:  # damaged or foreign: keep it, start anew
                self._set_aside(str(exc))
                self._open()
        except _Newer as exc:
            raise ExcerptStoreError(
                f"{self.path}: {exc}; it was left untouched — use that newsreader, or move the file aside"
            ) from None
        except sqlite3.DatabaseError as exc:
            raise ExcerptStoreError(f"{self.path}: not a usable excerpt database ({exc})") from None
        except OSError as exc:
            raise ExcerptStoreError(f"{self.path}: cannot open ({exc.strerror or exc})") from None

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA busy_timeout=10000")
            # Before anything writes (a foreign file stays as it is), and in one read
            # transaction: another newsreader creating the tables at this moment must be
            # seen before or after, never half (no version yet, tables already: "foreign").
            self._db.execute("BEGIN")
            try:
                version = self._check()
            finally:
                if self._db.in_transaction:  # (SQLite ends a failed one itself: disk full, I/O)
                    self._db.execute("ROLLBACK")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # a committed mark is on the disk
            self._migrate(version)
        except BaseException:
            self._db.close()
            raise

    def _check(self) -> int:
        """The schema version; DatabaseError for a file that is not ours or is damaged."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables:
            raise sqlite3.DatabaseError("it holds tables of another program")
        if version > SCHEMA:
            raise _Newer(f"it was written by a newer newsreader (schema {version})")
        if version and (problem := self._db.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
            raise sqlite3.DatabaseError(f"damaged: {problem}")
        if version and tables != {"sets", "excerpts"}:
            raise sqlite3.DatabaseError("tables are missing")
        return version

    def _set_aside(self, why: str) -> None:
        """Rename the file and its journals together; raise OSError if that is impossible."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.replace(Path(f"{aside}{suffix}"))
        self.notice = (
            f"The excerpt database could not be read ({why}). It was kept as {aside} "
            "and a new one started: your earlier marks are in that file."
        )

    def _migrate(self, version: int) -> None:
        """Bring the file up to SCHEMA step by step, in one transaction: a new file and an
        old one take the same steps, and an old one keeps every mark."""
        if version == SCHEMA:
            return
        with self._transaction():  # the write lock first, then look again:
            version = self._check()  # (another instance may have done it a moment ago)
            if version < 1:
                self._create()
            if version < 2:
                self._db.execute("ALTER TABLE excerpts ADD COLUMN speaker TEXT")
            self._db.execute(f"PRAGMA user_version={SCHEMA}")

    def _create(self) -> None:
        """The tables of schema 1."""
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

    def _transaction(self):
        store = self

        class _Transaction:
            def __enter__(self):
                store._lock.acquire()
                store._db.execute("BEGIN IMMEDIATE")  # the write lock first: no lost update

            def __exit__(self, kind, *_):
                try:
                    if kind is None:
                        store._db.execute("COMMIT")
                    elif store._db.in_transaction:  # SQLite ends some failed ones itself (disk full)
                        store._db.execute("ROLLBACK")
                finally:
                    store._lock.release()

        return _Transaction()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    # -- sets ----------------------------------------------------------------------

    def _set_id(self, corpus: str, name: str) -> int:
        row = self._db.execute("SELECT id FROM sets WHERE corpus=? AND name=?", (corpus, name)).fetchone()
        if row:
            return row[0]
        cursor = self._db.execute("INSERT INTO sets (corpus, name, created) VALUES (?, ?, ?)", (corpus, name, time.time()))
        return cursor.lastrowid

    @_guarded
    def set_names(self, corpus: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT name FROM sets WHERE corpus=? ORDER BY created", (corpus,)).fetchall()
        return [row[0] for row in rows]

    # -- excerpts --------------------------------------------------------------------

    @_guarded
    def excerpts(self, corpus: str, name: str = DEFAULT_SET, tag: str | None = None) -> list[Excerpt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT e.id, " + ", ".join(f'e."{c}"' for c in _COLUMNS) + " FROM excerpts e JOIN sets s ON e.set_id = s.id "
                "WHERE s.corpus=? AND s.name=? ORDER BY e.position, e.id",
                (corpus, name),
            ).fetchall()
        found = [_excerpt(row) for row in rows]
        return [e for e in found if tag is None or tag in e.tags]

    @_guarded
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

    @_guarded
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

    @_guarded
    def remove(self, excerpt_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM excerpts WHERE id=?", (excerpt_id,))

    @_guarded
    def update(self, excerpt: Excerpt) -> None:
        """Note, tags, and re-anchored offsets."""
        with self._transaction():
            self._db.execute(
                'UPDATE excerpts SET note=?, tags=?, start=?, "end"=?, content_hash=?, paragraph=? WHERE id=?',
                (excerpt.note, json.dumps(list(excerpt.tags)), excerpt.start, excerpt.end, excerpt.content_hash,
                 excerpt.paragraph, excerpt.id),
            )

    @_guarded
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
