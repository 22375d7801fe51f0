"""One folder holding every kind of file a user's downloads throw at the program, next
to good articles: the good ones load, each bad one is listed with a reason, nothing hangs."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FUZZ, ROOT, write
from tui.corpus import LoadOptions, load_corpus

GOOD = "Robert Lighthizer met Chrystia Freeland in Washington on Thursday to discuss steel tariffs."


def build(folder: Path) -> dict[str, str]:
    """Write the folder; returns {file name: what it must give} ("article" or a reason part)."""
    expect: dict[str, str] = {}

    def put(name: str, content: bytes | str, outcome: str) -> None:
        write(folder / name, content)
        expect[name] = outcome

    put("good.txt", f"Good plain text\n\n{GOOD}", "article")
    put("good.md", f"---\ntitle: Good markdown\ndate: 2018-08-27\n---\n\n# Heading\n\n{GOOD}", "article")
    put("good.json", json.dumps({"title": "Good JSON", "text": GOOD, "source": "Wire"}), "article")
    put("empty.txt", b"", "empty file")
    put("whitespace.txt", b" \n\t\n \r\n", "empty (whitespace only)")
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary")
    put("truncated-utf8.txt", f"Truncated\n\n{GOOD} Peña ñ".encode()[:-1], "article")  # ñ cut in half
    put("utf16-bom.txt", f"UTF-16 with BOM\n\n{GOOD} Jesús".encode("utf-16"), "article")
    put("utf16-no-bom.txt", f"UTF-16 without BOM\n\n{GOOD} Jesús".encode("utf-16-le"), "article")
    put("cp1252.txt", f"Windows text\n\n{GOOD} “Peña” – €".encode("cp1252"), "article")
    put("latin1.txt", f"Latin-1 text\n\n{GOOD} Señor".encode("latin-1"), "article")
    put("one-line-50mb.txt", ("word " * 10_000_000).encode(), "article")  # 50 MB, no newline
    put("tiny-paragraphs.txt", "\n\n".join(f"Line {n}." for n in range(100_000)), "article")
    put("broken.json", '{"title": "Broken", "text": "no closing brace"', "invalid JSON")
    put("number.json", "42", "found a number")
    put("strings.json", json.dumps(["just", "strings"]), "found a string")
    put("no-text.json", json.dumps({"title": "No text here"}), "no text field")
    lines = [json.dumps({"title": "Feed one", "text": GOOD}), "{broken", json.dumps({"title": "Feed three", "text": GOOD})]
    put("feed.jsonl", "\n".join(lines), "article")
    put("with spaces and ünïcödé 名前.txt", f"Odd name\n\n{GOOD}", "article")
    put("-leading-dash.txt", f"Leading dash\n\n{GOOD}", "article")
    put("--help.txt", f"Looks like an option\n\n{GOOD}", "article")
    put("secret.txt", f"Secret\n\n{GOOD}", "permission denied")
    os.symlink(folder, folder / "loop")
    expect["loop"] = "already read"
    os.symlink(folder / "self.txt", folder / "self.txt")
    expect["self.txt"] = "symbolic link loop"
    os.mkfifo(folder / "pipe.txt")
    expect["pipe.txt"] = "not a regular file"
    deep = folder
    for level in range(70):
        deep = deep / f"d{level}"
    write(deep / "deep.txt", f"Deep\n\n{GOOD}")
    expect["d64"] = "nested deeper than 64"  # the first folder too deep is what is reported
    return expect


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build(folder)


def _load_with_a_time_limit(folder: Path, options: LoadOptions | None = None, seconds: float = 120):
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("corpus", load_corpus(folder, options)), daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), "loading hung"
    return result["corpus"]


def test_every_good_article_loads_and_every_bad_file_says_why(hostile, monkeypatch):
    folder, expect = hostile
    secret = folder / "secret.txt"
    real_open = os.open

    def refusing_open(path, *args, **kwargs):  # chmod 0 does not stop root, so os.open refuses
        if Path(path) == secret:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    corpus = _load_with_a_time_limit(folder)
    loaded = {a.path.name for a in corpus.articles}
    assert loaded == {name.rsplit("/", 1)[-1] for name, outcome in expect.items() if outcome == "article"}
    skipped = {}
    for entry in corpus.skipped:
        skipped.setdefault(entry.path.name.split("#")[0], []).append(entry.reason)
    for name, outcome in expect.items():
        if outcome != "article":
            reasons = skipped.get(name.rsplit("/", 1)[-1], [])
            assert any(outcome in reason for reason in reasons), (name, reasons)
    assert any("invalid JSON" in r for r in skipped["feed.jsonl"])  # its bad line; the good ones loaded
    assert sum(a.path.name == "feed.jsonl" for a in corpus.articles) == 2
    for article in corpus.articles:
        assert article.text.strip() and "\x00" not in article.text
        assert all(p.end - p.start <= 10_000 for p in article.paragraphs)
    big = next(a for a in corpus.articles if a.path.name == "one-line-50mb.txt")
    assert big.words == 10_000_000 and len(big.paragraphs) >= 5_000
    by_name = {a.path.name: a for a in corpus.articles}
    assert by_name["truncated-utf8.txt"].text.endswith("tariffs. Peña")
    assert "Jesús" in by_name["utf16-no-bom.txt"].text and "“Peña” – €" in by_name["cp1252.txt"].text


def test_the_size_limit_is_configurable_and_named_in_the_reason(hostile):
    folder, _ = hostile
    corpus = _load_with_a_time_limit(folder, LoadOptions(max_file_bytes=512 * 1024))
    reasons = {s.path.name: s.reason for s in corpus.skipped}
    assert "the limit is 0.5 MB" in reasons["one-line-50mb.txt"] and "--max-file-mb" in reasons["one-line-50mb.txt"]
    assert "too large" in reasons["tiny-paragraphs.txt"]


def test_the_cli_analyses_the_folder_and_lists_what_it_skipped(hostile, tmp_path):
    folder, expect = hostile
    # CI leaves out the two huge files (their NLP takes minutes); `make fuzz` analyses all.
    limit = [] if FUZZ > 1 else ["--max-file-mb", "0.5"]
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from tui.cli.main import main; sys.exit(main())",
         "analyze", str(folder), "--json", *limit, "--cache-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    titles = {a["title"] for a in result["articles"]}
    assert {"Good plain text", "Good markdown", "Good JSON", "Feed one", "Feed three", "Leading dash"} <= titles
    skipped = {Path(s["path"]).name.split("#")[0] for s in result["skipped"]}
    assert {"broken.json", "binary.txt", "pipe.txt", "loop", "d64", "empty.txt"} <= skipped
    huge = {"one-line-50mb.txt", "tiny-paragraphs.txt"}
    analysed = {Path(a["path"]).name for a in result["articles"]}
    assert huge <= (analysed if not limit else skipped)
    people = {e["name"] for a in result["articles"] for e in a["entities"] if e["type"] == "person"}
    assert {"Robert Lighthizer", "Chrystia Freeland"} <= people
