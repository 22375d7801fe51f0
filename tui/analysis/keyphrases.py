"""Key phrases for corpora without a taxonomy, so the issues panel is never empty.

Candidates are noun phrases found by part of speech (adjectives then nouns, outside
named entities), keyed by their lower-case lemmas. They are ranked per article by
TF-IDF against the corpus, so what every article says ("year", "company") gives way
to what this one is about ("broadband prices", "pension reform").
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

PhraseHit = tuple[str, int, int]  # (lemma key, start, end) in article offsets
TOP_PHRASES = 5
_MAX_WORDS = 4


def phrase_candidates(doc: Doc, offset: int = 0) -> list[PhraseHit]:
    hits: list[PhraseHit] = []
    run: list = []

    def flush() -> None:
        while run and run[0].pos_ == "ADJ" and len(run) > _MAX_WORDS:
            run.pop(0)
        while run and run[-1].pos_ == "ADJ":
            run.pop()
        if run and len(run) <= _MAX_WORDS:
            key = " ".join(t.lemma_.lower() for t in run)
            if len(key) >= 4 and not all(t.is_stop for t in run):
                hits.append((key, run[0].idx + offset, run[-1].idx + len(run[-1].text) + offset))
        run.clear()

    for token in doc:
        # PROPN outside any entity is a capitalised common noun ("Broadband prices fell").
        usable = (
            token.pos_ in ("ADJ", "NOUN", "PROPN") and token.is_alpha and len(token) > 1
            and not token.ent_type_ and not token.is_stop
        )
        if usable and not (token.pos_ == "ADJ" and run and run[-1].pos_ != "ADJ"):
            run.append(token)
        else:
            flush()
            if usable:
                run.append(token)
    flush()
    return hits


def rank_phrases(
    per_article: Sequence[list[PhraseHit]], top: int = TOP_PHRASES, exclude: frozenset[str] = frozenset()
) -> list[list[PhraseHit]]:
    """For each article, the mentions of its ``top`` phrases by TF-IDF (``PhraseRanks`` at once)."""
    ranks = PhraseRanks(top, exclude)
    ranks.update(dict(enumerate(per_article)))
    return [ranks.ranked[i] for i in range(len(per_article))]


class PhraseRanks:
    """Each article's top phrases by TF-IDF against the corpus, kept up to date article
    by article: a change re-ranks the articles sharing a phrase whose document frequency
    moved (all of them when the number of articles changes, since every idf moves).

    Phrases containing a word of ``exclude`` (job titles: "vice president", "chief
    economist") are roles, not subjects, and are left out, unless an article has
    nothing else: the issues panel is never empty.
    """

    def __init__(self, top: int = TOP_PHRASES, exclude: frozenset[str] = frozenset()) -> None:
        self.top, self.exclude = top, exclude
        self.ranked: dict[object, list[PhraseHit]] = {}  # by article: the hits of its top phrases
        self._hits: dict[object, list[PhraseHit]] = {}
        self._keys: dict[object, frozenset[str]] = {}
        self._frequency: Counter[str] = Counter()  # in how many articles each phrase is

    def update(self, changes: Mapping[object, list[PhraseHit] | None]) -> set:
        """Articles' candidates, new or changed (or None: removed); the articles re-ranked."""
        documents = len(self._hits)
        moved: set[str] = set()
        for article, hits in changes.items():
            old = self._keys.pop(article, frozenset())
            self._hits.pop(article, None)
            self.ranked.pop(article, None)
            new = frozenset()
            if hits is not None:
                hits = [h for h in hits if not self.exclude.intersection(h[0].split())] or list(hits)
                new = frozenset(key for key, _, _ in hits)
                self._hits[article], self._keys[article] = hits, new
            self._frequency.subtract(old - new)
            self._frequency.update(new - old)
            moved |= old ^ new
        if len(self._hits) != documents:
            dirty = set(self._hits)
        else:
            dirty = {a for a in changes if a in self._hits}
            dirty |= {a for a, keys in self._keys.items() if not moved.isdisjoint(keys)}
        for key in moved:
            if self._frequency[key] <= 0:
                del self._frequency[key]
        for article in dirty:
            self.ranked[article] = self._rank(self._hits[article])
        return dirty

    def _rank(self, hits: list[PhraseHit]) -> list[PhraseHit]:
        documents, frequency = len(self._hits), self._frequency
        counts = Counter(key for key, _, _ in hits)

        def score(key: str) -> float:
            idf = math.log((1 + documents) / (1 + frequency[key])) + 1
            return counts[key] * idf * (1 + 0.5 * (len(key.split()) - 1))  # prefer phrases

        keep = set(sorted(counts, key=lambda k: (-score(k), k))[: self.top])
        return [h for h in hits if h[0] in keep]


def phrase_label(key: str, surfaces: Sequence[str]) -> str:
    """The most common way the article writes the phrase."""
    forms = Counter(" ".join(s.split()) for s in surfaces)
    return max(forms, key=lambda f: (forms[f], f.islower(), f)) if forms else key


def group_by_key(hits: Sequence[PhraseHit]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, start, end in hits:
        grouped[key].append((start, end))
    return grouped
