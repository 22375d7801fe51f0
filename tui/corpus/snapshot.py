"""What each file of a corpus folder gave when it was last read, kept in a small SQLite
file, so the next start re-reads only the files that changed.

Reading 13,000 articles is five seconds of decoding, cleaning and cutting into
paragraphs; taking them from here is a fraction of that. A file is taken from the
snapshot only if its size, modification time and inode are those it had, and the
whole snapshot is ignored if the loader's code or options differ from those that
made it. The snapshot is derived data: a damaged or unreadable one is started again,
and one that cannot be written only costs the head start.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from pathlib import Path

from tui.corpus.model import Paragraph

SCHEMA = 1


def code_digest() -> str:
    """Of the corpus layer's own source: any change to how files are read invalidates."""
    digest = hashlib.sha256(str(SCHEMA).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def signature(path: Path) -> str | None:
    """Size, modification time and inode; None when the file cannot be looked at."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


class Snapshot:
    """``get``/``put`` per file (keyed by its path relative to the corpus root), then
    ``save`` writes the changes and drops the files no longer there."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path = path
        self._settings = f"{code_digest()}|{settings}"
        self._rows: dict[str, tuple[str, bytes]] = {}
        self._changed: dict[str, tuple[str, bytes]] = {}
        self._seen: set[str] = set()
        self._read()

    def _read(self) -> None:
        try:
            if not self.path.exists():
                return
            with _connect(self.path) as db:
                stamp = db.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
                if stamp is None or stamp[0] != self._settings:
                    return
                self._rows = {key: (sig, data) for key, sig, data in db.execute("SELECT key, signature, data FROM files")}
        except (sqlite3.Error, OSError):
            self._rows = {}

    def get(self, key: str, current: str | None) -> list | None:
        """The items the file gave, if it is unchanged since; None otherwise."""
        self._seen.add(key)
        row = self._rows.get(key)
        if current is None or row is None or row[0] != current:
            return None
        try:
            items = json.loads(zlib.decompress(row[1]))
        except (zlib.error, ValueError, TypeError):
            return None
        return items if isinstance(items, list) else None

    def put(self, key: str, current: str | None, items: list) -> None:
        if current is None:
            return
        data = zlib.compress(json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"), 6)
        self._changed[key] = (current, data)

    def save(self) -> None:
        gone = [key for key in self._rows if key not in self._seen]
        if not self._changed and not gone:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = not self.path.exists() or self._stale()
            if fresh:
                self.path.unlink(missing_ok=True)
            with _connect(self.path) as db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (self._settings,))
                if not fresh:
                    db.executemany("DELETE FROM files WHERE key=?", [(key,) for key in gone])
                db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                    [(key, sig, data) for key, (sig, data) in self._changed.items()],
                )
        except (sqlite3.Error, OSError):
            try:  # a damaged file: next time starts from nothing
                self.path.unlink(missing_ok=True)
            except OSError:
                pass
        self._rows.update(self._changed)
        for key in gone:
            self._rows.pop(key, None)
        self._changed.clear()

    def _stale(self) -> bool:
        """The file on disk was made by other code or options: rewrite it whole."""
        try:
            with _connect(self.path) as db:
                stamp = db.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
            return stamp is None or stamp[0] != self._settings
        except sqlite3.Error:
            return True


class _connect:
    """A connection used once and closed (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, timeout=5)

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, signature TEXT NOT NULL, data BLOB NOT NULL)")
        self.db.execute(f"PRAGMA user_version={SCHEMA}")
        return self.db

    def __exit__(self, kind, *_) -> None:
        try:
            if kind is None:
                self.db.commit()
        finally:
            self.db.close()


def encode_paragraphs(paragraphs: tuple[Paragraph, ...]) -> list[int]:
    return [x for p in paragraphs for x in (p.start, p.end, -1 if p.number is None else p.number, int(p.is_heading))]


def decode_paragraphs(flat: list, size: int) -> tuple[Paragraph, ...]:
    """Raise ValueError unless every paragraph is inside a text of ``size`` characters."""
    if len(flat) % 4:
        raise ValueError("paragraphs")
    paragraphs = []
    for i in range(0, len(flat), 4):
        start, end, number, heading = flat[i : i + 4]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= size):
            raise ValueError("a paragraph outside the text")
        paragraphs.append(Paragraph(start, end, None if number == -1 else int(number), bool(heading)))
    return tuple(paragraphs)
