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
    assert batches == [["0", "1"], ["2", "3", "4", "5"]]  # (then twice as many: see test_a_long_first_analysis…)
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


def start(root, cache):
    library = Library(root, settings_for_corpus(root, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    return library, library.index()


def test_a_start_with_nothing_changed_reads_the_facet_columns_saved_beside_the_index(tmp_path, nlp, monkeypatch):
    root, cache = tmp_path / "corpus", tmp_path / "c"
    for n in range(4):
        write(root / f"{n}.txt", f"T{n}\n\nRobert Lighthizer met Jesús Seade in Washington, number {n}.")
    first, _ = start(root, cache)
    expected = first.searcher.search("washington", filters=["person:Jesús Seade"])
    first.close()

    import tui.index.library as library_module
    import tui.index.search as search_module

    def no(*_):
        raise AssertionError("made again")

    with monkeypatch.context() as patch:
        patch.setattr(library_module, "facet_values", no)  # neither digests nor columns are made
        patch.setattr(search_module, "facet_values", no)
        second, update = start(root, cache)
        assert update.unchanged == 4 and update.documents_written == 0
        assert second.searcher.search("washington", filters=["person:Jesús Seade"]) == expected
        second.close()

    # A changed title changes what the index holds: made again, and found.
    write(root / "2.txt", "Seade in Ottawa\n\nRobert Lighthizer met Jesús Seade in Washington, number 2.")
    third, update = start(root, cache)
    assert update.updated == 1
    assert [hit.title for hit in third.searcher.search("title:ottawa").hits] == ["Seade in Ottawa"]
    third.close()


def test_saved_facet_columns_that_are_damaged_or_for_another_index_are_not_used(tmp_path, nlp):
    root, cache = tmp_path / "corpus", tmp_path / "c"
    for n in range(3):
        write(root / f"{n}.txt", f"T{n}\n\nRobert Lighthizer met Jesús Seade in Washington, number {n}.")
    first, _ = start(root, cache)
    expected = first.searcher.search("lighthizer").facets
    saved = next(cache.glob("index/*.prepared.npz"))
    prepared = first.searcher.prepared
    first.close()
    for damage in (b"garbage", saved.read_bytes()[:200]):
        saved.write_bytes(damage)
        library, _ = start(root, cache)
        assert library.searcher.search("lighthizer").facets == expected
        library.close()
    # Made for another generation of the index (another newsreader wrote it since): not used.
    from dataclasses import replace

    from tui.index import Searcher, open_index, index_folder

    ix, _ = open_index(index_folder(root, cache))
    stale = replace(prepared, generation=prepared.generation + 1, uids={})
    with Searcher(ix, first.articles, first.analyses.values(), prepared=stale) as searcher:
        assert searcher.prepared is not stale and searcher.search("lighthizer").total == 3


def test_an_index_made_anew_by_another_newsreader_is_brought_up_to_date_not_trusted(tmp_path, nlp):
    root, cache = tmp_path / "corpus", tmp_path / "c"
    for n in range(3):
        write(root / f"{n}.txt", f"T{n}\n\nRobert Lighthizer met Jesús Seade, number {n}, word{n}.")
    first, _ = start(root, cache)
    first.close()
    # The index is deleted and another newsreader makes it anew, on part of the folder:
    # the same generation number as before, other documents.
    import shutil

    from tui.index import index_folder, update_index

    folder = index_folder(root, cache)
    shutil.rmtree(folder)
    update_index(folder, first.articles[:2], [first.analyses[a.id] for a in first.articles[:2]])
    again, update = start(root, cache)
    assert update.added == 1  # the saved columns were not used in place of the update
    assert [hit.id for hit in again.searcher.search("word2").hits] == ["2"]
    again.close()


def test_a_packed_analysis_copies_and_compares_like_a_made_one(tmp_path, nlp):
    import copy

    root, cache = tmp_path / "corpus", tmp_path / "c"
    write(root / "1.txt", "T\n\nRobert Lighthizer met Jesús Seade in Washington.")
    first, _ = start(root, cache)
    made = first.analyses["1"]
    first.close()
    second, _ = start(root, cache)  # from the corpus cache: packed until used
    packed = second.analyses["1"]
    assert copy.deepcopy(packed) == made and copy.copy(packed) == made and packed == made
    second.close()


def test_a_long_first_analysis_comes_in_batches_that_grow():
    from tui.index.library import batches

    spans = batches(13_280, 200)
    assert spans[0] == (0, 200)  # the first rows fill in soon
    assert [s for s, _ in spans[1:]] == [e for _, e in spans[:-1]] and spans[-1][1] == 13_280  # each article once
    sizes = [e - s for s, e in spans[:-1]]
    assert sizes == sorted(sizes) and max(sizes) == 3_200  # fewer starts of spaCy's processes
    assert batches(150, 200) == [(0, 150)]
