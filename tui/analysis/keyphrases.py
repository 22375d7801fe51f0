"""Key phrases for corpora without a taxonomy, so the issues panel is never empty.

Candidates are noun phrases found by part of speech (adjectives then nouns, outside
named entities), keyed by their lower-case lemmas. They are ranked per article by
TF-IDF against the corpus, so what every article says ("year", "company") gives way
to what this one is about ("broadband prices", "pension reform").
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
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
    """For each article, the mentions of its ``top`` phrases by TF-IDF.

    Phrases containing a word of ``exclude`` (job titles: "vice president", "chief
    economist") are roles, not subjects, and are left out, unless an article has
    nothing else: the issues panel is never empty.
    """
    per_article = [[h for h in hits if not exclude.intersection(h[0].split())] or hits for hits in per_article]
    documents = len(per_article)
    frequency: Counter[str] = Counter()
    for hits in per_article:
        frequency.update({key for key, _, _ in hits})
    ranked = []
    for hits in per_article:
        counts = Counter(key for key, _, _ in hits)

        def score(key: str) -> float:
            idf = math.log((1 + documents) / (1 + frequency[key])) + 1
            return counts[key] * idf * (1 + 0.5 * (len(key.split()) - 1))  # prefer phrases

        best = sorted(counts, key=lambda k: (-score(k), k))[:top]
        keep = set(best)
        ranked.append([h for h in hits if h[0] in keep])
    return ranked


def phrase_label(key: str, surfaces: Sequence[str]) -> str:
    """The most common way the article writes the phrase."""
    forms = Counter(" ".join(s.split()) for s in surfaces)
    return max(forms, key=lambda f: (forms[f], f.islower(), f)) if forms else key


def group_by_key(hits: Sequence[PhraseHit]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, start, end in hits:
        grouped[key].append((start, end))
    return grouped
