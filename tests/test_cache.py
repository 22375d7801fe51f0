"""The analysis cache: a second start does no NLP; damage is repaired, never fatal."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import zlib
from array import array

import pytest

from tests.conftest import ROOT, write
from tui.analysis import AnalysisCache, ModelUnavailable, analyze_articles, settings_for_corpus
from tui.analysis import cache as cache_module, pipeline
from tui.cli.main import main
from tui.corpus import load_corpus


def analyze_json(capsys, *args) -> dict:
    assert main(["analyze", "--json", *args]) == 0
    captured = capsys.readouterr()
    analyze_json.stderr = captured.err  # for the tests about warnings
    return json.loads(captured.out)


def refuse_to_load(*_args, **_kwargs):
    raise ModelUnavailable("the test forbids NLP here")


def test_a_second_run_on_the_same_corpus_runs_no_nlp(capsys, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = analyze_json(capsys, "--cache-dir", str(cache))
    assert (cache / "analysis.sqlite").is_file()
    monkeypatch.setattr(pipeline, "load_nlp", refuse_to_load)
    assert analyze_json(capsys, "--cache-dir", str(cache)) == first


def test_a_cached_run_does_not_even_import_spacy(tmp_path):
    env = {**os.environ, "NEWSREADER_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import sys; from tui.cli.main import main; import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()): code = main(['analyze', '--json'])\n"
        "print(code, 'spacy' in sys.modules)"
    )
    run = lambda: subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert run().stdout.split() == ["0", "True"]  # the first run analyses
    assert run().stdout.split() == ["0", "False"]  # the second loads results only


def test_the_default_cache_is_in_the_users_cache_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    analyze_json(capsys)
    assert (tmp_path / "xdg" / "newsreader" / "analysis.sqlite").is_file()
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(tmp_path / "elsewhere"))
    analyze_json(capsys)
    assert (tmp_path / "elsewhere" / "analysis.sqlite").is_file()


def test_no_cache_writes_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    analyze_json(capsys, "--no-cache")
    assert not (tmp_path / "xdg").exists()


def test_a_changed_article_or_taxonomy_is_analysed_again(tmp_path, monkeypatch, nlp):
    write(tmp_path / "corpus" / "a.txt", "Steel\n\nSteel and aluminum tariffs hit Canada.")
    write(tmp_path / "corpus" / "b.txt", "Cars\n\nRules for cars divide the talks.")
    taxonomy = write(tmp_path / "issues.toml", "[[issue]]\nid = 'steel'\nphrases = ['steel and aluminum']\n")
    cache = tmp_path / "cache"

    def run():
        corpus = load_corpus(tmp_path / "corpus")
        settings = settings_for_corpus(tmp_path / "corpus", taxonomy_file=taxonomy, cache_folder=cache)
        return {a.article_id: [i.id for i in a.issues] for a in analyze_articles(corpus.articles, settings=settings)}

    assert run() == {"a": ["steel"], "b": []}
    analysed = []
    real_run = pipeline._run_nlp
    monkeypatch.setattr(pipeline, "_run_nlp", lambda articles, *rest: analysed.extend(a.id for a in articles) or real_run(articles, *rest))
    run()
    assert analysed == []  # nothing changed: all from the cache
    write(tmp_path / "corpus" / "b.txt", "Cars\n\nSteel and aluminum in cars divide the talks.")
    assert run() == {"a": ["steel"], "b": ["steel"]} and analysed == ["b"]
    analysed.clear()
    write(tmp_path / "issues.toml", "[[issue]]\nid = 'cars'\nphrases = ['car']\n")
    assert run() == {"a": [], "b": ["cars"]} and sorted(analysed) == ["a", "b"]


@pytest.mark.parametrize("damage", [b"this is not a database", b"SQLite format 3\x00" + b"\xff" * 200, b""])
def test_a_corrupt_or_foreign_cache_file_is_set_aside_and_rebuilt(capsys, tmp_path, damage):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "analysis.sqlite").write_bytes(damage)
    result = analyze_json(capsys, "--cache-dir", str(cache))
    assert len(result["articles"]) == 5
    assert sqlite3.connect(cache / "analysis.sqlite").execute("SELECT COUNT(*) FROM records").fetchone() == (5,)
    if damage:
        assert list(cache.glob("analysis.sqlite.broken-*")), "the damaged file is kept for inspection"
        assert "analysis cache was damaged" in analyze_json.stderr


def test_a_tampered_record_is_recomputed_not_trusted(capsys, tmp_path):
    cache = tmp_path / "cache"
    first = analyze_json(capsys, "--cache-dir", str(cache))
    db = sqlite3.connect(cache / "analysis.sqlite")
    with db:
        db.execute("""UPDATE records SET data = '{"m": [[0, 999999, "person"]], "i": [], "q": [], "k": []}'""")
    assert analyze_json(capsys, "--cache-dir", str(cache)) == first


def test_an_unwritable_cache_folder_only_costs_speed(capsys, tmp_path):
    blocker = write(tmp_path / "file", "not a folder")
    result = analyze_json(capsys, "--cache-dir", str(blocker / "cache"))
    assert len(result["articles"]) == 5
    assert "analysis cache disabled" in analyze_json.stderr


def test_two_caches_on_one_file_do_not_corrupt_it(tmp_path):
    one, two = AnalysisCache(tmp_path), AnalysisCache(tmp_path)
    one.put_many({"a": {"m": [], "i": [], "q": [], "k": []}})
    two.put_many({"b": {"m": [], "i": [], "q": [], "k": []}})
    assert set(AnalysisCache(tmp_path).get_many(["a", "b"])) == {"a", "b"}


@pytest.mark.parametrize("kind", ["wrong-version", "truncated"])
def test_a_cache_of_another_version_or_cut_short_is_rebuilt(capsys, tmp_path, kind):
    cache = tmp_path / "cache"
    first = analyze_json(capsys, "--cache-dir", str(cache))
    db = sqlite3.connect(cache / "analysis.sqlite")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if kind == "wrong-version":
        db.execute("PRAGMA user_version=99")
        db.commit()
    db.close()
    if kind == "truncated":
        data = (cache / "analysis.sqlite").read_bytes()
        (cache / "analysis.sqlite").write_bytes(data[: len(data) // 3])
    assert analyze_json(capsys, "--cache-dir", str(cache)) == first
    assert list(cache.glob("analysis.sqlite.broken-*")) and "rebuilt" in analyze_json.stderr


def test_an_unchanged_corpus_skips_resolution_and_gives_the_same_analyses(tmp_path, monkeypatch, seeds_path, nlp):
    corpus = load_corpus(seeds_path)
    first = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(seeds_path, cache_folder=tmp_path))
    real_update = pipeline.CorpusAnalysis.update
    resolved = []
    monkeypatch.setattr(pipeline.CorpusAnalysis, "update", lambda *args: resolved.append(1) or real_update(*args))
    again = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(seeds_path, cache_folder=tmp_path))
    # what the list, facets and index read of each (made without the mentions) is the same
    assert [(a.entity_heads(), a.issue_heads()) for a in again] == [(a.entity_heads(), a.issue_heads()) for a in first]
    assert again == first and resolved == []
    # another alias is another resolution, with the same NLP records
    write(tmp_path / "config" / "aliases.toml", '[[entity]]\nname = "Bob L"\ntype = "person"\naliases = ["Robert Lighthizer"]\n')
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path / "config"))
    renamed = analyze_articles(corpus.articles, settings=settings_for_corpus(seeds_path, cache_folder=tmp_path))
    assert resolved == [1] and any(e.name == "Bob L" for a in renamed for e in a.entities)


@pytest.mark.parametrize("damage", ["offset past the text", "unknown type", "count", "a float for a count"])
def test_a_damaged_corpus_entry_is_recomputed(tmp_path, seeds_path, nlp, damage):
    corpus = load_corpus(seeds_path)
    first = analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(seeds_path, cache_folder=tmp_path))
    db = sqlite3.connect(tmp_path / "analysis.sqlite")
    with db:
        data = json.loads(cache_module._unpack(db.execute("SELECT data FROM corpora").fetchone()[0]))
        if damage == "offset past the text":
            offsets = array("I", base64.b64decode(data["offsets"]))
            offsets[1] = 10**9
            data["offsets"] = base64.b64encode(offsets.tobytes()).decode()
        elif damage == "unknown type":
            data["et"][0] = len(data["strings"])
            data["strings"].append("spaceship")
        elif damage == "a float for a count":
            data["ec"][0] += 0.5
        else:
            data["ec"][0] += 1  # one more mention than there are offsets
        db.execute("UPDATE corpora SET data=?", (zlib.compress(json.dumps(data).encode()),))  # (as written before zstd)
    db.close()
    assert analyze_articles(corpus.articles, nlp, settings=settings_for_corpus(seeds_path, cache_folder=tmp_path)) == first


def test_each_folder_keeps_only_its_latest_whole_result(tmp_path, nlp):
    for name in ("a", "b"):
        write(tmp_path / name / "1.txt", f"T\n\nRobert Lighthizer spoke in folder {name}.")

    def analyse(name):
        corpus = load_corpus(tmp_path / name)
        settings = settings_for_corpus(tmp_path / name, cache_folder=tmp_path / "cache")
        analyze_articles(corpus.articles, nlp, settings=settings)
        settings.cache.close()

    analyse("a")
    analyse("b")
    write(tmp_path / "a" / "1.txt", "T\n\nRobert Lighthizer spoke again in folder a.")
    analyse("a")
    with sqlite3.connect(tmp_path / "cache" / "analysis.sqlite") as db:
        scopes = sorted(scope for (scope,) in db.execute("SELECT scope FROM corpora"))
    db.close()
    assert scopes == sorted(str((tmp_path / name).resolve()) for name in ("a", "b"))  # a's old state replaced


def test_kept_results_written_back_unopened_are_what_they_were(tmp_path, seeds_path, nlp):
    # a start reads the results packed; writing them back (after a change elsewhere) must
    # not need to open them, and must give what writing the opened ones gives
    from tui.analysis import resolved

    corpus = load_corpus(seeds_path)
    settings_ = settings_for_corpus(seeds_path, cache_folder=tmp_path)
    analyze_articles(corpus.articles, nlp, settings=settings_)
    kept = analyze_articles(corpus.articles, nlp, settings=settings_, only_if_unchanged=True)
    assert all(a.packed_columns() is not None for a in kept)
    packed = resolved.encode(kept)
    assert all(a.packed_columns() is not None for a in kept)  # (not opened by writing)
    for analysis in kept:
        analysis.entities  # opened, as the reader does
    assert all(a.packed_columns() is None for a in kept)
    assert packed == resolved.encode(kept)
