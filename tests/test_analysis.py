"""Analysis with the real spaCy model: types, canonical names, offsets, long texts."""

from __future__ import annotations

import pytest

from tests.conftest import write
from tui.analysis import ENTITY_TYPES, ModelUnavailable, analyze_articles, load_nlp
from tui.analysis.chunks import chunk_spans
from tui.analysis.mentions import NAMED_TYPES, RawMention, mention_from_span
from tui.corpus import load_corpus


def names_of(analysis, entity_type):
    return {e.name for e in analysis.entities if e.type == entity_type}


def test_people_a_reader_sees_in_the_first_seed_article(seed_analyses):
    people = names_of(seed_analyses[0], "person")
    for name in ("Robert Lighthizer", "Chrystia Freeland", "Ildefonso Guajardo", "Luis Videgaray", "Donald Trump"):
        assert name in people


def test_a_surname_joins_the_full_name_even_where_the_model_said_org(seed_corpus, seed_analyses):
    # spaCy tags "Freeland" as ORG four times in this article.
    analysis = seed_analyses[0]
    freeland = next(e for e in analysis.entities if e.name == "Chrystia Freeland")
    assert freeland.type == "person"
    assert {m.text for m in freeland.mentions} == {"Chrystia Freeland", "Freeland"}
    assert len(freeland.mentions) == 5
    assert "Freeland" not in names_of(analysis, "organization")
    assert "Lighthizer" not in {e.name for e in analysis.entities}


def test_a_surname_alone_in_an_article_joins_the_full_name_seen_elsewhere(seed_analyses):
    # Article 001 says only "Trump" (tagged ORG twice, PERSON twice); 000 has "Donald Trump".
    trump = next(e for e in seed_analyses[1].entities if e.name == "Donald Trump")
    assert trump.type == "person"
    assert {m.text for m in trump.mentions} == {"Trump"}
    assert len(trump.mentions) == 4


def test_every_mention_indexes_the_article_text(seed_corpus, seed_analyses):
    for article, analysis in zip(seed_corpus.articles, seed_analyses):
        assert analysis.article_id == article.id
        assert analysis.content_hash == article.content_hash
        assert analysis.entities
        for entity in analysis.entities:
            assert entity.type in ENTITY_TYPES
            for mention in entity.mentions:
                assert article.text[mention.start : mention.end] == mention.text


def test_possessives_articles_and_junk_are_not_part_of_names(seed_analyses):
    all_names = {e.name for a in seed_analyses for e in a.entities if e.type in NAMED_TYPES}
    assert not any(n.endswith(("’s", "'s", ".")) and not n.endswith("U.S.") for n in all_names)
    assert not any(n.lower().startswith("the ") for n in all_names)
    assert "n’t" not in all_names  # tagged as a place by the model
    assert "Broad Support" not in all_names  # a section heading the model took for a person
    assert "Canadian Foreign Affairs" not in all_names  # part of a job title
    assert "White House" in all_names


def test_accented_names_survive(seed_analyses):
    assert "Jesús Seade" in names_of(seed_analyses[4], "person")


def test_types_are_mapped_to_the_contract(seed_analyses):
    types = {e.type for a in seed_analyses for e in a.entities}
    assert {"person", "organization", "place", "group", "law", "date", "percent"} <= types
    assert types <= set(ENTITY_TYPES)


def test_mention_trimming_keeps_offsets_true():
    text = "He met the White House’s lawyers."
    mention = mention_from_span(text, 7, 25, "ORG")  # "the White House’s"
    assert mention == RawMention("White House", 11, 22, "organization")
    assert mention_from_span("It isn’t so.", 6, 9, "GPE") is None  # "n’t"
    assert mention_from_span("Talks in the U.S. went on.", 9, 17, "GPE").text == "U.S."
    assert mention_from_span("Three of them", 0, 5, "CARDINAL") is None  # not shown to readers


def test_chunks_cover_the_text_within_the_limit(tmp_path):
    paragraph = "Robert Lighthizer met Chrystia Freeland in Ottawa. " * 40  # ~2 KB
    write(tmp_path / "a.txt", "\n\n".join([paragraph.strip()] * 30) + "\n\n" + "x" * 5000)
    (article,) = load_corpus(tmp_path).articles
    spans = list(chunk_spans(article.text, article.paragraphs, limit=4096))
    assert all(end - start <= 4096 for start, end in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)
    for paragraph in article.paragraphs:  # every paragraph is inside the windows
        covered = sum(max(0, min(end, paragraph.end) - max(start, paragraph.start)) for start, end in spans)
        assert covered == paragraph.end - paragraph.start


def test_long_article_is_analysed_in_chunks_with_true_offsets(tmp_path, nlp):
    sentence = "Negotiators met in Washington on Thursday. "
    text = sentence * 300 + "Later, Robert Lighthizer met Chrystia Freeland in Ottawa."
    write(tmp_path / "long.txt", text)  # one line of ~13,000 characters
    (article,) = load_corpus(tmp_path).articles
    (analysis,) = analyze_articles([article], nlp, chunk_chars=2000)
    assert analysis.issues, "without a taxonomy, key phrases fill the issues"
    people = {e.name: e for e in analysis.entities if e.type == "person"}
    assert "Robert Lighthizer" in people and "Chrystia Freeland" in people
    for entity in analysis.entities:
        for mention in entity.mentions:
            assert article.text[mention.start : mention.end] == mention.text
    lighthizer = people["Robert Lighthizer"].mentions[0]
    assert lighthizer.start > 12_000


def test_progress_is_reported_per_article(seed_corpus, nlp):
    seen = []
    analyze_articles(seed_corpus.articles[:3], nlp, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_an_unknown_model_is_a_clear_error():
    with pytest.raises(ModelUnavailable, match="no_such_model.*NEWSREADER_SPACY_MODEL"):
        load_nlp("no_such_model")


def test_the_model_is_loaded_once_without_the_parser(nlp):
    assert load_nlp() is nlp
    assert {"ner", "lemmatizer", "sentencizer"} <= set(nlp.pipe_names)
    assert "parser" not in nlp.pipe_names


def test_people_the_model_misses_are_completed_from_the_article_itself():
    from tui.analysis.mentions import RawMention, as_a_reader_names_them, people_completed

    text = "Ed Balls spoke. Later Mr Balls said Balls was fine. Brown sugar sold well; the brown bag. Gordon Brown met."
    raw = [RawMention("Ed Balls", 0, 8, "person"), RawMention("Balls", 25, 30, "organization"),
           RawMention("Gordon Brown", text.index("Gordon"), text.index("Gordon") + 12, "person")]
    completed = people_completed(text, raw)
    assert all(text[m.start:m.end] == m.text for m in completed)
    people = [(m.text, m.start) for m in completed if m.type == "person"]
    assert ("Balls", 25) in people  # after "Mr": a person, whatever the model said
    assert ("Balls", text.index("Balls was")) in people  # the surname of a person named in full
    assert ("Brown", text.index("Brown sugar")) not in people  # opens a sentence and is a word here ("brown bag")

    text = "The Foreign Policy Centre Mr Straw founded hit out. British business and the British, for once, agreed."
    cut = as_a_reader_names_them(text, [RawMention("Foreign Policy Centre Mr Straw", 4, 34, "organization"),
                                        RawMention("British", text.index("British"), text.index("British") + 7, "group"),
                                        RawMention("British", text.rindex("British"), text.rindex("British") + 7, "group")])
    assert [(m.text, m.type) for m in cut] == [("Foreign Policy Centre", "organization"), ("Straw", "person"),
                                               ("British", "group")]  # the noun use; not "British business"
    assert all(text[m.start:m.end] == m.text for m in cut)


def test_what_names_are_settles_what_the_model_could_not():
    from tui.analysis.mentions import RawMention
    from tui.analysis.name_knowledge import typed_by_what_names_are

    def m(text, form, kind, nth=0):
        start = [i for i in range(len(text)) if text.startswith(form, i)][nth]
        return RawMention(form, start, start + len(form), kind)

    text = ("Payton Pritchard scored 20 and Kristaps Porzingis 14 for Boston. Morgan Stanley rose, the Victoria "
            "Tower shone, Sierra Wireless fell. Fans flew in from Lyon. Michael Jackson sang; Jackson smiled. "
            "Spiderman 2 sold well over GPRS at 40 Mbps on Clarkia Drive and Cingular Wireless.")
    typed = typed_by_what_names_are(text, [
        m(text, "Payton Pritchard", "place"), m(text, "Kristaps Porzingis", "organization"),
        m(text, "Morgan Stanley", "organization"), m(text, "Victoria Tower", "place"),
        m(text, "Sierra Wireless", "organization"), m(text, "Lyon", "person"),
        m(text, "Michael Jackson", "person"), m(text, "Jackson", "person", 1), m(text, "Spiderman 2", "person"),
        m(text, "GPRS", "person"), m(text, "Mbps", "person"), m(text, "Clarkia Drive", "person"),
        m(text, "Cingular Wireless", "person"),
    ])  # (and "Spiderman 2", a product, and "Mbps" are no mentions)
    assert [(x.text, x.type) for x in typed] == [
        ("Payton Pritchard", "person"), ("Kristaps Porzingis", "person"),  # given names first
        ("Morgan Stanley", "organization"), ("Victoria Tower", "place"), ("Sierra Wireless", "organization"),
        ("Lyon", "place"),  # a city, not a given name
        ("Michael Jackson", "person"), ("Jackson", "person"),  # a city too, but his surname here
        ("GPRS", "organization"),  # an acronym
        ("Clarkia Drive", "place"), ("Cingular Wireless", "organization"),  # no surname ends so
    ]


def test_the_country_us_is_not_the_pronoun_us():
    from tui.analysis.mentions import mention_from_span

    text = "In the US, tell us."
    assert mention_from_span(text, 7, 9, "GPE").text == "US"
    assert mention_from_span(text, 16, 18, "GPE") is None


def test_a_shorter_name_beside_the_longer_one_it_stands_for_is_one_entity():
    from tui.analysis.article_merge import merged_in_article
    from tui.analysis.model import Entity, Mention

    def e(name, kind, *starts):
        return Entity(name, kind, [Mention(name, s, s + len(name)) for s in starts])

    entities, renamed = merged_in_article([
        e("European Commission", "organization", 0), e("Commission", "organization", 50, 90),
        e("Labour", "organization", 10), e("Labour Party", "organization", 70),
        e("Digby Jones", "person", 20), e("Digby", "person", 80),
        e("Brown", "person", 30), e("Gordon Brown", "person", 5), e("Jaylen Brown", "person", 60),  # two fit: kept
    ])
    names = {x.name: [m.start for m in x.mentions] for x in entities}
    assert names == {"European Commission": [0, 50, 90], "Labour Party": [10, 70], "Digby Jones": [20, 80],
                     "Brown": [30], "Gordon Brown": [5], "Jaylen Brown": [60]}
    assert renamed == {"Commission": "European Commission", "Labour": "Labour Party", "Digby": "Digby Jones"}
