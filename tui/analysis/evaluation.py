"""Precision, recall and F1 of the analysis against a hand annotation.

An annotation (``tests/data/seeds_gold.json``, ``tests/data/heldout_gold.json``) lists
per article the entities of each type (canonical name plus accepted other forms), the
issue ids and the direct quotes with their speakers. Entities and quotes are matched by
folded name, so case and accents do not count as errors. An article is found by its id
or by its path under the folder read; an annotation may name where its stories come from
(``sources``) and split them into a half to look at and a half only to score (``split``).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.analysis.model import ArticleAnalysis, Entity, Mention
from tui.analysis.rules import fold
from tui.corpus import Article

ENTITY_AREAS = ("person", "organization", "place", "group", "law", "event")
OPENING_WORDS = 4  # a quote is found when its first words are


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

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                     self.misses + other.misses, self.extras + other.extras)


@dataclass
class Count:
    """``hits`` of ``total``, with the cases that missed."""

    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def add(self, hit: bool, what: str) -> None:
        self.total += 1
        self.hits += hit
        if not hit:
            self.misses.append(what)


@dataclass
class Evaluation:
    areas: dict[str, Score]
    bad_offsets: int
    articles: int
    people_mistyped: list[str] = field(default_factory=list)  # a person's name given another type
    quotes_found: Count = field(default_factory=Count)  # the quote's opening words, whoever the speaker
    right_speaker: Count = field(default_factory=Count)  # of the quotes found, the right speaker
    name_coverage: Count = field(default_factory=Count)  # occurrences of a person's name shown as that person

    def headline(self) -> dict[str, float]:
        """The figures a reader's trust rests on (what issue 22 sets targets for)."""
        areas = self.areas
        found = areas["organization"] + areas["place"]
        named = Score()
        for area in ("organization", "place", "group", "law", "event"):
            named = named + areas[area]
        return {
            "person_f1": areas["person"].f1,
            "people_mistyped_per_10_articles": 10 * len(self.people_mistyped) / max(self.articles, 1),
            "organization_place_recall": found.recall,
            "other_types_precision": named.precision,
            "quote_recall": areas["quotes"].recall,
            "quotes_found": self.quotes_found.ratio,
            "right_speaker_of_found": self.right_speaker.ratio,
            "name_coverage": self.name_coverage.ratio,
        }


def load_gold(path: Path) -> dict:
    """The annotated articles by id or path (``sources``: see ``assemble_stories``)."""
    return _read_gold(path)["articles"]


def _read_gold(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot read the annotation ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise GoldError(f"{path}: expected {{\"articles\": {{id: annotation}}}}")
    return data


def gold_sources(path: Path) -> dict[str, Path]:
    """Where the annotation's stories are, by key prefix (relative to the annotation file)."""
    sources = _read_gold(path).get("sources") or {}
    return {prefix: (path.parent / folder) for prefix, folder in sources.items()}


def assemble_stories(path: Path, target: Path) -> Path:
    """The annotated stories copied under ``target`` by their keys, each checked against
    the annotation's sha1: a story changed since it was annotated is an error, not a score."""
    gold, sources = load_gold(path), gold_sources(path)
    if not sources:
        raise GoldError(f"{path}: names no sources for its stories (give a folder to read instead)")
    for key, entry in gold.items():
        prefix = next((p for p in sources if key.startswith(p)), None)
        if prefix is None:
            raise GoldError(f"{path}: no source for {key!r}")
        source = sources[prefix] / key[len(prefix):]
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise GoldError(f"{key}: cannot read {source} ({exc.strerror or exc})") from None
        if entry.get("sha1") and hashlib.sha1(data).hexdigest() != entry["sha1"]:
            raise GoldError(f"{key}: {source} is not the text that was annotated (sha1 differs)")
        out = target / key
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
    return target


def splits_of(gold: dict) -> dict[str, dict]:
    """The annotation by split ("dev", "test"), or whole under "all" when it has none."""
    named: dict[str, dict] = {}
    for key, entry in gold.items():
        named.setdefault(entry.get("split", "all"), {})[key] = entry
    return named


def evaluate(gold: dict, articles: Sequence[Article], analyses: Sequence[ArticleAnalysis],
             root: Path | None = None) -> Evaluation:
    """``root``: the folder read, for annotations keyed by path under it."""
    result = Evaluation({name: Score() for name in (*ENTITY_AREAS, "issues", "quotes")}, 0, 0)
    for article, analysis in zip(articles, analyses):
        result.bad_offsets += _bad_offsets(article, analysis)
        label = article.id if article.id in gold or root is None else _key(article, root)
        expected = gold.get(label)
        if expected is None:
            continue
        result.articles += 1
        for area in ENTITY_AREAS:
            if area in expected:  # (an annotation without a type does not score it)
                predicted = [e.name for e in analysis.entities if e.type == area]
                _match_names(result.areas[area], expected[area], predicted, label)
        if "issues" in expected:
            _match_sets(result.areas["issues"], set(expected["issues"]), {i.id for i in analysis.issues}, label)
        names = _names(expected)
        _match_quotes(result, expected.get("quotes", []), analysis, names, label)
        result.people_mistyped.extend(_people_mistyped(expected, analysis, label))
        _cover_names(result.name_coverage, expected, article, analysis, label)
    return result


def _key(article: Article, root: Path) -> str:
    try:
        return article.path.relative_to(root).as_posix()
    except ValueError:
        return article.id


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


def _forms(entry: dict) -> set[str]:
    return {fold(entry["name"]), *(fold(a) for a in entry.get("also", []))}


def _match_names(score: Score, gold_entries: list[dict], predicted: list[str], article_id: str) -> None:
    def same(entry: dict, name: str) -> bool:
        return fold(name) in _forms(entry)

    def describe(item) -> str:
        return item["name"] if isinstance(item, dict) else item

    _match_one_to_one(score, gold_entries, predicted, same, describe, article_id)


def _match_sets(score: Score, expected: set[str], predicted: set[str], article_id: str) -> None:
    score.tp += len(expected & predicted)
    score.fn += len(expected - predicted)
    score.fp += len(predicted - expected)
    score.misses.extend(f"{article_id}: {i}" for i in sorted(expected - predicted))
    score.extras.extend(f"{article_id}: {i}" for i in sorted(predicted - expected))


def _names(expected: dict) -> dict[str, str]:
    """Every form of every annotated entity, folded, to its canonical name folded."""
    names: dict[str, str] = {}
    for area in ENTITY_AREAS:
        for entry in expected.get(area, []):
            for form in _forms(entry):
                names.setdefault(form, fold(entry["name"]))
    return names


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _contains(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _same_quote(gold_text: str, predicted_text: str) -> bool:
    """The same quote: the annotation's opening words are in the quote found, or the quote
    found opens with words of the annotation's (a quote cut short or run on is found)."""
    gold, found = _words(gold_text), _words(predicted_text)
    if not gold or not found:
        return False
    return _contains(found, gold[:OPENING_WORDS]) or _contains(gold, found[:OPENING_WORDS])


def _match_quotes(result: Evaluation, gold_quotes: list[dict], analysis: ArticleAnalysis, names: dict[str, str],
                  article_id: str) -> None:
    def speaker(name: str) -> str:
        return names.get(fold(name), fold(name))

    def same(expected: dict, quote) -> bool:
        return speaker(quote.speaker) == speaker(expected["speaker"]) and _same_quote(expected["text"], quote.text)

    def describe(item) -> str:
        said, text = (item["speaker"], item["text"]) if isinstance(item, dict) else (item.speaker, item.text)
        return f"{said or '(unnamed)'} — {text[:60]}"

    _match_one_to_one(result.areas["quotes"], gold_quotes, analysis.quotes, same, describe, article_id)
    for expected in gold_quotes:
        found = next((q for q in analysis.quotes if _same_quote(expected["text"], q.text)), None)
        result.quotes_found.add(found is not None, f"{article_id}: {describe(expected)}")
        if found is not None:
            result.right_speaker.add(speaker(found.speaker) == speaker(expected["speaker"]),
                                     f"{article_id}: {describe(expected)} ← given to {found.speaker or '(nobody)'}")


def _people_mistyped(expected: dict, analysis: ArticleAnalysis, article_id: str) -> list[str]:
    """Annotated people whose name the analysis shows as another type in the article."""
    wrong = []
    for entry in expected.get("person", []):
        forms = _forms(entry)
        others = sorted({f"{e.name} ({e.type})" for e in analysis.entities
                         if e.type != "person" and fold(e.name) in forms})
        if others:
            wrong.append(f"{article_id}: {entry['name']} shown as {', '.join(others)}")
    return wrong


def _cover_names(count: Count, expected: dict, article: Article, analysis: ArticleAnalysis, article_id: str) -> None:
    """Each occurrence of an annotated person's name in the text: is it highlighted as
    that person (a mention of a person entity whose name is one of the person's forms
    overlaps it: a title left out of the highlight does not count against it)?"""
    people = [(e, [m for m in e.mentions]) for e in analysis.entities if e.type == "person"]
    for entry in expected.get("person", []):
        forms = _forms(entry)
        covered = [(m.start, m.end) for e, mentions in people if fold(e.name) in forms for m in mentions]
        for start, end in _occurrences(article.text, [entry["name"], *entry.get("also", [])]):
            hit = any(s < end and start < e for s, e in covered)  # ("Sir Digby Jones": the name is shown)
            count.add(hit, f"{article_id}: {article.text[start:end]!r} at {start}")


def _occurrences(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where the forms occur as whole words, longest first, none overlapping."""
    taken: list[tuple[int, int]] = []
    for form in sorted(set(forms), key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                taken.append(match.span())
    return sorted(taken)


def _bad_offsets(article: Article, analysis: ArticleAnalysis) -> int:
    spans = [m for e in analysis.entities for m in e.mentions] + [m for i in analysis.issues for m in i.mentions]
    bad = sum(1 for m in spans if article.text[m.start : m.end] != m.text)
    return bad + sum(1 for q in analysis.quotes if article.text[q.start : q.end] != q.text)


def raw_model_analyses(articles: Sequence[Article], entities_of: Callable[[str], list[tuple[str, str, int, int]]],
                       types: dict[str, str]) -> list[ArticleAnalysis]:
    """The statistical model alone, scored as the analysis is: each (text, label, start,
    end) it finds becomes an entity of the label's type, one per distinct text."""
    analyses = []
    for article in articles:
        entities: dict[tuple[str, str], Entity] = {}
        for text, label, start, end in entities_of(article.text):
            kind = types.get(label)
            if kind in ENTITY_AREAS:
                entity = entities.setdefault((text, kind), Entity(text, kind))
                entity.mentions.append(Mention(text, start, end))
        analyses.append(ArticleAnalysis(article.id, "", "raw", entities=list(entities.values())))
    return analyses
