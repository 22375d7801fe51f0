"""``newsreader export [PATH]``: the marked excerpts (or a search's best passages) as a
briefing in Markdown, JSON, CSV, text, BibTeX or CSL-JSON."""

from __future__ import annotations

import argparse
import sys
import time

from tui.cli.analyze import analyze_corpus
from tui.cli.errors import EXIT_NOTHING, EXIT_OK, CliError, report
from tui.cli.options import analysis_settings_from_args, corpus_path, load_corpus_from_args
from tui.cli.search import search_corpus
from tui.corpus import Corpus
from tui.excerpts import (
    Excerpt, ExcerptStore, ExcerptStoreError, ExportError, corpus_key, reconcile, render, write_atomic,
)


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus_from_args(args)
    analyses = settings = None
    if args.query or args.group == "issue":
        if not corpus.articles:
            raise CliError(f"{corpus.root}: no usable articles", EXIT_NOTHING)
        settings = analysis_settings_from_args(args)
        analyses = {a.article_id: a for a in analyze_corpus(corpus, settings)}
    excerpts = _from_search(args, corpus, analyses, settings) if args.query else _from_store(args, corpus)
    if not excerpts:
        what = f"the search {args.query!r}" if args.query else f"the set {args.set!r}"
        raise CliError(f"nothing to export: {what} has no excerpts" + (f" tagged {args.tag!r}" if args.tag else ""), EXIT_NOTHING)

    def issues_of(excerpt: Excerpt) -> list[str]:
        analysis = (analyses or {}).get(excerpt.article_id)
        if analysis is None:
            return []
        return [i.label for i in analysis.issues if any(excerpt.start < m.end and m.start < excerpt.end for m in i.mentions)]

    title = args.title or (f"Briefing: {args.query}" if args.query else f"Briefing — {args.set}")
    try:
        content = render(args.format, excerpts, title=title, group_by=args.group, issues_of=issues_of)
        if args.out is None:
            sys.stdout.write(content)
            sys.stdout.flush()
        else:
            written = write_atomic(args.out, content)
            print(f"newsreader: wrote {len(excerpts)} excerpt(s) to {written}", file=sys.stderr)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_NOTHING) from None
    return EXIT_OK


def _from_store(args: argparse.Namespace, corpus: Corpus) -> list[Excerpt]:
    try:
        store = ExcerptStore(args.data_dir)
    except ExcerptStoreError as exc:
        raise CliError(str(exc), EXIT_NOTHING) from None
    if store.notice:
        report(f"warning: {store.notice}")
    try:
        excerpts = []
        for excerpt in store.excerpts(corpus_key(corpus_path(args)), args.set, args.tag):
            checked = reconcile(excerpt, corpus.by_id(excerpt.article_id))
            if checked.status == "re-anchored":
                store.update(checked)  # the text moved: keep the mark where the text is now
            excerpts.append(checked)
        return excerpts
    finally:
        store.close()


def _from_search(args: argparse.Namespace, corpus: Corpus, analyses, settings) -> list[Excerpt]:
    """The best passages of the search's hits, as excerpts citing their articles."""
    result = search_corpus(args, corpus, analyses, settings, args.query, [], args.limit)
    now = time.time()
    excerpts = []
    for hit in result.hits:
        article = corpus.by_id(hit.id)
        for passage in hit.passages:
            paragraph = next(p for p in article.paragraphs if p.number == passage.paragraph)
            excerpts.append(Excerpt.of(article, paragraph.start, paragraph.end, paragraph.number, args.query, now))
    return excerpts
