"""Index build and search times on a real corpus: ``make bench-search [CORPUS=…]``.

Analysis comes from the cache (run ``newsreader analyze CORPUS`` once first, or let
this script do it); the index is built from scratch in a temporary folder, then every
query runs several times with facets and highlights, as the app and the CLI run it.
Prints medians and p95 in milliseconds and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from tui.analysis import analyze_articles, settings_for_corpus
from tui.corpus import load_corpus
from tui.index import Searcher, open_index, update_index

QUERIES = [
    "government", "tariffs", '"interest rates"', "person:blair", "org:google", "issue:kp:economy",
    "bank AND rates", "(football OR rugby) NOT cup", "mobil*", "elecshun~", "place:china trade",
    "labour party election",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default="../shared/corpora/bbc", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=Path("bench/search-results.json"))
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = load_corpus(args.corpus)
    load_s = time.perf_counter() - started
    settings = settings_for_corpus(args.corpus)
    started = time.perf_counter()
    analyses = analyze_articles(corpus.articles, settings=settings)
    analysis_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        update = update_index(Path(folder), corpus.articles, analyses)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        unchanged = update_index(Path(folder), corpus.articles, analyses)
        recheck_s = time.perf_counter() - started
        ix, _ = open_index(Path(folder))
        started = time.perf_counter()
        searcher = Searcher(ix)
        open_s = time.perf_counter() - started
        rows = []
        for query in QUERIES:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                result = searcher.search(query, limit=10)
                times.append((time.perf_counter() - started) * 1000)
            rows.append({"query": query, "total": result.total, "median_ms": statistics.median(times),
                         "p95_ms": sorted(times)[max(0, round(0.95 * len(times)) - 1)]})
        searcher.close()

    all_medians = [r["median_ms"] for r in rows]
    report = {
        "corpus": str(args.corpus), "articles": len(corpus.articles),
        "words": sum(a.words for a in corpus.articles),
        "load_s": round(load_s, 3), "analysis_s": round(analysis_s, 3),
        "index_build_s": round(build_s, 3), "documents": update.documents_written,
        "index_recheck_s": round(recheck_s, 3), "recheck_documents_written": unchanged.documents_written,
        "searcher_open_s": round(open_s, 3),
        "search_median_ms": round(statistics.median(all_medians), 1), "queries": rows,
    }
    print(f"{report['articles']} articles, {report['words']:,} words from {args.corpus}")
    print(f"load {load_s:.2f} s · analysis (cache) {analysis_s:.2f} s · index build {build_s:.2f} s "
          f"({update.documents_written} documents) · unchanged re-check {recheck_s:.2f} s · searcher open {open_s:.2f} s")
    print(f"{'query':34} {'hits':>6} {'median ms':>10} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['query']:34} {row['total']:>6} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}")
    print(f"median of the medians: {report['search_median_ms']} ms (with facets, highlights and suggestions)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
