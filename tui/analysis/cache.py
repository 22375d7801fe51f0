"""The analysis cache: one SQLite file in the user cache folder, keyed by content.

A record is what spaCy found in one article (mentions, issue matches, quote and
phrase candidates), stored under a key made of the article's content hash, the model
name and version, the taxonomy digest and the analysis code's version, so a second
start on the same corpus runs no NLP and any change that matters misses the cache.
A corrupt or foreign file is moved aside and rebuilt; a cache that cannot be written
(read-only folder, full disk) only costs speed, never correctness: it is switched off
for the run and ``notices`` says why, for the app or the CLI to tell the user.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

FILE_NAME = "analysis.sqlite"
SCHEMA = 1


class AnalysisCache:
    def __init__(self, folder: Path | None, warn=None) -> None:
        """``folder`` None means no cache (``--no-cache``)."""
        self.path = folder / FILE_NAME if folder else None
        self.warn = warn or (lambda message: None)
        self.notices: list[str] = []  # every warning so far, for a UI that subscribes late
        self._db: sqlite3.Connection | None = None
        # Made in one thread, used by the app's analysis worker: one user at a time.
        self._lock = threading.RLock()
        if self.path is not None:
            self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
        except sqlite3.OperationalError as exc:  # read-only, full, locked: not damage
            self._disable(exc)
        except sqlite3.DatabaseError:
            self._set_aside()
        except OSError as exc:
            self._notice(f"analysis cache disabled: {self.path.parent}: {exc.strerror or exc}")
            self._db = None

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        self.warn(message)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the other instance's writer
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA):
            db.close()
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA}")
        db.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, data TEXT NOT NULL, used REAL NOT NULL)")
        # Whole-corpus results (tui/analysis/resolved.py): the last one of each folder
        # (scope), for the few folders used most recently.
        columns = [row[1] for row in db.execute("PRAGMA table_info(corpora)")]
        if columns and "scope" not in columns:
            db.execute("DROP TABLE corpora")  # of an earlier version: derived data
        db.execute("CREATE TABLE IF NOT EXISTS corpora (key TEXT PRIMARY KEY, data BLOB NOT NULL, used REAL NOT NULL, scope TEXT)")
        # What the resolution of each of those results knows (tui/analysis/kept_state.py).
        db.execute("CREATE TABLE IF NOT EXISTS states (key TEXT PRIMARY KEY, data BLOB NOT NULL, used REAL NOT NULL, scope TEXT)")
        db.execute(f"PRAGMA user_version={SCHEMA}")
        db.commit()
        return db

    def _set_aside(self) -> None:
        """A damaged or foreign file: keep it for inspection, start a fresh cache."""
        broken = self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    source.replace(Path(f"{broken}{suffix}"))
            self._db = self._connect()
            self._notice(f"the analysis cache was damaged and is rebuilt (old file: {broken.name})")
        except (OSError, sqlite3.DatabaseError) as exc:
            self._notice(f"analysis cache disabled: {exc}")
            self._db = None

    def get_many(self, keys: Iterable[str]) -> dict[str, dict]:
        with self._lock:
            return self._get_many(list(keys))

    def _get_many(self, keys: list[str]) -> dict[str, dict]:
        if self._db is None or not keys:
            return {}
        found: dict[str, dict] = {}
        try:
            for chunk in _chunks(keys, 500):
                marks = ",".join("?" * len(chunk))
                for key, data in self._db.execute(f"SELECT key, data FROM records WHERE key IN ({marks})", chunk):
                    record = _decode(data)
                    if record is not None:
                        found[key] = record
        except sqlite3.OperationalError as exc:
            self._disable(exc)
            return {}
        except sqlite3.DatabaseError:
            self._recover()
            return {}
        return found

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of these keys have a record (not read: for deciding what work is left)."""
        with self._lock:
            if self._db is None:
                return set()
            found: set[str] = set()
            try:
                for chunk in _chunks(list(keys), 500):
                    marks = ",".join("?" * len(chunk))
                    found.update(k for (k,) in self._db.execute(f"SELECT key FROM records WHERE key IN ({marks})", chunk))
            except sqlite3.Error:
                return set()  # get_many will meet the same problem and deal with it
            return found

    def put_many(self, items: dict[str, dict]) -> None:
        with self._lock:
            self._put_many(items)

    def _put_many(self, items: dict[str, dict]) -> None:
        if self._db is None or not items:
            return
        now = time.time()
        rows = [(key, _pack(json.dumps(record, separators=(",", ":"))), now) for key, record in items.items()]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)
        except sqlite3.OperationalError as exc:
            self._disable(exc)
        except sqlite3.DatabaseError:
            self._recover()

    def get_corpus(self, key: str) -> str | None:
        data = self._get_whole("corpora", key)
        return _unpack(data) if data is not None else None

    def put_corpus(self, key: str, data: str, keep: int = 3, scope: str | None = None) -> None:
        """Keep ``data`` under ``key``, replacing what was kept for the same ``scope``."""
        self._put_whole("corpora", key, _pack_large(data), keep, scope)

    def get_state(self, key: str) -> bytes | None:
        data = self._get_whole("states", key)
        return data if isinstance(data, bytes) else None

    def last_state(self, scope: str) -> tuple[str, bytes] | None:
        """The key and data of the state kept last for ``scope`` (one is kept per scope)."""
        row = self._row("SELECT key, data FROM states WHERE scope=? ORDER BY used DESC LIMIT 1", (scope,))
        return (row[0], row[1]) if row and isinstance(row[1], bytes) else None

    def put_state(self, key: str, data: bytes, keep: int = 3, scope: str | None = None) -> None:
        """Keep ``data`` (compressed already) under ``key``, as ``put_corpus``."""
        self._put_whole("states", key, data, keep, scope)

    def _get_whole(self, table: str, key: str) -> str | bytes | None:
        row = self._row(f"SELECT data FROM {table} WHERE key=?", (key,))
        return row[0] if row else None

    def _row(self, sql: str, parameters: tuple) -> tuple | None:
        """The first row ``sql`` finds; None when none, or when the cache cannot be read."""
        with self._lock:
            if self._db is None:
                return None
            try:
                return self._db.execute(sql, parameters).fetchone()
            except sqlite3.OperationalError as exc:
                self._disable(exc)
                return None
            except sqlite3.DatabaseError:
                self._recover()
                return None

    def _put_whole(self, table: str, key: str, data: bytes, keep: int, scope: str | None) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                with self._db:
                    if scope is not None:
                        self._db.execute(f"DELETE FROM {table} WHERE scope=? AND key!=?", (scope, key))
                    self._db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)", (key, data, time.time(), scope))
                    self._db.execute(
                        f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM {table} ORDER BY used DESC LIMIT ?)", (keep,)
                    )
            except sqlite3.OperationalError as exc:
                self._disable(exc)
            except sqlite3.DatabaseError:
                self._recover()

    def _disable(self, exc: Exception) -> None:
        """The file is fine but cannot be used now (disk full, read-only): no cache this run."""
        self.close()
        self._notice(f"analysis cache disabled: {self.path}: {exc} (everything still works, more slowly)")

    def _recover(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._set_aside()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def record_key(content_hash: str, model: str, taxonomy_digest: str, version: int) -> str:
    raw = f"{content_hash}|{model}|{taxonomy_digest}|{version}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _pack(text: str) -> bytes:
    """Compressed: the records are mostly offsets and type names, a third of the disk."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def _pack_large(text: str) -> bytes:
    """A whole corpus's results: zstd compresses 30 MB in a tenth of zlib's second."""
    import zstandard

    return zstandard.ZstdCompressor(level=3).compress(text.encode("utf-8", "surrogatepass"))


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MAX_LARGE = 1 << 31


def _unpack(data: str | bytes) -> str | None:
    """The JSON text (records of earlier versions were stored as text)."""
    if isinstance(data, str):
        return data
    try:
        if data[:4] == _ZSTD_MAGIC:
            import io

            import zstandard

            try:
                with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
                    raw = reader.read(_MAX_LARGE + 1)
            except zstandard.ZstdError:
                return None
            return raw.decode("utf-8", "surrogatepass") if len(raw) <= _MAX_LARGE else None
        return zlib.decompress(data).decode("utf-8", "surrogatepass")
    except (zlib.error, TypeError, UnicodeDecodeError, ValueError, OSError):
        return None


def _decode(data: str | bytes) -> dict | None:
    try:
        record = json.loads(_unpack(data))
    except (json.JSONDecodeError, TypeError):
        return None
    return record if isinstance(record, dict) else None


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]
