"""What a searcher needs besides the index, kept beside it: which article each document
number is, and the facet columns. Made from every article's analysis (most of a
second at 13,000 articles), they are read back in milliseconds on a start where
neither the corpus, its analysis nor the index changed. Derived data: a file that is
missing, damaged or for another state is ignored and made again.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui.index.facet_columns import FacetColumns

FORMAT = 1


@dataclass(slots=True)
class Prepared:
    generation: int  # of the index they were made for
    uids: dict[int, str]  # live document number -> article id
    columns: FacetColumns


def segment_layout(reader) -> list[tuple[str, int, int]]:
    """(segment id, first document number, documents with deleted ones) of each segment."""
    return [
        (leaf.segment().segment_id(), offset, leaf.doc_count_all())
        for leaf, offset in reader.leaf_readers()
        if leaf.segment() is not None  # (an index with no documents yet)
    ]


def patched(prepared: Prepared, reader, before: list[tuple[str, int, int]], replaced: AbstractSet[str],
            facets_of: Callable[[str], Mapping[str, list[str]] | None]) -> Prepared | None:
    """``prepared`` brought up to ``reader``'s index after articles ``replaced`` were deleted
    (and some written again) where the segments were ``before``: the segments kept as they
    were keep their document numbers, and only the documents after them (the new and the
    merged small segments) are read. None if the index is not just that (another
    newsreader wrote it meanwhile): then everything is made again."""
    stable = 0  # documents below this number are the ones they were before
    for old, new in zip(before, segment_layout(reader)):
        if old != new:
            break
        stable = new[1] + new[2]
    uids = {docnum: uid for docnum, uid in prepared.uids.items() if docnum < stable and uid not in replaced}
    dropped = [docnum for docnum, uid in prepared.uids.items() if docnum >= stable or uid in replaced]
    added = []
    for docnum in range(stable, reader.doc_count_all()):
        if reader.is_deleted(docnum):
            continue
        uid = reader.stored_fields(docnum).get("uid")
        facets = facets_of(uid)
        if facets is None:
            return None
        uids[docnum] = uid
        added.append((docnum, facets))
    if len(uids) != reader.doc_count() or any(reader.is_deleted(docnum) for docnum in uids):
        return None
    return Prepared(reader.generation(), uids, prepared.columns.patched(dropped, added))


def save_prepared(path: Path, key: str, prepared: Prepared) -> None:
    """Written atomically; a folder that cannot be written only costs the head start."""
    columns = prepared.columns
    parts = columns.parts()
    strings = {
        "uids": [prepared.uids[d] for d in sorted(prepared.uids)],
        **{f"values:{facet}": values for facet, (values, _, _) in parts.items()},
    }
    meta = {"format": FORMAT, "key": key, "generation": prepared.generation, "facets": list(columns.facets),
            "documents": columns.documents, "size": columns.size}
    arrays = {
        "meta": _bytes(meta),
        "strings": _bytes(strings),
        "docnums": np.asarray(sorted(prepared.uids), dtype=np.int32),
        **{f"owners:{facet}": owners for facet, (_, owners, _) in parts.items()},
        **{f"entries:{facet}": entries for facet, (_, _, entries) in parts.items()},
    }
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".prepared-")
        with os.fdopen(handle, "wb") as out:
            np.savez_compressed(out, **arrays)
        os.replace(temporary, path)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def load_prepared(path: Path, key: str) -> Prepared | None:
    """The saved columns if they were made for this state (``key``); the searcher checks
    that they were made for the generation of the index it opens."""
    try:
        with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes())
            if meta.get("format") != FORMAT or meta.get("key") != key or not isinstance(meta.get("generation"), int):
                return None
            strings = json.loads(data["strings"].tobytes())
            docnums = data["docnums"].tolist()
            uids = strings["uids"]
            if len(uids) != len(docnums) or not all(isinstance(u, str) for u in uids):
                return None
            facets = meta["facets"]
            parts = {f: (strings[f"values:{f}"], data[f"owners:{f}"], data[f"entries:{f}"]) for f in facets}
            columns = FacetColumns.from_parts(facets, int(meta["documents"]), int(meta["size"]), parts)
            return Prepared(meta["generation"], dict(zip(docnums, uids)), columns)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile):
        return None


def _bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"), dtype=np.uint8)
