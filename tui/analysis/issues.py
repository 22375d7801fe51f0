"""Issue matching with spaCy's PhraseMatcher and Matcher, scored for precision."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from tui.analysis.taxonomy import STRONG, WEAK, Taxonomy, TaxonomyError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# (issue id, start, end, weight) in article offsets
IssueHit = tuple[str, int, int, int]


class IssueMatcher:
    """Finds every signal of every issue in a Doc; ``select`` keeps the issues discussed."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.errors import MatchPatternError

        self.taxonomy = taxonomy
        self._by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._patterns = Matcher(nlp.vocab, validate=True)
        self._weights: dict[str, tuple[str, int]] = {}
        for issue in taxonomy.issues:
            for weight, texts in ((STRONG, issue.phrases), (WEAK, issue.terms)):
                if not texts:
                    continue
                key = f"{issue.id}|{weight}"
                self._weights[key] = (issue.id, weight)
                docs = list(nlp.pipe(texts))  # lemmatised like the articles
                self._by_lemma.add(key, docs)
                self._by_lower.add(key, [nlp.make_doc(t) for t in texts])
            if issue.patterns:
                key = f"{issue.id}|pattern"
                self._weights[key] = (issue.id, STRONG)
                try:
                    self._patterns.add(key, [list(p) for p in issue.patterns])
                except (MatchPatternError, ValueError, TypeError) as exc:
                    raise TaxonomyError(f"issue {issue.id!r}: a pattern is not valid for spaCy's Matcher ({str(exc).splitlines()[0]})") from None

    def __call__(self, doc: Doc, offset: int = 0) -> list[IssueHit]:
        spans = {}
        for matcher in (self._by_lemma, self._by_lower, self._patterns):
            if len(matcher) == 0:
                continue  # an empty matcher only warns
            for match_id, start, end in matcher(doc):
                issue_id, weight = self._weights[doc.vocab.strings[match_id]]
                span = doc[start:end]
                key = (issue_id, span.start_char, span.end_char)
                spans[key] = max(weight, spans.get(key, 0))
        return [(i, s + offset, e + offset, w) for (i, s, e), w in spans.items()]

    def select(self, hits: list[IssueHit]) -> list[tuple[str, int, int]]:
        """Issues whose signals score enough, with their mentions (overlaps merged)."""
        return select_issues(self.taxonomy, hits)


def select_issues(taxonomy: Taxonomy, hits: list[IssueHit]) -> list[tuple[str, int, int]]:
    by_issue: dict[str, list[IssueHit]] = defaultdict(list)
    for hit in hits:
        by_issue[hit[0]].append(hit)
    minimum = {i.id: i.min_score for i in taxonomy.issues}
    kept = []
    for issue_id, issue_hits in by_issue.items():
        spans = _without_overlaps(issue_hits)
        if sum(weight for _, _, _, weight in spans) >= minimum.get(issue_id, STRONG):
            kept.extend((issue_id, start, end) for _, start, end, _ in spans)
    return sorted(kept, key=lambda h: (h[1], h[0]))


def _without_overlaps(hits: list[IssueHit]) -> list[IssueHit]:
    """Longest first: "steel and aluminum tariffs" is one mention, not three."""
    chosen: list[IssueHit] = []
    for hit in sorted(hits, key=lambda h: (-(h[2] - h[1]), h[1])):
        if all(hit[2] <= c[1] or hit[1] >= c[2] for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h[1])
