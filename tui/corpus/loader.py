"""Read a folder (or one file) into a Corpus, reporting every file it could not use."""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.decode import NotText
from tui.corpus.gc_pause import gc_paused
from tui.corpus.listing import ListedArticle
from tui.corpus.model import Article, Corpus, Paragraph, SkippedFile
from tui.corpus.readers import READERS, Problem, RawDocument
from tui.corpus.snapshot import Snapshot, decode_paragraphs, encode_paragraphs, signature
from tui.corpus.structure import count_words, derive_title, shorten, split_paragraphs

DEFAULT_MAX_FILE_MB = 64.0
# A corpus folder's own settings (read by the analysis layer), never articles.
SETTINGS_FILES = frozenset({"issues.toml", "aliases.toml"})
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Limits that keep a hostile folder from hanging the loader."""

    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    max_depth: int = MAX_DEPTH


class CorpusPathError(ValueError):
    """The path given cannot be read as a corpus at all (missing, not a folder …)."""


Progress = Callable[[int, Path], None]
Partial = Callable[[list[ListedArticle]], None]  # the rows read so far (ids not final)
FIRST_ROWS = 60  # a screenful: the first partial list is given once this many are read …
PARTIAL_SECONDS = 0.25  # … then another at most this often


def load_corpus(
    root: Path | str, options: LoadOptions | None = None, progress: Progress | None = None, snapshot: Path | None = None,
    partial: Partial | None = None,
) -> Corpus:
    """Load every article under ``root`` (a folder, read recursively, or one file).

    ``snapshot``: a file keeping what each file gave, so that unchanged files are not
    read again on the next load (tui/corpus/snapshot.py). ``partial``: given the rows read
    so far as the folder is read (a first screenful first), for a list to show them before
    the whole folder is read; their ids are the files' paths, the articles' come at the end.
    """
    with gc_paused() as pause:
        corpus = _load(Path(root).expanduser(), options or LoadOptions(), progress, snapshot, partial)
        pause.articles = len(corpus.articles)
        return corpus


def read_head(root: Path | str, options: LoadOptions | None = None, rows: int = FIRST_ROWS) -> list[ListedArticle]:
    """The first ``rows`` articles of the folder, as ``load_corpus`` lists them first
    (ids not final): read in a few milliseconds, for a list to paint before the folder is
    read. Empty for a folder that cannot be read (``load_corpus`` says why)."""
    root, options = Path(root).expanduser(), options or LoadOptions()
    head: list[ListedArticle] = []
    try:
        files = [root] if stat.S_ISREG(check_corpus_path(root).st_mode) else _walk(root, options, [])
        for path in files:
            head.extend(item.listed(f"{path}#{item.part}") for item in _read_items(path, options) if isinstance(item, _Body))
            if len(head) >= rows:
                break
    except (CorpusPathError, OSError):
        return []
    return head[:rows]


def _load(root: Path, options: LoadOptions, progress: Progress | None, snapshot: Path | None,
          partial: Partial | None = None) -> Corpus:
    # (the folder as given too: files are kept under their paths as walked from it)
    kept = Snapshot(snapshot, f"{options.max_file_bytes}|{options.max_depth}|{root.resolve()}|{root}") if snapshot else None
    signatures: dict[Path, str] = {}
    corpus = _assemble(root, options, progress, lambda path: _items(path, options, kept, signatures), partial)
    corpus._signatures = signatures
    if kept is not None:
        corpus.earlier = _earlier(root, *kept.since())
        kept.save()
    return corpus


def _earlier(root: Path, files: dict[str, list], changed: set[str]) -> dict[str, Article]:
    """The articles of the ``changed`` files as the snapshot's ``files`` had them, under
    the ids they had then (ids depend on every path of that read); empty when nothing
    changed, when most files did (a resolution from the records is as quick as following
    so many changes), or when the snapshot is not what this code wrote."""
    if not changed or len(changed) > len(files) // 2:
        return {}
    try:
        documents = [(key, item) for key, items in files.items() for item in items if item[0] == "doc"]
        ids = _unique_ids(root, [(key, item[1]) for key, item in documents])
        return {
            article_id: _decode_item(Path(key), item).article(article_id, Path(key))
            for (key, item), article_id in zip(documents, ids) if key in changed
        }
    except (ValueError, TypeError, IndexError, AttributeError):
        return {}


def reload_files(corpus: Corpus, paths: Iterable[Path], options: LoadOptions | None = None) -> Corpus:
    """The corpus with ``paths`` read again (files added, changed or removed since it was
    loaded): every other file keeps its articles, the very same objects. Order, ids and
    what is skipped are what a new load would give."""
    options = options or LoadOptions()
    again = {_as_walked(corpus.root, Path(p)) for p in paths}
    known = corpus._files
    old = {a.id: a for a in corpus.articles}
    signatures = {**corpus._signatures, **{path: signature(path) for path in again}} if corpus._signatures else {}
    read = {path: list(_read_items(path, options)) for path in again if path in known and path.is_file()}
    with gc_paused(len(corpus.articles)):
        if len(read) == len(again) and all(_shape(read[p]) == _shape(known[p]) for p in read):
            fresh = _with_files_read(corpus, read)  # files changed in place: no walk, the same ids
            fresh._signatures = signatures
            return fresh

        def items(path: Path) -> list:
            found = read.get(path, known.get(path))
            return found if found is not None and (path in read or path not in again) else list(_read_items(path, options))

        fresh = _assemble(corpus.root, options, None, items)
        # An article of a file not read again, under the same id: the object already held.
        fresh.articles = [
            old[a.id] if a.path in known and a.path not in again and a.id in old and old[a.id].path == a.path else a
            for a in fresh.articles
        ]
        fresh._signatures = {path: s for path, s in signatures.items() if s is not None and path in fresh._files}
        return fresh


def changed_since(corpus: Corpus, options: LoadOptions | None = None) -> set[Path]:
    """The files added, changed or removed since ``corpus`` was read (a walk and a
    ``stat`` per file: no file is read), spelt as ``reload_files`` takes them; empty when
    the corpus was read without keeping what each file was (no snapshot)."""
    if not corpus._signatures or not corpus.root.is_dir():
        return set()
    options = options or LoadOptions()
    now = set(_walk(corpus.root, options, []))
    changed = {path for path in now if corpus._signatures.get(path) != signature(path)}
    return changed | (corpus._files.keys() - now)


def _as_walked(root: Path, path: Path) -> Path:
    """``path`` spelt as the folder walk spells it (from ``root`` as given), whether it
    comes relative, absolute or through the resolved root: a changed file not
    recognised as one read before would keep its old text."""
    full = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), root.resolve()):
        if full.is_relative_to(base):
            return root / full.relative_to(base)
    return path


def _shape(items: list) -> list:
    """What ids and the skipped list depend on: each article's part (a JSONL line's
    number) and each skipped part, in order."""
    return [item.part if isinstance(item, _Body) else None for item in items]


def _with_files_read(corpus: Corpus, read: dict[Path, list]) -> Corpus:
    """Files read again that give the same parts as before: each article takes the id of
    the one it replaces (ids depend only on the paths and the parts), each skipped part
    the place of the one it replaces."""
    fresh = Corpus(root=corpus.root, _files={**corpus._files, **read})
    swap = {
        id(old): new
        for path, items in read.items()
        for old, new in zip((i for i in corpus._files[path] if isinstance(i, SkippedFile)),
                            (i for i in items if isinstance(i, SkippedFile)))
    }
    fresh.skipped = [swap.get(id(s), s) for s in corpus.skipped]
    bodies = {path: iter([item for item in items if isinstance(item, _Body)]) for path, items in read.items()}
    fresh.articles = [a if a.path not in read else next(bodies[a.path]).article(a.id, a.path) for a in corpus.articles]
    return fresh


def _assemble(root: Path, options: LoadOptions, progress: Progress | None, items_of, partial: Partial | None = None) -> Corpus:
    root_stat = check_corpus_path(root)
    corpus = Corpus(root=root)
    bodies: list[tuple[Path, _Body]] = []
    rows: list[ListedArticle] = []
    given, next_time = 0, 0.0
    files = [root] if stat.S_ISREG(root_stat.st_mode) else _walk(root, options, corpus.skipped)
    for count, path in enumerate(files, start=1):
        if progress:
            progress(count, path)
        items = items_of(path)
        corpus._files[path] = items
        for item in items:
            if isinstance(item, SkippedFile):
                corpus.skipped.append(item)
            else:
                bodies.append((path, item))
        if partial is not None and len(bodies) >= FIRST_ROWS and len(bodies) > given and time.monotonic() >= next_time:
            rows.extend(body.listed(f"{path}#{body.part}") for path, body in bodies[given:])
            given, next_time = len(bodies), time.monotonic() + PARTIAL_SECONDS
            partial(list(rows))
    ids = _unique_ids(root, [(path, body.part) for path, body in bodies])
    corpus.articles = [body.article(article_id, path) for (path, body), article_id in zip(bodies, ids)]
    return corpus


@dataclass(frozen=True, slots=True)
class _Body:
    """An article as read from its file, before it has an id."""

    part: int | None
    title: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    words: int
    source: str | None
    date: str | None
    url: str | None
    encoding: str

    def listed(self, row_id: str) -> ListedArticle:
        return ListedArticle(row_id, self.title, self.source, self.date, self.words)

    def article(self, article_id: str, path: Path) -> Article:
        return Article(
            id=article_id, title=self.title, text=self.text, path=path, paragraphs=self.paragraphs,
            words=self.words, source=self.source, date=self.date, url=self.url, encoding=self.encoding,
        )


def _items(path: Path, options: LoadOptions, kept: Snapshot | None, signatures: dict[Path, str]) -> list[_Body | SkippedFile]:
    """What one file gives: from the snapshot when it is unchanged, else read."""
    if kept is None:
        return list(_read_items(path, options))
    key, current = str(path), signature(path)
    if current is not None:
        signatures[path] = current
    stored = kept.get(key, current)
    if stored is not None:
        try:
            return [_decode_item(path, item) for item in stored]
        except (ValueError, TypeError, IndexError):
            pass  # not what this code wrote: read the file
    items = list(_read_items(path, options))
    kept.put(key, current, [_encode_item(path, item) for item in items])
    return items


def _read_items(path: Path, options: LoadOptions) -> Iterator[_Body | SkippedFile]:
    for item in _read_file(path, options):
        if isinstance(item, SkippedFile):
            yield item
        elif not item.text.strip():
            yield SkippedFile(path if item.part is None else Path(f"{path}#{item.part}"), "empty (no text)")
        else:
            yield _make_body(item)


def _encode_item(path: Path, item: _Body | SkippedFile) -> list:
    if isinstance(item, SkippedFile):
        return ["skip", str(item.path)[len(str(path)):], item.reason]
    return ["doc", item.part, item.title, item.text, encode_paragraphs(item.paragraphs), item.words,
            item.source, item.date, item.url, item.encoding]


def _decode_item(path: Path, item: list) -> _Body | SkippedFile:
    if item[0] == "skip":
        suffix, reason = item[1:]
        if not isinstance(suffix, str) or not isinstance(reason, str):
            raise ValueError("skipped")
        return SkippedFile(Path(f"{path}{suffix}") if suffix else path, reason)
    part, title, text, paragraphs, words, source, date, url, encoding = item[1:]
    optional = (source, date, url)
    if not (isinstance(text, str) and isinstance(title, str) and isinstance(words, int) and isinstance(encoding, str)
            and (part is None or isinstance(part, int)) and all(v is None or isinstance(v, str) for v in optional)):
        raise ValueError("an article")
    return _Body(part, title, text, decode_paragraphs(paragraphs, len(text)), words, source, date, url, encoding)


def check_corpus_path(root: Path) -> os.stat_result:
    """Raise CorpusPathError unless ``root`` is a readable folder or regular file."""
    try:
        root_stat = root.stat()
    except FileNotFoundError:
        raise CorpusPathError(f"{root}: no such file or folder") from None
    except OSError as exc:
        raise CorpusPathError(f"{root}: {_os_reason(exc)}") from None
    if not (stat.S_ISDIR(root_stat.st_mode) or stat.S_ISREG(root_stat.st_mode)):
        raise CorpusPathError(f"{root}: not a folder or a regular file")
    if stat.S_ISDIR(root_stat.st_mode) and not os.access(root, os.R_OK | os.X_OK):
        raise CorpusPathError(f"{root}: permission denied")
    return root_stat


def _make_body(doc: RawDocument) -> _Body:
    paragraphs = split_paragraphs(doc.text, doc.headings)
    title = shorten(doc.title, 300) if doc.title else derive_title(paragraphs, doc.text)
    return _Body(doc.part, title, doc.text, paragraphs, count_words(doc.text), doc.source, doc.date, doc.url, doc.encoding)


def _read_file(path: Path, options: LoadOptions) -> Iterator[RawDocument | SkippedFile]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"'{path.suffix}'" if path.suffix else "without an extension"
        yield SkippedFile(path, f"unsupported file type {kind} (reads {', '.join(sorted(READERS))})")
        return
    try:
        data = _read_bytes(path, options.max_file_bytes)
    except _Skip as skip:
        yield SkippedFile(path, str(skip))
        return
    if not data.strip():
        yield SkippedFile(path, "empty file" if not data else "empty (whitespace only)")
        return
    try:
        for item in reader(data):
            if isinstance(item, Problem):
                yield SkippedFile(Path(f"{path}#{item.part}") if item.part else path, item.reason)
            else:
                yield item
    except NotText as exc:
        yield SkippedFile(path, str(exc))


class _Skip(Exception):
    pass


def _read_bytes(path: Path, limit: int) -> bytes:
    # O_NONBLOCK: opening a FIFO that slipped past the walk must not wait for a writer.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _Skip(_os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Skip("not a regular file")
        if info.st_size > limit:
            raise _Skip(
                f"too large ({_megabytes(info.st_size)}; the limit is {_megabytes(limit)}, "
                "see --max-file-mb)"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise _Skip(f"too large (over {_megabytes(limit)}; see --max-file-mb)")
        return data
    except OSError as exc:
        raise _Skip(_os_reason(exc)) from None
    finally:
        os.close(fd)


def _walk(root: Path, options: LoadOptions, skipped: list[SkippedFile]) -> Iterator[Path]:
    """Files under ``root`` in a stable, natural order; follows symlinks, never loops."""
    seen_dirs: set[tuple[int, int]] = set()

    def visit(folder: Path, depth: int) -> Iterator[Path]:
        try:
            info = folder.stat()
        except OSError as exc:
            skipped.append(SkippedFile(folder, _os_reason(exc)))
            return
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            skipped.append(SkippedFile(folder, "a link to a folder already read (skipped to avoid a loop)"))
            return
        seen_dirs.add(key)
        if depth > options.max_depth:
            skipped.append(SkippedFile(folder, f"nested deeper than {options.max_depth} folders"))
            return
        try:
            entries = sorted(os.scandir(folder), key=lambda e: _natural_key(e.name))
        except OSError as exc:
            skipped.append(SkippedFile(folder, _os_reason(exc)))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .git, .DS_Store, editor swap files: never articles
            if depth == 0 and entry.name in SETTINGS_FILES:
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError as exc:
                skipped.append(SkippedFile(path, _os_reason(exc)))
                continue
            if is_dir:
                yield from visit(path, depth + 1)
            elif is_file:
                yield path
            elif entry.is_symlink() and not path.exists():
                skipped.append(SkippedFile(path, _broken_link_reason(path)))
            else:
                skipped.append(SkippedFile(path, "not a regular file (a pipe, socket or device)"))

    yield from visit(root, 0)


def _broken_link_reason(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
    return "a broken symbolic link"


def _unique_ids(root: Path, documents: list[tuple[Path, int | None]]) -> list[str]:
    """The file stem, made unique.

    Stems shared by several files (``business/001.txt``, ``tech/001.txt``) take their
    folder path (``business-001``); entries of a multi-article file add their number
    (``feed-3``). Ids depend only on the paths, so they are stable across runs.
    """
    # String work throughout: Path.relative_to, .stem and hashing cost 20 µs a file.
    names = [str(path) for path, _ in documents]
    stems = Counter(_stem(full) for full in set(names))
    prefix = str(root).rstrip(os.sep) + os.sep
    ids: list[str] = []
    for full, (_, part) in zip(names, documents):
        base = _stem(full)
        if stems[base] > 1:
            folders = full[len(prefix):].split(os.sep)[:-1] if full.startswith(prefix) else []
            base = "-".join([*folders, base])
        base = _safe_id(base)
        ids.append(base if part is None else f"{base}-{part}")
    counts = Counter(ids)
    seen: Counter[str] = Counter()
    result = []
    for article_id in ids:  # last resort, e.g. "a.txt" and "a.md" in one folder
        if counts[article_id] > 1:
            seen[article_id] += 1
            article_id = f"{article_id}-{seen[article_id]}"
        result.append(article_id)
    return result


def _stem(full: str) -> str:
    """``Path(full).stem``, as a string."""
    name = full.rstrip(os.sep).rsplit(os.sep, 1)[-1]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _safe_id(text: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", text).strip("_") or "article"
    return cleaned.lstrip("-") or "article"


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "a symbolic link loop",
        errno.ENOENT: "no such file (a broken link, or removed while reading)",
        errno.EISDIR: "a folder, not a file",
        errno.ENAMETOOLONG: "file name too long",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))
