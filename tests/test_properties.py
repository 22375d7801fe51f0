"""Properties of the corpus layer and analysis over arbitrary input."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tui.analysis import analyze_articles
from tui.corpus import load_corpus
from tui.corpus.decode import clean_text
from tui.corpus.readers import READERS

SUFFIXES = sorted(READERS)
# Text that looks like news sometimes: names, punctuation, quotes, markup, controls.
news_text = st.lists(
    st.one_of(
        st.sampled_from(list("  \n\n.,;:’'\"“”()[]-—")),
        st.sampled_from(["Robert Lighthizer", "Freeland", "U.S.", "Jesús", "Peña", " said ", "[bold]", "\x1b[31m", "\x00", "\r\n"]),
        st.characters(),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xc2", suffix=".jsonl")  # decodes to nothing: once neither loaded nor reported
def test_any_bytes_load_or_are_skipped_with_a_reason(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        corpus = load_corpus(folder)
    assert all(s.reason for s in corpus.skipped)
    assert corpus.articles or corpus.skipped
    for article in corpus.articles:
        assert article.text.strip() and article.title
        assert "\x1b" not in article.text and "\x00" not in article.text
        for paragraph in article.paragraphs:
            assert 0 <= paragraph.start < paragraph.end <= len(article.text)
            assert article.text[paragraph.start : paragraph.end].strip()


@settings(max_examples=examples(100))
@given(news_text)
def test_cleaning_is_idempotent_and_leaves_no_controls(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in cleaned)


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(news_text, min_size=1, max_size=3))
def test_every_mention_offset_indexes_the_text(nlp, texts):
    with tempfile.TemporaryDirectory() as folder:
        for i, text in enumerate(texts):
            (Path(folder) / f"{i}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        corpus = load_corpus(folder)
    for article, analysis in zip(corpus.articles, analyze_articles(corpus.articles, nlp)):
        for entity in analysis.entities:
            for mention in entity.mentions:
                assert article.text[mention.start : mention.end] == mention.text
        for issue in analysis.issues:
            for mention in issue.mentions:
                assert article.text[mention.start : mention.end] == mention.text
        for quote in analysis.quotes:
            assert article.text[quote.start : quote.end] == quote.text
