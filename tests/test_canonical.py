"""Canonical entities across the corpus, decided by data rules and corpus evidence."""

from __future__ import annotations

import re

import pytest

from tests.conftest import write
from tui.analysis import RulesError, analyze_articles, load_rules, settings_for_corpus
from tui.analysis.canonical import EntityResolver
from tui.analysis.mentions import RawMention
from tui.cli.main import main
from tui.corpus import load_corpus


def corpus_of(tmp_path, *texts):
    for i, text in enumerate(texts):
        write(tmp_path / f"{i}.txt", f"Title {i}\n\n{text}")
    return load_corpus(tmp_path).articles


def mention(article, surface, entity_type, nth=0):
    """The nth occurrence of ``surface`` in the article, as the model might tag it."""
    start = [m.start() for m in re.finditer(re.escape(surface), article.text)][nth]
    return RawMention(surface, start, start + len(surface), entity_type)


def entities(resolver, article):
    return {(e.name, e.type): sorted(m.text for m in e.mentions) for e in resolver.entities(article)}


def test_a_surname_joins_the_full_name_from_another_article_whatever_the_model_said(tmp_path):
    a, b = corpus_of(tmp_path, "Robert Lighthizer spoke.", "Lighthizer met Freeland. Lighthizer left.")
    resolver = EntityResolver(load_rules(), [
        (a, [mention(a, "Robert Lighthizer", "person")]),
        (b, [mention(b, "Lighthizer", "organization"), mention(b, "Lighthizer", "person", 1)]),
    ])
    assert entities(resolver, b) == {("Robert Lighthizer", "person"): ["Lighthizer", "Lighthizer"]}


def test_an_ambiguous_surname_stays_apart_unless_the_article_says_which(tmp_path):
    a, b, c = corpus_of(tmp_path, "Donald Trump and Ivanka Trump came.", "Trump spoke.", "Ivanka Trump came. Trump spoke.")
    resolver = EntityResolver(load_rules(), [
        (a, [mention(a, "Donald Trump", "person"), mention(a, "Ivanka Trump", "person")]),
        (b, [mention(b, "Trump", "person")]),
        (c, [mention(c, "Ivanka Trump", "person"), mention(c, "Trump", "person", 1)]),
    ])
    assert ("Trump", "person") in entities(resolver, b)
    assert entities(resolver, c) == {("Ivanka Trump", "person"): ["Ivanka Trump", "Trump"]}


def test_titles_possessives_and_accents_do_not_split_a_person(tmp_path):
    a, b = corpus_of(tmp_path, "President Jesús Seade arrived.", "Jesus Seade’s plan. Seade said no.")
    resolver = EntityResolver(load_rules(), [
        (a, [mention(a, "President Jesús Seade", "person")]),
        (b, [mention(b, "Jesus Seade", "person"), mention(b, "Seade", "organization")]),
    ])
    assert entities(resolver, a) == {("Jesús Seade", "person"): ["Jesús Seade"]}
    assert entities(resolver, b) == {("Jesús Seade", "person"): ["Jesus Seade", "Seade"]}


def test_aliases_make_one_place_and_one_law(tmp_path):
    (a,) = corpus_of(tmp_path, "The U.S. and the United States and America. Nafta, NAFTA and the "
                               "North American Free Trade Agreement; USMCA and the U.S.-Mexico-Canada Agreement.")
    raw = [mention(a, s, t) for s, t in [
        ("U.S.", "place"), ("United States", "place"), ("America", "place"), ("Nafta", "group"),
        ("NAFTA", "organization"), ("North American Free Trade Agreement", "organization"),
        ("USMCA", "organization"), ("U.S.-Mexico-Canada Agreement", "organization"),
    ]]
    got = entities(EntityResolver(load_rules(), [(a, raw)]), a)
    assert set(got) == {("United States", "place"), ("NAFTA", "law"), ("USMCA", "law")}
    assert len(got[("NAFTA", "law")]) == 3


def test_junk_is_not_an_entity(tmp_path):
    (a,) = corpus_of(tmp_path, "President said. Nafta’s Chapter 19 matters. Nafta again. "
                               "Canadian Foreign Affairs Minister Chrystia Freeland spoke.")
    raw = [mention(a, s, t) for s, t in [
        ("President", "person"), ("Nafta’s Chapter 19", "law"), ("Nafta", "organization", ),
        ("Canadian Foreign Affairs", "organization"), ("Chrystia Freeland", "person"),
    ]]
    got = entities(EntityResolver(load_rules(), [(a, raw)]), a)
    assert got == {("NAFTA", "law"): ["Nafta", "Nafta"], ("Chrystia Freeland", "person"): ["Chrystia Freeland"]}


def test_type_follows_corpus_evidence_and_organisation_cues(tmp_path):
    a, b = corpus_of(tmp_path, "Unifor, Canada's largest union, spoke.", "The labor group Unifor agreed.")
    resolver = EntityResolver(load_rules(), [(a, [mention(a, "Unifor", "place")]), (b, [mention(b, "Unifor", "place")])])
    assert set(entities(resolver, a)) == {("Unifor", "organization")}


def test_a_known_name_is_found_where_the_model_missed_it(tmp_path):
    a, b = corpus_of(tmp_path, "The Automotive Parts Association met.", "Later the Automotive Parts Association said so.")
    resolver = EntityResolver(load_rules(), [(a, [mention(a, "Automotive Parts Association", "organization")]), (b, [])])
    assert entities(resolver, b) == {("Automotive Parts Association", "organization"): ["Automotive Parts Association"]}


def test_a_name_cut_short_before_act_is_completed_as_a_law(tmp_path):
    (a,) = corpus_of(tmp_path, "It breaks the Bipartisan Trade Priorities and Accountability Act, they wrote.")
    got = entities(EntityResolver(load_rules(), [(a, [mention(a, "Bipartisan Trade Priorities", "organization")])]), a)
    assert got == {("Bipartisan Trade Priorities and Accountability Act", "law"): ["Bipartisan Trade Priorities and Accountability Act"]}


def test_across_the_seeds_each_thing_has_one_name(seed_analyses):
    names = {(e.name, e.type) for a in seed_analyses for e in a.entities}
    assert ("United States", "place") in names and ("NAFTA", "law") in names and ("USMCA", "law") in names
    assert not {n for n, _ in names} & {"U.S.", "America", "Nafta", "North American Free Trade Agreement", "Lighthizer", "Seade"}
    nafta_forms = {m.text for a in seed_analyses for e in a.entities if e.name == "NAFTA" for m in e.mentions}
    assert {"Nafta", "NAFTA", "North American Free Trade Agreement"} <= nafta_forms
    usmca_forms = {m.text for a in seed_analyses for e in a.entities if e.name == "USMCA" for m in e.mentions}
    assert {"USMCA", "U.S.-Mexico-Canada Agreement"} <= usmca_forms


def test_a_users_aliases_file_in_the_corpus_folder_changes_the_names(tmp_path, nlp):
    write(tmp_path / "a.txt", "Talks\n\nRobert Lighthizer of USTR met Chrystia Freeland at the White House.")
    write(tmp_path / "aliases.toml", '[[entity]]\nname = "US Trade Office"\ntype = "organization"\n'
                                      'aliases = ["USTR"]\n\n[[not_entity]]\nform = "White House"\n')
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["a"] and not corpus.skipped  # aliases.toml is not an article
    (analysis,) = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(tmp_path, use_cache=False))
    names = {e.name for e in analysis.entities}
    assert "US Trade Office" in names and "White House" not in names


def test_a_broken_aliases_file_is_a_clear_error(tmp_path, capsys):
    write(tmp_path / "a.txt", "Talks\n\nText.")
    write(tmp_path / "aliases.toml", '[[entity]]\nname = "X"\ntype = "planet"\n')
    with pytest.raises(RulesError, match="type 'planet'"):
        settings_for_corpus(tmp_path, use_cache=False)
    assert main(["analyze", str(tmp_path), "--no-cache"]) == 2
    assert "aliases.toml: entity 'X' has type 'planet'" in capsys.readouterr().err


def test_a_lone_surname_tagged_person_makes_its_full_name_a_person(tmp_path):
    (a,) = corpus_of(tmp_path, "Yonca Brunini of Google said so. Brunini added more.")
    resolver = EntityResolver(load_rules(), [(a, [mention(a, "Yonca Brunini", "organization"), mention(a, "Brunini", "person")])])
    assert entities(resolver, a) == {("Yonca Brunini", "person"): ["Brunini", "Yonca Brunini"]}


def test_a_name_the_model_mostly_calls_an_organisation_is_not_a_person(tmp_path):
    a, b = corpus_of(tmp_path, "Borussia Dortmund lost. Borussia Dortmund sold.", "Borussia Dortmund won.")
    resolver = EntityResolver(load_rules(), [
        (a, [mention(a, "Borussia Dortmund", "organization"), mention(a, "Borussia Dortmund", "organization", 1)]),
        (b, [mention(b, "Borussia Dortmund", "person")]),
    ])
    assert set(entities(resolver, b)) == {("Borussia Dortmund", "organization")}


def test_a_spaced_dash_ends_a_name(tmp_path):
    (a,) = corpus_of(tmp_path, "Florian Hamm - Borussia Dortmund finance chief.")
    got = entities(EntityResolver(load_rules(), [(a, [mention(a, "Florian Hamm - Borussia Dortmund", "person")])]), a)
    assert got == {("Florian Hamm", "person"): ["Florian Hamm"]}


def test_a_party_is_not_absorbed_by_a_name_shaped_mistake(tmp_path):
    # From the BBC corpus: "Devon county Labour" next to a lone "Labour" tagged PERSON.
    texts = ["Devon county Labour chief Labour said no."] + [f"Labour won seat {i}." for i in range(4)]
    articles = corpus_of(tmp_path, *texts)
    first = articles[0]
    corpus = [(first, [mention(first, "Devon county Labour", "organization"), mention(first, "Labour", "person", 1)])]
    corpus += [(a, [mention(a, "Labour", "organization")]) for a in articles[1:]]
    resolver = EntityResolver(load_rules(), corpus)
    assert set(entities(resolver, articles[2])) == {("Labour Party", "organization")}  # (its alias)


def test_a_surname_found_only_by_propagation_still_names_the_speaker(tmp_path):
    a, b = corpus_of(tmp_path, "Robert Lighthizer spoke.", "Robert Lighthizer met them. Then Lighthizer said so.")
    resolver = EntityResolver(load_rules(), [(a, [mention(a, "Robert Lighthizer", "person")]), (b, [])])
    start = b.text.index("Lighthizer said")
    assert resolver.speaker(b.id, start, start + len("Lighthizer"), "person") == ("Robert Lighthizer", "person")
