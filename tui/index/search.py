"""Searching the index: ranked articles, their best passages with highlight spans,
facet counts over all the hits, and a "did you mean" suggestion."""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from whoosh.index import Index
from whoosh.spelling import ListCorrector
from whoosh.support.levenshtein import distance
from whoosh.query import AndNot, Not, Query

from tui.analysis import ArticleAnalysis
from tui.corpus import Article
from tui.index.documents import facet_values
from tui.index.model import Hit, Passage, SearchResult
from tui.index.query import QueryError, canonical_field, parse_filters, parse_query
from tui.index.schema import ENTITY_FACETS, FACETS, WORD, folding_analyzer, stemming_analyzer
from tui.index.vocabulary import read_vocabulary

if TYPE_CHECKING:
    from tui.index.prepared import Prepared

PASSAGES_PER_HIT = 2
FACET_VALUES = 25  # the most frequent values shown per facet
# A typed word as the index splits words (runs of letters), not part of a wildcard,
# fuzzy term, boost or field name.
_WORD = re.compile(r"(?<![\w:*?~^.’'\-])([^\W\d_]+)(?![\w*?~:^.’'\-])")
_FIELD_VALUE = re.compile(r"(?<![\w\-.])([^\W\d]\w*):([^\W\d_]+)(?![\w*?~^])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


class Searcher:
    """A reader on the index; reuse it for many queries.

    The index holds no text: the hits' passages come from ``articles`` and their
    highlights of names and issues from ``analyses`` (what the index was built from),
    and so do the facet values, counted from columns made here once (or read back, when
    saved beside the index for its present state).
    """

    def __init__(
        self, ix: Index, articles: Iterable[Article], analyses: Iterable[ArticleAnalysis],
        facets: Mapping[str, dict[str, list[str]]] | None = None, prepared: Prepared | None = None,
        patch: Callable[[object], Prepared | None] | None = None,
    ) -> None:
        """``facets``: each article's ``facet_values`` by id, when already made;
        ``prepared``: the document numbers' articles and the facet columns, when saved
        for this index (``self.prepared`` is what to save); ``patch``: makes them from
        this searcher's reader (the columns of a few articles written again)."""
        self._ix = ix
        self._searcher = ix.searcher()
        from tui.index.facet_columns import FacetColumns  # numpy: 0.2 s the list must not wait for
        from tui.index.prepared import Prepared
        from tui.index.vector_scoring import VectorScorer

        self._articles = {a.id: a for a in articles}
        self._analyses = {a.article_id: a for a in analyses}
        reader = self._searcher.reader()
        generation = reader.generation()
        if prepared is None and patch is not None:
            prepared = patch(reader)
        if prepared is not None and (prepared.generation != generation or len(prepared.uids) != reader.doc_count()):
            prepared = None  # made for another state of the index
        if prepared is None:
            uids: dict[int, str] = {}
            values = []
            for docnum, stored in reader.iter_docs():  # live documents only
                uid = stored.get("uid")
                uids[docnum] = uid
                article, analysis = self._articles.get(uid), self._analyses.get(uid)
                if article is not None and analysis is not None:
                    values.append((docnum, (facets or {}).get(uid) or facet_values(article, analysis)))
            prepared = Prepared(generation, uids, FacetColumns(FACETS, values))
        self.prepared = prepared
        self._uids = prepared.uids
        self._facets = prepared.columns
        self._vectors = VectorScorer(self._searcher)
        self._marks: dict[str, dict[int, list[tuple]]] = {}  # article id -> paragraph -> mentions in it
        self._stem = stemming_analyzer()
        self._forms: dict[str, str] = {}
        self._fold = folding_analyzer()
        self._corrector: ListCorrector | None = None  # made on the first misspelt word
        self._vocabulary: dict[str, int] = {}
        # One reader, used from the app's worker threads: one query at a time.
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Make the first search as fast as the next ones (call from a worker)."""
        with self._lock:
            self._vectors.warm_up()

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def reader(self):
        """The index as this searcher reads it (Whoosh's reader)."""
        return self._searcher.reader()

    @property
    def article_count(self) -> int:
        return len(self._uids)

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
        try:
            # Every match scored on numpy arrays (the total and the facets need them all).
            matched, best = self._vectors.search(query, drill, limit)
        except Exception as exc:  # noqa: BLE001 - Whoosh fails in odd ways on odd queries
            raise QueryError(f"cannot run this query ({type(exc).__name__})") from None
        top = []
        for docnum, score in best:
            uid = self._uids.get(docnum)
            article = self._articles.get(uid)
            if uid is not None:  # (an article not in memory: the index as another process saved it)
                title = article.title if article else self._searcher.stored_fields(docnum).get("title", "")
                top.append((uid, title, score))
        terms = self._query_terms(query) if passages else {}
        found = self._passages([aid for aid, _, _ in top[:passages]], terms) if passages else {}
        hits = [
            Hit(id=aid, title=title, score=round(float(score), 4), passages=found.get(aid, []))
            for aid, title, score in top
        ]
        return SearchResult(
            query=text,
            total=len(matched),
            hits=hits,
            facets=self._count_facets(matched) if facets else {},
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
            for fieldname, word in self._vectors.expanded_terms(leaf):
                if fieldname in (None, "date", "kind", "article"):
                    continue
                text = word.decode("utf-8", "replace") if isinstance(word, bytes) else str(word)
                if (fieldname, text) in reader:
                    found.setdefault(fieldname, set()).add(text)
        return found

    def _passages(self, article_ids: list[str], terms: dict[str, set[str]]) -> dict[str, list[Passage]]:
        """Each hit article's paragraphs with the most of the query's words and names
        highlighted (the lede when none has any), scored here: a Whoosh search per hit
        cost 8 ms each, and even one search over the hits' paragraphs walks every
        posting of a common word ("said": 38 ms)."""
        found = {}
        for aid in article_ids:
            article = self._articles.get(aid)
            if article is None:
                continue
            marks = self._paragraph_marks(article)
            scored = []
            for paragraph in article.paragraphs:
                if paragraph.is_heading or paragraph.number is None:
                    continue
                text = article.text[paragraph.start : paragraph.end]
                spans = self._highlights(text, marks.get(paragraph.number, ()), terms)
                # the most different words of the query, then the closest together (a phrase
                # is one merged span), then the earliest paragraph
                distinct = len({w for s, e in spans for w in text[s:e].casefold().split()})
                scored.append(((-distinct, len(spans), paragraph.number), paragraph.number, text, spans))
            if not scored:
                continue
            scored.sort()
            best = [item for item in scored if item[3]][:PASSAGES_PER_HIT] or scored[:1]
            found[aid] = [Passage(number, text, spans) for _, number, text, spans in best]
        return found

    def _paragraph_marks(self, article: Article) -> dict[int, list[tuple[int, int, str, str]]]:
        """Paragraph number -> (start, end, facet, value) of the names and issues in it,
        offsets into the paragraph."""
        marks = self._marks.get(article.id)
        if marks is not None:
            return marks
        analysis = self._analyses.get(article.id)
        body = [p for p in article.paragraphs if not p.is_heading and p.number is not None]
        starts = [p.start for p in body]
        marks = {}
        spans = [] if analysis is None else [
            *((m.start, m.end, e.type, e.name) for e in analysis.entities for m in e.mentions),
            *((m.start, m.end, "issue", i.id) for i in analysis.issues for m in i.mentions),
        ]
        for start, end, facet, value in spans:
            at = bisect_right(starts, start) - 1
            if at >= 0 and end <= body[at].end:
                p = body[at]
                marks.setdefault(p.number, []).append((start - p.start, end - p.start, facet, value))
        if len(self._marks) > 1000:  # the hits of the last searches, not the whole pile
            self._marks.clear()
        self._marks[article.id] = marks
        return marks

    def passages(self, query_text: str, article_ids: list[str]) -> dict[str, list[Passage]]:
        """The highlighted passages of these articles for a query already run (hits past
        the first screenful), without running the search again; {} for a bad query."""
        try:
            with self._lock:
                query = parse_query(query_text, self._ix.schema)
                return self._passages(article_ids, self._query_terms(query))
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
        return [match.span() for match in WORD.finditer(text) if stem(match.group()) in words]

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
        if fields != ("title", "body"):  # a field's own values: its lexicon is the list
            options = self._searcher.corrector(fields[0]).suggest(folded[0], limit=1, maxdist=2, prefix=1)
        else:
            options = self._from_vocabulary(folded[0], reader)
        if options and options[0] != folded[0]:
            replacements[span] = _same_case(word, options[0])

    def _from_vocabulary(self, word: str, reader) -> list[str]:
        """The closest words of the corpus that the index still finds, the most common
        first among equally close ones."""
        if self._corrector is None:
            self._vocabulary = read_vocabulary(self._ix.storage)
            self._corrector = ListCorrector(sorted(self._vocabulary))

        def indexed(candidate: str) -> bool:  # in a live article (term counts include deleted ones)
            forms = [t.text for t in self._stem(candidate)]
            return any(
                reader.doc_frequency(f, form) and reader.postings(f, form).is_active()
                for f in ("title", "body") for form in forms
            )

        ranked = [
            (distance(candidate, word), -self._vocabulary.get(candidate, 0), candidate)
            for candidate in self._corrector.suggest(word, limit=8, maxdist=2, prefix=1)
            if indexed(candidate)
        ]
        return [candidate for *_, candidate in sorted(ranked)]


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
