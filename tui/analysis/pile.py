"""Across the pile: an entity's dossier, every quote, and how an issue moved over time.

Computed from the articles and their analyses alone (no NLP), so the app's screens and
the CLI (``newsreader entity``) show the same data. Co-occurrence is counted by
paragraph: two names in one paragraph are about one thing far more often than two names
in one article. Who an entity is "seen with" is ranked by the log-likelihood ratio over
paragraphs, among names seen with it more often than chance (PMI above zero) in at
least two paragraphs.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tui.analysis.model import ArticleAnalysis
from tui.corpus import Article

NUMBERS = ("date", "money", "percent")  # entities that are values, not things: not "related"
MIN_TOGETHER = 2  # the floor: paragraphs two entities must share before they are ranked
RELATED = 15  # entities listed as co-occurring
DAILY_SPAN = 62  # days: a longer span is charted by week


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is in the pile: an article and a span of its text."""

    article_id: str
    title: str
    date: str | None
    start: int
    end: int
    paragraph: int | None  # the body paragraph's number (what a citation says), None for a heading


@dataclass(frozen=True, slots=True)
class QuoteRow:
    speaker: str
    text: str
    at: Place
    issues: tuple[str, ...] = ()  # ids of the issues mentioned in the quote's paragraph


@dataclass(frozen=True, slots=True)
class EntityArticle:
    at: Place  # the first mention
    mentions: int


@dataclass(frozen=True, slots=True)
class Association:
    """An entity or issue seen with the dossier's entity."""

    name: str  # an entity's name, or an issue's label
    kind: str  # an entity's type, or "issue"
    key: str  # an entity's name, or an issue's id
    together: int  # paragraphs with both
    articles: int  # articles with both
    pmi: float | None = None  # log2 P(both) / (P(one) P(other)), over paragraphs
    score: float | None = None  # log-likelihood ratio G² of the two occurring together (what ranks them)


@dataclass
class Dossier:
    name: str
    type: str
    aliases: list[tuple[str, int]]  # each form seen, and how often
    articles: list[EntityArticle]
    quotes: list[QuoteRow]
    issues: list[Association]
    related: list[Association]

    @property
    def mentions(self) -> int:
        return sum(a.mentions for a in self.articles)


@dataclass(frozen=True, slots=True)
class EntityName:
    name: str
    type: str
    articles: int
    mentions: int


@dataclass(frozen=True, slots=True)
class IssueSummary:
    id: str
    label: str
    articles: int
    mentions: int


@dataclass
class Timeline:
    """An issue over time: the articles that raise it, mentions per period, who is
    quoted on it. ``dated`` False: no article has a date, and the periods are the
    articles in file order."""

    id: str
    label: str
    dated: bool
    period: str  # "day", "week" or "article"
    buckets: list[tuple[str, int]]  # (period's first day, or the article's title; mentions)
    articles: list[EntityArticle]  # dated ones by date, then the undated in file order
    undated: int  # articles without a date
    speakers: list[tuple[str, int]]  # quoted in paragraphs that raise the issue
    quotes: list[QuoteRow] = field(default_factory=list)


def fold(text: str) -> str:
    """For matching a typed name: no case, no accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


class Pile:
    """The articles and their analyses, with what the views ask of them made once."""

    def __init__(self, articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]) -> None:
        self.articles = [a for a in articles if a.id in analyses]
        self.analyses = analyses
        self._by_id = {a.id: a for a in self.articles}
        self._starts: dict[str, list[int]] = {}
        self._paragraph_sets: dict[str, dict[str, set[int]]] | None = None
        self._quotes: list[QuoteRow] | None = None
        self._names: list[EntityName] | None = None

    # -- names -----------------------------------------------------------------

    def entity_names(self) -> list[EntityName]:
        """Every entity, most mentioned first (no mentions are made: names and counts)."""
        if self._names is not None:
            return self._names
        articles: Counter[tuple[str, str]] = Counter()
        mentions: Counter[tuple[str, str]] = Counter()
        for article in self.articles:
            for name, kind, count in self.analyses[article.id].entity_heads():
                articles[(name, kind)] += 1
                mentions[(name, kind)] += count
        self._names = sorted((EntityName(n, t, articles[(n, t)], c) for (n, t), c in mentions.items()),
                             key=lambda e: (-e.mentions, e.name))
        return self._names

    def find_entity(self, typed: str) -> tuple[EntityName | None, list[EntityName]]:
        """The entity a typed name means, and the candidates when it is not clear: an exact
        name (case and accents aside), else the only name containing it, else none."""
        wanted = fold(typed)
        names = self.entity_names()
        exact = [e for e in names if fold(e.name) == wanted]
        if exact:
            return exact[0], exact[1:]
        containing = [e for e in names if wanted and wanted in fold(e.name)]
        if len(containing) == 1:
            return containing[0], []
        if containing:
            return None, containing
        import difflib

        close = difflib.get_close_matches(wanted, [fold(e.name) for e in names], n=5, cutoff=0.6)
        return None, [e for c in close for e in names if fold(e.name) == c][:5]

    # -- places ----------------------------------------------------------------

    def place(self, article: Article, start: int, end: int) -> Place:
        return Place(article.id, article.title, article.date, start, end, self._paragraph_number(article, start))

    def _paragraph_index(self, article: Article, offset: int) -> int:
        starts = self._starts.get(article.id)
        if starts is None:
            starts = self._starts[article.id] = [p.start for p in article.paragraphs]
        return max(0, bisect_right(starts, offset) - 1)

    def _paragraph_number(self, article: Article, offset: int) -> int | None:
        if not article.paragraphs:
            return None
        return article.paragraphs[self._paragraph_index(article, offset)].number

    def _paragraphs_of(self, article: Article) -> dict[str, set[int]]:
        """For each entity (by name and type) and issue (by ``issue:id``) of the article,
        the paragraphs (indexes) that mention it."""
        found: dict[str, set[int]] = defaultdict(set)
        analysis = self.analyses[article.id]
        for entity in analysis.entities:
            key = _entity_key(entity.name, entity.type)
            for mention in entity.mentions:
                found[key].add(self._paragraph_index(article, mention.start))
        for issue in analysis.issues:
            for mention in issue.mentions:
                found[f"issue:{issue.id}"].add(self._paragraph_index(article, mention.start))
        return found

    def _all_paragraph_sets(self) -> dict[str, dict[str, set[int]]]:
        if self._paragraph_sets is None:
            self._paragraph_sets = {a.id: self._paragraphs_of(a) for a in self.articles}
        return self._paragraph_sets

    # -- quotes ----------------------------------------------------------------

    @property
    def quotes_gathered(self) -> bool:
        return self._quotes is not None

    def quotes(self) -> list[QuoteRow]:
        """Every quote in the pile, in file order, with the issues of its paragraph."""
        if self._quotes is None:
            sets = self._all_paragraph_sets()
            rows = []
            for article in self.articles:
                issues_at: dict[int, list[str]] = defaultdict(list)
                for key, paragraphs in sets[article.id].items():
                    if key.startswith("issue:"):
                        for index in paragraphs:
                            issues_at[index].append(key[len("issue:"):])
                for quote in self.analyses[article.id].quotes:
                    index = self._paragraph_index(article, quote.start)
                    rows.append(QuoteRow(quote.speaker, quote.text, self.place(article, quote.start, quote.end),
                                         tuple(sorted(issues_at.get(index, ())))))
            self._quotes = rows
        return self._quotes

    def filter_quotes(self, speaker: str = "", issue: str = "", text: str = "") -> list[QuoteRow]:
        """Quotes whose speaker, issue (id or label) and text contain what is given (case
        and accents aside); an empty filter keeps everything."""
        speaker, issue, text = fold(speaker), fold(issue), fold(text)
        labels = self.issue_labels()
        rows = self.quotes()
        if speaker:
            rows = [r for r in rows if speaker in fold(r.speaker)]
        if issue:
            rows = [r for r in rows if any(issue in fold(i) or issue in fold(labels.get(i, "")) for i in r.issues)]
        if text:
            rows = [r for r in rows if text in fold(r.text)]
        return rows

    def issue_labels(self) -> dict[str, str]:
        return {i: label for a in self.articles for i, label, _ in self.analyses[a.id].issue_heads()}

    # -- dossier ---------------------------------------------------------------

    def dossier(self, name: str, entity_type: str | None = None) -> Dossier | None:
        """Everything the pile says of one entity (by its canonical name)."""
        kinds = Counter(t for a in self.articles for n, t, _ in self.analyses[a.id].entity_heads() if n == name)
        if not kinds:
            return None
        entity_type = entity_type if entity_type in kinds else kinds.most_common(1)[0][0]
        key = _entity_key(name, entity_type)
        sets = self._all_paragraph_sets()
        forms: Counter[str] = Counter()
        articles: list[EntityArticle] = []
        issues_together: Counter[str] = Counter()
        issues_articles: Counter[str] = Counter()
        related_together: Counter[str] = Counter()
        related_articles: Counter[str] = Counter()
        for article in self.articles:
            entity = next((e for e in self.analyses[article.id].entities if e.name == name and e.type == entity_type), None)
            if entity is None or not entity.mentions:
                continue
            forms.update(m.text for m in entity.mentions)
            first = min(entity.mentions, key=lambda m: m.start)
            articles.append(EntityArticle(self.place(article, first.start, first.end), len(entity.mentions)))
            mine = sets[article.id].get(key, set())
            for other, paragraphs in sets[article.id].items():
                if other == key:
                    continue
                shared = len(mine & paragraphs)
                target = issues_together if other.startswith("issue:") else related_together
                per_article = issues_articles if other.startswith("issue:") else related_articles
                per_article[other] += 1
                if shared:
                    target[other] += shared
        quotes = [q for q in self.quotes() if q.speaker == name]
        labels = self.issue_labels()
        issues = sorted(
            (Association(labels.get(k[6:], k[6:]), "issue", k[6:], issues_together[k], n)
             for k, n in issues_articles.items()),
            key=lambda a: (-a.together, -a.articles, a.name),
        )
        return Dossier(name, entity_type, forms.most_common(), articles, quotes, issues,
                       self._related(key, related_together, related_articles))

    def _related(self, key: str, together: Counter[str], articles: Counter[str]) -> list[Association]:
        """Entities seen with this one more often than chance, over paragraphs, ranked by
        the log-likelihood ratio G² (Dunning 1993), among those sharing at least
        MIN_TOGETHER paragraphs. PMI is shown but does not rank: it is highest for a name
        seen only beside this one, however seldom (every such name ties at the top),
        while G² weighs how far from chance by how much evidence there is."""
        sets = self._all_paragraph_sets()
        total = sum(len(a.paragraphs) or 1 for a in self.articles)
        counts: Counter[str] = Counter()
        for per_article in sets.values():
            for other, paragraphs in per_article.items():
                counts[other] += len(paragraphs)
        mine = counts[key]
        ranked = []
        for other, shared in together.items():
            name, kind = _split_key(other)
            if shared < MIN_TOGETHER or kind in NUMBERS:
                continue
            pmi = math.log2(shared * total / (mine * counts[other]))
            if pmi <= 0:  # no more often than chance (a name that is everywhere): says nothing
                continue
            score = log_likelihood(shared, mine, counts[other], total)
            ranked.append(Association(name, kind, name, shared, articles[other], round(pmi, 3), round(score, 3)))
        ranked.sort(key=lambda a: (-a.score, -a.together, a.name))
        return ranked[:RELATED]

    # -- issues ----------------------------------------------------------------

    def issue_summaries(self) -> list[IssueSummary]:
        """Every issue (or key phrase, without a taxonomy), most widespread first."""
        labels: dict[str, str] = {}
        articles: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        for article in self.articles:
            for issue_id, label, count in self.analyses[article.id].issue_heads():
                labels[issue_id] = label
                articles[issue_id] += 1
                mentions[issue_id] += count
        return sorted((IssueSummary(i, labels[i], articles[i], mentions[i]) for i in labels),
                      key=lambda s: (-s.articles, -s.mentions, s.label))

    def timeline(self, issue_id: str) -> Timeline | None:
        label = None
        rows: list[tuple[Article, EntityArticle]] = []
        for article in self.articles:
            issue = next((i for i in self.analyses[article.id].issues if i.id == issue_id), None)
            if issue is None or not issue.mentions:
                continue
            label = issue.label
            first = min(issue.mentions, key=lambda m: m.start)
            rows.append((article, EntityArticle(self.place(article, first.start, first.end), len(issue.mentions))))
        if label is None:
            return None
        dated = [(a, row) for a, row in rows if _day(a.date) is not None]
        undated = [row for a, row in rows if _day(a.date) is None]
        dated.sort(key=lambda pair: _day(pair[0].date))
        if dated:
            days = [_day(a.date) for a, _ in dated]
            period = "day" if (days[-1] - days[0]).days <= DAILY_SPAN else "week"
            buckets = _buckets([(d, row.mentions) for d, (_, row) in zip(days, dated)], period)
        else:
            period = "article"
            buckets = [(row.at.title, row.mentions) for row in undated]
        quotes = [q for q in self.quotes() if issue_id in q.issues]
        speakers = Counter(q.speaker for q in quotes).most_common()
        return Timeline(issue_id, label, bool(dated), period, buckets, [row for _, row in dated] + undated,
                        len(undated), speakers, quotes)


def log_likelihood(both: int, one: int, other: int, total: int) -> float:
    """G² of a 2×2 table: ``both`` units with the two, ``one`` and ``other`` units with
    each, ``total`` units."""
    observed = (both, one - both, other - both, total - one - other + both)
    rows, columns = (one, total - one), (other, total - other)
    expected = (rows[0] * columns[0] / total, rows[0] * columns[1] / total,
                rows[1] * columns[0] / total, rows[1] * columns[1] / total)
    return 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected) if o > 0 and e > 0)


def _entity_key(name: str, entity_type: str) -> str:
    return f"{entity_type}\x00{name}"


def _split_key(key: str) -> tuple[str, str]:
    kind, _, name = key.partition("\x00")
    return name, kind


def _day(text: str | None) -> date | None:
    """An ISO date's day (a bare year or month counts as its first day)."""
    if not text:
        return None
    parts = text[:10].split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None


def _buckets(points: Iterable[tuple[date, int]], period: str) -> list[tuple[str, int]]:
    """Mentions per day or week (weeks start on Monday), empty periods included."""
    counts: Counter[date] = Counter()
    for day, mentions in points:
        counts[day if period == "day" else day - timedelta(days=day.weekday())] += mentions
    first, last = min(counts), max(counts)
    step = timedelta(days=1 if period == "day" else 7)
    buckets, current = [], first
    while current <= last:
        buckets.append((current.isoformat(), counts.get(current, 0)))
        current += step
    return buckets
