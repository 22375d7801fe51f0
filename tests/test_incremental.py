"""A corpus followed as it changes ends exactly where a corpus analysed at once does.

The resolution and the key phrases are redone only where a change reaches; these tests
change, add and remove articles at random and compare every article's result with a
resolution made from nothing on the corpus as it now is.
"""

from __future__ import annotations

import random
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples, write
from tui.analysis import analyze_articles, load_rules, settings_for_corpus
from tui.analysis import kept_state
from tui.analysis.canonical import EntityResolver
from tui.analysis.kept_state import KeptState
from tui.analysis.keyphrases import PhraseRanks, rank_phrases
from tui.analysis.mentions import RawMention
from tui.analysis.pipeline import CorpusAnalysis
from tui.corpus import Article, Paragraph, changed_since, load_corpus, reload_files
from tui.index import Library, list_summary
from pathlib import Path

TYPES = ["person", "organization", "place", "group", "law", "event"]
# Surface forms that exercise every corpus-wide table: full names and their surnames,
# spellings differing in accents and case, titles, possessives, a name run on into a
# person's, organisation cues, a law completed from the text, a party shaped like a name.
NAMES = [
    "Robert Lighthizer", "Lighthizer", "Chrystia Freeland", "Freeland", "Donald Trump", "Ivanka Trump", "Trump",
    "Jesús Seade", "Jesus Seade", "Seade", "President Jesús Seade", "Nafta", "Nafta’s Chapter",
    "New Democrat Coalition to Lighthizer", "Unifor", "Labour", "Devon county Labour", "MEXICO CITY",
    "Mexico City", "Bipartisan Trade Priorities", "Canadian Foreign Affairs", "Yonca Brunini", "Brunini",
    "Enrique Pena Nieto", "Pena Nieto", "White House",
]
AFTER = {"Bipartisan Trade Priorities": " and Accountability Act", "Canadian Foreign Affairs": " Minister"}
BEFORE = ["", "labor group ", "Minister ", "the ", "said "]


def make_article(number: int, rng: random.Random) -> tuple[Article, list[RawMention]]:
    """Sentences naming people and organisations; the model tags some occurrences only."""
    text, mentions = "", []
    for _ in range(rng.randint(1, 6)):
        name = rng.choice(NAMES)
        text += rng.choice(BEFORE)
        start = len(text)
        text += name + AFTER.get(name, "") + rng.choice([" spoke. ", ", Canada's largest union, met. ", " said. "])
        if rng.random() < 0.7:
            mentions.append(RawMention(name, start, start + len(name), rng.choice(TYPES)))
    text = text.strip()
    paragraphs = (Paragraph(0, len(text), 1),)
    if rng.random() < 0.4:  # a heading the model may read as a name: dropped if seen nowhere else
        heading = rng.choice(["Broad Support", "Unifor", "Trade Priorities"])
        mentions = [RawMention(m.text, m.start + len(heading) + 2, m.end + len(heading) + 2, m.type) for m in mentions]
        if rng.random() < 0.7:
            mentions.insert(0, RawMention(heading, 0, len(heading), rng.choice(TYPES)))
        paragraphs = (Paragraph(0, len(heading), None, True), Paragraph(len(heading) + 2, len(heading) + 2 + len(text), 1))
        text = f"{heading}\n\n{text}"
    article = Article(id=f"a{number}", title=f"A{number}", text=text, path=None,
                      paragraphs=paragraphs, words=len(text.split()))
    return article, mentions


def results(resolver: EntityResolver, article: Article, mentions: list[RawMention]) -> tuple:
    entities = [(e.name, e.type, [(m.start, m.end) for m in e.mentions]) for e in resolver.entities(article)]
    speakers = [resolver.speaker(article.id, m.start, m.end, kind) for m in mentions for kind in (m.type, "person")]
    # speaker spans the model did not tag (a name found by propagation, a surname)
    spans = [(m.start(), m.end()) for name in NAMES for m in re.finditer(re.escape(name), article.text)]
    speakers += [resolver.speaker(article.id, start, end, "person") for start, end in spans]
    return entities, speakers


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_resolution_followed_through_changes_equals_resolution_from_nothing(seed):
    rng = random.Random(seed)
    corpus = {a.id: (a, ms) for a, ms in (make_article(i, rng) for i in range(rng.randint(2, 12)))}
    live = EntityResolver(load_rules(), list(corpus.values()))
    shown = {aid: results(live, a, ms) for aid, (a, ms) in corpus.items()}
    for _ in range(4):
        changes = {}
        for _ in range(rng.randint(1, 3)):
            number = rng.randint(0, 14)
            if f"a{number}" in corpus and rng.random() < 0.25:
                changes[f"a{number}"] = None
            else:
                article, mentions = make_article(number, rng)
                changes[article.id] = (article, mentions)
        asked = live.update(changes)
        for aid, item in changes.items():
            if item is None:
                corpus.pop(aid, None)
                shown.pop(aid, None)
            else:
                corpus[aid] = item
        assert set(changes) - asked <= {aid for aid, item in changes.items() if item is None}
        for aid in asked:  # what the pipeline does: ask again only what the update names
            shown[aid] = results(live, *corpus[aid])
        fresh = EntityResolver(load_rules(), list(corpus.values()))
        assert shown == {aid: results(fresh, a, ms) for aid, (a, ms) in corpus.items()}


def resumed_resolver(live: EntityResolver, corpus: dict, asked: list) -> EntityResolver:
    """``live``'s state written, read back and taken up; ``asked`` gets the ids loaded."""
    ids = list(corpus)
    tables, indexes = live.state(ids)
    state = kept_state.decode(kept_state.encode(KeptState(ids, {"resolver": tables}, indexes)))

    def load(aids):
        asked.extend(aids)
        return {aid: corpus[aid][1] for aid in aids}

    return EntityResolver.resumed(load_rules(), state.tables["resolver"], state.indexes,
                                  {aid: a for aid, (a, _) in corpus.items()}, load)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_a_resolution_taken_up_from_its_kept_state_follows_changes_as_the_one_that_kept_it(seed):
    # what a start that read the results as kept does at the first change: no article's
    # contributions are made until a change reaches it, and it still ends where a
    # resolution made from nothing does (also when resumed twice, after a change)
    rng = random.Random(seed)
    corpus = {a.id: (a, ms) for a, ms in (make_article(i, rng) for i in range(rng.randint(2, 12)))}
    asked: list[str] = []
    live = resumed_resolver(EntityResolver(load_rules(), list(corpus.values())), corpus, asked)
    for step in range(3):
        changes = {}
        for _ in range(rng.randint(1, 3)):
            number = rng.randint(0, 14)
            if f"a{number}" in corpus and rng.random() < 0.25:
                changes[f"a{number}"] = None
            else:
                article, mentions = make_article(number, rng)
                changes[article.id] = (article, mentions)
        before = set(corpus)
        asked.clear()
        live.update(changes)
        assert set(asked) <= before  # the kept articles' records only, each when a change reaches it
        for aid, item in changes.items():
            if item is None:
                corpus.pop(aid, None)
            else:
                corpus[aid] = item
        if step == 1:  # kept again, half made (before results are asked of every article): merged indexes
            live = resumed_resolver(live, corpus, asked)
        fresh = EntityResolver(load_rules(), list(corpus.values()))
        assert {aid: results(live, a, ms) for aid, (a, ms) in corpus.items()} == \
            {aid: results(fresh, a, ms) for aid, (a, ms) in corpus.items()}


def test_a_resolution_taken_up_kept_again_after_a_removal_and_taken_up_again_is_whole():
    rng = random.Random(3)
    corpus = {a.id: (a, ms) for a, ms in (make_article(i, rng) for i in range(8))}
    live = resumed_resolver(EntityResolver(load_rules(), list(corpus.values())), corpus, [])
    live.update({"a2": None, "a5": corpus["a5"]})
    del corpus["a2"]
    assert live._lazy  # (kept again half made: the kept index and the made articles merge)
    live = resumed_resolver(live, corpus, [])
    article, mentions = make_article(9, rng)
    live.update({"a9": (article, mentions), "a0": None})
    corpus["a9"] = (article, mentions)
    del corpus["a0"]
    fresh = EntityResolver(load_rules(), list(corpus.values()))
    assert {aid: results(live, a, ms) for aid, (a, ms) in corpus.items()} == \
        {aid: results(fresh, a, ms) for aid, (a, ms) in corpus.items()}


def test_a_change_to_a_resumed_resolution_loads_only_the_articles_it_reaches():
    def article(aid: str, text: str, surface: str, kind: str) -> tuple[Article, list[RawMention]]:
        start = text.index(surface)
        made = Article(id=aid, title=aid, text=text, path=None, paragraphs=(Paragraph(0, len(text), 1),), words=4)
        return made, [RawMention(surface, start, start + len(surface), kind)]

    corpus = dict(
        [(f"u{i}", article(f"u{i}", "Unifor met the Oilers.", "Unifor", "organization")) for i in range(20)]
        + [("p", article("p", "Unifor’s Plan B was read.", "Unifor’s Plan B", "law")),
           ("f", article("f", "Freeland spoke.", "Freeland", "person"))]
    )
    asked: list[str] = []
    live = resumed_resolver(EntityResolver(load_rules(), list(corpus.values())), corpus, asked)
    changed = article("f", "Chrystia Freeland spoke.", "Chrystia Freeland", "person")
    assert live.update({"f": changed}) == {"f"}
    assert asked == ["f"]  # the old version, to take out what it contributed
    assert [e.name for e in live.entities(changed[0])] == ["Chrystia Freeland"]
    assert [e.name for e in live.entities(corpus["p"][0])] == ["Unifor"]  # made on demand, as kept


def test_a_damaged_kept_state_reads_as_none():
    rng = random.Random(7)
    corpus = {a.id: (a, ms) for a, ms in (make_article(i, rng) for i in range(6))}
    ids = list(corpus)
    tables, indexes = EntityResolver(load_rules(), list(corpus.values())).state(ids)
    data = kept_state.encode(KeptState(ids, {"resolver": tables}, indexes))
    assert kept_state.decode(data[: len(data) // 2]) is None
    assert kept_state.decode(b"not zstd at all") is None
    broken = dict(tables, types={"x": "no such type"})
    with pytest.raises(ValueError):
        EntityResolver.resumed(load_rules(), broken, indexes, {aid: a for aid, (a, _) in corpus.items()}, dict)
    with pytest.raises(ValueError):
        EntityResolver.resumed(load_rules(), dict(tables, counts=[["x", 1]]), indexes, {}, dict)


def test_a_possessor_known_from_another_article_is_split_off_only_while_that_article_is_there():
    def article(aid: str, text: str, surface: str, kind: str) -> tuple[Article, list[RawMention]]:
        start = text.index(surface)
        made = Article(id=aid, title=aid, text=text, path=None, paragraphs=(Paragraph(0, len(text), 1),), words=4)
        return made, [RawMention(surface, start, start + len(surface), kind)]

    plan, union = article("a", "Unifor’s Plan B was read.", "Unifor’s Plan B", "law"), article("b", "Unifor met.", "Unifor", "organization")
    live = EntityResolver(load_rules(), [plan, union])
    assert [e.name for e in live.entities(plan[0])] == ["Unifor"]
    assert live.update({"b": None}) == {"a"}
    assert [e.name for e in live.entities(plan[0])] == ["Unifor’s Plan B"]
    assert [e.name for e in EntityResolver(load_rules(), [plan]).entities(plan[0])] == ["Unifor’s Plan B"]


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_key_phrases_followed_through_changes_equal_a_ranking_from_nothing(seed):
    rng = random.Random(seed)
    words = ["pension reform", "broadband price", "year", "company", "vice president", "oil", "trade deal"]

    def hits():
        return [(rng.choice(words), i * 10, i * 10 + 5) for i in range(rng.randint(0, 8))]

    corpus = {i: hits() for i in range(rng.randint(1, 8))}
    ranks = PhraseRanks(top=2, exclude=frozenset({"president"}))
    ranks.update(corpus)
    for _ in range(4):
        changes = {rng.randint(0, 9): (hits() if rng.random() < 0.8 else None) for _ in range(rng.randint(1, 3))}
        ranks.update(changes)
        for article, found in changes.items():
            if found is None:
                corpus.pop(article, None)
            else:
                corpus[article] = found
        order = sorted(corpus)
        fresh = rank_phrases([corpus[a] for a in order], top=2, exclude=frozenset({"president"}))
        assert ranks.ranked == dict(zip(order, fresh))


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_key_phrases_taken_up_from_their_kept_state_follow_changes_as_a_ranking_from_nothing(seed):
    rng = random.Random(seed)
    words = ["pension reform", "broadband price", "year", "company", "vice president", "oil", "trade deal"]

    def hits():
        return [(rng.choice(words), i * 10, i * 10 + 5) for i in range(rng.randint(0, 8))]

    corpus = {f"a{i}": hits() for i in range(rng.randint(1, 30))}
    ranks = PhraseRanks(top=2, exclude=frozenset({"president"}))
    ranks.update(corpus)
    ids = list(corpus)
    tables, index = ranks.state(ids)
    state = kept_state.decode(kept_state.encode(KeptState(ids, {"ranks": tables}, {"phrases": index})))
    ranks = PhraseRanks.resumed(2, frozenset({"president"}), state.tables["ranks"], state.indexes["phrases"], ids,
                                lambda aids: {a: corpus[a] for a in aids})
    for _ in range(3):
        changes = {f"a{rng.randint(0, 35)}": (hits() if rng.random() < 0.8 else None) for _ in range(rng.randint(1, 3))}
        ranks.update(changes)
        for article, found in changes.items():
            if found is None:
                corpus.pop(article, None)
            else:
                corpus[article] = found
        order = sorted(corpus)
        fresh = rank_phrases([corpus[a] for a in order], top=2, exclude=frozenset({"president"}))
        assert {a: ranks.top_of(a) for a in order} == dict(zip(order, fresh))


def test_an_article_added_elsewhere_can_change_which_phrases_lead():
    # idf moves with the number of articles: "oil" (twice here, in every article) overtakes
    # "trade deal" (once, here only) when an article about neither arrives
    ranks = PhraseRanks(top=1)
    ranks.update({"a": [("oil", 0, 3), ("oil", 10, 13), ("trade deal", 20, 30)], "b": [("oil", 0, 3)]})
    assert [h[0] for h in ranks.ranked["a"]] == ["trade deal"]
    ranks.update({"c": [("weather", 0, 7)]})
    assert [h[0] for h in ranks.ranked["a"]] == ["oil", "oil"]


def test_a_corpus_followed_through_edits_equals_its_analysis_from_nothing(tmp_path, seeds_path, nlp):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_path, folder)
    settings_ = settings_for_corpus(folder, use_cache=False, cache_folder=None)
    live = CorpusAnalysis(settings_)
    live.update(load_corpus(folder).articles, nlp)
    files = [a.path for a in load_corpus(folder).articles]
    # a name known elsewhere arrives; an article goes; a new one comes
    with files[1].open("a", encoding="utf-8") as out:
        out.write("\n\nLighthizer met Jesús Seade and the Unifor union in Mexico City.\n")
    files[3].unlink()
    write(folder / "zz-new.txt", "Freeland in Ottawa\n\nChrystia Freeland said Nafta talks would go on, Lighthizer said.\n")
    articles = load_corpus(folder).articles
    followed = live.update(articles, nlp)
    assert followed == analyze_articles(articles, nlp, settings=settings_)
    edited = next(a.id for a in articles if a.path == files[1])
    assert {edited, "zz-new"} <= live.changed and len(live.changed) < len(articles) + 1


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "news"
    for name in ("one", "two", "three"):
        write(root / f"{name}.txt", f"Title {name}\n\nSome text about {name}.\n")
    write(root / "feed.jsonl", "\n".join(f'{{"title": "Entry {i}", "text": "Entry {i} text."}}' for i in range(3)))
    return root


def shape(corpus) -> tuple:
    return ([(a.id, a.title, a.text, a.path, a.paragraphs) for a in corpus.articles],
            sorted((str(s.path), s.reason) for s in corpus.skipped))


def test_reading_some_files_again_gives_what_a_new_load_gives(folder):
    corpus = load_corpus(folder)
    write(folder / "two.txt", "Title two\n\nNew text.\n")  # changed in place: the same ids
    again = reload_files(corpus, [folder / "two.txt"])
    assert shape(again) == shape(load_corpus(folder))
    kept = {a.id: a for a in corpus.articles}
    assert all(a is kept[a.id] for a in again.articles if a.path != folder / "two.txt")
    # a line before the entries: the same number of articles, but every id moves on
    write(folder / "feed.jsonl", "\n" + (folder / "feed.jsonl").read_text())
    again = reload_files(again, [folder / "feed.jsonl"])
    assert shape(again) == shape(load_corpus(folder))
    # one entry fewer, a file added, a file removed, an empty file
    write(folder / "feed.jsonl", '{"title": "Entry 0", "text": "Entry 0 text."}\n{"title": "E", "text": ""}')
    write(folder / "four.txt", "Title four\n\nFour.\n")
    (folder / "one.txt").unlink()
    write(folder / "five.txt", "")
    paths = [folder / name for name in ("feed.jsonl", "four.txt", "one.txt", "five.txt")]
    again = reload_files(again, paths)
    assert shape(again) == shape(load_corpus(folder))
    assert "one" not in {a.id for a in again.articles} and "four" in {a.id for a in again.articles}


def test_the_files_changed_since_a_read_are_found_without_reading_them(folder, tmp_path):
    corpus = load_corpus(folder, snapshot=tmp_path / "snapshot.z")
    assert changed_since(corpus) == set()
    write(folder / "two.txt", "Title two\n\nA longer new text.\n")
    (folder / "one.txt").unlink()
    write(folder / "sub" / "four.txt", "Four\n\nFour.\n")
    write(folder / ".two.txt.swp", "an editor's")
    assert changed_since(corpus) == {folder / "two.txt", folder / "one.txt", folder / "sub" / "four.txt"}
    again = reload_files(corpus, changed_since(corpus))
    assert shape(again) == shape(load_corpus(folder)) and changed_since(again) == set()
    assert changed_since(load_corpus(folder)) == set()  # read without a snapshot: nothing to compare with


def test_the_files_as_they_were_are_given_only_for_a_few_changes_under_the_same_spelling(folder, tmp_path, monkeypatch):
    snapshot = tmp_path / "snapshot.z"
    first = load_corpus(folder, snapshot=snapshot)
    write(folder / "two.txt", "Title two\n\nA longer new text.\n")
    assert load_corpus(folder, snapshot=snapshot).earlier == {"two": first.by_id("two")}
    monkeypatch.chdir(folder.parent)  # the same folder spelt otherwise: paths differ, nothing is taken as it was
    write(folder / "two.txt", "Title two\n\nAnother text.\n")
    assert load_corpus(Path(folder.name), snapshot=snapshot).earlier == {}
    load_corpus(folder, snapshot=snapshot)
    for name in ("one", "two", "three"):  # most files changed: a resolution from the records instead
        write(folder / f"{name}.txt", f"Title {name}\n\nAll new.\n")
    assert load_corpus(folder, snapshot=snapshot).earlier == {}


def test_a_file_named_through_the_resolved_folder_is_read_again(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    corpus = load_corpus(Path(folder.name))  # a relative folder: the walk spells paths relative too
    write(folder / "two.txt", "Title two\n\nNew text.\n")
    again = reload_files(corpus, [(folder / "two.txt").resolve()])
    assert next(a.text for a in again.articles if a.id == "two") == "New text."


def test_a_library_on_an_empty_folder_takes_its_first_file(tmp_path, nlp):
    folder, cache = tmp_path / "news", tmp_path / "cache"
    folder.mkdir()
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.index()
    first = write(folder / "first.txt", "Ottawa talks\n\nChrystia Freeland spoke about zanzibarification.\n")
    assert library.refresh([first]).added == ["first"]
    assert [h.id for h in library.searcher.search("zanzibarification").hits] == ["first"]
    library.close()


def test_a_refresh_that_cannot_analyse_leaves_the_library_as_it_was(tmp_path, seeds_path, monkeypatch):
    from tui.analysis import ModelUnavailable

    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(seeds_path, folder)
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.index()
    before = library.articles

    def no_model(*args, **kwargs):
        raise ModelUnavailable("no model here")

    monkeypatch.setattr(CorpusAnalysis, "update", no_model)
    new = write(folder / "zz-new.txt", "New\n\nText.\n")
    with pytest.raises(ModelUnavailable):
        library.refresh([new])
    assert library.articles == before and set(library.analyses) == {a.id for a in before}
    library.close()


def test_a_refreshed_library_searches_and_counts_as_a_new_one(tmp_path, seeds_path, nlp):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_path, folder)
    cache = tmp_path / "cache"
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.index()
    edited = library.articles[2]
    with edited.path.open("a", encoding="utf-8") as out:
        out.write("\n\nThe zanzibarification of trade, said Chrystia Freeland.\n")
    gone = library.articles[0]
    gone.path.unlink()
    new = write(folder / "zz-new.md", "# Oil in Alberta\n\nJason Kenney spoke about zanzibarification.\n")
    refresh = library.refresh([edited.path, gone.path, new])
    assert edited.id in refresh.changed and refresh.removed == [gone.id] and refresh.added == ["zz-new"]
    found = library.searcher.search("zanzibarification")
    assert {h.id for h in found.hits} == {edited.id, "zz-new"}
    assert any("zanzibarification" in p.text for h in found.hits for p in h.passages)
    assert gone.id not in {h.id for h in library.searcher.search("Lighthizer", limit=50).hits}
    library.remember()
    # a new start on the same folder and cache: the same analyses, the same counts, nothing to index
    restart = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    restart.load()
    restart.analyse()
    assert restart.index().documents_written == 0
    assert restart.analyses == library.analyses
    for query in ("trade", "zanzibarification", "Freeland OR Kenney"):
        ours, theirs = library.searcher.search(query, limit=20), restart.searcher.search(query, limit=20)
        assert [h.id for h in ours.hits] == [h.id for h in theirs.hits] and ours.facets == theirs.facets
    restart.close()
    library.close()


def seeds_and_more(tmp_path, seeds_path, taxonomy: bool):
    """The seeds (with their taxonomy, or key phrases) and twelve short articles, so that
    "only some articles" means something: the folder and a cache folder."""
    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(seeds_path, folder)
    if not taxonomy:
        (folder / "issues.toml").unlink()
    subjects = ["dairy quotas", "steel tariffs", "softwood lumber", "auto parts", "drug patents", "digital trade",
                "energy exports", "labor rules", "sunset clauses", "dispute panels", "wine sales", "cattle exports"]
    for i, subject in enumerate(subjects):
        write(folder / "articles" / f"extra-{i}.txt", f"Talks {i}\n\nChrystia Freeland met Robert Lighthizer about {subject}.\n")
    return folder, cache


@pytest.mark.parametrize("taxonomy", [True, False], ids=["issues", "key phrases"])
def test_the_first_change_after_a_warm_start_takes_up_the_kept_resolution(tmp_path, seeds_path, nlp, monkeypatch, taxonomy):
    # A start that read the results as kept, then a file changes: the resolution kept with
    # those results is taken up and only the records the change reaches are read, and
    # the result is what an analysis from nothing gives.
    folder, cache = seeds_and_more(tmp_path, seeds_path, taxonomy)
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.remember()
    library.close()

    warm = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    warm.load()
    warm.analyse()
    warm.index()
    read: list[str] = []
    get_many = type(warm.settings.cache).get_many
    monkeypatch.setattr(type(warm.settings.cache), "get_many", lambda self, keys: read.extend(keys) or get_many(self, keys))
    edited = next(a for a in warm.articles if a.id.endswith("extra-3"))
    write(edited.path, "Talks 3\n\nChrystia Freeland met Robert Lighthizer about zanzibarian timber.\n")
    refresh = warm.refresh([edited.path])
    assert edited.id in refresh.changed
    assert 0 < len(read) < len(warm.articles) // 2
    fresh = analyze_articles(warm.articles, nlp, settings=settings_for_corpus(folder, use_cache=False, cache_folder=None))
    assert [warm.analyses[a.id] for a in warm.articles] == list(fresh)
    assert {h.id for h in warm.searcher.search("zanzibarian").hits} == {edited.id}
    warm.close()


@pytest.mark.parametrize("taxonomy", [True, False], ids=["issues", "key phrases"])
def test_a_start_after_the_folder_changed_takes_up_the_last_runs_resolution(tmp_path, seeds_path, nlp, monkeypatch, taxonomy):
    # Files changed, removed and added while no newsreader was open: the next start takes
    # up the resolution the last run kept, from the files as that run read them, and
    # reads only the records the changes reach; the result is an analysis from nothing.
    folder, cache = seeds_and_more(tmp_path, seeds_path, taxonomy)
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.index()
    library.close()

    edited, removed = folder / "articles" / "extra-3.txt", folder / "articles" / "extra-5.txt"
    write(edited, "Talks 3\n\nJesús Seade met Robert Lighthizer about zanzibarian timber.\n")
    removed.unlink()
    write(folder / "articles" / "extra-new.txt", "Later\n\nLighthizer spoke to Unifor about zanzibarian steel.\n")
    restart = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    restart.load()
    assert {a.path for a in restart.corpus.earlier.values()} == {edited, removed}
    read: list[str] = []
    get_many = type(restart.settings.cache).get_many
    monkeypatch.setattr(type(restart.settings.cache), "get_many", lambda self, keys: read.extend(keys) or get_many(self, keys))
    taken_up: list[bool] = []
    resume_changed = CorpusAnalysis.resume_changed
    monkeypatch.setattr(CorpusAnalysis, "resume_changed", lambda *a: taken_up.append(resume_changed(*a)) or taken_up[-1])
    restart.analyse()
    assert taken_up == [True]
    if taxonomy:  # (key phrases: a removal moves the frequency of every phrase it had, and 17 articles re-rank)
        assert 0 < len(read) < len(restart.articles) // 2
    fresh = analyze_articles(restart.articles, nlp, settings=settings_for_corpus(folder, use_cache=False, cache_folder=None))
    assert [restart.analyses[a.id] for a in restart.articles] == list(fresh)
    assert restart.summaries == {a.article_id: list_summary(a) for a in fresh}
    monkeypatch.setattr("tui.index.store.update_index", lambda *a, **k: pytest.fail("compared every article"))
    update = restart.index()  # the index as the last run left it, the changes written alone
    monkeypatch.undo()
    assert update.deleted == 1 and 2 <= update.documents_written < len(restart.articles) // 2
    assert {restart.corpus.by_id(h.id).path for h in restart.searcher.search("zanzibarian").hits} == \
        {edited, folder / "articles" / "extra-new.txt"}
    new = Library(folder, settings_for_corpus(folder, cache_folder=tmp_path / "new"), index_base=tmp_path / "new")
    new.load()
    new.analyse()
    new.index()
    for query in ("trade", "zanzibarian", "Freeland OR Seade", "quotas"):
        ours, theirs = restart.searcher.search(query, limit=30), new.searcher.search(query, limit=30)
        assert [h.id for h in ours.hits] == [h.id for h in theirs.hits] and ours.facets == theirs.facets
    new.close()
    restart.close()

    # and a start after that one reads it all as kept
    again = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    again.load()
    again.analyse()
    assert again._as_kept is not None and again.analyses == restart.analyses
    monkeypatch.setattr("tui.index.store.update_index", lambda *a, **k: pytest.fail("compared every article"))
    assert again.index().documents_written == 0
    again.close()


def test_a_start_after_the_folder_changed_without_the_files_as_they_were_resolves_from_the_records(tmp_path, seeds_path):
    # The snapshot of the last read is gone: nothing to take the kept resolution up
    # from, and the corpus is resolved from its records, as right as ever.
    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(seeds_path, folder)
    library = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    library.load()
    library.analyse()
    library.close()
    edited = library.articles[1].path
    with edited.open("a", encoding="utf-8") as out:
        out.write("\n\nJesús Seade met Robert Lighthizer.\n")
    from tui.corpus.snapshot import wait_until_saved

    wait_until_saved()
    library._beside_index(".corpus.json.z").unlink()
    restart = Library(folder, settings_for_corpus(folder, cache_folder=cache), index_base=cache)
    restart.load()
    assert restart.corpus.earlier == {}
    restart.analyse()
    fresh = analyze_articles(restart.articles, settings=settings_for_corpus(folder, use_cache=False, cache_folder=None))
    assert [restart.analyses[a.id] for a in restart.articles] == list(fresh)
    restart.close()
