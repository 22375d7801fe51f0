"""The Whoosh index: queries, facets, filters, highlights, suggestions, incremental builds."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples, write
from tui.analysis import analyze_articles, settings_for_corpus
from tui.cli.main import main
from tui.corpus import load_corpus
from tui.index import QueryError, Searcher, open_index, update_index
from tui.index.store import STAMP


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory, seed_corpus, seed_analyses):
    folder = tmp_path_factory.mktemp("index")
    update_index(folder, seed_corpus.articles, seed_analyses)
    ix, _ = open_index(folder)
    with Searcher(ix, seed_corpus.articles, seed_analyses) as searcher:
        yield searcher


def ids(result):
    return [hit.id for hit in result.hits]


def test_an_issue_query_returns_exactly_the_articles_that_discuss_it(seed_index):
    assert sorted(ids(seed_index.search("issue:sunset_clause"))) == ["000_9cf93562ebcfcd3e", "001_a38a9690114d7a33"]


def test_a_person_by_surname(seed_index):
    assert ids(seed_index.search("person:seade")) == ["004_6a895630a10467a7"]
    assert ids(seed_index.search('person:"jesus seade"')) == ["004_6a895630a10467a7"]  # accents folded
    assert len(seed_index.search("person:lighthizer").hits) == 5


def test_a_phrase_is_found_in_its_paragraph_with_its_highlight(seed_index, seed_corpus):
    result = seed_index.search('"dispute panels"')
    assert ids(result) == ["000_9cf93562ebcfcd3e"]
    passage = result.hits[0].passages[0]
    article = seed_corpus.articles[0]
    paragraph = next(p for p in article.paragraphs if p.number == passage.paragraph)
    assert passage.text == article.paragraph_text(paragraph)
    assert [passage.text[s:e] for s, e in passage.highlights] == ["dispute panels"]


def test_stemming_and_accent_folding(tmp_path, nlp):
    write(tmp_path / "a.txt", "Talks\n\nPeña Nieto and Jesús Seade discussed the tariffs.")
    corpus = load_corpus(tmp_path)
    analyses = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(tmp_path, use_cache=False))
    update_index(tmp_path / "ix", corpus.articles, analyses)
    with Searcher(open_index(tmp_path / "ix")[0], corpus.articles, analyses) as searcher:
        for query, word in (("tariff", "tariffs"), ("Jesus", "Jesús"), ("Pena", "Peña")):
            (hit,) = searcher.search(query).hits
            passage = hit.passages[0]
            assert word in [passage.text[s:e] for s, e in passage.highlights], query


def test_boolean_wildcard_and_fuzzy_queries(seed_index):
    assert set(ids(seed_index.search("steel AND NOT china"))) <= set(ids(seed_index.search("steel")))
    assert len(seed_index.search("sovereignty OR telecommunications").hits) == 2
    assert ids(seed_index.search("sovereign*")) == ["004_6a895630a10467a7"]
    assert ids(seed_index.search("sovereinty~")) == ["004_6a895630a10467a7"]
    assert ids(seed_index.search("(sunset OR sovereignty) AND title:trump")) == ["000_9cf93562ebcfcd3e"]


def test_facet_counts_equal_the_hits_carrying_each_value(seed_index, seed_analyses):
    result = seed_index.search("tariffs", limit=100)
    carrying = {a.article_id: a for a in seed_analyses}
    for facet in ("person", "place", "issue"):
        for value, count in result.facets[facet]:
            if facet == "issue":
                expected = sum(1 for h in result.hits if value in {i.id for i in carrying[h.id].issues})
            else:
                expected = sum(1 for h in result.hits if value in {e.name for e in carrying[h.id].entities if e.type == facet})
            assert count == expected, (facet, value)
    assert result.total == len(result.hits)


def test_filters_narrow_and_removing_them_gives_back_the_first_result(seed_index):
    first = seed_index.search("trade")
    narrowed = seed_index.search("trade", ["person:Jesús Seade"])
    assert ids(narrowed) == ["004_6a895630a10467a7"] and narrowed.total == 1
    assert dict(narrowed.facets["person"])["Jesús Seade"] == 1
    either = seed_index.search("trade", ['person:"Jesús Seade"', "person:Ildefonso Guajardo"])  # OR within a field
    assert set(ids(either)) == {"004_6a895630a10467a7", "000_9cf93562ebcfcd3e", "003_b1df79aad4eece5a"}
    both = seed_index.search("trade", ["person:Ildefonso Guajardo", "issue:currency_markets"])  # AND across fields
    assert ids(both) == ["003_b1df79aad4eece5a"]
    again = seed_index.search("trade")
    assert ids(again) == ids(first) and again.facets == first.facets and again.total == first.total


def test_hyphenated_and_possessive_words_are_found_by_their_parts(seed_index):
    # "intellectual-property", "Toronto-based", "anti-dumping", "Lighthizer’s"
    assert ids(seed_index.search("property")) == ["003_b1df79aad4eece5a"]
    assert ids(seed_index.search("Toronto")) == ["000_9cf93562ebcfcd3e"]
    assert ids(seed_index.search("dumping")) == ["000_9cf93562ebcfcd3e"]
    assert len(seed_index.search("U.S.").hits) == 5 and seed_index.search("U.S.").suggestion is None


def test_highlights_follow_the_query_not_every_word_in_it(seed_index):
    result = seed_index.search("tariffs OR (steel NOT mexico)")
    marked = {p.text[s:e].lower() for h in result.hits for p in h.passages for s, e in p.highlights}
    assert "mexico" not in marked and "steel" in marked
    wild = seed_index.search("sovereign*")
    assert [wild.hits[0].passages[0].text[s:e] for s, e in wild.hits[0].passages[0].highlights] == ["sovereignty"]
    # words of an AND query in different paragraphs: passages show each, not a bare lede
    apart = seed_index.search("sunset lighthizer")
    assert all(p.highlights for h in apart.hits for p in h.passages)


def test_fuzziness_is_bounded(seed_index):
    assert seed_index.search("tariff~9").total == seed_index.search("tariff~2").total


def test_a_filter_value_keeps_its_inner_quotes_and_takes_single_quotes(seed_index):
    assert ids(seed_index.search("trade", ["person:'Jesús Seade'"])) == ["004_6a895630a10467a7"]


def test_did_you_mean(seed_index):
    assert seed_index.search("ligthizer").suggestion == "lighthizer"
    assert seed_index.search("tarifs").suggestion == "tariffs"
    assert seed_index.search("person:ligthizer").suggestion == "person:lighthizer"
    assert seed_index.search("Freland Tariffs").suggestion == "Freeland Tariffs"  # capitals kept
    assert seed_index.search("tariffs").suggestion is None
    assert seed_index.search('"ligthizer"').suggestion is None  # a phrase is taken as written


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "unknown field 'foo'"),
        ('"unclosed', "not closed"),
        ("(steel OR", "not closed"),
        ("steel AND", "needs something after it"),
        ("OR steel", "needs something before it"),
        ("date:2018-13", "no month 13"),
        ("date:[2019 to 2018]", "ends before it starts"),
        ("date:soon", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("   ", "empty"),
        ("NOT NOT tariff", "NOT NOT"),
        ("tariff^0", "boost must be above 0"),
        ("tariff^" + "9" * 400, "boost must be above 0"),
        ("*", "cannot start with"),
        ("*a*", "cannot start with"),
        ("date:(2018)", "not supported"),
        ("title:", "needs a value"),
        ("é:x", "unknown field 'é'"),
        ("+tariff -steel", "use AND and NOT"),
    ],
)
def test_bad_queries_are_errors_with_a_message(seed_index, query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        seed_index.search(query)


# What people type into a search box: words, syntax, fields, dates, and anything at all.
QUERY_PIECES = [
    "steel", "tariff*", "Lighthizer", '"rules of origin"', "AND", "OR", "NOT", "(", ")", "[", "]", "{", "}",
    ":", '"', "*", "?", "~", "~2", "^", "^2", "-", "+", "\\", "/", "person:", "issue:", "date:", "source:",
    "title:", "date:2018-04", "date:[2018 to 2019]", "to", " ", "  ", "é", "名前", "\x00", "\x1b[31m", "[bold]",
]
typed_queries = st.lists(st.one_of(st.sampled_from(QUERY_PIECES), st.text(max_size=6)), max_size=12).map("".join)
filters = st.lists(
    st.tuples(st.sampled_from(["person", "issue", "date", "source", "place", "nonsense", ""]), st.text(max_size=12))
    .map(lambda pair: f"{pair[0]}:{pair[1]}"),
    max_size=3,
)


@settings(max_examples=examples(300), deadline=None)
@given(text=typed_queries, chosen=filters)
def test_any_typed_query_either_runs_or_is_a_query_error(seed_index, text, chosen):
    try:
        result = seed_index.search(text, chosen, limit=5)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)  # a message for the line under the box
        return
    assert len(result.hits) <= 5 and result.total >= len(result.hits)
    for hit in result.hits:
        for passage in hit.passages:
            assert all(0 <= s < e <= len(passage.text) for s, e in passage.highlights)


@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-cache")


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=typed_queries)
def test_the_search_command_answers_any_query_or_exits_2_in_one_line(capsys, cli_cache, text):
    code = main(["search", "--cache-dir", str(cli_cache), "--json", "--limit", "2", "--", text])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith("newsreader: ") and err.count("\n") == 1 and out == ""
    else:
        assert "hits" in json.loads(out) and err == ""


def test_dates_years_months_days_and_ranges(tmp_path, nlp):
    items = [{"title": f"T{d}", "text": f"Steel talks resumed on day {d}.", "date": d} for d in ("2018-03-30", "2018-04-02", "2018-04-26", "2019-01-10")]
    write(tmp_path / "feed.json", json.dumps(items))
    corpus = load_corpus(tmp_path)
    analyses = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(tmp_path, use_cache=False))
    update_index(tmp_path / "ix", corpus.articles, analyses)
    with Searcher(open_index(tmp_path / "ix")[0], corpus.articles, analyses) as s:
        titles = lambda q, *f: sorted(h.title for h in s.search(q, f).hits)  # noqa: E731
        assert titles("steel date:2018-04") == ["T2018-04-02", "T2018-04-26"]
        assert titles("steel date:2018") == ["T2018-03-30", "T2018-04-02", "T2018-04-26"]
        assert titles("date:[2018-04-01 to 2018-05-01]") == ["T2018-04-02", "T2018-04-26"]
        assert titles("date:[2018-04-26 to]") == ["T2018-04-26", "T2019-01-10"]
        assert titles("steel", "date:2019") == ["T2019-01-10"]
        assert dict(s.search("steel").facets["date"])["2018-04-02"] == 1


def test_an_unchanged_second_start_writes_nothing_and_a_changed_file_alone_is_reindexed(tmp_path, nlp):
    for name in ("a", "b", "c"):
        write(tmp_path / "corpus" / f"{name}.txt", f"{name}\n\nText about steel number {name}.")
    settings_ = settings_for_corpus(tmp_path / "corpus", use_cache=False)

    state = {}

    def build():
        corpus = load_corpus(tmp_path / "corpus")
        analyses = analyze_articles(corpus.articles, nlp, settings=settings_)
        state.update(articles=corpus.articles, analyses=analyses)
        return update_index(tmp_path / "ix", corpus.articles, analyses)

    first = build()
    assert (first.added, first.documents_written) == (3, 3)
    second = build()
    assert (second.documents_written, second.unchanged) == (0, 3)
    write(tmp_path / "corpus" / "b.txt", "b\n\nText about aluminum now.")
    third = build()
    assert (third.updated, third.added, third.unchanged, third.documents_written) == (1, 0, 2, 1)
    (tmp_path / "corpus" / "c.txt").unlink()
    fourth = build()
    assert (fourth.deleted, fourth.documents_written) == (1, 0)
    with Searcher(open_index(tmp_path / "ix")[0], state["articles"], state["analyses"]) as s:
        assert ids(s.search("aluminum")) == ["b"] and ids(s.search("steel")) == ["a"]


@pytest.mark.parametrize("damage", ["stamp", "segments", "foreign"])
def test_a_corrupt_or_incompatible_index_is_rebuilt(tmp_path, seed_corpus, seed_analyses, damage):
    folder = tmp_path / "ix"
    update_index(folder, seed_corpus.articles, seed_analyses)
    if damage == "stamp":
        (folder / STAMP).write_text(json.dumps({"schema": -1}))
    elif damage == "segments":
        for path in folder.glob("*.seg"):
            path.write_bytes(b"\x00garbage")
    else:
        for path in folder.iterdir():
            path.unlink()
        (folder / "notes.txt").write_text("someone else's file")
    result = update_index(folder, seed_corpus.articles, seed_analyses)
    assert result.rebuilt and result.added == 5
    with Searcher(open_index(folder)[0], seed_corpus.articles, seed_analyses) as s:
        assert len(s.search("lighthizer").hits) == 5


def test_the_search_command_prints_the_contract(capsys):
    assert main(["search", "person:seade", "--json", "--no-cache"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"query", "total", "hits", "facets", "suggestion"}
    assert out["total"] == 1 and out["hits"][0]["id"] == "004_6a895630a10467a7"
    hit = out["hits"][0]
    assert set(hit) == {"id", "title", "score", "passages"}
    assert set(hit["passages"][0]) == {"paragraph", "text", "highlights"}
    assert set(out["facets"]) == {"person", "organization", "place", "law", "issue", "source", "date"}  # docs/json.md
    assert {"value": "Jesús Seade", "count": 1} in out["facets"]["person"]


def test_the_search_command_shows_passages_as_text(capsys, tmp_path):
    write(tmp_path / "a.txt", "T\n\nThe [bold]steel[/bold] deal and [@click=app.quit]x[/].")
    assert main(["search", "steel", str(tmp_path), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "[bold]steel[/bold]" in out and "[@click=app.quit]x[/]" in out


@pytest.mark.parametrize(("args", "message"), [
    (["search", "foo:bar"], "bad query: unknown field 'foo'"),
    (["search", "steel", "--filter", "color:red"], "unknown filter field 'color'"),
    (["search", "steel", "--filter", "nocolon"], "bad filter 'nocolon'"),
    (["search", "steel", "--limit", "-1"], "--limit must be 0 or more"),
])
def test_the_search_command_reports_bad_input_in_one_line(capsys, args, message):
    assert main([*args, "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@settings(max_examples=examples(100), deadline=None)
@given(
    docs=st.dictionaries(st.integers(0, 60), st.dictionaries(st.sampled_from(["person", "issue"]),
                         st.lists(st.sampled_from(list("abcdefg")), max_size=4)), max_size=30),
    hits=st.sets(st.integers(-2, 70)),
    top=st.integers(1, 5),
)
def test_facet_columns_count_like_a_counter_over_the_hits(docs, hits, top):
    from collections import Counter

    from tui.index.facet_columns import FacetColumns

    columns = FacetColumns(["person", "issue"], sorted(docs.items()))
    expected = {}
    for facet in ("person", "issue"):
        counter = Counter(v for d in hits if d in docs for v in set(docs[d].get(facet, [])))
        expected[facet] = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]
    assert columns.count(sorted(hits), top) == expected


def test_suggestions_come_from_words_still_indexed_also_in_a_memory_index(tmp_path, nlp):
    from tui.index.store import memory_index
    from tui.index.vocabulary import FILE_NAME

    write(tmp_path / "corpus" / "a.txt", "Steel\n\nTariffs on steel from Zanzibar were discussed.")
    write(tmp_path / "corpus" / "b.txt", "Cars\n\nTariffs on cars were discussed too.")
    settings_ = settings_for_corpus(tmp_path / "corpus", use_cache=False)

    def searcher():
        corpus = load_corpus(tmp_path / "corpus")
        analyses = analyze_articles(corpus.articles, nlp, settings=settings_)
        update_index(tmp_path / "ix", corpus.articles, analyses)
        return Searcher(open_index(tmp_path / "ix")[0], corpus.articles, analyses), corpus, analyses

    s, corpus, analyses = searcher()
    assert s.search("zanzibr").suggestion == "zanzibar" and s.search("tarifs").suggestion == "tariffs"
    s.close()
    (tmp_path / "corpus" / "a.txt").unlink()
    s, corpus, analyses = searcher()
    assert s.search("zanzibr").suggestion is None  # still in the word list, no longer in the index
    s.close()
    (tmp_path / "ix" / FILE_NAME).write_bytes(b"\xff\x00 garbage \n\n x y z")  # damaged: only suggestions suffer
    with Searcher(open_index(tmp_path / "ix")[0], corpus.articles, analyses) as s:
        assert s.search("cars").total == 1
    with Searcher(memory_index(corpus.articles, analyses), corpus.articles, analyses) as s:
        assert s.search("tarifs").suggestion == "tariffs"
