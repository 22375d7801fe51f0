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
import operator
from array import array
from collections.abc import Sequence

from tui.analysis.model import ENTITY_TYPES, ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.rules import EntityRules
from tui.corpus import Article


_ENTITY_TYPES = frozenset(ENTITY_TYPES)
FORMAT = 3  # offsets as packed arrays: decoding 600,000 mentions is a C loop, not a Python one


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
    """Per article: the model, entities and issues with their mention counts, quotes,
    and every mention's offsets in one packed array (entities' first, then issues')."""
    return json.dumps(
        [
            [
                a.model,
                [[e.name, e.type, len(e.mentions)] for e in a.entities],
                [[i.id, i.label, len(i.mentions)] for i in a.issues],
                [[q.speaker, q.start, q.end] for q in a.quotes],
                _pack([x for group in (*a.entities, *a.issues) for m in group.mentions for x in (m.start, m.end)]),
            ]
            for a in analyses
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(data: str, articles: Sequence[Article], hashes: Sequence[str]) -> list[ArticleAnalysis] | None:
    """The analyses, or None if the stored data does not fit these articles."""
    try:
        rows = json.loads(data)
        if len(rows) != len(articles):
            return None
        return [_analysis(row, article, content_hash) for row, article, content_hash in zip(rows, articles, hashes)]
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def _analysis(row: list, article: Article, content_hash: str) -> ArticleAnalysis:
    """Checked now (every offset at C speed, the counts, the types); the entities, issues
    and quotes themselves are made when first used."""
    model, entities, issues, quotes, packed = row
    text = article.text
    starts, ends = _offsets(text, packed)
    entity_heads = [(str(name), kind, count) for name, kind, count in entities]
    issue_heads = [(str(issue_id), str(label), count) for issue_id, label, count in issues]
    counts = [count for _, _, count in entity_heads] + [count for _, _, count in issue_heads]
    if not all(type(n) is int and n >= 0 for n in counts) or sum(counts) != len(starts):
        raise ValueError("mention counts")
    if not {kind for _, kind, _ in entity_heads} <= _ENTITY_TYPES:
        raise ValueError("an unknown entity type")
    quote_spans = [(str(speaker), *_span(text, s, e)) for speaker, s, e in quotes]

    def unpack() -> tuple[list[Entity], list[IssueMatch], list[Quote]]:
        mentions = [Mention(text[s:e], s, e) for s, e in zip(starts, ends)]
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

    return ArticleAnalysis.packed(article.id, content_hash, str(model), (entity_heads, issue_heads), unpack)


def _pack(offsets: list[int]) -> str:
    return base64.b64encode(array("I", offsets).tobytes()).decode("ascii")


def _offsets(text: str, packed: str) -> tuple[list[int], list[int]]:
    """Every offset checked at C speed: inside the text, each start before its end."""
    offsets = array("I")
    offsets.frombytes(base64.b64decode(packed, validate=True))
    starts, ends = offsets[::2].tolist(), offsets[1::2].tolist()
    if len(starts) != len(ends) or (ends and max(ends) > len(text)) or not all(map(operator.lt, starts, ends)):
        raise ValueError("an offset outside the text")
    return starts, ends


def _span(text: str, start: object, end: object) -> tuple[int, int]:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValueError("an offset outside the text")
    return start, end
