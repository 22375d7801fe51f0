"""Excerpts: the store keeps every mark, exports carry their citations, writes are atomic."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, write
from tui.cli.main import main
from tui.corpus import load_corpus
from tui.excerpts import (
    Excerpt, ExcerptStore, ExcerptStoreError, ExportError, corpus_key, reconcile, render, write_atomic,
)
from tui.excerpts.export import escape_markdown


def paragraph_excerpt(article, number, query=None):
    paragraph = next(p for p in article.paragraphs if p.number == number)
    return Excerpt.of(article, paragraph.start, paragraph.end, number, query)


@pytest.fixture
def store(tmp_path):
    opened = ExcerptStore(tmp_path / "data")
    yield opened
    opened.close()


def test_marks_are_kept_in_order_per_corpus_and_set(store, seed_corpus, seeds_path):
    corpus = corpus_key(seeds_path)
    first, second = seed_corpus.articles[0], seed_corpus.articles[4]
    a = store.add(corpus, paragraph_excerpt(first, 4, query='"dispute panels"'))
    b = store.add(corpus, paragraph_excerpt(second, 3))
    store.add(corpus, paragraph_excerpt(first, 1), name="memo")
    assert [(e.article_id, e.paragraph) for e in store.excerpts(corpus)] == [(first.id, 4), (second.id, 3)]
    assert store.set_names(corpus) == ["briefing", "memo"]
    assert store.excerpts("/elsewhere") == []
    store.move(corpus, b.id, -1)
    assert [e.id for e in store.excerpts(corpus)] == [b.id, a.id]
    store.update(a.with_changes(note="check the date", tags=("needs check",)))
    assert store.excerpts(corpus, tag="needs check")[0].note == "check the date"
    assert store.toggle(corpus, paragraph_excerpt(first, 4)) is None  # marked: unmark
    assert [e.id for e in store.excerpts(corpus)] == [b.id]
    assert store.toggle(corpus, paragraph_excerpt(first, 4)).query is None  # unmarked: mark
    store.remove(b.id)
    assert [e.paragraph for e in store.excerpts(corpus)] == [4]


def test_the_store_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    ExcerptStore().close()
    assert (tmp_path / "xdg" / "newsreader" / "excerpts.sqlite").is_file()
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "mine"))
    ExcerptStore().close()
    assert (tmp_path / "mine" / "excerpts.sqlite").is_file()


def _store_with_marks(folder: Path, count: int = 30) -> bytes:
    """A real excerpt database with ``count`` marks, checkpointed into one file; its bytes."""
    store = ExcerptStore(folder)
    for n in range(count):
        store.add("corpus", Excerpt("a", "h", n, n + 1, "x" * 500, 1, "T", created=1.0))
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return (folder / "excerpts.sqlite").read_bytes()


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()


def _truncated(path: Path) -> None:
    data = _store_with_marks(path.parent)
    path.write_bytes(data[: len(data) // 2])


def _scribbled(path: Path) -> None:
    data = bytearray(_store_with_marks(path.parent))
    data[4096:8192] = b"\xff" * 4096  # a page of the marks overwritten
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"not a database at all, just text"), id="garbage"),
        pytest.param(_foreign, id="another-programs-database"),
        pytest.param(_truncated, id="truncated"),
        pytest.param(_scribbled, id="overwritten-page"),
    ],
)
def test_a_damaged_database_is_moved_aside_never_overwritten(tmp_path, damage):
    path = tmp_path / "excerpts.sqlite"
    damage(path)
    before = path.read_bytes()
    store = ExcerptStore(tmp_path)
    kept = list(tmp_path.glob("excerpts.sqlite.damaged-*"))
    assert [k.read_bytes() for k in kept if not k.name.endswith(("-wal", "-shm"))] == [before]
    assert store.notice and str(kept[0]) in store.notice and "new one started" in store.notice
    store.add("corpus", Excerpt("a", "h", 0, 1, "x", 1, "T", created=1.0))  # the new one works
    assert len(store.excerpts("corpus")) == 1
    store.close()
    assert kept[0].read_bytes() == before


def test_a_database_of_a_newer_version_is_left_alone(tmp_path):
    _store_with_marks(tmp_path, 2)
    db = sqlite3.connect(tmp_path / "excerpts.sqlite")
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    with pytest.raises(ExcerptStoreError, match="newer newsreader.*left untouched"):
        ExcerptStore(tmp_path)
    assert not list(tmp_path.glob("*.damaged-*"))


SCHEMA_1 = (  # the tables as the first newsreader made them
    "CREATE TABLE sets (id INTEGER PRIMARY KEY, corpus TEXT NOT NULL, name TEXT NOT NULL, "
    "created REAL NOT NULL, UNIQUE (corpus, name))",
    "CREATE TABLE excerpts (id INTEGER PRIMARY KEY, set_id INTEGER NOT NULL REFERENCES sets(id) "
    "ON DELETE CASCADE, article_id TEXT NOT NULL, content_hash TEXT NOT NULL, start INTEGER NOT NULL, "
    '"end" INTEGER NOT NULL, text TEXT NOT NULL, paragraph INTEGER, title TEXT NOT NULL, source TEXT, '
    "date TEXT, url TEXT, path TEXT, query TEXT, note TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL "
    "DEFAULT '[]', created REAL NOT NULL, position INTEGER NOT NULL)",
    "CREATE INDEX excerpts_by_set ON excerpts (set_id, position)",
    "INSERT INTO sets VALUES (1, 'corpus', 'briefing', 1.0)",
    "INSERT INTO excerpts VALUES (1, 1, 'a', 'h', 0, 4, 'kept', 2, 'T', NULL, NULL, NULL, NULL, 'steel', "
    "'my note', '[\"use\"]', 1.0, 0)",
    "PRAGMA user_version=1",
)


def test_a_database_of_the_first_version_is_upgraded_and_keeps_its_marks(tmp_path):
    db = sqlite3.connect(tmp_path / "excerpts.sqlite")
    for statement in SCHEMA_1:
        db.execute(statement)
    db.commit()
    db.close()
    store = ExcerptStore(tmp_path)
    (old,) = store.excerpts("corpus")
    assert (old.text, old.query, old.note, old.tags, old.speaker) == ("kept", "steel", "my note", ("use",), None)
    store.add("corpus", Excerpt("a", "h", 9, 29, "significant progress", 2, "T", speaker="Chrystia Freeland"))
    store.close()
    reopened = ExcerptStore(tmp_path)
    assert [e.speaker for e in reopened.excerpts("corpus")] == [None, "Chrystia Freeland"]
    assert reopened._db.execute("PRAGMA user_version").fetchone() == (2,)
    assert reopened.notice is None and not list(tmp_path.glob("*.damaged-*"))
    reopened.close()


def test_a_failing_write_is_an_error_and_loses_no_earlier_mark(tmp_path):
    store = ExcerptStore(tmp_path)
    store.add("corpus", Excerpt("a", "h", 0, 1, "x", 1, "T", created=1.0))
    store._db.execute("PRAGMA max_page_count=1")  # what SQLite says when the disk is full
    with pytest.raises(ExcerptStoreError, match="full"):
        store.add("corpus", Excerpt("a", "h", 5, 9, "y" * 100_000, 1, "T", created=1.0))
    store.close()
    assert [e.start for e in ExcerptStore(tmp_path).excerpts("corpus")] == [0]


def test_the_export_command_says_where_a_damaged_database_was_kept(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "excerpts.sqlite").write_bytes(b"garbage " * 100)
    code = main(["export", "--data-dir", str(data), "--format", "md", "--out", "-", str(ROOT / "seeds")])
    err = capsys.readouterr().err
    assert code == 1 and "excerpts.sqlite.damaged-" in err and "earlier marks" in err


MARK_THEN_HANG = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tui.corpus import load_corpus
    from tui.excerpts import Excerpt, ExcerptStore, corpus_key
    seeds = Path(sys.argv[2])
    article = load_corpus(seeds).articles[0]
    paragraph = article.paragraphs[0]
    store = ExcerptStore(Path(sys.argv[1]))
    store.add(corpus_key(seeds), Excerpt.of(article, paragraph.start, paragraph.end, paragraph.number))
    print("marked", flush=True)
    time.sleep(60)
    """
)


def test_a_mark_survives_the_process_being_killed(tmp_path, seeds_path):
    process = subprocess.Popen(
        [sys.executable, "-c", MARK_THEN_HANG, str(tmp_path), str(seeds_path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert process.stdout.readline().strip() == "marked"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    reopened = ExcerptStore(tmp_path)
    assert [e.paragraph for e in reopened.excerpts(corpus_key(seeds_path))] == [1]
    reopened.close()


TWENTY_MARKS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.excerpts import Excerpt, ExcerptStore
    store = ExcerptStore(Path(sys.argv[1]))
    for n in range(20):
        store.add("corpus", Excerpt("a", "h", n, n + 1, "x", 1, "T", created=1.0))
    """
)


def test_processes_creating_and_marking_at_once_lose_nothing(tmp_path):
    # four at once on a new file: they race to create the tables, then to append
    runs = [subprocess.Popen([sys.executable, "-c", TWENTY_MARKS, str(tmp_path)], cwd=ROOT) for _ in range(4)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0, 0]
    reopened = ExcerptStore(tmp_path)
    marks = reopened.excerpts("corpus")
    assert len(marks) == 80 and len({e.position for e in marks}) == 80
    assert reopened._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened.close()


def test_edited_articles_flag_or_reanchor_their_excerpts(tmp_path):
    write(tmp_path / "a.txt", "Title\n\nFirst paragraph.\n\nThe passage we marked.\n\nLast paragraph.")
    write(tmp_path / "b.txt", "Title B\n\nWill vanish.")
    article_a, article_b = load_corpus(tmp_path).articles
    kept = paragraph_excerpt(article_a, 2)
    assert reconcile(kept, article_a).status == "ok"
    write(tmp_path / "a.txt", "Title\n\nA new first paragraph.\n\nFirst paragraph.\n\nThe passage we marked.\n\nLast.")
    moved = reconcile(kept, load_corpus(tmp_path).by_id("a"))
    assert (moved.status, moved.paragraph) == ("re-anchored", 3)
    assert load_corpus(tmp_path).by_id("a").text[moved.start : moved.end] == "The passage we marked."
    write(tmp_path / "a.txt", "Title\n\nEverything was rewritten.")
    assert reconcile(kept, load_corpus(tmp_path).by_id("a")).status == "stale"
    assert reconcile(paragraph_excerpt(article_b, 1), None).status == "removed"


def test_the_export_command_checks_excerpts_against_the_articles(tmp_path, capsys):
    write(tmp_path / "corpus" / "a.txt", "Title\n\nFirst paragraph.\n\nThe passage we marked.")
    article = load_corpus(tmp_path / "corpus").articles[0]
    store = ExcerptStore(tmp_path / "data")
    store.add(corpus_key(tmp_path / "corpus"), paragraph_excerpt(article, 2))
    store.close()
    write(tmp_path / "corpus" / "a.txt", "Title\n\nInserted.\n\nFirst paragraph.\n\nThe passage we marked.")
    args = ["export", str(tmp_path / "corpus"), "--data-dir", str(tmp_path / "data"), "--format", "json"]
    assert main(args) == 0
    (record,) = json.loads(capsys.readouterr().out)["excerpts"]
    assert (record["status"], record["paragraph"], record["text"]) == ("re-anchored", 3, "The passage we marked.")
    store = ExcerptStore(tmp_path / "data")
    assert store.excerpts(corpus_key(tmp_path / "corpus"))[0].paragraph == 3  # saved where the text is now
    store.close()


@pytest.fixture
def seed_excerpts(seed_corpus):
    first, last = seed_corpus.articles[0], seed_corpus.articles[4]
    return [
        paragraph_excerpt(first, 4, query="sunset").with_changes(note="the *key* list", tags=("use",), created=1524700800.0),
        paragraph_excerpt(last, 3).with_changes(created=1524700900.0),
    ]


def test_markdown_briefing(seed_excerpts):
    text = render("md", seed_excerpts, title="NAFTA briefing")
    assert text.startswith("# NAFTA briefing\n")
    assert "## The Trump administration and its Nafta partners" in text
    assert "> However, a quick deal over Nafta is still far from certain" in text
    assert "— The Trump administration and its Nafta partners are stepping up efforts to reach a tentative deal…, ¶4, " in text
    assert "000\\_9cf93562ebcfcd3e.txt" in text  # the path, escaped
    assert "*Note:* the \\*key\\* list" in text
    assert "“We’re dealing with the last issues remaining,” Seade told reporters" in text


def test_markdown_shows_tags_and_query_only_when_present(seed_excerpts):
    tagged = seed_excerpts[0].with_changes(tags=("use", "needs check"))
    text = render("md", [tagged, seed_excerpts[1]])
    assert "\n\n*Tags:* use, needs check · *Query:* `sunset`\n\n*Note:* the \\*key\\* list\n" in text
    assert text.count("*Tags:*") == 1 and text.count("*Query:*") == 1  # the second has neither
    assert "\n   Tags: use, needs check · Query: sunset\n   Note: " in render("txt", [tagged])
    asked = seed_excerpts[1].with_changes(query='person:"Robert Lighthizer" AND tariff*')
    assert '\n*Query:* `person:"Robert Lighthizer" AND tariff*`\n' in render("md", [asked])  # as typed


@pytest.fixture
def quote_excerpt(seed_corpus):
    """A quote as the quotes view marks it (``w``, then space): the words and their speaker."""
    article = seed_corpus.articles[0]
    start = article.text.index("significant progress")
    return Excerpt.of(article, start, start + len("significant progress"), 2, speaker="Chrystia Freeland")


def test_a_quote_is_exported_with_its_speaker(quote_excerpt, seed_excerpts):
    both = [quote_excerpt, seed_excerpts[1]]
    markdown = render("md", both)
    assert "\n> “significant progress” — Chrystia Freeland\n" in markdown
    assert markdown.count(" — Chrystia Freeland") == 1  # the paragraph, no speaker, stays as it was
    assert [r["speaker"] for r in json.loads(render("json", both))["excerpts"]] == ["Chrystia Freeland", None]
    rows = list(csv.DictReader(io.StringIO(render("csv", both), newline="")))
    assert [(r["text"], r["speaker"]) for r in rows] == [("significant progress", "Chrystia Freeland"), (seed_excerpts[1].text, "")]
    assert "\n1. “significant progress” — Chrystia Freeland\n   — The Trump administration" in render("txt", both)


def test_markdown_grouped_by_issue(seed_excerpts):
    text = render("md", seed_excerpts, group_by="issue", issues_of=lambda e: ["Sunset clause"] if e.paragraph == 4 else [])
    assert "## Sunset clause" in text and "## Other passages" in text


def test_markdown_special_characters_are_shown_as_written():
    assert escape_markdown("*bold* _it_ [link](x) <b> # not | a ~ table `code`") == (
        "\\*bold\\* \\_it\\_ \\[link\\](x) \\<b\\> # not \\| a \\~ table \\`code\\`"
    )
    assert escape_markdown("# heading\n1. item\n- bullet") == "\\# heading\n1\\. item\n\\- bullet"


def test_json_csv_text_bibtex_and_csl(seed_excerpts):
    records = json.loads(render("json", seed_excerpts))["excerpts"]
    assert [r["paragraph"] for r in records] == [4, 3]
    assert records[0]["query"] == "sunset" and records[0]["tags"] == ["use"] and records[0]["marked"].startswith("2018-04-26")
    table = render("csv", seed_excerpts)
    assert table.count("\r\n") >= 3  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(table, newline="")))
    assert rows[1]["text"] == seed_excerpts[1].text and rows[0]["tags"] == "use"
    plain = render("txt", seed_excerpts)
    assert plain.startswith("Briefing\n========") and "   — Two of the highest-level" in plain
    bib = render("bib", seed_excerpts)
    assert bib.count("@misc{") == 2 and "title = {The Trump administration" in bib
    assert "note = {file: " in bib
    csl = json.loads(render("csl", seed_excerpts))
    assert [item["id"] for item in csl] == ["000_9cf93562ebcfcd3e", "004_6a895630a10467a7"]


def test_citations_carry_source_date_and_url_when_known(tmp_path):
    write(tmp_path / "a.json", json.dumps({"title": "Steel {and} aluminum", "text": "Tariffs rose.", "source": "Reuters",
                                           "date": "2018-06-01", "url": "https://r.example/s"}))
    (article,) = load_corpus(tmp_path).articles
    excerpt = paragraph_excerpt(article, 1)
    assert "Steel {and} aluminum, Reuters, 2018-06-01, ¶1, https://r.example/s" in render("md", [excerpt])
    bib = render("bib", [excerpt])
    assert bib.startswith("@article{steel2018,") and "journal = {Reuters}" in bib and "title = {Steel \\{and\\} aluminum}" in bib
    assert json.loads(render("csl", [excerpt]))[0]["issued"] == {"date-parts": [[2018, 6, 1]]}


def test_writing_is_atomic(tmp_path, monkeypatch):
    target = write(tmp_path / "briefing.md", "the previous briefing")
    write_atomic(target, "the new briefing")
    assert target.read_text() == "the new briefing"

    def full_disk(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ExportError, match="No space left on device.*nothing was changed"):
        write_atomic(target, "half a briefing")
    assert target.read_text() == "the new briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.md"]  # no temporary file left


def test_bad_export_paths_are_clear_errors(tmp_path, capsys):
    with pytest.raises(ExportError, match="no such folder"):
        write_atomic(tmp_path / "missing" / "b.md", "x")
    with pytest.raises(ExportError, match="is a folder"):
        write_atomic(tmp_path, "x")
    args = ["export", "--query", "sovereignty", "--no-cache", "--out", str(tmp_path / "missing" / "b.md")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "no such folder" in err and err.count("\n") == 1


def test_export_a_search_directly(tmp_path, capsys):
    out = tmp_path / "sovereignty.md"
    assert main(["export", "--query", "sovereignty", "--no-cache", "--out", str(out)]) == 0
    assert "wrote 2 excerpt(s)" in capsys.readouterr().err
    text = out.read_text()
    assert text.startswith("# Briefing: sovereignty") and text.count("\n> ") == 2


def test_nothing_to_export_is_one_line(tmp_path, capsys):
    assert main(["export", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("newsreader: nothing to export")
