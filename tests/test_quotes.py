"""Who said what, with the real model: the attribution patterns of news writing."""

from __future__ import annotations

from tests.conftest import write
from tui.analysis import analyze_articles, settings_for_corpus
from tui.corpus import load_corpus


def quotes_of(tmp_path, nlp, text):
    write(tmp_path / "a.txt", f"Talks\n\n{text}")
    (article,) = load_corpus(tmp_path).articles
    (analysis,) = analyze_articles([article], nlp, settings=settings_for_corpus(tmp_path, use_cache=False))
    for quote in analysis.quotes:
        assert article.text[quote.start : quote.end] == quote.text
    return [(q.speaker, q.text) for q in analysis.quotes]


def test_quote_then_speaker(tmp_path, nlp):
    assert quotes_of(tmp_path, nlp, "“We are close to a deal,” Robert Lighthizer said on Monday.") == [
        ("Robert Lighthizer", "We are close to a deal")
    ]


def test_speaker_then_colon_and_quote(tmp_path, nlp):
    assert quotes_of(tmp_path, nlp, "Robert Lighthizer said: “We will see next week.”") == [
        ("Robert Lighthizer", "We will see next week")
    ]


def test_said_then_speaker_with_an_apposition(tmp_path, nlp):
    text = '"There is no deal yet," said Adam Austen, a spokesman for the minister.'
    assert quotes_of(tmp_path, nlp, text) == [("Adam Austen", "There is no deal yet")]


def test_he_said_goes_to_the_last_named_person_not_to_a_name_inside_the_quote(tmp_path, nlp):
    text = ("Jerry Dias met the negotiators on Friday.\n\n"
            "“I think the Americans want a deal,’’ he said. “The space we’re in is positive.’’")
    assert quotes_of(tmp_path, nlp, text) == [
        ("Jerry Dias", "I think the Americans want a deal"),
        ("Jerry Dias", "The space we’re in is positive"),
    ]


def test_a_quote_closed_by_two_apostrophes(tmp_path, nlp):
    text = "Chrystia Freeland said Thursday they’ve made “significant progress’’ on rules for cars."
    assert quotes_of(tmp_path, nlp, text) == [("Chrystia Freeland", "significant progress")]


def test_according_to_a_named_source_is_reported_speech(tmp_path, nlp):
    text = "The deal is close, according to Jerry Dias of the union."
    assert quotes_of(tmp_path, nlp, text) == [("Jerry Dias", "The deal is close")]


def test_scare_quotes_without_a_speaker_are_not_quotes(tmp_path, nlp):
    assert quotes_of(tmp_path, nlp, "Negotiators entered what they called a “permanent round” of talks.") == []


def test_the_seed_quotes(seed_analyses):
    first = seed_analyses[0].quotes
    assert ("Chrystia Freeland", "significant progress") == (first[0].speaker, first[0].text)
    assert {q.speaker for q in seed_analyses[4].quotes} == {"Jesús Seade"}


def test_straight_quotes_are_paired_by_their_neighbours_not_by_counting(tmp_path, nlp):
    # From the BBC corpus: one quotation runs on unclosed into the next.
    text = (
        'Lib Dem home affairs spokesman Mark Oaten said: "This has all the signs of Michael Howard '
        "overruling colleagues' concerns over ID cards. \"The Tories should have the courage to try and "
        'change public opinion not follow it." The new chairman warned that people on the "margins of '
        'society" would be driven into the hands of extremists.'
    )
    got = quotes_of(tmp_path, nlp, text)
    assert ("Mark Oaten", "The Tories should have the courage to try and change public opinion not follow it") in got
    assert ("Mark Oaten", "This has all the signs of Michael Howard overruling colleagues' concerns over ID cards") in got
    assert not any("The new chairman" in quote for _, quote in got)


def test_said_firm_job_person_goes_to_the_person(tmp_path, nlp):
    text = '"This is the bill for their mismanagement over the past years," said HVB analyst Peter-Thilo Halser.'
    assert quotes_of(tmp_path, nlp, text) == [("Peter-Thilo Halser", "This is the bill for their mismanagement over the past years")]


def test_quotes_opened_by_two_single_marks(tmp_path, nlp):
    text = "‘‘We will get it done,’’ Robert Lighthizer said."
    assert quotes_of(tmp_path, nlp, text) == [("Robert Lighthizer", "We will get it done")]


def test_he_said_goes_to_the_subject_not_to_the_person_named_last_in_passing(tmp_path, nlp):
    text = ("Ed Balls, a former adviser, said there would be no spree. But Mr Balls, a Labour candidate, "
            "had suggested that Gordon Brown would meet his rule - \"with a margin to spare\". "
            "He said he hoped for more.\n\n"
            "\"This is a big change in our political culture,\" he told a lunch.")
    quotes = quotes_of(tmp_path, nlp, text)
    assert ("Ed Balls", "This is a big change in our political culture") in quotes
    # a quotation that ends its sentence is not given to the next sentence's "He said"
    assert all(speaker != "Gordon Brown" for speaker, _ in quotes), quotes


def test_a_name_the_model_did_not_tag_still_names_the_speaker(tmp_path, nlp):
    text = ("Sir Digby Jones, the CBI director general, warned the chancellor. Mr Jones met the minister on "
            "Monday.\n\n\"Stability is the key word,\" Jones told reporters.")
    assert quotes_of(tmp_path, nlp, text) == [("Digby Jones", "Stability is the key word")]


def test_the_bbc_way_a_quote_runs_on_into_the_next_and_into_the_next_paragraph(tmp_path, nlp):
    text = ("Olivier Gerolami runs the network.\n\n"
            "\"But everyone is impressed with it in Italy. \"France is the poorest market,\" Mr Gerolami added.\n\n"
            "\"It will take off in the spring.\"\n\n"
            "\"It is difficult to tell how quickly,\" said Mr Gerolami, \"but we are optimistic.\"")
    quotes = quotes_of(tmp_path, nlp, text)
    speakers = {speaker for speaker, _ in quotes}
    assert len(quotes) == 5 and len(speakers) == 1 and speakers.pop().endswith("Gerolami"), quotes
    assert [said.split()[0] for _, said in quotes] == ["But", "France", "It", "It", "but"]


def test_a_name_used_as_a_modifier_is_not_the_speaker(tmp_path, nlp):
    text = ("Ed Balls, who stood down to stand as a Labour candidate in the election, had suggested the rule "
            "would be met \"with a margin to spare\", his friends said.")
    assert quotes_of(tmp_path, nlp, text) == [("Ed Balls", "with a margin to spare")]


def test_the_role_a_person_was_named_with_names_the_speaker(tmp_path, nlp):
    text = ("Earlier Foreign Secretary Jack Straw said the UK would veto any bid. Graham Brady, the Tory "
            "spokesman, disagreed.\n\nThe foreign secretary meanwhile said the \"justice\" of the rebate remained.")
    assert ("Jack Straw", "justice") in quotes_of(tmp_path, nlp, text)


def test_a_subject_with_an_apposition_and_a_knight_by_his_first_name(tmp_path, nlp):
    text = ("The Conseil Superieur de l'Audiovisuel (CSA), the French broadcasting regulator, said: "
            "\"Sales will be strong.\"\n\n"
            "Sir Digby Jones, the CBI director general, spoke later. Sir Digby added: \"Stability is the key word.\"")
    quotes = dict((text, speaker) for speaker, text in quotes_of(tmp_path, nlp, text))
    assert quotes["Stability is the key word"] == "Digby Jones"
    assert "Conseil" in quotes["Sales will be strong"]
