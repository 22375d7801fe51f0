"""The Library: the steps the app's workers and the CLI run, in order."""

from __future__ import annotations

from tests.conftest import write
from tui.analysis import settings_for_corpus
from tui.index import Library


def test_partial_results_arrive_in_batches_then_the_whole_corpus_is_resolved(tmp_path, nlp):
    for n in range(5):
        write(tmp_path / "corpus" / f"{n}.txt", f"T{n}\n\nRobert Lighthizer met Jesús Seade in Washington, number {n}.")
    write(tmp_path / "corpus" / "5.txt", "T5\n\nLighthizer met Seade again.")  # surnames: resolved corpus-wide
    library = Library(tmp_path / "corpus", settings_for_corpus(tmp_path / "corpus", cache_folder=tmp_path / "c"), index_base=tmp_path / "c")
    library.batch = 2
    library.load()
    batches, progress = [], []
    final = library.analyse(progress=lambda done, total: progress.append((done, total)), partial=lambda part: batches.append(sorted(part)))
    assert batches == [["0", "1"], ["2", "3"], ["4", "5"]]
    assert progress[-1] == (6, 6)
    assert {e.name for e in final["5"].entities if e.type == "person"} == {"Robert Lighthizer", "Jesús Seade"}
    update = library.index()
    assert update.added == 6 and library.searcher.search("person:seade").total == 6
    library.close()


def test_one_changed_article_is_analysed_in_one_pass_not_in_batches(tmp_path, nlp):
    for n in range(6):
        write(tmp_path / "corpus" / f"{n}.txt", f"T{n}\n\nRobert Lighthizer met Jesús Seade in Washington, number {n}.")
    settings = lambda: settings_for_corpus(tmp_path / "corpus", cache_folder=tmp_path / "c")  # noqa: E731
    first = Library(tmp_path / "corpus", settings(), index_base=tmp_path / "c", batch=2)
    first.load()
    first.analyse(partial=lambda part: None)
    first.close()
    write(tmp_path / "corpus" / "3.txt", "T3\n\nLater, Lighthizer met Seade in Ottawa.")
    library = Library(tmp_path / "corpus", settings(), index_base=tmp_path / "c", batch=2)
    library.load()
    batches = []
    final = library.analyse(partial=lambda part: batches.append(sorted(part)))
    assert batches == []  # one article for spaCy: no partial passes over the other five
    assert {e.name for e in final["3"].entities if e.type == "person"} == {"Robert Lighthizer", "Jesús Seade"}  # resolved corpus-wide
    assert any(e.name == "Ottawa" for e in final["3"].entities)
    library.close()
