"""``newsreader bench [PATH] [--times N]``: newsreader's speed where a person waits,
beside the raw libraries measured in the same run on the same texts.

Everything runs on a copy of the corpus in a temporary folder (a fresh cache, a fresh
index); ``--times N`` makes N copies, each copy's text changed by a line so that every
copy is new to the cache. Reports medians (and p95 for searches) and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tui.analysis import analyze_articles, load_nlp, settings_for_corpus
from tui.analysis.pipeline import BATCH_SIZE, nlp_processes
from tui.cli.errors import CliError
from tui.corpus import CorpusPathError, check_corpus_path, load_corpus
from tui.index import Library, Searcher, index_folder, open_index
from tui.index.query import parse_query
from tui.index.schema import ENTITY_FACETS

DEFAULT_CORPUS = Path("../shared/corpora/bbc")
# Words, a phrase, boolean, wildcard, fuzzy and field queries: what people type.
QUERIES = [
    "government", "tariffs", '"interest rates"', "bank AND rates", "(football OR rugby) NOT cup", "mobil*",
    "elecshun~", "labour party election", "china trade", "oil prices", "minister said", "market",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, help=f"a corpus folder (default: {DEFAULT_CORPUS})")
    parser.add_argument("--times", type=int, default=1, metavar="N", help="copy the corpus N times first (default 1)")
    parser.add_argument("--runs", type=int, default=5, metavar="R", help="repeats of each timing (default 5)")
    parser.add_argument("--raw-sample", type=int, default=1500, metavar="K",
                        help="articles for the raw spaCy baseline (default 1500)")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"), metavar="FILE",
                        help="where to write the figures (default bench-results.json)")


def run(args: argparse.Namespace) -> int:
    source = args.path or DEFAULT_CORPUS
    try:
        check_corpus_path(source)
    except CorpusPathError as exc:
        raise CliError(str(exc)) from None
    if not source.is_dir():
        raise CliError(f"{source}: bench needs a folder of articles")
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as scratch:
        work = Path(scratch)
        # Always a copy: the "one changed file" measure edits a file, never one of the user's.
        root = replicate(source, max(1, args.times), work / "corpus")
        report = Bench(root, work, args.runs, args.raw_sample, console).run_all()
    report["corpus"] = {"path": str(source), "times": args.times, **report["corpus"]}
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    Console(width=max(110, Console().width)).print(summary_table(report))
    console.print(f"figures written to {args.json}")
    return 0


def replicate(source: Path, times: int, target: Path) -> Path:
    """``times`` copies of ``source``; copy k > 0 has one more line in each text file."""
    for copy in range(times):
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            out = target / f"copy-{copy}" / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            if copy and path.suffix in (".txt", ".md"):
                out.write_bytes(path.read_bytes().rstrip() + f"\n\n(Copy {copy}.)\n".encode())
            else:
                shutil.copyfile(path, out)
    return target


class Bench:
    def __init__(self, root: Path, work: Path, runs: int, raw_sample: int, console: Console) -> None:
        self.root, self.work, self.runs, self.raw_sample, self.console = root, work, runs, raw_sample, console
        self.cache = work / "cache"

    def say(self, message: str) -> None:
        self.console.print(f"[dim]bench:[/dim] {message}", highlight=False)

    def run_all(self) -> dict:
        report: dict = {}
        self.say("loading")
        load_s = median_of(self.runs, lambda: load_corpus(self.root))
        corpus = load_corpus(self.root)
        articles = corpus.articles
        words = sum(a.words for a in articles)
        report["corpus"] = {"articles": len(articles), "words": words, "bytes": folder_bytes(self.root)}
        report["load_s"] = load_s

        self.say(f"cold analysis of {len(articles):,} articles ({words:,} words)")
        settings = settings_for_corpus(self.root, cache_folder=self.cache)
        started = time.perf_counter()
        load_nlp()  # loaded once for both: the throughputs compare the work, not the start
        report["spacy_load_s"] = time.perf_counter() - started
        # raw spaCy just before and just after, on a sample spread over the same texts: this
        # machine's speed drifts by a third within the hour, and the mean of the two is
        # what the cold analysis between them compares with
        raw_before = self.raw_spacy(articles, settings)
        started = time.perf_counter()
        analyses = analyze_articles(articles, settings=settings)
        cold_s = time.perf_counter() - started
        settings.cache.close()
        report["cold_analysis"] = {"seconds": cold_s, "words_per_s": words / cold_s,
                                   "processes": nlp_processes(settings, sum(len(a.text) for a in articles))}
        raw_after = self.raw_spacy(articles, settings)
        report["raw_spacy"] = {**raw_after, "seconds": (raw_before["seconds"] + raw_after["seconds"]) / 2,
                               "words_per_s": (raw_before["words_per_s"] + raw_after["words_per_s"]) / 2,
                               "words_per_s_before": raw_before["words_per_s"], "words_per_s_after": raw_after["words_per_s"]}
        report["cold_analysis"]["ratio_to_raw_spacy"] = report["cold_analysis"]["words_per_s"] / report["raw_spacy"]["words_per_s"]

        self.say("index build (cold)")
        library = Library(self.root, settings_for_corpus(self.root, cache_folder=self.cache), index_base=self.cache)
        library.load()
        library.analyse()
        started = time.perf_counter()
        update = library.index()
        report["index_build_s"] = time.perf_counter() - started
        report["index_documents"] = update.documents_written if update else None
        library.close()

        self.say("a new user's start: the real app in a terminal, empty cache, to the list and to ready")
        library_cold_s = report["spacy_load_s"] + cold_s + report["index_build_s"]
        report["new_user"] = self.new_user_start(articles[0].title[:30], library_cold_s)

        self.say("warm start of the app (headless): first paint and ready")
        report["app"] = self.app_start(articles)

        self.say("one changed file")
        report["one_changed_file"] = self.one_changed_file(articles)

        self.say("searches")
        with Searcher(open_index(index_folder(self.root, self.cache))[0], articles, analyses) as searcher:
            queries = QUERIES + facet_queries(analyses)
            report["search"] = self.searches(searcher, queries)
            report["raw_whoosh"] = self.raw_whoosh(searcher, queries, {a.id: a.text for a in articles})
        report["search"]["ratio_p95_to_raw_whoosh_groupedby"] = (
            report["raw_whoosh"]["highlighted_faceted"]["p95_ms"] / report["search"]["highlighted_faceted"]["p95_ms"]
        )
        report["ripgrep"] = self.ripgrep()
        report["peak_memory_mb"] = {
            "bench": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "app": report["app"]["peak_memory_mb"],  # its warm start, measured in the app's own process
            "largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,  # a spaCy worker, say
        }
        disk = folder_bytes(self.cache)
        report["disk"] = {"cache_and_index_bytes": disk, "ratio_to_corpus": disk / report["corpus"]["bytes"]}
        return report

    def raw_spacy(self, articles, settings) -> dict:
        """``nlp.pipe`` alone, same components, same process count, on (a sample of) the texts."""
        step = max(1, -(-len(articles) // self.raw_sample))
        sample = articles[::step]  # every k-th: each section and copy, as the whole corpus has them
        texts = [a.text for a in sample]
        processes = nlp_processes(settings, sum(len(t) for t in texts))
        self.say(f"raw spaCy on {len(sample):,} articles, {processes} process(es)")
        nlp = load_nlp()
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes):
            pass
        seconds = time.perf_counter() - started
        words = sum(a.words for a in sample)
        return {"articles": len(sample), "seconds": seconds, "words_per_s": words / seconds, "processes": processes,
                "components": list(nlp.pipe_names)}

    def new_user_start(self, title: str, library_cold_s: float) -> dict:
        """``newsreader FOLDER`` in a pseudo-terminal with empty folders: the first paint
        (``runs`` starts, each quit once the rows are drawn) and one start to "ready",
        beside the library's cold model load, analysis and index build of this run."""
        from tui.cli.bench_terminal import BARE_TEXT, bare_textual_command, new_user_folders, newsreader_command, time_to_texts

        command = newsreader_command(self.root)
        paints, bare = [], []
        for run in range(self.runs):  # one after the other: a machine's drift weighs on both alike
            paints.append(time_to_texts(command, new_user_folders(self.work / f"new-user-{run}"), [title], limit=300)[title])
            home = new_user_folders(self.work / f"bare-{run}")
            bare.append(time_to_texts(bare_textual_command(), home, [BARE_TEXT], limit=300)[BARE_TEXT])
        seen = time_to_texts(command, new_user_folders(self.work / "new-user-ready"), [title, "ready —"], limit=4 * 3600)
        return {"first_paint_s": statistics.median(paints), "first_paints_s": paints,
                "bare_textual_paint_s": statistics.median(bare), "ready_s": seen["ready —"],
                "library_cold_s": library_cold_s, "ready_ratio_to_library": seen["ready —"] / library_cold_s}

    def app_start(self, articles) -> dict:
        """The real app in a child process: from its start to the list on screen, and to
        ready; and a bare Textual app with a DataTable of the same first rows (the floor)."""
        rows = self.work / "rows.json"
        rows.write_text(json.dumps([
            [a.title, a.source or "—", a.date or "—", f"{a.words:,}", "", ""] for a in load_corpus(self.root).articles[:200]
        ]), encoding="utf-8")
        # Taken in turns, at least five of each: this machine's speed drifts by a third
        # within minutes, and the bare app is the measure of the moment.
        bare, paints, readies, memory = [], [], [], []
        for _ in range(max(5, self.runs)):
            started = time.time()
            child = subprocess.run([sys.executable, "-m", "tui.cli.bench_textual_probe", str(rows)],
                                   capture_output=True, text=True, timeout=300)
            stamps = dict(line.split() for line in child.stdout.splitlines() if line.startswith("paint "))
            if child.returncode or not stamps:
                raise RuntimeError(f"the Textual probe failed: {child.stderr.strip()[-500:]}")
            bare.append(float(stamps["paint"]) - started)
            stamps = self.app_probe()
            paints.append(stamps["paint"])
            readies.append(stamps["ready"])
            memory.append(stamps["memory"])
        # a start after a file changed while the app was closed: the last run's resolution
        # and index are followed, the changed file analysed (the model loaded for it)
        path = articles[len(articles) // 3].path
        original, after_change = path.read_bytes(), []
        try:
            for run in range(self.runs):
                path.write_bytes(original + f"\n\nChanged while closed, run {run}.\n".encode())
                after_change.append(self.app_probe()["ready"])
        finally:
            path.write_bytes(original)
        self.app_probe()  # (which takes the file back in and keeps it: the measures below start warm)
        return {"first_paint_s": statistics.median(paints), "ready_s": statistics.median(readies),
                "ready_after_a_change_s": statistics.median(after_change),
                "bare_textual_first_paint_s": statistics.median(bare), "peak_memory_mb": max(memory)}

    def app_probe(self) -> dict[str, float]:
        """One headless start of the app: seconds to the first paint and to ready, peak MB."""
        started = time.time()
        child = subprocess.run(
            [sys.executable, "-m", "tui.cli.bench_probe", str(self.root), str(self.cache), str(self.work / "data")],
            capture_output=True, text=True, timeout=1800,
        )
        stamps = dict(line.split() for line in child.stdout.splitlines() if line.startswith(("paint ", "ready ", "memory ")))
        if child.returncode or len(stamps) < 3:
            raise RuntimeError(f"the app probe failed: {child.stderr.strip()[-500:]}")
        return {"paint": float(stamps["paint"]) - started, "ready": float(stamps["ready"]) - started,
                "memory": float(stamps["memory"])}

    def one_changed_file(self, articles) -> dict:
        """Edit one file while a library is open (as the app has it: started warm, the
        model loaded) and refresh it: re-read, analyse (one article through spaCy),
        resolve what the change reaches, index. The first refresh after a warm start
        also makes the corpus-wide resolution the start read as kept. Then a restart
        after a change: load, analyse, index in a new library."""
        path = articles[len(articles) // 2].path
        added = path.with_name(f"zz-added-by-bench{path.suffix}")
        original = path.read_bytes()
        report = {}
        try:
            library = self.library()
            # (the model is loaded in this process already; the app loads it with the first change)
            path.write_bytes(original + b"\n\nEdited once.\n")
            report["first_after_warm_start_s"] = timed(lambda: library.refresh([path]))
            times = []
            for run in range(self.runs):
                path.write_bytes(original + f"\n\nEdited for run {run}.\n".encode())
                times.append(timed(lambda: library.refresh([path])))
            report["live_s"] = statistics.median(times)
            adding, removing = [], []
            for run in range(self.runs):  # a file that arrives (a copy of this one, a word changed) and goes
                added.write_bytes(original.replace(b" the ", b" a ", 1) + f"\n\nAdded for run {run}.\n".encode())
                adding.append(timed(lambda: library.refresh([added])))
                added.unlink()
                removing.append(timed(lambda: library.refresh([added])))
            report["added_s"], report["removed_s"] = statistics.median(adding), statistics.median(removing)
            report["remember_s"] = timed(library.remember)  # saved for the next start (the app: when idle)
            library.close()
            times = []
            for run in range(self.runs):
                path.write_bytes(original + f"\n\nEdited again for run {run}.\n".encode())
                library = Library(self.root, settings_for_corpus(self.root, cache_folder=self.cache), index_base=self.cache)
                times.append(timed(lambda: (library.load(), library.analyse(), library.index())))
                library.close()
            report["restart_s"] = statistics.median(times)
        finally:
            path.write_bytes(original)
            added.unlink(missing_ok=True)
        return report

    def library(self) -> Library:
        library = Library(self.root, settings_for_corpus(self.root, cache_folder=self.cache), index_base=self.cache)
        library.load()
        library.analyse()
        library.index()
        return library

    def searches(self, searcher: Searcher, queries: list[str]) -> dict:
        modes = {
            "plain": dict(passages=0, facets=False, suggest=False),
            "highlighted": dict(passages=10, facets=False, suggest=False),
            "highlighted_faceted": dict(passages=10, facets=True, suggest=True),
        }
        return {name: percentiles(self.runs, queries, lambda q, o=options: searcher.search(q, limit=10, **o))
                for name, options in modes.items()}

    def raw_whoosh(self, searcher: Searcher, queries: list[str], texts: dict[str, str]) -> dict:
        """Whoosh used straightforwardly on the same index and queries: ``groupedby`` for
        the facet counts and ``Hit.highlights`` for the passages."""
        from whoosh import sorting

        whoosh = searcher._searcher  # the same open reader
        schema = whoosh.schema
        facets = {name: sorting.FieldFacet(f"f_{name}", allow_overlap=True) for name in (*ENTITY_FACETS, "source")}
        facets["issue"] = sorting.FieldFacet("issue", allow_overlap=True)
        facets["date"] = sorting.FieldFacet("date")

        def plain(query: str, highlight: bool = False, grouped: bool = False) -> None:
            results = whoosh.search(parse_query(query, schema), limit=10,
                                    groupedby=facets if grouped else None)
            if grouped:
                for name in facets:
                    results.groups(name)
            if highlight:
                for hit in results:
                    hit.highlights("body", text=texts.get(hit["uid"], ""))

        return {
            "plain": percentiles(self.runs, queries, plain),
            "highlighted": percentiles(self.runs, queries, lambda q: plain(q, highlight=True)),
            "highlighted_faceted": percentiles(self.runs, queries, lambda q: plain(q, highlight=True, grouped=True)),
        }

    def ripgrep(self) -> dict | None:
        rg = shutil.which("rg")
        if rg is None:
            return None
        times = []
        for _ in range(self.runs):
            started = time.perf_counter()
            subprocess.run([rg, "-c", "-i", "tariffs", str(self.root)], capture_output=True, check=False)
            times.append(time.perf_counter() - started)
        return {"word_scan_s": statistics.median(times)}


def facet_queries(analyses) -> list[str]:
    """A person and an issue filter from the corpus itself (the commonest of each)."""
    from collections import Counter

    people = Counter(e.name for a in analyses for e in a.entities if e.type == "person")
    issues = Counter(i.id for a in analyses for i in a.issues)
    found = []
    if people:
        found.append(f'person:"{people.most_common(1)[0][0]}"')
    if issues:
        found.append(f"issue:{issues.most_common(1)[0][0]}")
    return found


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentiles(runs: int, queries: list[str], search: Callable[[str], object]) -> dict:
    """p50 and p95 in ms over every query run ``runs`` times (after one warm-up each)."""
    samples = []
    for query in queries:
        search(query)
        for _ in range(runs):
            started = time.perf_counter()
            search(query)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": statistics.median(samples), "p95_ms": samples[min(len(samples) - 1, round(0.95 * len(samples)))],
            "samples": len(samples)}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def summary_table(report: dict) -> Table:
    corpus, cold, raw, app = report["corpus"], report["cold_analysis"], report["raw_spacy"], report["app"]
    search, whoosh = report["search"], report["raw_whoosh"]
    table = Table(title=f"newsreader bench — {corpus['articles']:,} articles, {corpus['words']:,} words "
                  f"({corpus['path']} ×{corpus['times']})", show_lines=False)
    table.add_column("measure")
    table.add_column("newsreader", justify="right")
    table.add_column("raw library", justify="right")
    table.add_column("ratio", justify="right")
    table.add_row("load the files", f"{report['load_s']:.2f} s", "", "")
    table.add_row("load spaCy and the model", "", f"{report['spacy_load_s']:.2f} s", "")
    table.add_row(f"cold analysis ({cold['processes']} proc.)", f"{cold['words_per_s']:,.0f} words/s",
                  f"{raw['words_per_s']:,.0f} words/s (spaCy)", f"{cold['ratio_to_raw_spacy']:.2f}×")
    table.add_row("app: first paint of the list", f"{app['first_paint_s']:.2f} s",
                  f"{app['bare_textual_first_paint_s']:.2f} s (bare Textual DataTable)",
                  f"{app['first_paint_s'] / app['bare_textual_first_paint_s']:.2f}×")
    table.add_row("app: warm start to ready", f"{app['ready_s']:.2f} s", "", "")
    if "new_user" in report:
        new = report["new_user"]
        bare = new.get("bare_textual_paint_s")
        table.add_row("app in a terminal, empty cache: first paint", f"{new['first_paint_s']:.2f} s",
                      f"{bare:.2f} s (bare Textual, same terminal)" if bare else "",
                      f"{new['first_paint_s'] / bare:.2f}×" if bare else "")
        table.add_row("app in a terminal, empty cache: to ready", f"{new['ready_s']:.1f} s",
                      f"{new['library_cold_s']:.1f} s (library: model, cold analysis, index)",
                      f"{new['ready_ratio_to_library']:.2f}×")
    if "ready_after_a_change_s" in app:
        table.add_row("app: start after a file changed while closed, to ready", f"{app['ready_after_a_change_s']:.2f} s", "", "")
    table.add_row("index build (cold)", f"{report['index_build_s']:.1f} s", "", "")
    changed = report["one_changed_file"]
    table.add_row("one changed file, app open: read, analyse, index", f"{changed['live_s']:.2f} s", "", "")
    table.add_row("  the first after a warm start (the kept resolution taken up)",
                  f"{changed['first_after_warm_start_s']:.2f} s", "", "")
    if "added_s" in changed:
        table.add_row("one file added / removed, app open", f"{changed['added_s']:.2f} / {changed['removed_s']:.2f} s", "", "")
    table.add_row("  a restart after it: load, analyse, index", f"{changed['restart_s']:.1f} s", "", "")
    for mode in ("plain", "highlighted", "highlighted_faceted"):
        ours, theirs = search[mode], whoosh[mode]
        table.add_row(f"search {mode.replace('_', '+')} p50 / p95",
                      f"{ours['p50_ms']:.1f} / {ours['p95_ms']:.1f} ms",
                      f"{theirs['p50_ms']:.1f} / {theirs['p95_ms']:.1f} ms (Whoosh)",
                      f"{theirs['p95_ms'] / ours['p95_ms']:.1f}×")
    if report.get("ripgrep"):
        table.add_row("ripgrep: one word over the files", "", f"{report['ripgrep']['word_scan_s'] * 1000:.0f} ms", "")
    memory = report["peak_memory_mb"]
    table.add_row("peak memory: app (warm start) / bench / largest child",
                  f"{memory['app']:.0f} / {memory['bench']:.0f} / {memory['largest_child']:.0f} MB", "", "")
    disk = report["disk"]
    table.add_row("cache + index on disk", f"{disk['cache_and_index_bytes'] / 1e6:.0f} MB",
                  f"corpus {corpus['bytes'] / 1e6:.0f} MB", f"{disk['ratio_to_corpus']:.1f}×")
    return table


if __name__ == "__main__":  # python -m tui.cli.bench
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
