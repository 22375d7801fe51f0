"""The command line: the JSON contract, the summary, and exit codes for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write
from tui.cli.main import main

NEWSREADER = Path(sys.executable).parent / "newsreader"
ARTICLE_KEYS = ["id", "title", "path", "words", "source", "date", "url", "text", "entities", "issues", "quotes"]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it (no TTY, no stdin)."""
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run(
        [str(NEWSREADER), *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, env=env
    )


def test_analyze_json_follows_the_contract(capsys, seeds_path):
    assert main(["analyze", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"articles", "skipped"}
    assert out["skipped"] == []
    assert [a["id"] for a in out["articles"]][0] == "000_9cf93562ebcfcd3e"
    assert len(out["articles"]) == 5
    for article in out["articles"]:
        assert list(article) == ARTICLE_KEYS
        assert Path(article["path"]).parent == seeds_path / "articles"
        assert isinstance(article["words"], int) and article["words"] > 300
        assert article["issues"], "every seed article discusses some issue"
        for issue in article["issues"]:
            assert set(issue) == {"id", "label", "mentions"}
            for mention in issue["mentions"]:
                assert article["text"][mention["start"] : mention["end"]] == mention["text"]
        for quote in article["quotes"]:
            assert set(quote) == {"speaker", "text", "start", "end"}
            assert article["text"][quote["start"] : quote["end"]] == quote["text"]
        for entity in article["entities"]:
            assert set(entity) == {"name", "type", "mentions"}
            for mention in entity["mentions"]:
                assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    people = {e["name"] for e in out["articles"][0]["entities"] if e["type"] == "person"}
    assert {"Robert Lighthizer", "Chrystia Freeland", "Donald Trump"} <= people
    first = out["articles"][0]
    assert {"id": "autos_rules_of_origin", "label": "Rules of origin for cars"}.items() <= next(
        i for i in first["issues"] if i["id"] == "autos_rules_of_origin"
    ).items()
    assert {"speaker": "Chrystia Freeland", "text": "significant progress"}.items() <= first["quotes"][0].items()


def test_analyze_json_carries_fields_and_skipped_files(capsys, tmp_path):
    write(tmp_path / "a.json", json.dumps({"title": "Steel", "text": "Steel tariffs hit Canada.", "date": "2018-06-01T09:00:00Z", "source": "Reuters", "url": "https://r.example/s"}))
    write(tmp_path / "b.txt", b"")
    assert main(["analyze", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (article,) = out["articles"]
    assert (article["date"], article["source"], article["url"]) == ("2018-06-01", "Reuters", "https://r.example/s")
    assert out["skipped"] == [{"path": str(tmp_path / "b.txt"), "reason": "empty file"}]


def test_analyze_summary_shows_titles_and_people(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # room for names on one line
    write(tmp_path / "x.txt", "[bold]Not bold[/bold] [@click=app.quit]Not a link[/]\n\nRobert Lighthizer met Chrystia Freeland in Ottawa on Monday.")
    assert main(["analyze", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[bold]Not bold[/bold]" in out  # shown as text, not interpreted
    assert "Robert Lighthizer" in out and "Chrystia Freeland" in out


def test_missing_path_exits_2_with_one_line(tmp_path):
    result = run_cli("analyze", str(tmp_path / "nowhere"), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"newsreader: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_opening_the_app_on_a_missing_path_exits_2_before_the_app_starts(tmp_path):
    result = run_cli(str(tmp_path / "nowhere"), timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith("newsreader: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_a_folder_with_no_usable_articles_exits_1_and_shows_why(tmp_path, capsys):
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "broken.json", "{")
    assert main(["analyze", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "no usable articles (2 file(s) skipped)" in captured.err
    assert "empty file" in captured.err and "invalid JSON" in captured.err


def test_no_usable_articles_with_json_still_prints_the_skipped_list(tmp_path, capsys):
    write(tmp_path / "empty.txt", b"")
    assert main(["analyze", str(tmp_path), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"articles": [], "skipped": [{"path": str(tmp_path / "empty.txt"), "reason": "empty file"}]}
    assert captured.err.startswith("newsreader: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "--bogus"], "unrecognized arguments: --bogus"),
        (["analyze", "--max-file-mb", "-3"], "must be a positive number"),
        (["analyze", "--max-file-mb", "lots"], "not a number"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_unavailable_model_exits_3_with_advice(capsys):
    assert main(["analyze", "--model", "no_such_model"]) == 3
    err = capsys.readouterr().err
    assert "cannot load the spaCy model 'no_such_model'" in err and "NEWSREADER_SPACY_MODEL" in err


def test_json_output_is_utf8_and_free_of_escape_sequences(tmp_path):
    write(tmp_path / "x.txt", "Peña\x1b]0;pwned\x07 \x1b[31mred\n\nJesús Seade said “we’re close”.\x07")
    result = run_cli("analyze", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    (article,) = json.loads(result.stdout)["articles"]
    assert article["title"] == "Peña red"
    assert article["text"] == "Jesús Seade said “we’re close”."


def test_version_and_help():
    result = run_cli("--version", timeout=30)
    assert result.returncode == 0 and result.stdout.startswith("newsreader ")
    result = run_cli("analyze", "--help", timeout=30)
    assert result.returncode == 0 and "--json" in result.stdout
