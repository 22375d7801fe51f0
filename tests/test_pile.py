"""Across the pile: dossiers, quotes, issues over time, and merging entities by hand."""

from __future__ import annotations

import json
import math
import shutil

import pytest

from tests.conftest import write
from tui.analysis.model import ArticleAnalysis, Entity, IssueMatch, Mention, Quote
from tui.analysis.pile import MIN_TOGETHER, Pile
from tui.analysis.rules import RulesError, load_rules
from tui.analysis.user_rules import add_merge, add_not_entity
from tui.cli.main import main
from tui.cli.serialize import dossier_json
from tui.corpus import Article
from tui.corpus.model import Paragraph

LIGHTHIZER = "Robert Lighthizer"


@pytest.fixture(scope="module")
def seed_pile(seed_corpus, seed_analyses):
    return Pile(seed_corpus.articles, {a.article_id: a for a in seed_analyses})


def test_the_dossier_of_lighthizer_lists_all_five_articles_and_his_quotes(seed_pile, seed_corpus, seed_analyses):
    dossier = seed_pile.dossier(LIGHTHIZER)
    assert dossier.type == "person"
    assert [a.at.article_id for a in dossier.articles] == [a.id for a in seed_corpus.articles]
    his = [(a.article_id, q.text) for a in seed_analyses for q in a.quotes if q.speaker == LIGHTHIZER]
    assert his and [(q.at.article_id, q.text) for q in dossier.quotes] == his
    assert {"Lighthizer", LIGHTHIZER} <= {text for text, _ in dossier.aliases}
    by_id = {a.id: a for a in seed_corpus.articles}
    for row in dossier.articles:  # each row leads to the passage: its first mention
        assert by_id[row.at.article_id].text[row.at.start:row.at.end] in {text for text, _ in dossier.aliases}
    assert dossier.issues and dossier.related
    assert all(r.together >= MIN_TOGETHER and r.kind not in ("date", "money", "percent") for r in dossier.related)


def test_a_typed_name_finds_its_entity_whatever_its_case_and_accents(seed_pile):
    found, _ = seed_pile.find_entity("lighthizer")
    assert found.name == LIGHTHIZER
    found, _ = seed_pile.find_entity("ROBERT LIGHTHIZER")
    assert found.name == LIGHTHIZER
    found, candidates = seed_pile.find_entity("Lighthiser")  # a typo: nothing chosen, the name offered
    assert found is None and LIGHTHIZER in [c.name for c in candidates]


def _article(article_id: str, paragraphs: list[list[str]]) -> tuple[Article, ArticleAnalysis]:
    """An article whose paragraphs mention the given names (each a word of its own)."""
    text, spans, offsets = "", [], []
    for number, names in enumerate(paragraphs, start=1):
        start = len(text)
        for name in names:
            offsets.append((name, len(text)))
            text += name + " "
        text = text.rstrip() + ".\n\n"
        spans.append(Paragraph(start, len(text) - 2, number))
    article = Article(id=article_id, title=article_id, text=text, path=None, paragraphs=tuple(spans), words=len(text.split()))
    entities: dict[str, Entity] = {}
    for name, at in offsets:
        entities.setdefault(name, Entity(name, "person")).mentions.append(Mention(name, at, at + len(name)))
    return article, ArticleAnalysis(article_id, article.content_hash, "test", list(entities.values()))


def test_seen_with_ranks_by_evidence_of_association_not_by_raw_counts_or_pmi_alone():
    # 40 paragraphs in 4 articles. Ana is in paragraphs 0-9. Brown shares 8 of his 12
    # with her; Gus is in 2 paragraphs only, both with her (PMI is highest for him); Carl
    # is in every paragraph (the most shared, and says nothing); Dan shares one (under
    # the floor); Eve none.
    members = {"Ana": range(0, 10), "Brown": [*range(0, 8), *range(10, 14)], "Gus": [8, 9],
               "Carl": range(0, 40), "Dan": [0], "Eve": range(20, 30)}
    paragraphs = [[name for name, where in members.items() if n in where] for n in range(40)]
    pairs = [_article(f"a{k}", paragraphs[10 * k: 10 * k + 10]) for k in range(4)]
    pile = Pile([a for a, _ in pairs], {a.id: r for a, r in pairs})
    related = pile.dossier("Ana").related
    assert [r.name for r in related] == ["Brown", "Gus"]
    brown, gus = related
    assert (brown.together, gus.together) == (8, 2)
    assert gus.pmi == pytest.approx(math.log2(2 * 40 / (10 * 2)), abs=1e-3)
    assert brown.pmi == pytest.approx(math.log2(8 * 40 / (10 * 12)), abs=1e-3)
    assert gus.pmi > brown.pmi and brown.score > gus.score  # PMI alone would put Gus first
    assert brown.score == pytest.approx(15.30, abs=0.01)  # G², worked out by hand


def test_quotes_filter_by_speaker_issue_and_text(seed_pile):
    every = seed_pile.quotes()
    assert every
    by_him = seed_pile.filter_quotes(speaker="lighthizer")
    assert by_him and all(q.speaker == LIGHTHIZER for q in by_him)
    some = every[0]
    word = some.text.split()[0]
    assert some in seed_pile.filter_quotes(text=word.upper())
    with_issue = next(q for q in every if q.issues)
    assert with_issue in seed_pile.filter_quotes(issue=with_issue.issues[0])
    assert all(with_issue.issues[0] in q.issues for q in seed_pile.filter_quotes(issue=with_issue.issues[0]))
    assert seed_pile.filter_quotes(speaker="nobody of that name") == []


def _dated(article: Article, date: str | None) -> Article:
    from dataclasses import replace

    return replace(article, date=date)


def test_an_issue_over_time_by_day_with_who_is_quoted_and_without_dates_in_file_order():
    def article(aid, mentions, date):
        text = " ".join(["tariffs"] * mentions) + ". Ana said."
        a = Article(id=aid, title=f"Title {aid}", text=text, path=None, paragraphs=(Paragraph(0, len(text), 1),),
                    words=mentions, date=date)
        issue = IssueMatch("tariffs", "Tariffs", [Mention("tariffs", 8 * i, 8 * i + 7) for i in range(mentions)])
        quote = Quote("Ana", "tariffs", 0, 7)
        return a, ArticleAnalysis(aid, a.content_hash, "test", [], [issue], [quote])

    pairs = [article("b", 2, "2018-04-03"), article("a", 1, "2018-04-01"), article("c", 3, None)]
    timeline = Pile([a for a, _ in pairs], {a.id: r for a, r in pairs}).timeline("tariffs")
    assert timeline.dated and timeline.period == "day"
    assert timeline.buckets == [("2018-04-01", 1), ("2018-04-02", 0), ("2018-04-03", 2)]
    assert [row.at.article_id for row in timeline.articles] == ["a", "b", "c"] and timeline.undated == 1
    assert timeline.speakers == [("Ana", 3)]
    undated = [article("x", 2, None), article("y", 1, None)]
    timeline = Pile([a for a, _ in undated], {a.id: r for a, r in undated}).timeline("tariffs")
    assert not timeline.dated and timeline.period == "article"
    assert timeline.buckets == [("Title x", 2), ("Title y", 1)]


def test_the_entity_command_prints_the_dossier_the_app_shows(capsys, seed_pile):
    assert main(["entity", "lighthizer", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(dossier_json(seed_pile.dossier(LIGHTHIZER))))
    assert printed["name"] == LIGHTHIZER and len(printed["articles"]) == 5 and printed["quotes"]


def test_the_entity_command_says_when_no_entity_has_that_name(capsys):
    assert main(["entity", "Lighthiser"]) == 1
    err = capsys.readouterr().err
    assert "no entity named 'Lighthiser'" in err and LIGHTHIZER in err and "Traceback" not in err


def test_corrections_keep_the_users_file_and_are_read_back(tmp_path):
    path = write(tmp_path / "aliases.toml", '# my own\n[[entity]]\nname = "USTR"\naliases = ["U.S.T.R."]')
    add_merge('Jim "the \\ Bear" O’Neil', "person", ["Jim O’Neil", "O’Neil\nJr"], path=path)
    add_not_entity(["Time"], path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# my own\n[[entity]]\nname = "USTR"')
    rules = load_rules(path)
    assert rules.alias("Jim O’Neil") == ('Jim "the \\ Bear" O’Neil', "person")
    assert rules.alias("u.s.t.r.") == ("USTR", "organization")
    assert "time" in rules.not_entities


def test_a_correction_to_a_broken_file_leaves_it_as_it_was(tmp_path):
    path = write(tmp_path / "aliases.toml", "[[entity]\nname =")
    with pytest.raises(RulesError):
        add_not_entity(["Time"], path=path)
    assert path.read_text(encoding="utf-8") == "[[entity]\nname ="
    assert [p.name for p in tmp_path.iterdir()] == ["aliases.toml"]  # no temporary left behind


def test_merging_two_entities_changes_the_facets_without_running_spacy_again(tmp_path, monkeypatch, seeds_path):
    from tui.analysis import settings_for_corpus
    from tui.index import Library

    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path / "config"))
    root = tmp_path / "seeds"
    shutil.copytree(seeds_path, root)
    library = Library(root, settings_for_corpus(root, cache_folder=tmp_path / "cache"), index_base=tmp_path)
    library.load()
    library.analyse()
    library.index()

    def people() -> dict[str, int]:
        facets = library.searcher.search("trade", limit=0).facets
        return dict(facets["person"])

    before = people()
    pile = Pile(library.articles, library.analyses)
    freeland = pile.dossier("Chrystia Freeland")
    assert "Chrystia Freeland" in before and LIGHTHIZER in before
    add_merge(LIGHTHIZER, "person", [freeland.name, *(t for t, _ in freeland.aliases)])

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy was run again")

    monkeypatch.setattr("tui.analysis.pipeline.load_nlp", no_spacy)
    library.reload_rules()
    library.analyse()
    library.index()
    after = people()
    assert "Chrystia Freeland" not in after
    assert after[LIGHTHIZER] >= max(before[LIGHTHIZER], before["Chrystia Freeland"])
    merged = Pile(library.articles, library.analyses).dossier(LIGHTHIZER)
    add_not_entity([merged.name, *(text for text, _ in merged.aliases)])  # and a name that is none, as the app says it
    library.reload_rules()
    library.analyse()
    library.index()
    assert LIGHTHIZER not in people()


def test_without_a_taxonomy_the_issue_views_use_key_phrases(tmp_path):
    from tui.analysis import analyze_articles, settings_for_corpus
    from tui.corpus import load_corpus

    texts = {
        "1.txt": "Pension reform\n\nThe pension reform bill angered unions. Union leader Ann Cole said the pension reform was unfair.",
        "2.txt": "Strikes\n\nUnions planned strikes over pension reform. The pension reform vote is next week.",
        "3.txt": "Weather\n\nHeavy rain fell across the north. Flood warnings were issued for rivers.",
    }
    for name, text in texts.items():
        write(tmp_path / name, text)
    corpus = load_corpus(tmp_path)
    settings = settings_for_corpus(tmp_path, use_cache=False)
    pile = Pile(corpus.articles, {a.article_id: a for a in analyze_articles(corpus.articles, settings=settings)})
    summaries = pile.issue_summaries()
    assert summaries and all(s.id.startswith("kp:") for s in summaries)
    pension = next(s for s in summaries if "pension" in s.label)
    assert pension.articles == 2
    timeline = pile.timeline(pension.id)
    assert not timeline.dated and [r.at.article_id for r in timeline.articles] == [corpus.articles[0].id, corpus.articles[1].id]
