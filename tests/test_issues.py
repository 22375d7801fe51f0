"""Issues from the editable taxonomy, and key phrases for corpora without one."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, write
from tui.analysis import TaxonomyError, analyze_articles, load_taxonomy, settings_for_corpus
from tui.analysis.issues import IssueMatcher
from tui.cli.main import main
from tui.corpus import load_corpus

REQUIRED_IDS = [
    "autos_rules_of_origin", "sunset_clause", "dispute_settlement", "agriculture", "steel_aluminum", "labor",
    "ratification_timeline", "china_trade", "telecommunications", "government_procurement", "environment",
    "financial_services", "intellectual_property", "currency_markets", "sovereignty",
]


def analyse(tmp_path, nlp, *texts, taxonomy=ROOT / "seeds" / "issues.toml"):
    for i, text in enumerate(texts):
        write(tmp_path / f"{i}.txt", f"Title {i}\n\n{text}")
    corpus = load_corpus(tmp_path)
    settings = settings_for_corpus(tmp_path, taxonomy_file=taxonomy, use_cache=False)
    return corpus.articles, analyze_articles(corpus.articles, nlp, settings=settings)


def test_the_seed_taxonomy_has_the_users_categories():
    taxonomy = load_taxonomy(ROOT / "seeds" / "issues.toml")
    assert [i.id for i in taxonomy.issues] == REQUIRED_IDS
    assert taxonomy.label("autos_rules_of_origin") == "Rules of origin for cars"


def test_lemmas_match_other_word_forms_with_exact_offsets(tmp_path, nlp):
    articles, (analysis,) = analyse(tmp_path, nlp, "They made progress on rules for cars. The car rules remain hard; a rule for autos too.")
    (issue,) = [i for i in analysis.issues if i.id == "autos_rules_of_origin"]
    assert [m.text for m in issue.mentions] == ["rules for cars", "car rules", "rule for autos"]
    for m in issue.mentions:
        assert articles[0].text[m.start : m.end] == m.text


def test_a_passing_word_does_not_list_an_issue(tmp_path, nlp):
    _, (passing, discussed) = analyse(
        tmp_path, nlp,
        "Lighthizer returns from a trip to China on Monday.",
        "Lighthizer will discuss the trade dispute with China. Tariffs on Chinese goods rise.",
    )
    assert "china_trade" not in {i.id for i in passing.issues}
    assert "china_trade" in {i.id for i in discussed.issues}


def test_issues_on_the_seeds(seed_analyses):
    got = {a.article_id: {i.id for i in a.issues} for a in seed_analyses}
    assert got["000_9cf93562ebcfcd3e"] >= {"autos_rules_of_origin", "sunset_clause", "dispute_settlement", "steel_aluminum"}
    assert "sovereignty" in got["004_6a895630a10467a7"]


def test_without_a_taxonomy_key_phrases_fill_the_panel(tmp_path, nlp):
    texts = [
        "The regulator said mobile phone charges would fall. High mobile phone charges hurt rural households.",
        "Pension reform divides the coalition. Pension reform will be voted on, the minister said.",
        "The football club sold tickets. Prices rose.",
    ]
    _, analyses = analyse(tmp_path, nlp, *texts, taxonomy=None)
    for analysis in analyses:
        assert analysis.issues and all(i.id.startswith("kp:") for i in analysis.issues)
    assert "kp:mobile_phone_charge" in {i.id for i in analyses[0].issues}
    assert "kp:pension_reform" in {i.id for i in analyses[1].issues}
    labels = {i.id: i.label for i in analyses[0].issues}
    assert labels["kp:mobile_phone_charge"] == "mobile phone charges"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[issue]]\nlabel = 'x'\nphrases = ['a']\n", "needs an 'id'"),
        ("[[issue]]\nid = 'a'\nphrases = ['a']\n[[issue]]\nid = 'a'\nphrases = ['b']\n", "used twice"),
        ("[[issue]]\nid = 'a'\n", "give at least one of"),
        ("[[issue]]\nid = 'a'\nphrases = 'not a list'\n", "must be a list"),
        ("[[issue]]\nid = 'a'\npatterns = [[{NOPE = 'x'}]]\n", "not valid for spaCy's Matcher"),
        ("not = [toml", "not valid TOML"),
        ("title = 'no issues'\n", "no [[issue]] entries"),
    ],
)
def test_a_bad_taxonomy_is_a_clear_error(tmp_path, nlp, content, message):
    path = write(tmp_path / "issues.toml", content)
    with pytest.raises(TaxonomyError, match=message.replace("[", r"\[").replace("'", "'")):
        IssueMatcher(nlp, load_taxonomy(path))


def test_the_cli_reports_a_bad_taxonomy_in_one_line(tmp_path, capsys):
    write(tmp_path / "a.txt", "Title\n\nText.")
    write(tmp_path / "issues.toml", "not = [toml")
    assert main(["analyze", str(tmp_path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "issues.toml: not valid TOML" in err and err.count("\n") == 1
    assert main(["analyze", str(tmp_path), "--taxonomy", str(tmp_path / "missing.toml")]) == 2
    assert "no such taxonomy file" in capsys.readouterr().err


def test_job_titles_are_not_key_phrases(tmp_path, nlp):
    text = ("The chief economist and the vice president said interest rates would rise. "
            "Interest rates rose. Interest rates matter, the chief economist said.")
    _, (analysis, _other) = analyse(tmp_path, nlp, text, "Other text about football clubs.", taxonomy=None)
    ids = {i.id for i in analysis.issues}
    assert "kp:interest_rate" in ids
    assert not {"kp:chief_economist", "kp:vice_president"} & ids
