"""Key phrases for corpora without a taxonomy, so the issues panel is never empty.

Candidates are noun phrases found by part of speech (adjectives then nouns, outside
named entities), keyed by their lower-case lemmas. They are ranked per article by
TF-IDF against the corpus, so what every article says ("year", "company") gives way
to what this one is about ("broadband prices", "pension reform").
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from tui.analysis.kept_state import PairIndex, checked

if TYPE_CHECKING:
    from spacy.tokens import Doc

PhraseHit = tuple[str, int, int]  # (lemma key, start, end) in article offsets
TOP_PHRASES = 5
_MAX_WORDS = 4


def phrase_candidates(doc: Doc, offset: int = 0) -> list[PhraseHit]:
    """Runs of adjectives then nouns outside entities, up to ``_MAX_WORDS`` words. Read
    from the doc's columns (``to_array``): a Token object per word made this the larger
    part of the analysis's own work beside spaCy's."""
    from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_STOP, LEMMA, LENGTH, POS
    from spacy.symbols import ADJ, NOUN, PROPN

    if not len(doc):
        return []
    columns = doc.to_array([POS, IS_ALPHA, ENT_TYPE, IS_STOP, LENGTH, IDX, LEMMA]).T.tolist()
    strings = doc.vocab.strings
    hits: list[PhraseHit] = []
    run: list[int] = []  # token numbers
    pos, alpha, ent, stop, length, idx, lemma = columns
    kinds = (ADJ, NOUN, PROPN)

    def flush() -> None:
        while run and pos[run[0]] == ADJ and len(run) > _MAX_WORDS:
            run.pop(0)
        while run and pos[run[-1]] == ADJ:
            run.pop()
        if run and len(run) <= _MAX_WORDS:
            key = " ".join(strings[lemma[i]].lower() for i in run)
            if len(key) >= 4:  # (no stop word is in a run)
                last = run[-1]
                hits.append((key, idx[run[0]] + offset, idx[last] + length[last] + offset))
        run.clear()

    for i, kind in enumerate(pos):
        # PROPN outside any entity is a capitalised common noun ("Broadband prices fell").
        usable = kind in kinds and alpha[i] and length[i] > 1 and not ent[i] and not stop[i]
        if usable and not (kind == ADJ and run and pos[run[-1]] != ADJ):
            run.append(i)
        else:
            flush()
            if usable:
                run.append(i)
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
    moved, and all of them when the number of articles moves.

    Both numbers are used rounded (``_coarse``: to within an eighth) so that one article
    more or less moves few of them: adding an article to 13,000 re-ranked them all.

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
        self._documents = 0
        # Resumed from a kept state: articles whose hits are not loaded yet, and what loads them.
        self._lazy: set = set()
        self._index: PairIndex | None = None
        self._load: Callable[[list], Mapping[object, list[PhraseHit]]] | None = None

    @classmethod
    def resumed(cls, top: int, exclude: frozenset[str], tables: dict, index: PairIndex, ids: list[str],
                load: Callable[[list], Mapping[object, list[PhraseHit]]]) -> PhraseRanks:
        """Ranks as ``state`` left them, each article's hits loaded (``load``) only when a
        change reaches it. Raise ValueError when ``tables`` are not what ``state`` writes."""
        ranks = cls(top, exclude)
        ranks._frequency = Counter(checked(tables["frequency"], ("map", int)))
        ranks._documents = checked(tables["documents"], int)
        if ranks._documents != len(ids):
            raise ValueError("not these articles' ranks")
        ranks._lazy, ranks._index, ranks._load = set(ids), index, load
        return ranks

    def state(self, ids: list[str]) -> tuple[dict, PairIndex]:
        tables = {"frequency": dict(self._frequency), "documents": self._documents}
        made = {aid: keys for aid, keys in self._keys.items() if aid not in self._lazy}
        if self._index is None or not self._lazy:
            return tables, PairIndex.of(made, ids)
        return tables, self._index.merged(self._lazy, made, ids)

    def pull(self, articles) -> None:
        """Load the hits of these articles (of those not loaded yet)."""
        wanted = [a for a in articles if a in self._lazy]
        if not wanted:
            return
        for article, hits in self._load(wanted).items():
            hits = self._usable(hits)
            self._hits[article], self._keys[article] = hits, frozenset(key for key, _, _ in hits)
            self._lazy.discard(article)
        if self._lazy.intersection(wanted):
            raise RuntimeError("the kept state's articles could not all be loaded")

    def top_of(self, article) -> list[PhraseHit]:
        """The hits of an article's top phrases (ranked now if a change did not reach it)."""
        if article not in self.ranked:
            self.pull((article,))
            self.ranked[article] = self._rank(self._hits[article])
        return self.ranked[article]

    def _usable(self, hits: Sequence[PhraseHit]) -> list[PhraseHit]:
        return [h for h in hits if not self.exclude.intersection(h[0].split())] or list(hits)

    def update(self, changes: Mapping[object, list[PhraseHit] | None]) -> set:
        """Articles' candidates, new or changed (or None: removed); the articles re-ranked."""
        self.pull(changes)
        documents = self._documents
        before: dict[str, int] = {}
        for article, hits in changes.items():
            old = self._keys.pop(article, frozenset())
            if self._hits.pop(article, None) is not None:
                self._documents -= 1
            self.ranked.pop(article, None)
            new = frozenset()
            if hits is not None:
                hits = self._usable(hits)
                new = frozenset(key for key, _, _ in hits)
                self._hits[article], self._keys[article] = hits, new
                self._documents += 1
            for key in old ^ new:
                before.setdefault(key, self._frequency[key])
            self._frequency.subtract(old - new)
            self._frequency.update(new - old)
        moved = {key for key, n in before.items() if _coarse(n) != _coarse(self._frequency[key])}
        for key in before:
            if self._frequency[key] <= 0:
                del self._frequency[key]
        if _coarse(self._documents) != _coarse(documents):
            self.pull(list(self._lazy))
            dirty = set(self._hits)
        else:
            dirty = {a for a in changes if a in self._hits}
            dirty |= {a for a, keys in self._keys.items() if not moved.isdisjoint(keys)}
            if self._lazy and moved:
                dirty |= self._index.readers(moved) & self._lazy
                self.pull(dirty)
        for article in dirty:
            self.ranked[article] = self._rank(self._hits[article])
        return dirty

    def _rank(self, hits: list[PhraseHit]) -> list[PhraseHit]:
        documents, frequency = _coarse(self._documents), self._frequency
        counts = Counter(key for key, _, _ in hits)

        def score(key: str) -> float:
            idf = math.log((1 + documents) / (1 + _coarse(frequency[key]))) + 1
            return counts[key] * idf * (1 + 0.5 * (len(key.split()) - 1))  # prefer phrases

        keep = set(sorted(counts, key=lambda k: (-score(k), k))[: self.top])
        return [h for h in hits if h[0] in keep]


def _coarse(n: int) -> int:
    """``n`` rounded up to three significant bits beyond the leading one (exact below 16):
    an idf that moves only when a frequency moves by an eighth or so."""
    if n < 16:
        return n
    step = 1 << (n.bit_length() - 4)
    return -(-n // step) * step


def phrase_label(key: str, surfaces: Sequence[str]) -> str:
    """The most common way the article writes the phrase."""
    forms = Counter(" ".join(s.split()) for s in surfaces)
    return max(forms, key=lambda f: (forms[f], f.islower(), f)) if forms else key


def group_by_key(hits: Sequence[PhraseHit]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, start, end in hits:
        grouped[key].append((start, end))
    return grouped
