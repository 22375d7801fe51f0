"""The corpus loader on good, odd and bad files, each built by the test."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import write
from tui.corpus import CorpusPathError, LoadOptions, load_corpus
from tui.corpus.snapshot import wait_until_saved

BODY = (
    "U.S. Trade Representative Robert Lighthizer met Canadian Foreign Minister "
    "Chrystia Freeland on Thursday. They talked about cars.\n\n"
    "Mexico’s Jesús Seade joined by phone from Ciudad de México."
)


def reasons(corpus) -> dict[str, str]:
    return {Path(str(s.path)).name: s.reason for s in corpus.skipped}


def test_text_file_with_a_short_first_line_uses_it_as_title(tmp_path):
    write(tmp_path / "deal.txt", "Nafta talks resume\n\n" + BODY)
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Nafta talks resume"
    assert article.text == BODY  # the title line is not part of the body
    assert article.id == "deal"


def test_text_without_a_title_line_gets_its_first_sentence(tmp_path):
    write(tmp_path / "a.txt", BODY)
    (article,) = load_corpus(tmp_path).articles
    # "U.S." does not end the sentence.
    assert article.title.startswith("U.S. Trade Representative Robert Lighthizer met")
    assert len(article.title) <= 100 and article.title.endswith("…")
    assert article.text.startswith("U.S. Trade")


def test_dateline_is_not_part_of_a_derived_title(tmp_path):
    write(tmp_path / "a.txt", "MEXICO CITY -- Talks stalled again on Friday.\nMore text follows here.")
    assert load_corpus(tmp_path).articles[0].title == "Talks stalled again on Friday."


def test_paragraph_offsets_index_the_text(tmp_path):
    write(tmp_path / "a.txt", BODY + "\n\nBroad Support\n\nA final paragraph.")
    (article,) = load_corpus(tmp_path).articles
    texts = [article.paragraph_text(p) for p in article.paragraphs]
    assert texts == [
        "U.S. Trade Representative Robert Lighthizer met Canadian Foreign Minister "
        "Chrystia Freeland on Thursday. They talked about cars.",
        "Mexico’s Jesús Seade joined by phone from Ciudad de México.",
        "Broad Support",
        "A final paragraph.",
    ]
    assert [p.is_heading for p in article.paragraphs] == [False, False, True, False]
    assert [p.number for p in article.paragraphs] == [1, 2, None, 3]


def test_one_line_per_paragraph_without_blank_lines(tmp_path):
    long_line = "A sentence that goes on and on about the negotiations in Washington. " * 3
    write(tmp_path / "a.txt", "\n".join([long_line.strip()] * 3))
    (article,) = load_corpus(tmp_path).articles
    assert len(article.paragraphs) == 3


def test_hard_wrapped_prose_stays_one_paragraph(tmp_path):
    write(tmp_path / "a.txt", "Title\n\nThe talks went on\nlate into the night\nin Washington.\n\nNext paragraph.")
    (article,) = load_corpus(tmp_path).articles
    assert [article.paragraph_text(p) for p in article.paragraphs] == [
        "The talks went on\nlate into the night\nin Washington.",
        "Next paragraph.",
    ]


def test_markdown_front_matter_and_headings(tmp_path):
    write(
        tmp_path / "note.md",
        "---\ntitle: \"Steel tariffs\"\ndate: 2018-04-26\nsource: Bloomberg\n"
        "url: https://example.com/a\n---\n\n## Background and what the two sides want now\n\nThe text.",
    )
    (article,) = load_corpus(tmp_path).articles
    assert (article.title, article.date, article.source, article.url) == (
        "Steel tariffs", "2018-04-26", "Bloomberg", "https://example.com/a",
    )
    assert article.paragraph_text(article.paragraphs[0]) == "Background and what the two sides want now"
    assert article.paragraphs[0].is_heading


def test_front_matter_values_lose_one_pair_of_quotes_as_in_yaml_and_only_that(tmp_path):
    """A quoted value loses its one pair of outer quotes ('' is ' inside single quotes,
    backslash escapes are read inside double ones); any other keeps every character."""
    write(tmp_path / "a-quoted.md", "---\ntitle: \"'Errors' doomed first Dome sale\"\nsource: 'The ''Sun'''\n"
          "date: \"2018-04-26\"\nurl: 'https://example.com/a?q=\"x\"'\n---\n\nThe text.")
    write(tmp_path / "b-unquoted.md", "---\ntitle: 'Errors' doomed first Dome sale\nsource: \"Globe\" and \"Mail\"\n"
          "url: https://example.com/b'\n---\n\nThe text.")
    write(tmp_path / "c-escaped.md", '---\ntitle: "He said \\"no\\" \\u2014 twice"\nsource: "\\"Le Monde\\""\n'
          "---\n\nThe text.")
    assert [(a.title, a.source, a.date, a.url) for a in load_corpus(tmp_path).articles] == [
        ("'Errors' doomed first Dome sale", "The 'Sun'", "2018-04-26", 'https://example.com/a?q="x"'),
        ("'Errors' doomed first Dome sale", '"Globe" and "Mail"', None, "https://example.com/b'"),
        ('He said "no" — twice', '"Le Monde"', None, None),
    ]


def test_markdown_level_one_heading_is_the_title(tmp_path):
    write(tmp_path / "note.md", "# Dispute panels\n\nChapter 19 text.")
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Dispute panels" and article.text == "Chapter 19 text."


def test_json_object_list_and_wrapped_list(tmp_path):
    write(tmp_path / "one.json", json.dumps({"title": "One", "text": "Body one.", "date": "Thu, 26 Apr 2018 10:00:00 GMT", "source": "Reuters", "url": "https://r.example/1"}))
    write(tmp_path / "many.json", json.dumps([{"headline": "Two", "body": "Body two.", "published": "April 27, 2018"}, {"title": "Three", "content": ["Para one.", "Para two."], "source": {"id": "x", "name": "AP"}}]))
    write(tmp_path / "wrapped.json", json.dumps({"articles": [{"title": "Four", "text": "Body four.", "date": 1524700800}]}))
    corpus = load_corpus(tmp_path)
    got = {a.title: a for a in corpus.articles}
    assert set(got) == {"One", "Two", "Three", "Four"}
    assert (got["One"].date, got["One"].source, got["One"].url) == ("2018-04-26", "Reuters", "https://r.example/1")
    assert got["Two"].date == "2018-04-27"
    assert got["Three"].source == "AP" and len(got["Three"].paragraphs) == 2
    assert got["Four"].date == "2018-04-26"
    assert {a.id for a in corpus.articles} == {"one", "many-1", "many-2", "wrapped-1"}
    assert corpus.skipped == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("42", "found a number"),
        ('["just", "strings"]', "found a string"),
        ('{"title": "no text"}', "no text field"),
        ('{"text": 12}', "the text field is a number"),
        ('{"text": ', "invalid JSON"),
        ("[[[[" * 5000 + "]]]]" * 5000, "JSON"),
    ],
)
def test_json_with_the_wrong_shape_is_reported(tmp_path, content, reason):
    write(tmp_path / "bad.json", content)
    write(tmp_path / "good.txt", "Good\n\nA good article.")
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["Good"]
    assert corpus.skipped, "the bad file must be reported"
    assert all(reason in s.reason for s in corpus.skipped)


def test_json_list_keeps_good_entries_and_reports_bad_ones(tmp_path):
    write(tmp_path / "mixed.json", json.dumps([{"title": "A", "text": "Text a."}, "oops", {"title": "C"}]))
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["A"]
    assert sorted(str(s.path).rsplit("#", 1)[1] for s in corpus.skipped) == ["entry 2", "entry 3"]


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path):
    lines = [
        json.dumps({"title": "First", "text": "One."}),
        "{not json",
        json.dumps({"title": "Third", "text": "Three."}),
        "",
        json.dumps([1, 2]),
        json.dumps({"title": "Sixth", "text": "Six."}),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines))
    corpus = load_corpus(tmp_path)
    assert [(a.id, a.title) for a in corpus.articles] == [("feed-1", "First"), ("feed-3", "Third"), ("feed-6", "Sixth")]
    skipped = {str(s.path).rsplit("#", 1)[1]: s.reason for s in corpus.skipped}
    assert set(skipped) == {"line 2", "line 5"}
    assert "invalid JSON" in skipped["line 2"] and "found a list" in skipped["line 5"]


def test_empty_whitespace_binary_and_unsupported_files_are_skipped_with_reasons(tmp_path):
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.txt", b"  \n\t\n  ")
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write(tmp_path / "noise.md", bytes(range(1, 32)) * 40)
    write(tmp_path / "report.pdf", b"%PDF-1.4")
    write(tmp_path / "blank.json", json.dumps({"title": "T", "text": "   "}))
    write(tmp_path / "good.txt", "Good\n\nA good article.")
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["Good"]
    got = reasons(corpus)
    assert got["empty.txt"] == "empty file"
    assert got["blank.txt"] == "empty (whitespace only)"
    assert "binary" in got["image.txt"]
    assert "binary" in got["noise.md"]
    assert "unsupported file type '.pdf'" in got["report.pdf"]
    assert got["blank.json"] == "empty (no text)"


def test_odd_file_names_load_with_safe_ids(tmp_path):
    for name in ("with spaces.txt", "ünïcödé—名前.txt", "-leading-dash.txt", "--help.txt"):
        write(tmp_path / name, f"{name}\n\nText of {name}.")
    corpus = load_corpus(tmp_path)
    assert len(corpus.articles) == 4 and not corpus.skipped
    ids = {a.id for a in corpus.articles}
    assert "with_spaces" in ids and "ünïcödé_名前" in ids
    assert not any(i.startswith("-") for i in ids)


def test_duplicate_stems_get_unique_stable_ids(tmp_path):
    for folder in ("business", "tech"):
        write(tmp_path / folder / "001.txt", f"{folder}\n\nText.")
    write(tmp_path / "tech" / "001.md", "md\n\nText.")
    first = [a.id for a in load_corpus(tmp_path).articles]
    assert len(set(first)) == 3
    assert "business-001" in first
    assert first == [a.id for a in load_corpus(tmp_path).articles]


def test_natural_order(tmp_path):
    for n in (10, 2, 1):
        write(tmp_path / f"{n}.txt", f"Article {n}\n\nText.")
    assert [a.id for a in load_corpus(tmp_path).articles] == ["1", "2", "10"]


def test_symlink_loops_do_not_hang_the_loader(tmp_path):
    write(tmp_path / "sub" / "a.txt", "A\n\nText.")
    os.symlink(tmp_path, tmp_path / "sub" / "back-to-root")  # a folder loop
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")  # a link to itself
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["A"]
    got = reasons(corpus)
    assert "already read" in got["back-to-root"]
    assert got["self.txt"] == "a symbolic link loop"
    assert got["dangling.txt"] == "a broken symbolic link"


def test_fifo_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "good.txt", "Good\n\nText.")
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("corpus", load_corpus(tmp_path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the loader blocked on a FIFO"
    assert "not a regular file" in reasons(result["corpus"])["pipe.txt"]


def test_unreadable_file_is_skipped_and_the_rest_loaded(tmp_path, monkeypatch):
    # chmod 0 does not stop root (as CI may run), so the refusal comes from os.open itself.
    secret = write(tmp_path / "secret.txt", "Secret\n\nText.")
    write(tmp_path / "open.txt", "Open\n\nText.")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if Path(path) == secret:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["Open"]
    assert reasons(corpus)["secret.txt"] == "permission denied"


def test_files_over_the_size_limit_are_skipped_with_the_limit_named(tmp_path):
    write(tmp_path / "big.txt", "word " * 300_000)  # 1.5 MB
    write(tmp_path / "small.txt", "Small\n\nText.")
    corpus = load_corpus(tmp_path, LoadOptions(max_file_bytes=1024 * 1024))
    assert [a.title for a in corpus.articles] == ["Small"]
    assert "too large (1.4 MB; the limit is 1.0 MB" in reasons(corpus)["big.txt"]


def test_a_file_of_tens_of_megabytes_on_one_line_loads(tmp_path):
    sentence = "The negotiators met again in Washington on Thursday to discuss rules for cars. "
    write(tmp_path / "huge.txt", sentence * 260_000)  # ~20 MB, no newline at all
    (article,) = load_corpus(tmp_path).articles
    assert len(article.text) > 20_000_000 and article.words == 13 * 260_000


def test_deep_nesting_is_bounded(tmp_path):
    folder = tmp_path
    for i in range(8):
        folder = folder / f"d{i}"
    write(folder / "deep.txt", "Deep\n\nText.")
    corpus = load_corpus(tmp_path, LoadOptions(max_depth=4))
    assert corpus.articles == []
    assert any("nested deeper than 4" in s.reason for s in corpus.skipped)
    assert [a.title for a in load_corpus(tmp_path).articles] == ["Deep"]


def test_hostile_text_is_cleaned_but_brackets_kept(tmp_path):
    write(tmp_path / "x.txt", "[bold]Title[/bold]\x1b[2J\n\nBody \x1b]52;c;ZXZpbA==\x07with [red]markup[/red]\x00.")
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "[bold]Title[/bold]"
    assert article.text == "Body with [red]markup[/red]."


def test_crlf_and_cp1252_files_load_exactly(tmp_path):
    write(tmp_path / "win.txt", "Peña and Jesús\r\n\r\nWe’re close, said Seade.\r\n".encode("cp1252"))
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Peña and Jesús"
    assert article.text == "We’re close, said Seade."
    assert article.encoding == "cp1252"


def test_a_single_file_can_be_the_corpus(tmp_path):
    path = write(tmp_path / "one.txt", "One\n\nText.")
    assert [a.title for a in load_corpus(path).articles] == ["One"]


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(CorpusPathError, match="no such file or folder"):
        load_corpus(tmp_path / "missing")


def test_the_bundled_seeds_load(seed_corpus):
    assert [a.id for a in seed_corpus.articles] == [
        "000_9cf93562ebcfcd3e", "001_a38a9690114d7a33", "002_415109d018e1cdaf",
        "003_b1df79aad4eece5a", "004_6a895630a10467a7",
    ]
    assert seed_corpus.skipped == []
    first = seed_corpus.articles[0]
    assert first.words == 887
    headings = [first.paragraph_text(p) for p in first.paragraphs if p.is_heading]
    assert headings == ["Trump Optimism", "Divisions Remain", "Political Pressure"]
    assert "Jesús Seade" in seed_corpus.articles[4].text


def _mixed_folder(root: Path) -> None:
    write(root / "deal.txt", "Nafta talks resume\n\n" + BODY)
    write(root / "notes.md", "---\ntitle: Notes\ndate: 2018-04-26\n---\n# Heading\n\n" + BODY)
    write(root / "feed.jsonl", json.dumps({"title": "A", "text": BODY}) + "\n{broken\n" + json.dumps({"title": "B", "text": " "}) + "\n")
    write(root / "sub" / "deal.txt", "Other talks\n\n" + BODY)
    (root / "empty.txt").write_bytes(b"")
    (root / "image.png").write_bytes(b"\x89PNG")


def _counting_reads(monkeypatch) -> list[Path]:
    from tui.corpus import loader

    reads: list[Path] = []
    real = loader._read_file
    monkeypatch.setattr(loader, "_read_file", lambda path, options: (reads.append(path), real(path, options))[1])
    return reads


def test_a_second_load_takes_unchanged_files_from_the_snapshot(tmp_path, monkeypatch):
    root, snapshot = tmp_path / "corpus", tmp_path / "cache" / "corpus.json.z"
    _mixed_folder(root)
    first = load_corpus(root, snapshot=snapshot)
    reads = _counting_reads(monkeypatch)
    second = load_corpus(root, snapshot=snapshot)
    assert reads == []  # nothing read again
    assert second.articles == first.articles and second.skipped == first.skipped
    assert second.articles == load_corpus(root).articles  # and what a plain read gives

    write(root / "deal.txt", "Nafta talks resume\n\nA new first paragraph.\n\n" + BODY)
    (root / "sub" / "deal.txt").unlink()
    reads.clear()
    third = load_corpus(root, snapshot=snapshot)
    assert reads == [root / "deal.txt"]  # only the changed file
    assert third.articles == load_corpus(root).articles and third.skipped == load_corpus(root).skipped
    assert third.by_id("deal").text.startswith("A new first paragraph")
    # what the read before gave of the changed and the removed file, under the ids it gave
    assert second.earlier == {}
    gone = [a for a in first.articles if a.path in (root / "deal.txt", root / "sub" / "deal.txt")]
    assert len(gone) == 2 and third.earlier == {a.id: a for a in gone}


@pytest.mark.parametrize("damage", ["garbage", "huge", "zlib", "entries"])
def test_a_damaged_snapshot_is_never_trusted(tmp_path, damage):
    import zlib

    import zstandard

    root, snapshot = tmp_path / "corpus", tmp_path / "corpus.json.z"
    _mixed_folder(root)
    expected = load_corpus(root, snapshot=snapshot)
    wait_until_saved()  # (written by a thread of its own)
    if damage == "garbage":
        snapshot.write_bytes(b"not compressed JSON" * 100)
    elif damage == "huge":  # a frame that says it holds 2**60 bytes
        snapshot.write_bytes(b"\x28\xb5\x2f\xfd\xe4" + (2**60).to_bytes(8, "little") + b"\x00" * 16)
    elif damage == "zlib":  # as an earlier version wrote it
        data = zstandard.ZstdDecompressor().decompress(snapshot.read_bytes())
        snapshot.write_bytes(zlib.compress(data))
    else:  # valid JSON of the wrong shape: text offsets outside the text, wrong types
        data = json.loads(zstandard.ZstdDecompressor().decompress(snapshot.read_bytes()))
        for key, entry in data["files"].items():
            if key.endswith("notes.md"):
                entry[1] = [["doc", None, "T", "short", [0, 999, 1, 0], 1, None, None, None, "utf-8"]]
            elif key.endswith("feed.jsonl"):
                entry[1] = [["doc", "x"]]
            elif key.endswith("deal.txt"):
                entry[1] = "not a list"
        snapshot.write_bytes(zstandard.ZstdCompressor().compress(json.dumps(data).encode()))
    again = load_corpus(root, snapshot=snapshot)
    assert again.articles == expected.articles and again.skipped == expected.skipped
    assert load_corpus(root, snapshot=snapshot).articles == expected.articles  # and it was rewritten


def test_a_snapshot_left_half_written_by_an_ended_process_is_cleaned_up(tmp_path):
    root, snapshot = tmp_path / "corpus", tmp_path / "cache" / "corpus.json.z"
    _mixed_folder(root)
    load_corpus(root, snapshot=snapshot)
    wait_until_saved()
    leftover = snapshot.with_name(f".{snapshot.name}.999999999.tmp")  # no such process
    leftover.write_bytes(b"half")
    write(root / "deal.txt", "Changed\n\n" + BODY)  # something to save
    load_corpus(root, snapshot=snapshot)
    wait_until_saved()
    assert not leftover.exists()
    assert sorted(p.name for p in snapshot.parent.iterdir()) == [snapshot.name]


def test_a_snapshot_that_cannot_be_written_only_costs_the_head_start(tmp_path):
    root = tmp_path / "corpus"
    _mixed_folder(root)
    blocked = write(tmp_path / "a-file", "where the cache folder should be") / "cache" / "corpus.json.z"
    assert load_corpus(root, snapshot=blocked).articles == load_corpus(root).articles
    wait_until_saved()  # and the thread writing it gave up without a word


def test_rows_are_given_as_the_folder_is_read_a_screenful_first(tmp_path, monkeypatch):
    import tui.corpus.loader as loader

    monkeypatch.setattr(loader, "PARTIAL_SECONDS", 0.0)  # every file after the first screenful
    for n in range(150):
        write(tmp_path / f"{n:03}.txt", f"Story number {n}\n\n{BODY}")
    given: list[list] = []
    corpus = load_corpus(tmp_path, partial=given.append)
    assert len(given[0]) == loader.FIRST_ROWS  # a screenful before the rest of the folder is read
    assert [len(rows) for rows in given] == list(range(loader.FIRST_ROWS, 151))
    assert [row.title for row in given[-1]] == [a.title for a in corpus.articles]
    assert given[0][0].title == "Story number 0" and given[0][0].words == corpus.articles[0].words


def test_the_head_of_a_folder_is_its_first_rows_as_the_whole_read_lists_them(tmp_path):
    from tui.corpus import read_head

    for n in range(30):
        write(tmp_path / "sub" / f"{n:03}.txt", f"Story number {n}\n\n{BODY}")
    write(tmp_path / "notes.bin", "\x00\x01 not text")
    head = read_head(tmp_path, rows=12)
    corpus = load_corpus(tmp_path)
    assert [(r.title, r.words) for r in head] == [(a.title, a.words) for a in corpus.articles[:12]]
    assert read_head(tmp_path / "missing") == []  # (the whole read says why)
