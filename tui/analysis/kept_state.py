"""What the corpus-wide resolution knows, kept beside its results (``resolved.py``), so
that the first change after a start that read those results as kept redoes only what
the change reaches: without it, that first change resolved 13,000 articles again (20 s).

The tables summed over the articles (one entry per name: small) are kept whole. What
each article contributed to them is not (a million entries): it is made again from the
article's cached record when a change reaches the article. Which articles read each
name is kept as an inverted index (``PairIndex``), so that a change finds the articles
it reaches without making every article's contribution first.

Stored as numpy columns and one JSON document in an npz, compressed with zstd; any
damage reads as nothing kept (the resolution is then made from the records).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

FORMAT = 1
_MAX_BYTES = 1 << 31  # a frame claiming more is damage, not a corpus


class PairIndex:
    """Which articles read each key: the (key, article) pairs in columns, sorted by key."""

    def __init__(self, keys: list[str], offsets: np.ndarray, articles: np.ndarray, ids: list[str]) -> None:
        self.keys, self.offsets, self.articles, self.ids = keys, offsets, articles, ids
        self._position: dict[str, int] | None = None

    @classmethod
    def of(cls, read: Mapping[str, Iterable[str]], ids: list[str]) -> PairIndex:
        """From each article's keys (every article of ``read`` must be in ``ids``)."""
        return cls._from_pairs([], np.zeros(0, np.int64), np.zeros(0, np.int64), read, ids)

    def readers(self, keys: Iterable[str]) -> set[str]:
        if self._position is None:
            self._position = {key: i for i, key in enumerate(self.keys)}
        found: set[str] = set()
        for key in keys:
            i = self._position.get(key)
            if i is not None:
                found.update(self.ids[a] for a in self.articles[self.offsets[i] : self.offsets[i + 1]].tolist())
        return found

    def merged(self, keep: set[str], read: Mapping[str, Iterable[str]], ids: list[str]) -> PairIndex:
        """This index for the articles of ``keep`` and ``read`` for the others, over ``ids``."""
        pair_keys = np.repeat(np.arange(len(self.keys)), np.diff(self.offsets))
        kept = np.isin(self.articles, [i for i, aid in enumerate(self.ids) if aid in keep])
        position = {aid: i for i, aid in enumerate(ids)}
        # (an article gone since is not in ``keep``: its pairs are dropped before they move)
        moved = np.array([position.get(aid, -1) for aid in self.ids], dtype=np.int64) if self.ids else np.zeros(0, np.int64)
        return self._from_pairs(self.keys, pair_keys[kept], moved[self.articles[kept]], read, ids)

    @classmethod
    def _from_pairs(cls, keys: list[str], pair_keys: np.ndarray, pair_articles: np.ndarray,
                    read: Mapping[str, Iterable[str]], ids: list[str]) -> PairIndex:
        numbers = {key: i for i, key in enumerate(keys)}
        position = {aid: i for i, aid in enumerate(ids)}
        more_keys, more_articles = [], []
        for aid, found in read.items():
            at = position[aid]
            for key in found:
                more_keys.append(numbers.setdefault(key, len(numbers)))
                more_articles.append(at)
        all_keys = np.concatenate([pair_keys, np.asarray(more_keys, dtype=np.int64)])
        all_articles = np.concatenate([pair_articles, np.asarray(more_articles, dtype=np.int64)])
        order = np.lexsort((all_articles, all_keys))
        offsets = np.concatenate([[0], np.cumsum(np.bincount(all_keys, minlength=len(numbers)))])
        return cls(list(numbers), offsets.astype(np.int64), all_articles[order].astype(np.uint32), ids)


@dataclass
class KeptState:
    ids: list[str]  # the articles, in corpus order
    tables: dict  # JSON data: what each part of the resolution keeps whole
    indexes: dict[str, PairIndex]


def encode(state: KeptState) -> bytes:
    import zstandard

    meta = {"format": FORMAT, "ids": state.ids, "tables": state.tables,
            "keys": {name: index.keys for name, index in state.indexes.items()}}
    arrays = {"meta": np.frombuffer(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"), np.uint8)}
    for name, index in state.indexes.items():
        arrays[f"{name}.offsets"] = index.offsets.astype(np.uint32)
        arrays[f"{name}.articles"] = index.articles.astype(np.uint32)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return zstandard.ZstdCompressor(level=3).compress(buffer.getvalue())


def decode(data: bytes) -> KeptState | None:
    """The state, or None when ``data`` is not one this version wrote whole."""
    import zstandard

    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            raw = reader.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return None
        with np.load(io.BytesIO(raw), allow_pickle=False) as stored:
            meta = json.loads(stored["meta"].tobytes().decode("utf-8", "surrogatepass"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                return None
            ids, tables, keys = meta["ids"], meta["tables"], meta["keys"]
            if not (isinstance(ids, list) and all(type(i) is str for i in ids) and isinstance(tables, dict)
                    and isinstance(keys, dict)):
                return None
            indexes = {}
            for name, names in keys.items():
                offsets = stored[f"{name}.offsets"].astype(np.int64)
                articles = stored[f"{name}.articles"]
                if not (isinstance(names, list) and all(type(k) is str for k in names)) or offsets.ndim != 1 \
                        or articles.ndim != 1 or len(offsets) != len(names) + 1 or offsets[0] != 0 \
                        or offsets[-1] != len(articles) or (np.diff(offsets) < 0).any() \
                        or (len(articles) and int(articles.max()) >= len(ids)):
                    return None
                indexes[name] = PairIndex(names, offsets, articles, ids)
    except (zstandard.ZstdError, OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    return KeptState(ids, tables, indexes)


def checked(value, shape):
    """``value`` if it has ``shape`` (a JSON shape: str, int, bool, or ("list", item),
    ("map", item), ("tuple", item, item, …)); ValueError otherwise."""
    if isinstance(shape, type):
        if type(value) is not shape:
            raise ValueError(f"expected {shape.__name__}")
        return value
    kind, *items = shape
    if kind in ("list", "map") and isinstance(value, list if kind == "list" else dict):
        inner = items[0]
        values = value if kind == "list" else value.values()
        if isinstance(inner, type):  # (the leaves at C speed: the tables hold a hundred thousand)
            if not set(map(type, values)) <= {inner}:
                raise ValueError(f"expected {inner.__name__}")
        else:
            for item in values:
                checked(item, inner)
        return value
    if kind == "tuple" and isinstance(value, list) and len(value) == len(items):
        for item, item_shape in zip(value, items):
            checked(item, item_shape)
        return value
    raise ValueError(f"expected {kind}")
