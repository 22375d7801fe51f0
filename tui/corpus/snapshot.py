"""What each file of a corpus folder gave when it was last read, kept in one compressed
file, so the next start re-reads only the files that changed.

Reading 13,000 articles is five seconds of decoding, cleaning and cutting into
paragraphs; taking them from here is a fraction of that. A file is taken from the
snapshot only if its size, modification time and inode are those it had, and the
whole snapshot is ignored if the loader's code or options differ from those that
made it. One file rather than a row per article: read in one go (one decompression,
one JSON parse), and a third of the size of per-row compression in SQLite. It is
derived data: a damaged or unreadable one is ignored and written again, and one that
cannot be written only costs the head start.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import threading
from array import array
from pathlib import Path

import zstandard

from tui.corpus.model import PackedParagraphs, Paragraph

FORMAT = 2  # 2: zstandard (zlib took 0.16 s of a 13,000-article start to decompress, zstd 0.06)


def code_digest() -> str:
    """Of the corpus layer's own source: any change to how files are read invalidates."""
    digest = hashlib.sha256(str(FORMAT).encode())
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
    """``get``/``put`` per file (keyed by its path), then ``save`` writes the file again
    if anything changed, without the files no longer there."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path = path
        self._settings = f"{code_digest()}|{settings}"
        self._files: dict[str, list] = {}  # key -> [signature, items]
        self._kept: dict[str, list] = {}
        self._changed = False
        self._read()

    def _read(self) -> None:
        with _SAVING:
            saving = _SAVES.get(self.path)
        if saving is not None:
            saving.join()  # this process is still writing it
        try:
            data = json.loads(zstandard.ZstdDecompressor().decompress(self.path.read_bytes()))
            if isinstance(data, dict) and data.get("settings") == self._settings and isinstance(data.get("files"), dict):
                self._files = data["files"]
        except (OSError, zstandard.ZstdError, MemoryError, ValueError, TypeError, RecursionError):
            self._files = {}

    def get(self, key: str, current: str | None) -> list | None:
        """The items the file gave, if it is unchanged since; None otherwise."""
        entry = self._files.get(key)
        if current is None or not isinstance(entry, list) or len(entry) != 2 or entry[0] != current:
            return None
        items = entry[1]
        if not isinstance(items, list):
            return None
        self._kept[key] = entry
        return items

    def put(self, key: str, current: str | None, items: list) -> None:
        self._changed = True
        if current is not None:
            self._kept[key] = [current, items]

    def since(self) -> tuple[dict[str, list], set[str]]:
        """What the snapshot held (file key -> items, every file of the read that wrote
        it, in that read's order) and which of those files were read again or are gone
        since; nothing when none was (a warm start: no copy of 13,000 entries). Asked
        between the ``get``/``put`` of a read and its ``save``."""
        changed = {key for key, entry in self._files.items() if self._kept.get(key) is not entry}
        if not changed:
            return {}, changed
        files = {key: entry[1] for key, entry in self._files.items()
                 if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)}
        return files, changed

    def save(self) -> None:
        """Write it again if anything changed. Compressing 13,000 articles takes two
        seconds, which the reader must not wait for: it is done by a thread of its own
        (zstd works outside the GIL, on the other core); the process waits for it at exit."""
        if not self._changed and self._kept.keys() == self._files.keys():
            return
        data = json.dumps({"settings": self._settings, "files": self._kept}, ensure_ascii=False, separators=(",", ":"))
        self._files, self._kept, self._changed = self._kept, {}, False
        with _SAVING:  # one save at a time, in order: the last one read is the last one written
            previous = _SAVES.get(self.path)
            thread = threading.Thread(target=_write, args=(self.path, data, previous), name="snapshot-save")
            try:
                thread.start()
            except RuntimeError:  # no thread to be had (the interpreter is ending): write now
                _write(self.path, data, previous)
                return
            _SAVES[self.path] = thread


_SAVING = threading.Lock()
_SAVES: dict[Path, threading.Thread] = {}


def wait_until_saved() -> None:
    """Until every snapshot this process is writing is on disk (for a caller that reads
    the file itself)."""
    with _SAVING:
        threads = list(_SAVES.values())
    for thread in threads:
        thread.join()


def _write(path: Path, data: str, previous: threading.Thread | None) -> None:
    if previous is not None:
        previous.join()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(path)
        temporary.write_bytes(zstandard.ZstdCompressor(level=3).compress(data.encode("utf-8", "surrogatepass")))
        os.replace(temporary, path)
    except Exception:  # noqa: BLE001 - only a head start; never a traceback over the app's screen
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself is unusable (a file in its place): nothing was written


def _remove_leftovers(path: Path) -> None:
    """Half-written snapshots of processes that ended while saving (killed then)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 : -4].split(".")[0]
        try:
            if pid.isdigit() and int(pid) != os.getpid():
                os.kill(int(pid), 0)  # still running: its own to finish
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


def encode_paragraphs(paragraphs: tuple[Paragraph, ...]) -> list[int]:
    return [x for p in paragraphs for x in (p.start, p.end, -1 if p.number is None else p.number, int(p.is_heading))]


def decode_paragraphs(flat: list, size: int) -> PackedParagraphs:
    """Raise ValueError unless every paragraph is inside a text of ``size`` characters
    (checked at C speed; the paragraphs themselves are made when first used)."""
    try:
        numbers = array("q", flat)
    except (TypeError, OverflowError):
        raise ValueError("paragraphs") from None
    if len(numbers) % 4:
        raise ValueError("paragraphs")
    starts, ends, counts = numbers[0::4], numbers[1::4], numbers[2::4]
    if numbers and (min(starts) < 0 or max(ends) > size or min(counts) < -1 or not all(map(operator.le, starts, ends))):
        raise ValueError("a paragraph outside the text")
    return PackedParagraphs(flat)
