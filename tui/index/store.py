"""The index on disk, next to the analysis cache, brought up to date incrementally.

New and changed articles (by a digest of everything indexed about them) are
(re)indexed, removed ones deleted, unchanged ones untouched. An index that is
missing, corrupt, locked by a crash, or built by another schema version is rebuilt
from the corpus: it is derived data, never the user's only copy of anything.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import RamStorage
from whoosh.index import FileIndex, Index, LockError

from tui.analysis import ArticleAnalysis
from tui.corpus import Article
from tui.index.documents import article_digest, document
from tui.index.model import IndexBusy, IndexUnwritable, IndexUpdate
from tui.index.schema import SCHEMA_VERSION, build_schema
from tui.index.vocabulary import add_words, words_of

STAMP = "newsreader-index.json"
Progress = Callable[[int, int], None]  # (articles written, articles to write)


def open_index(folder: Path, check: bool = True) -> tuple[FileIndex, bool]:
    """The index in ``folder``, created or rebuilt empty if it cannot be used.

    Returns ``(index, rebuilt)``; ``rebuilt`` is True when an existing one was discarded.
    ``check`` False: just written by this process, no need to read its segments first.
    """
    stamp = folder / STAMP
    if index.exists_in(str(folder)):
        try:
            version = json.loads(stamp.read_text(encoding="utf-8")).get("schema")
            if version == SCHEMA_VERSION:
                ix = index.open_dir(str(folder))
                if check:
                    with ix.searcher() as searcher:  # reading the segments is what fails when corrupt
                        searcher.doc_count_all()
                return ix, False
        except Exception:  # noqa: BLE001 - any damage at all means: rebuild
            pass
        _wipe(folder)
        return _create(folder), True
    had_files = folder.exists() and any(folder.iterdir())
    if had_files:
        _wipe(folder)
    return _create(folder), had_files


def _create(folder: Path) -> FileIndex:
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), build_schema())
    (folder / STAMP).write_text(json.dumps({"schema": SCHEMA_VERSION, "made": secrets.token_hex(8)}), encoding="utf-8")
    return ix


def index_identity(folder: Path) -> str | None:
    """A token of this index's life: a new one whenever the index is made anew (Whoosh's
    generation numbers start again at 1 then). Given to an older index on first ask."""
    stamp = folder / STAMP
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
            return None
        if not isinstance(data.get("made"), str):
            data["made"] = secrets.token_hex(8)
            temporary = stamp.with_name(f".{STAMP}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, stamp)
        return data["made"]
    except (OSError, ValueError):
        return None


def open_saved_index(folder: Path) -> FileIndex | None:
    """The index as saved, if it can be opened as it is; never wipes nor creates one."""
    try:
        version = json.loads((folder / STAMP).read_text(encoding="utf-8")).get("schema")
        if version == SCHEMA_VERSION and index.exists_in(str(folder)):
            return index.open_dir(str(folder))
    except Exception:  # noqa: BLE001 - whatever is wrong, the full update deals with it
        pass
    return None


def _wipe(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def update_index(
    folder: Path,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    progress: Progress | None = None,
    facets: Mapping[str, dict[str, list[str]]] | None = None,
) -> IndexUpdate:
    """Bring the index in ``folder`` up to date with the corpus; safe to run in a worker.
    ``facets``: each article's ``facet_values`` by id, when already made."""
    try:
        return _update(folder, articles, analyses, progress, facets or {})
    except LockError:
        raise IndexBusy(f"{folder}: the index is being written by another newsreader") from None
    except (ValueError, TypeError):
        raise  # our own mistakes (e.g. analyses not matching the articles) must show
    except Exception:  # noqa: BLE001 - damaged files found mid-way: start again from nothing, once
        _wipe(folder)
        try:
            result = _update(folder, articles, analyses, progress, facets or {})
        except OSError as exc:
            raise IndexUnwritable(f"{folder}: {exc.strerror or exc}") from None
        return IndexUpdate(result.added, result.updated, result.deleted, result.unchanged,
                           result.documents_written, rebuilt=True, generation=result.generation)


def write_changes(
    ix: Index, written: Sequence[tuple[Article, ArticleAnalysis, dict[str, list[str]]]], gone: Sequence[str],
    known: tuple[list[tuple[str, int, int]], Mapping[str, int]] | None = None,
) -> None:
    """Write a few articles again and delete others: a small segment, merged only with
    other small ones, so the documents of the large segments keep their numbers.

    ``known``: the segments and the articles' document numbers as a searcher saw them.
    If the index is still that, documents are deleted by number: deleting by id would
    open a reader on every segment first."""
    try:
        writer = ix.writer(timeout=10.0)
    except LockError:
        raise IndexBusy("the index is being written by another newsreader") from None
    words: Counter[str] = Counter()
    try:
        ids = [*gone, *(article.id for article, _, _ in written)]
        layout = [(segment.segment_id(), segment.doc_count_all()) for segment in writer.segments]
        if known is not None and layout == [(name, count) for name, _, count in known[0]]:
            for aid in ids:
                if aid in known[1]:
                    writer.delete_document(known[1][aid])
        else:
            for aid in ids:
                writer.delete_by_term("uid", aid)
        for article, analysis, facets in written:
            writer.add_document(**document(article, analysis, article_digest(article, analysis, facets)))
            words.update(words_of(article))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    add_words(ix.storage, words)


def memory_index(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis], progress: Progress | None = None
) -> Index:
    """The same index in memory, for a run whose cache folder cannot be written."""
    ix = RamStorage().create_index(build_schema())
    _write(ix, [(a, r, article_digest(a, r)) for a, r in zip(articles, analyses, strict=True)], [], set(), progress)
    return ix


def _update(folder, articles, analyses, progress, facets) -> IndexUpdate:
    ix, rebuilt = open_index(folder)
    with ix.reader() as reader:
        indexed = {fields["uid"]: fields.get("digest") for fields in reader.all_stored_fields()}
        generation = reader.generation()
    wanted = {a.id: (a, r, article_digest(a, r, facets.get(a.id))) for a, r in zip(articles, analyses, strict=True)}
    to_write = [item for aid, item in wanted.items() if indexed.get(aid) != item[2]]
    to_delete = [aid for aid in indexed if aid not in wanted]
    added = sum(1 for a, _, _ in to_write if a.id not in indexed)
    if not to_write and not to_delete:
        return IndexUpdate(0, 0, 0, len(wanted), 0, rebuilt, generation)
    written, generation = _write(ix, to_write, to_delete, set(indexed), progress)
    return IndexUpdate(added, len(to_write) - added, len(to_delete), len(wanted) - len(to_write), written, rebuilt,
                       generation)


def _write(
    ix: Index, to_write: list, to_delete: list[str], indexed: set[str], progress: Progress | None
) -> tuple[int, int]:
    """(documents written, the generation committed)."""
    written = 0
    words: Counter[str] = Counter()
    # A larger buffer means fewer flushes and merges: BBC (1,328 articles) 30 s -> 20 s.
    # Two processes (procs=2) were slower here: pickling the documents costs more.
    writer = ix.writer(timeout=10.0, limitmb=256)
    try:
        for aid in to_delete:
            writer.delete_by_term("uid", aid)
        for count, (article, analysis, digest) in enumerate(to_write, start=1):
            if article.id in indexed:
                writer.delete_by_term("uid", article.id)
            writer.add_document(**document(article, analysis, digest))
            words.update(words_of(article))
            written += 1
            if progress:
                progress(count, len(to_write))
        generation = writer.generation
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    add_words(ix.storage, words)
    return written, generation
