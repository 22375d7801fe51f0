"""Whoosh queries scored with numpy, for search as you type.

Whoosh scores one posting at a time in Python: a common word ("said", in 12,000 of
13,000 articles) costs 50 ms on every keystroke. Here each term's postings are read
once into arrays (document numbers, BM25F scores; word positions when a phrase needs
them) and kept, and a query is a few vector operations over all documents. Whoosh
still parses the query, expands wildcards and fuzzy words, and evaluates whatever this
module does not know (its own matcher, on the few documents that can match). The
scores are Whoosh's own (BM25F, the same sums and boosts); tests compare the two.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.query import (
    And, AndMaybe, AndNot, ConstantScoreQuery, MultiTerm, NullQuery, Not, Or, Phrase, Query, Require, Term,
)
from whoosh.query.qcore import _NullQuery
from whoosh.scoring import BM25F

CACHE_POSTINGS = 40_000_000  # bytes of arrays kept (a common word: 100 kB; its positions: 300 kB)
_POSITION_BITS = 32  # (docnum << 32) | position: one sortable number per occurrence


@dataclass(slots=True)
class Scored:
    match: np.ndarray  # bool, one per document number
    score: np.ndarray  # float64, 0 where nothing matched


class VectorScorer:
    """For one open Whoosh searcher (its document numbers and statistics)."""

    def __init__(self, searcher) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.size = self._reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        for leaf, offset in self._reader.leaf_readers():  # not a Python call per document
            self.live[offset : offset + leaf.doc_count_all()] = True
            if leaf.has_deletions():
                self.live[np.fromiter(leaf.deleted_docs_set, dtype=np.int64) + offset] = False
        weighting = searcher.weighting
        self._bm25 = weighting if type(weighting) is BM25F else None
        self._cache: OrderedDict[tuple, tuple] = OrderedDict()
        self._cached_bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._expansions: dict[Query, list] = {}

    def warm_up(self) -> None:
        """Read what every word query needs (the titles' and bodies' lengths: 60 ms at
        13,000 articles), so that the first keystroke does not wait for it."""
        for fieldname in ("title", "body"):
            if fieldname in self._searcher.schema:
                self._field_lengths(fieldname)

    def search(self, query: Query, filter: Query | None = None, limit: int = 10) -> tuple[np.ndarray, list[tuple[int, float]]]:
        """The matching document numbers (ascending) and the ``limit`` best as (docnum,
        score): highest score first, then lowest docnum, as Whoosh orders them."""
        found = self.evaluate(query)
        match = found.match if filter is None else found.match & self.evaluate(filter).match
        docnums = np.flatnonzero(match)
        if limit <= 0 or not len(docnums):
            return docnums, []
        scores = found.score[docnums]
        if len(docnums) > limit:  # only those that can be in the top: at least the limit-th score
            floor = np.partition(scores, len(docnums) - limit)[len(docnums) - limit]
            keep = scores >= floor
            candidates, scores = docnums[keep], scores[keep]
        else:
            candidates = docnums
        order = np.lexsort((candidates, -scores))[:limit]
        return docnums, list(zip(candidates[order].tolist(), scores[order].tolist()))

    def evaluate(self, query: Query) -> Scored:
        """Which live documents match, and their scores as Whoosh gives them."""
        found = self._node(query)
        return Scored(found.match & self.live, np.where(found.match & self.live, found.score, 0.0))

    # -- the query tree --------------------------------------------------------------

    def _node(self, query: Query) -> Scored:
        if query is NullQuery or isinstance(query, _NullQuery):
            return self._empty()
        kind = type(query)
        if kind is Term:
            return self._term(query.fieldname, query.text, query.boost)
        if kind in (And, Or) and len(query.subqueries) == 1:
            return self._node(query.subqueries[0])  # (Whoosh ignores the boost of a lone part)
        if kind is And:
            return self._and(query) if query.subqueries else self._empty()
        if kind is Or and not query.minmatch and query.scale is None and not any(isinstance(q, Not) for q in query.subqueries):
            return self._boosted(self._union([self._node(q) for q in query.subqueries]), query.boost)
        if kind is AndNot:
            return self._without(self._node(query.a), self._node(query.b).match)
        if kind is AndMaybe:
            a, b = self._node(query.a), self._node(query.b)
            return Scored(a.match, a.score + np.where(a.match & b.match, b.score, 0.0))
        if kind is Require:
            a, b = self._node(query.a), self._node(query.b)
            return Scored(a.match & b.match, np.where(b.match, a.score, 0.0))
        if kind is Not:
            inside = self._node(query.query).match
            return Scored(~inside, np.where(inside, 0.0, 1.0))
        if kind is ConstantScoreQuery:
            inside = self._node(query.child).match
            return Scored(inside, np.where(inside, query.score, 0.0))
        if kind is Phrase and query.slop == 1 and len(query.words) > 1:
            return self._phrase(query)
        if isinstance(query, MultiTerm):
            return self._multiterm(query)
        return self._by_whoosh(query)

    def _and(self, query: And) -> Scored:
        """Every part; the scores add up (a Not part adds 1, as Whoosh's inverse matcher does)."""
        parts = [self._node(q) for q in query.subqueries]
        match = np.logical_and.reduce([p.match for p in parts])
        return self._boosted(Scored(match, np.where(match, np.add.reduce([p.score for p in parts]), 0.0)), query.boost)

    def _union(self, parts: list[Scored]) -> Scored:
        if not parts:
            return self._empty()
        return Scored(np.logical_or.reduce([p.match for p in parts]), np.add.reduce([p.score for p in parts]))

    @staticmethod
    def _without(found: Scored, excluded: np.ndarray) -> Scored:
        keep = found.match & ~excluded
        return Scored(keep, np.where(keep, found.score, 0.0))

    @staticmethod
    def _boosted(found: Scored, boost: float) -> Scored:
        return found if boost == 1.0 else Scored(found.match, found.score * boost)

    def _empty(self) -> Scored:
        return Scored(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    # -- leaves ---------------------------------------------------------------------

    def _term(self, fieldname: str, text, boost: float = 1.0) -> Scored:
        """One word of one field: BM25F where the field is scorable (Whoosh's default)."""
        postings = self._postings(fieldname, text)
        if postings is None:
            return self._empty()
        docnums, weights = postings
        match = np.zeros(self.size, dtype=bool)
        match[docnums] = True
        score = np.zeros(self.size)
        score[docnums] = self._term_scores(fieldname, text, docnums, weights)
        return self._boosted(Scored(match, score), boost)

    def _term_scores(self, fieldname: str, text, docnums: np.ndarray, weights: np.ndarray) -> np.ndarray:
        field = self._searcher.schema[fieldname]
        if self._bm25 is None or not field.scorable:
            return weights  # Whoosh's WeightScorer
        b = self._bm25._field_B.get(fieldname, self._bm25.B)
        k1 = self._bm25.K1
        idf = self._searcher.idf(fieldname, text)
        average = self._searcher.avg_field_length(fieldname) or 1
        lengths = self._field_lengths(fieldname)[docnums]
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average)))

    def _multiterm(self, query: MultiTerm) -> Scored:
        """Wildcards, prefixes, fuzzy words, ranges of words: the words found, scored and
        added up as Whoosh does (its "constant score" falls back to the searcher's BM25F)."""
        fieldname = query.field()
        words = [word for _, word in self.expanded_terms(query) if word]
        if not words or fieldname not in self._searcher.schema:
            return self._empty()
        if len(words) == 1:
            return self._term(fieldname, words[0])
        return self._boosted(self._union([self._term(fieldname, word) for word in words]), query.boost)

    def _phrase(self, query: Phrase) -> Scored:
        """Words next to each other, in order: the documents with all of them, whose word
        positions line up; the score is the words' scores added up, as in Whoosh."""
        schema = self._searcher.schema
        field = schema[query.fieldname] if query.fieldname in schema else None
        if field is None or not field.format or not field.format.supports("positions"):
            return self._by_whoosh(query)
        try:
            words = [field.to_bytes(word) for word in query.words]
        except ValueError:
            return self._empty()
        parts = [self._term(query.fieldname, word) for word in words]
        together = np.logical_and.reduce([p.match for p in parts])
        if not together.any():
            return self._empty()
        # Occurrences as (docnum << 32 | position - i) for the i-th word: a phrase is a
        # number every word has.
        starts = None
        for i, word in enumerate(words):
            occurrences = self._positions(query.fieldname, word)
            shifted = occurrences - i
            shifted = shifted[together[(occurrences >> _POSITION_BITS).astype(np.int64)]]
            starts = shifted if starts is None else np.intersect1d(starts, shifted, assume_unique=True)
            if not len(starts):
                return self._empty()
        match = np.zeros(self.size, dtype=bool)
        match[np.unique(starts >> _POSITION_BITS)] = True
        score = np.where(match, np.add.reduce([p.score for p in parts]), 0.0)
        return self._boosted(Scored(match, score), query.boost)

    def _by_whoosh(self, query: Query) -> Scored:
        """Whoosh's own matcher, one match at a time (anything not done above)."""
        match = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size)
        matcher = query.matcher(self._searcher)
        while matcher.is_active():
            docnum = matcher.id()
            match[docnum] = True
            score[docnum] = matcher.score()
            matcher.next()
        return Scored(match, score)

    def expanded_terms(self, leaf: Query) -> list[tuple[str, bytes]]:
        """``leaf.expanded_terms``, kept: a fuzzy word walks the whole word list (8 ms)."""
        found = self._expansions.get(leaf)
        if found is None:
            found = list(leaf.expanded_terms(self._reader, phrases=True))
            if len(self._expansions) >= 1000:
                self._expansions.clear()
            self._expansions[leaf] = found
        return found

    # -- postings, read once -----------------------------------------------------------

    def _postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray] | None:
        """(docnums, weights) of a term, or None when no document has it."""
        field = self._searcher.schema[fieldname] if fieldname in self._searcher.schema else None
        try:
            btext = field.to_bytes(text) if field is not None else None
        except ValueError:
            btext = None
        if btext is None:
            return None
        key = ("p", fieldname, btext)
        found = self._cached(key)
        if found is not None:
            return found or None
        if (fieldname, btext) not in self._reader:
            self._keep(key, ())
            return None
        matcher = self._reader.postings(fieldname, btext)
        docnums, weights = [], []
        while matcher.is_active():
            docnums.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        found = (np.asarray(docnums, dtype=np.int64), np.asarray(weights, dtype=np.float64))
        self._keep(key, found)
        return found

    def _positions(self, fieldname: str, btext: bytes) -> np.ndarray:
        """Every occurrence of a term as docnum << 32 | position, sorted."""
        key = ("w", fieldname, btext)
        found = self._cached(key)
        if found is not None:
            return found[0]
        numbers: list[int] = []
        matcher = self._reader.postings(fieldname, btext)
        while matcher.is_active():
            base = matcher.id() << _POSITION_BITS
            numbers.extend(base | position for position in matcher.value_as("positions"))
            matcher.next()
        occurrences = np.asarray(numbers, dtype=np.int64)
        self._keep(key, (occurrences,))
        return occurrences

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            length = self._reader.doc_field_length
            lengths = np.fromiter((length(d, fieldname, 1) for d in range(self.size)), dtype=np.float64, count=self.size)
            self._lengths[fieldname] = lengths
        return lengths

    def _cached(self, key: tuple):
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
        return found

    def _keep(self, key: tuple, value: tuple) -> None:
        self._cache[key] = value
        self._cached_bytes += _cost(value)
        while self._cached_bytes > CACHE_POSTINGS and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached_bytes -= _cost(old)


def _cost(value: tuple) -> int:
    """Bytes an entry holds, with its key and bookkeeping (also a word found nowhere)."""
    return 200 + sum(a.nbytes for a in value)
