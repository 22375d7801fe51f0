"""Queries scored on numpy arrays give Whoosh's own matches, scores and order."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import MultiTerm, NullQuery, Or, Term

from tests.conftest import examples
from tui.index import open_index, update_index
from tui.index.query import QueryError, parse_filters, parse_query
from tui.index.vector_scoring import VectorScorer

QUERIES = [
    "tariffs", "steel tariffs", '"dispute panels"', '"sunset clause" OR "dispute panels"', "mexico AND canada",
    "(steel OR aluminum) NOT canada", "tarif*", "lighthizr~", "person:lighthizer", 'person:"jesus seade"',
    "issue:sunset_clause", "title:nafta", "steel^3 dairy", "NOT dairy", "dairy ANDMAYBE canada", "autos OR NOT dairy",
    '"said the"', "date:2018", 'organization:"united states"', "xyzzy", '"xyzzy tariffs"', "trade deal talks",
]
WORDS = ["trade", "steel", "canada", "mexico", "dairy", "tariffs", "said", "the", "lighthizer", "sunset", "autos", "deal"]


@pytest.fixture(scope="module")
def whoosh_searcher(tmp_path_factory, seed_corpus, seed_analyses):
    folder = tmp_path_factory.mktemp("index")
    update_index(folder, seed_corpus.articles, seed_analyses)
    ix, _ = open_index(folder)
    with ix.searcher() as searcher:
        yield searcher


def spelled_out(query, reader):
    """Wildcards and fuzzy words as the OR of the words they find. (Whoosh scores these
    "constant score" queries one way on a large index and another on a small one;
    newsreader always adds up the words' scores, as Whoosh does on a large index.)"""

    def spell(q):
        if isinstance(q, MultiTerm):
            words = [word for _, word in q.expanded_terms(reader) if word]
            if len(words) == 1:
                return Term(q.field(), words[0])
            return Or([Term(q.field(), word) for word in words], boost=q.boost) if words else NullQuery
        return q

    return query.accept(spell)


def assert_same_as_whoosh(searcher, text: str, filters=()) -> None:
    query = parse_query(text, searcher.schema)
    drill, _ = parse_filters(filters)
    expected = searcher.search(spelled_out(query, searcher.reader()), filter=drill, limit=None)
    matched, best = VectorScorer(searcher).search(query, drill, limit=len(expected) + 1)
    assert sorted(matched.tolist()) == sorted(hit.docnum for hit in expected), text
    assert [docnum for docnum, _ in best] == [hit.docnum for hit in expected], text  # same order
    for (_, score), hit in zip(best, expected):
        assert math.isclose(score, hit.score, rel_tol=1e-9), (text, score, hit.score)


@pytest.mark.parametrize("text", QUERIES)
def test_matches_scores_and_order_are_whooshs(whoosh_searcher, text):
    assert_same_as_whoosh(whoosh_searcher, text)


def test_filters_narrow_as_in_whoosh(whoosh_searcher):
    assert_same_as_whoosh(whoosh_searcher, "trade", ["person:Robert Lighthizer", "issue:sunset_clause"])
    assert_same_as_whoosh(whoosh_searcher, "tariffs", ["date:2018"])


_term = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: w[:4] + "*"),
    st.sampled_from(WORDS).map(lambda w: w + "~"),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f'"{p[0]} {p[1]}"'),
    st.sampled_from(WORDS).map(lambda w: f"title:{w}"),
)
_query = st.recursive(
    _term,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["AND", "OR", "ANDMAYBE", ""]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} NOT {t[1]})"),
        st.tuples(inner, st.integers(2, 5)).map(lambda t: f"{t[0]}^{t[1]}"),
    ),
    max_leaves=5,
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_query)
def test_any_query_of_the_language_scores_as_in_whoosh(whoosh_searcher, text):
    try:
        parse_query(text, whoosh_searcher.schema)
    except QueryError:
        return
    assert_same_as_whoosh(whoosh_searcher, text)


def test_andnot_leaves_out_every_article_with_the_word(whoosh_searcher):
    """(Whoosh's own ANDNOT matcher can skip past an excluded document on a large index.)"""
    scorer = VectorScorer(whoosh_searcher)
    with_sunset, _ = scorer.search(parse_query("sunset", whoosh_searcher.schema), limit=0)
    trade, _ = scorer.search(parse_query("trade", whoosh_searcher.schema), limit=0)
    without, _ = scorer.search(parse_query("trade ANDNOT sunset", whoosh_searcher.schema), limit=0)
    assert set(with_sunset.tolist()) and set(without.tolist()) == set(trade.tolist()) - set(with_sunset.tolist())


def test_queries_built_in_code_score_as_in_whoosh(whoosh_searcher):
    """An empty And matches nothing; a lone part's boost is ignored, as in Whoosh."""
    from whoosh.query import And

    scorer = VectorScorer(whoosh_searcher)
    assert not scorer.evaluate(And([])).match.any()
    lone = And([Term("body", "tariff")], boost=5.0)
    expected = {hit.docnum: hit.score for hit in whoosh_searcher.search(lone, limit=None)}
    found = scorer.evaluate(lone)
    assert expected and {d: found.score[d] for d in expected} == pytest.approx(expected)
