"""The benchmark command runs end to end and reports every figure (no timing is judged here)."""

from __future__ import annotations

import json

from tui.cli.bench import replicate
from tui.cli.main import main
from tui.corpus import load_corpus


def test_copies_of_a_corpus_are_new_articles_to_the_cache(seeds_path, tmp_path):
    copies = load_corpus(replicate(seeds_path / "articles", 3, tmp_path / "x3")).articles
    assert len(copies) == 15 and len({a.content_hash for a in copies}) == 15


def test_the_bench_command_reports_every_figure(seeds_path, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", str(seeds_path), "--times", "2", "--runs", "1", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["corpus"]["articles"] == 10 and report["corpus"]["times"] == 2
    assert report["cold_analysis"]["words_per_s"] > 0 and report["raw_spacy"]["words_per_s"] > 0
    assert "ner" in report["raw_spacy"]["components"] and "parser" not in report["raw_spacy"]["components"]
    assert 0 < report["app"]["first_paint_s"] <= report["app"]["ready_s"]
    assert report["app"]["bare_textual_first_paint_s"] > 0 and report["app"]["ready_after_a_change_s"] > 0
    for mode in ("plain", "highlighted", "highlighted_faceted"):
        assert report["search"][mode]["samples"] == report["raw_whoosh"][mode]["samples"] > 10
    assert report["disk"]["cache_and_index_bytes"] > 0 and report["peak_memory_mb"]["app"] > 0
    assert report["peak_memory_mb"]["app"] == report["app"]["peak_memory_mb"] < report["peak_memory_mb"]["bench"]
    assert all(report["one_changed_file"][k] > 0 for k in ("live_s", "first_after_warm_start_s", "added_s", "removed_s", "restart_s"))
    assert "cold analysis" in capsys.readouterr().out


def test_the_bench_command_needs_a_folder(tmp_path, capsys):
    assert main(["bench", str(tmp_path / "missing")]) == 2
    assert main(["bench", str(tmp_path / "missing"), "--times", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "missing" in err
