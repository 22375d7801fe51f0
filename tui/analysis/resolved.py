"""The whole corpus's resolved analysis, kept so that a start with nothing changed
skips the corpus-wide resolution (seconds at 1,328 articles, half a minute at 13,000).

Stored compactly (offsets only: every text is the article's own ``text[start:end]``)
under a key made of everything resolution depends on; decoding checks every offset, so
a damaged or foreign entry is recomputed, never trusted.
"""

from __future__ import annotations

import base64
import hashlib
import json
from array import array
from collections.abc import Sequence

from tui.analysis.model import ENTITY_TYPES, ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.rules import EntityRules
from tui.corpus import Article


_ENTITY_TYPES = frozenset(ENTITY_TYPES)
FORMAT = 4  # in columns: decoding 13,000 articles is a few numpy checks, not a Python loop each


def corpus_key(articles: Sequence[Article], record_keys: Sequence[str], rules: EntityRules, extra: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{extra}".encode("utf-8"))
    digest.update(rules_digest(rules).encode())
    for article, key in zip(articles, record_keys, strict=True):
        digest.update(f"\x00{article.id}\x01{key}".encode("utf-8", "surrogatepass"))
    return "corpus:" + digest.hexdigest()


def rules_digest(rules: EntityRules) -> str:
    data = {
        "aliases": sorted((k, list(v)) for k, v in rules.aliases.items()),
        **{name: sorted(getattr(rules, name)) for name in
           ("titles", "title_heads", "law_heads", "event_heads", "organization_cues", "not_entities")},
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def encode(analyses: Sequence[ArticleAnalysis]) -> str:
    """In columns, one entry per entity, issue, quote or mention over the whole corpus
    (strings once, in a table): decoding is a few numpy checks over them, not 13,000
    articles' worth of Python. Mentions' offsets are one packed array, each article's
    entities' mentions first, then its issues'."""
    strings: dict[str, int] = {}

    def number(text: str) -> int:
        return strings.setdefault(text, len(strings))

    columns: dict[str, list] = {key: [] for key in ("model", "e", "en", "et", "ec", "i", "ii", "il", "ic", "q", "qs", "qa", "qb")}
    offsets = array("I")
    for a in analyses:
        columns["model"].append(number(a.model))
        packed = a.packed_columns()
        if packed is not None:  # as read: its columns again, without making its mentions
            (entity_heads, issue_heads), (flat, first, last, quote_spans) = packed
            for key, heads in (("e", entity_heads), ("i", issue_heads)):
                columns[key].append(len(heads))
                for first_text, second_text, count in heads:
                    columns[key + ("n" if key == "e" else "i")].append(number(first_text))
                    columns[key + ("t" if key == "e" else "l")].append(number(second_text))
                    columns[key + "c"].append(count)
            offsets.frombytes(flat[2 * first : 2 * last].astype("uint32").tobytes())
            columns["q"].append(len(quote_spans))
            for speaker, start, end in quote_spans:
                columns["qs"].append(number(speaker))
                columns["qa"].append(start)
                columns["qb"].append(end)
            continue
        for key, groups in (("e", a.entities), ("i", a.issues)):
            columns[key].append(len(groups))
            for group in groups:
                first, second = (group.name, group.type) if key == "e" else (group.id, group.label)
                columns[key + ("n" if key == "e" else "i")].append(number(first))
                columns[key + ("t" if key == "e" else "l")].append(number(second))
                columns[key + "c"].append(len(group.mentions))
                offsets.extend(x for m in group.mentions for x in (m.start, m.end))
        columns["q"].append(len(a.quotes))
        for quote in a.quotes:
            columns["qs"].append(number(quote.speaker))
            columns["qa"].append(quote.start)
            columns["qb"].append(quote.end)
    return json.dumps({"format": FORMAT, "strings": list(strings), **columns,
                       "offsets": base64.b64encode(offsets.tobytes()).decode("ascii")},
                      ensure_ascii=False, separators=(",", ":"))


def decode(data: str, articles: Sequence[Article], hashes: Sequence[str]) -> list[ArticleAnalysis] | None:
    """The analyses, or None if the stored data does not fit these articles: every
    offset inside its article's text, every count adding up, every type known."""
    import numpy as np  # (in the analysis worker, after the list is on screen)

    try:
        stored = json.loads(data)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return None
        strings = stored["strings"]
        if not all(type(s) is str for s in strings):
            return None
        column = {key: np.asarray(stored[key]) for key in
                  ("model", "e", "en", "et", "ec", "i", "ii", "il", "ic", "q", "qs", "qa", "qb")}
        flat = np.frombuffer(base64.b64decode(stored["offsets"], validate=True), dtype=np.uint32).astype(np.int64)
    except (ValueError, TypeError, KeyError, OverflowError):
        return None
    if any(c.ndim != 1 or (c.size and c.dtype.kind != "i") for c in column.values()):
        return None  # (only whole numbers: a float or a list in a column is not what was written)
    column = {key: c.astype(np.int64) for key, c in column.items()}
    n = len(articles)
    if any(len(column[key]) != n for key in ("model", "e", "i", "q")) or len(flat) % 2:
        return None
    for per, keys in (("e", ("en", "et", "ec")), ("i", ("ii", "il", "ic")), ("q", ("qs", "qa", "qb"))):
        if (n and column[per].min() < 0) or any(len(column[k]) != column[per].sum() for k in keys):
            return None
    indexes = np.concatenate([column[k] for k in ("model", "en", "et", "ii", "il", "qs")])
    if len(indexes) and (indexes.min() < 0 or indexes.max() >= len(strings)):
        return None
    known_types = [number for number, text in enumerate(strings) if text in _ENTITY_TYPES]
    if not np.isin(column["et"], known_types).all():
        return None
    counts = np.concatenate([column["ec"], column["ic"]])
    if len(counts) and counts.min() < 0:
        return None
    starts, ends = flat[0::2], flat[1::2]
    mentions = (np.bincount(np.repeat(np.arange(n), column["e"]), weights=column["ec"], minlength=n)
                + np.bincount(np.repeat(np.arange(n), column["i"]), weights=column["ic"], minlength=n)).astype(np.int64)
    sizes = np.fromiter((len(a.text) for a in articles), dtype=np.int64, count=n)
    if mentions.sum() != len(starts) or not (starts < ends).all() or not (ends <= np.repeat(sizes, mentions)).all():
        return None
    quote_starts, quote_ends = column["qa"], column["qb"]
    if not ((quote_starts >= 0) & (quote_starts < quote_ends) & (quote_ends <= np.repeat(sizes, column["q"]))).all():
        return None
    entity_heads = list(zip(_strings(strings, column["en"]), _strings(strings, column["et"]), column["ec"].tolist()))
    issue_heads = list(zip(_strings(strings, column["ii"]), _strings(strings, column["il"]), column["ic"].tolist()))
    quotes = list(zip(_strings(strings, column["qs"]), quote_starts.tolist(), quote_ends.tolist()))
    models = _strings(strings, column["model"])
    bounds = {key: [0, *np.cumsum(column[key]).tolist()] for key in ("e", "i", "q")}
    mention_bounds = [0, *np.cumsum(mentions).tolist()]
    return [
        _analysis(article, content_hash, models[k], entity_heads[bounds["e"][k] : bounds["e"][k + 1]],
                  issue_heads[bounds["i"][k] : bounds["i"][k + 1]], quotes[bounds["q"][k] : bounds["q"][k + 1]],
                  flat, mention_bounds[k], mention_bounds[k + 1])
        for k, (article, content_hash) in enumerate(zip(articles, hashes))
    ]


def _strings(strings: list[str], numbers) -> list[str]:
    return [strings[i] for i in numbers.tolist()]


def _analysis(article: Article, content_hash: str, model: str, entity_heads: list, issue_heads: list,
              quote_spans: list, flat, first: int, last: int) -> ArticleAnalysis:
    """Checked (by ``decode``); the entities, issues and quotes themselves are made when
    first used."""
    text = article.text

    def unpack() -> tuple[list[Entity], list[IssueMatch], list[Quote]]:
        offsets = flat[2 * first : 2 * last].tolist()
        mentions = [Mention(text[s:e], s, e) for s, e in zip(offsets[0::2], offsets[1::2])]
        at = 0
        found_entities = []
        for name, kind, count in entity_heads:
            found_entities.append(Entity(name, kind, mentions[at : at + count]))
            at += count
        found_issues = []
        for issue_id, label, count in issue_heads:
            found_issues.append(IssueMatch(issue_id, label, mentions[at : at + count]))
            at += count
        return found_entities, found_issues, [Quote(speaker, text[s:e], s, e) for speaker, s, e in quote_spans]

    return ArticleAnalysis.packed(article.id, content_hash, model, (entity_heads, issue_heads), unpack,
                                  (flat, first, last, quote_spans))
