"""Accuracy floors on the hand annotation of the seeds (tests/data/seeds_gold.json)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tui.analysis.evaluation import evaluate, load_gold
from tui.cli.main import main

GOLD = ROOT / "tests" / "data" / "seeds_gold.json"


@pytest.fixture(scope="module")
def scores(seed_corpus, seed_analyses):
    return evaluate(load_gold(GOLD), seed_corpus.articles, seed_analyses)


def test_every_seed_article_is_annotated(scores):
    assert scores.articles == 5


def test_people(scores):
    assert scores.areas["person"].f1 >= 0.95, scores.areas["person"].misses + scores.areas["person"].extras


@pytest.mark.parametrize("area", ["organization", "place", "law"])
def test_organisations_places_and_laws(scores, area):
    assert scores.areas[area].recall >= 0.90, scores.areas[area].misses


def test_issues(scores):
    assert scores.areas["issues"].f1 >= 0.85, scores.areas["issues"].misses + scores.areas["issues"].extras


def test_quotes(scores):
    assert scores.areas["quotes"].recall >= 0.80, scores.areas["quotes"].misses


def test_no_bad_offsets(scores):
    assert scores.bad_offsets == 0


def test_the_scorer_counts_misses_and_extras(seed_corpus, seed_analyses):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    gold["000_9cf93562ebcfcd3e"]["person"].append({"name": "Nobody Real"})
    gold["000_9cf93562ebcfcd3e"]["issues"] = ["sovereignty"]
    result = evaluate(gold, seed_corpus.articles, seed_analyses)
    assert "000_9cf93562ebcfcd3e: Nobody Real" in result.areas["person"].misses
    assert result.areas["issues"].misses == ["000_9cf93562ebcfcd3e: sovereignty"]
    assert len(result.areas["issues"].extras) == 8


def test_the_eval_command(capsys):
    assert main(["eval", "--gold", str(GOLD), "--no-cache", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["articles"] == 5 and out["bad_offsets"] == 0
    assert set(out["areas"]) == {"person", "organization", "place", "law", "issues", "quotes"}
    assert main(["eval", "--gold", str(GOLD.with_name("missing.json"))]) == 2
    assert "cannot read the annotation" in capsys.readouterr().err
