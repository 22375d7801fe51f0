"""Precision, recall and F1 of the analysis against a hand annotation.

The annotation (``tests/data/seeds_gold.json``) lists per article the entities of
each type (canonical name plus accepted other forms), the issue ids and the direct
quotes with their speakers. Entities and quotes are matched by folded name, so
case and accents do not count as errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.analysis.model import ArticleAnalysis
from tui.analysis.rules import fold
from tui.corpus import Article

ENTITY_AREAS = ("person", "organization", "place", "law")


class GoldError(ValueError):
    """An annotation file that cannot be used."""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)  # what the annotation has and the analysis lacks
    extras: list[str] = field(default_factory=list)  # what the analysis has and the annotation lacks

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    areas: dict[str, Score]
    bad_offsets: int
    articles: int


def load_gold(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot read the annotation ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise GoldError(f"{path}: expected {{\"articles\": {{id: annotation}}}}")
    return data["articles"]


def evaluate(gold: dict, articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]) -> Evaluation:
    areas = {name: Score() for name in (*ENTITY_AREAS, "issues", "quotes")}
    bad = 0
    evaluated = 0
    for article, analysis in zip(articles, analyses):
        bad += _bad_offsets(article, analysis)
        expected = gold.get(article.id)
        if expected is None:
            continue
        evaluated += 1
        for area in ENTITY_AREAS:
            predicted = [e.name for e in analysis.entities if e.type == area]
            _match_names(areas[area], expected.get(area, []), predicted, article.id)
        _match_sets(areas["issues"], set(expected.get("issues", [])), {i.id for i in analysis.issues}, article.id)
        _match_quotes(areas["quotes"], expected.get("quotes", []), analysis, article.id)
    return Evaluation(areas, bad, evaluated)


def _match_one_to_one(score: Score, expected: list, predicted: list, same, describe, article_id: str) -> None:
    """Each expected item takes the first unused predicted item that is the same."""
    unmatched = list(predicted)
    for item in expected:
        hit = next((p for p in unmatched if same(item, p)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(f"{article_id}: {describe(item)}")
        else:
            score.tp += 1
            unmatched.remove(hit)
    score.fp += len(unmatched)
    score.extras.extend(f"{article_id}: {describe(p)}" for p in unmatched)


def _match_names(score: Score, gold_entries: list[dict], predicted: list[str], article_id: str) -> None:
    def same(entry: dict, name: str) -> bool:
        return fold(name) in {fold(entry["name"]), *(fold(a) for a in entry.get("also", []))}

    def describe(item) -> str:
        return item["name"] if isinstance(item, dict) else item

    _match_one_to_one(score, gold_entries, predicted, same, describe, article_id)


def _match_sets(score: Score, expected: set[str], predicted: set[str], article_id: str) -> None:
    score.tp += len(expected & predicted)
    score.fn += len(expected - predicted)
    score.fp += len(predicted - expected)
    score.misses.extend(f"{article_id}: {i}" for i in sorted(expected - predicted))
    score.extras.extend(f"{article_id}: {i}" for i in sorted(predicted - expected))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _same_quote(gold_text: str, predicted_text: str) -> bool:
    a, b = _words(gold_text), _words(predicted_text)
    if not a or not b:
        return False
    overlap = len(set(a) & set(b)) / len(set(a) | set(b))
    return overlap >= 0.8


def _match_quotes(score: Score, gold_quotes: list[dict], analysis: ArticleAnalysis, article_id: str) -> None:
    def same(expected: dict, quote) -> bool:
        return fold(quote.speaker) == fold(expected["speaker"]) and _same_quote(expected["text"], quote.text)

    def describe(item) -> str:
        speaker, text = (item["speaker"], item["text"]) if isinstance(item, dict) else (item.speaker, item.text)
        return f"{speaker} — {text[:60]}"

    _match_one_to_one(score, gold_quotes, analysis.quotes, same, describe, article_id)


def _bad_offsets(article: Article, analysis: ArticleAnalysis) -> int:
    spans = [m for e in analysis.entities for m in e.mentions] + [m for i in analysis.issues for m in i.mentions]
    bad = sum(1 for m in spans if article.text[m.start : m.end] != m.text)
    return bad + sum(1 for q in analysis.quotes if article.text[q.start : q.end] != q.text)
