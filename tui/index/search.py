"""Searching the index: ranked articles, their best passages with highlight spans,
facet counts over all the hits, and a "did you mean" suggestion."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh.index import FileIndex
from whoosh.query import And, AndNot, Not, Or, Query, Term

from tui.index.query import QueryError, canonical_field, parse_filters, parse_query
from tui.index.schema import ENTITY_FACETS, FACETS, folding_analyzer, stemming_analyzer

PASSAGES_PER_HIT = 2
_TOKEN = re.compile(r"\w+")  # the index's tokenizer (tui/index/schema.py)
FACET_VALUES = 25  # the most frequent values shown per facet
# A typed word as the index splits words (runs of letters), not part of a wildcard,
# fuzzy term, boost or field name.
_WORD = re.compile(r"(?<![\w:*?~^.’'\-])([^\W\d_]+)(?![\w*?~:^.’'\-])")
_FIELD_VALUE = re.compile(r"(?<![\w\-.])([^\W\d]\w*):([^\W\d_]+)(?![\w*?~^])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


@dataclass(frozen=True, slots=True)
class Passage:
    paragraph: int
    text: str
    highlights: list[tuple[int, int]]  # offsets into ``text``


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    title: str
    score: float
    passages: list[Passage]


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    filters: dict[str, list[str]] = field(default_factory=dict)


class Searcher:
    """A reader on the index; reuse it for many queries (it caches the facet values)."""

    def __init__(self, ix: FileIndex) -> None:
        self._ix = ix
        self._searcher = ix.searcher()
        from tui.index.facet_columns import FacetColumns  # numpy: 0.2 s the list must not wait for

        articles = []
        self._paragraphs: dict[str, list[int]] = {}  # article id -> its paragraph documents
        for docnum, stored in self._searcher.iter_docs():
            if stored.get("kind") == "article":
                articles.append((docnum, stored.get("facets") or {}))
            elif stored.get("kind") == "paragraph":
                self._paragraphs.setdefault(stored.get("article"), []).append(docnum)
        self._facets = FacetColumns(FACETS, articles)
        self._stem = stemming_analyzer()
        self._forms: dict[str, str] = {}
        self._fold = folding_analyzer()
        # One reader, used from the app's worker threads: one query at a time.
        self._lock = threading.Lock()

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def article_count(self) -> int:
        return self._facets.documents

    def search(
        self, text: str, filters: Sequence[str] = (), limit: int = 10, *,
        passages: int | None = None, facets: bool = True, suggest: bool = True,
    ) -> SearchResult:
        """Raise QueryError for a query or filter that cannot be run.

        ``passages``: how many of the hits get their highlighted passages (all by
        default; a screen showing 12 hits needs 12); ``facets`` and ``suggest`` off
        save their cost when nobody looks at them.
        """
        with self._lock:
            return self._search(text, filters, limit, limit if passages is None else passages, facets, suggest)

    def _search(self, text: str, filters: Sequence[str], limit: int, passages: int, facets: bool, suggest: bool) -> SearchResult:
        if limit < 0:
            raise QueryError("the limit must be 0 or more")
        query = parse_query(text, self._ix.schema)
        drill, by_field = parse_filters(filters)
        articles_only = Term("kind", "article")
        restrict = And([articles_only, drill]) if drill is not None else articles_only
        try:
            results = self._searcher.search(query, filter=restrict, limit=None)
        except Exception as exc:  # noqa: BLE001 - Whoosh fails in odd ways on odd queries
            raise QueryError(f"cannot run this query ({type(exc).__name__})") from None
        top = [(hit["article"], hit.get("title", ""), hit.score) for hit in results[:limit]]
        terms = self._query_terms(query) if passages else {}
        found = self._passages(query, [aid for aid, _, _ in top[:passages]], terms) if passages else {}
        hits = [
            Hit(id=aid, title=title, score=round(float(score), 4), passages=found.get(aid, []))
            for aid, title, score in top
        ]
        return SearchResult(
            query=text,
            total=len(results),
            hits=hits,
            facets=self._count_facets(results.docs()) if facets else {},
            suggestion=self.suggest(text) if suggest else None,
            filters=by_field,
        )

    # -- facets -----------------------------------------------------------------

    def _count_facets(self, docnums) -> dict[str, list[tuple[str, int]]]:
        return self._facets.count(docnums, FACET_VALUES)

    # -- passages and highlights -------------------------------------------------

    def _query_terms(self, query: Query) -> dict[str, set[str]]:
        """The index terms the query looks for, per field: wildcards and fuzzy terms
        expanded, words under NOT left out (they are not what the reader wants to see)."""
        found: dict[str, set[str]] = {}
        reader = self._searcher.reader()
        for leaf in _positive_leaves(query):
            # (field, word) pairs; a wildcard or fuzzy leaf gives every word it matches
            for fieldname, word in leaf.expanded_terms(reader, phrases=True):
                if fieldname in (None, "date", "kind", "article"):
                    continue
                text = word.decode("utf-8", "replace") if isinstance(word, bytes) else str(word)
                if (fieldname, text) in reader:
                    found.setdefault(fieldname, set()).add(text)
        return found

    def _passages(self, query: Query, article_ids: list[str], terms: dict[str, set[str]]) -> dict[str, list[Passage]]:
        """Each hit article's paragraphs with the most of the query's words and names
        highlighted (the lede when none has any). Scored here from the stored paragraphs:
        a Whoosh search per hit cost 8 ms each, and even one search over the hits'
        paragraphs walks every posting of a common word ("said": 38 ms)."""
        found = {}
        for aid in article_ids:
            scored = []
            for fields in map(self._searcher.stored_fields, self._paragraphs.get(aid, ())):
                text, marks = fields.get("passage", ""), fields.get("marks") or []
                spans = self._highlights(text, marks, terms)
                # the most different words of the query, then the closest together (a phrase
                # is one merged span), then the earliest paragraph
                distinct = len({w for s, e in spans for w in text[s:e].casefold().split()})
                scored.append(((-distinct, len(spans), fields["paragraph"]), fields["paragraph"], text, spans))
            if not scored:
                continue
            scored.sort()
            best = [item for item in scored if item[3]][:PASSAGES_PER_HIT] or scored[:1]
            found[aid] = [Passage(number, text, spans) for _, number, text, spans in best]
        return found

    def passages(self, query_text: str, article_ids: list[str]) -> dict[str, list[Passage]]:
        """The highlighted passages of these articles for a query already run (hits past
        the first screenful), without running the search again; {} for a bad query."""
        try:
            with self._lock:
                query = parse_query(query_text, self._ix.schema)
                return self._passages(query, article_ids, self._query_terms(query))
        except QueryError:
            return {}

    def term_spans(self, query_text: str, text: str) -> list[tuple[int, int]]:
        """Where the query's words occur in ``text`` (for the reader); [] for a bad query."""
        try:
            with self._lock:
                terms = self._query_terms(parse_query(query_text, self._ix.schema))
        except QueryError:
            return []
        return _merge(sorted(self._word_spans(text, terms)), text)

    def _word_spans(self, text: str, terms: dict[str, set[str]]) -> list[tuple[int, int]]:
        words = terms.get("body", set()) | terms.get("title", set())
        if not words:
            return []
        stem = self._index_form
        return [match.span() for match in _TOKEN.finditer(text) if stem(match.group()) in words]

    def _index_form(self, word: str) -> str:
        """What the index made of one word (lower case, accents folded, stemmed), from a
        cache: the same tokens as the analyzer's (\\w+ runs), at a fraction of its cost."""
        form = self._forms.get(word)
        if form is None:
            form = next((t.text for t in self._stem(word)), "")
            if len(self._forms) < 200_000:
                self._forms[word] = form
        return form

    def _highlights(self, text: str, marks, terms: dict[str, set[str]]) -> list[tuple[int, int]]:
        spans = self._word_spans(text, terms)
        for start, end, facet, value in marks:
            field_terms = terms.get(facet if facet != "issue" else "issue")
            if not field_terms:
                continue
            if facet == "issue":
                hit = value.lower() in field_terms
            else:
                hit = any(token.text in field_terms for token in self._fold(value))
            if hit:
                spans.append((start, end))
        return _merge(sorted(spans), text)

    # -- did you mean -------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """The query with misspelt words replaced by words of the index; None if none.

        A word is misspelt when neither the titles nor the bodies have it (a field value:
        when that field does not); the suggestion comes from the same vocabulary and keeps
        the user's capitals. Phrases are taken as written.
        """
        reader = self._searcher.reader()
        replacements: dict[tuple[int, int], str] = {}
        outside = _outside_quotes(text)
        for match in _FIELD_VALUE.finditer(text):
            facet = canonical_field(match.group(1))
            if facet in (*ENTITY_FACETS, "source", "title") and match.start() in outside:
                self._correct(match.group(2), (facet,), match.span(2), reader, replacements)
        for match in _WORD.finditer(text):
            word = match.group(1)
            if word in _OPERATORS or match.start() not in outside or text[max(0, match.start() - 1) : match.start()] == ":":
                continue
            if any(start <= match.start() < end for start, end in replacements):
                continue
            self._correct(word, ("title", "body"), match.span(1), reader, replacements)
        if not replacements:
            return None
        suggestion = text
        for (start, end), word in sorted(replacements.items(), reverse=True):
            suggestion = suggestion[:start] + word + suggestion[end:]
        return suggestion

    def _correct(self, word: str, fields: tuple[str, ...], span, reader, replacements) -> None:
        folded = [t.text for t in self._fold(word)]
        if len(folded) != 1:
            return  # "U.S." or "mexico-canada": several index words, each checked as typed
        stems = [t.text for t in self._stem(word)]
        for fieldname in fields:
            keys = stems if fieldname in ("title", "body") else folded
            if any(reader.doc_frequency(fieldname, key) for key in keys):
                return
        source = "spell" if fields == ("title", "body") else fields[0]
        options = self._searcher.corrector(source).suggest(folded[0], limit=1, maxdist=2, prefix=1)
        if options and options[0] != folded[0]:
            replacements[span] = _same_case(word, options[0])


def _positive_leaves(query: Query):
    """The leaves of a query that a match must (or may) have, not the ones under NOT."""
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _positive_leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from _positive_leaves(child)


def _same_case(typed: str, suggestion: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return suggestion.upper()
    if typed[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _outside_quotes(text: str) -> set[int]:
    inside = set()
    for quoted in re.finditer(r'"[^"]*"', text):
        inside.update(range(quoted.start(), quoted.end()))
    return {i for i in range(len(text)) if i not in inside}


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by spaces ("dispute panels"), become one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
