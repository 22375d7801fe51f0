"""``newsreader eval --gold FILE [PATH]``: the analysis scored against a hand annotation.

Without PATH, an annotation that names its ``sources`` is scored on its own stories
(copied to a temporary folder, each checked against the sha1 it was annotated at); each
split (a half looked at while improving the analysis, a half only scored) is reported
on its own. ``--raw`` scores the statistical model alone beside it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.table import Table
from rich.text import Text

from tui.analysis.evaluation import (
    ENTITY_AREAS, Evaluation, GoldError, assemble_stories, evaluate, gold_sources, load_gold, raw_model_analyses,
    splits_of,
)
from tui.cli.analyze import analyze_corpus
from tui.cli.errors import EXIT_ENVIRONMENT, EXIT_NOTHING, EXIT_OK, CliError
from tui.cli.options import analysis_settings_from_args, load_corpus_from_args
from tui.cli.output import stdout_console, write_json
from tui.corpus import Corpus, CorpusPathError, load_corpus

# What a reader's trust needs (issue 22), beside each headline figure.
TARGETS = {
    "person_f1": ("person F1", "≥ 0.92"),
    "people_mistyped_per_10_articles": ("people given another type, per 10 articles", "≤ 1"),
    "organization_place_recall": ("organisation + place recall", "≥ 0.90"),
    "other_types_precision": ("precision of organisations, places, groups, laws, events", "≥ 0.95"),
    "quote_recall": ("quote recall (speaker + opening words)", "≥ 0.85"),
    "right_speaker_of_found": ("of the quotes found, right speaker", "≥ 0.95"),
    "name_coverage": ("occurrences of a person's name shown as that person", "≥ 0.95"),
}


def run(args: argparse.Namespace) -> int:
    try:
        gold = load_gold(args.gold)
        sources = gold_sources(args.gold)
    except GoldError as exc:
        raise CliError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="newsreader-eval-") as work:
        if args.path is None and sources:
            try:
                root = assemble_stories(args.gold, Path(work))
            except GoldError as exc:
                raise CliError(str(exc)) from None
            corpus = _load(root)
        else:
            corpus = load_corpus_from_args(args)
        if not corpus.articles:
            raise CliError(f"{corpus.root}: no usable articles", EXIT_NOTHING)
        analyses = analyze_corpus(corpus, analysis_settings_from_args(args))
        raw = _raw_analyses(corpus, args) if args.raw else None
        results = {name: evaluate(part, corpus.articles, analyses, corpus.root) for name, part in splits_of(gold).items()}
        raws = {name: evaluate(part, corpus.articles, raw, corpus.root) for name, part in splits_of(gold).items()} if raw else {}
    if sum(r.articles for r in results.values()) == 0:
        raise CliError(f"{args.gold}: annotates none of the {len(corpus.articles)} articles (ids differ?)", EXIT_NOTHING)
    if args.json:
        write_json(_as_json(results, raws))
    else:
        for name in sorted(results, key=lambda n: ("dev", "test", "all").index(n) if n in ("dev", "test", "all") else 9):
            _print(name, results[name], raws.get(name), args.verbose)
    return EXIT_OK


def _load(root: Path) -> Corpus:
    try:
        return load_corpus(root)
    except CorpusPathError as exc:
        raise CliError(str(exc)) from None


def _raw_analyses(corpus: Corpus, args: argparse.Namespace):
    """spaCy's model alone, with every component the analysis loads (its entities as it tags them)."""
    from tui.analysis import ModelUnavailable
    from tui.analysis.mentions import LABEL_TYPES
    from tui.analysis.nlp import load_nlp

    try:
        nlp = load_nlp(getattr(args, "model", None))
    except ModelUnavailable as exc:
        raise CliError(str(exc), EXIT_ENVIRONMENT) from None

    def entities_of(text: str):
        return [(e.text, e.label_, e.start_char, e.end_char) for e in nlp(text).ents]

    return raw_model_analyses(corpus.articles, entities_of, LABEL_TYPES)


def _area_json(result: Evaluation) -> dict:
    return {
        name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
               "tp": s.tp, "fp": s.fp, "fn": s.fn, "misses": s.misses, "extras": s.extras}
        for name, s in result.areas.items()
    }


def _one_json(result: Evaluation) -> dict:
    return {
        "articles": result.articles,
        "bad_offsets": result.bad_offsets,
        "areas": _area_json(result),
        "headline": {name: round(value, 4) for name, value in result.headline().items()},
        "people_mistyped": result.people_mistyped,
        "quotes_not_found": result.quotes_found.misses,
        "wrong_speakers": result.right_speaker.misses,
        "names_not_shown": result.name_coverage.misses,
    }


def _as_json(results: dict[str, Evaluation], raws: dict[str, Evaluation]) -> dict:
    if list(results) == ["all"]:
        out = _one_json(results["all"])
        if raws:
            out["raw_model"] = {"areas": _area_json(raws["all"]), "headline": raws["all"].headline()}
        return out
    out = {"splits": {name: _one_json(result) for name, result in results.items()}}
    for name, raw in raws.items():
        out["splits"][name]["raw_model"] = {"areas": _area_json(raw), "headline": raw.headline()}
    return out


def _print(split: str, result: Evaluation, raw: Evaluation | None, verbose: bool) -> None:
    console = stdout_console()
    label = "" if split == "all" else f" — {split} half"
    headline, raw_headline = result.headline(), raw.headline() if raw else {}
    table = Table(title=f"Analysis against the annotation of {result.articles} article(s){label}", title_justify="left")
    table.add_column("Measure")
    table.add_column("newsreader", justify="right")
    if raw:
        table.add_column("spaCy alone", justify="right")
    table.add_column("target", justify="right")
    for key, (name, target) in TARGETS.items():
        if key.startswith("quote") or key == "right_speaker_of_found":
            if not result.quotes_found.total:
                continue
        row = [name, _figure(key, headline[key])]
        if raw:
            row.append("—" if "quote" in key or "speaker" in key else _figure(key, raw_headline[key]))
        table.add_row(*row, target)
    console.print(table)
    areas = Table(title_justify="left")
    for column in ("Area", "Precision", "Recall", "F1", "Right", "Extra", "Missed", *(("spaCy P / R",) if raw else ())):
        areas.add_column(column, justify="left" if column == "Area" else "right")
    for name, s in result.areas.items():
        if s.tp + s.fp + s.fn == 0:
            continue
        row = [name, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.tp), str(s.fp), str(s.fn)]
        if raw:
            r = raw.areas[name]
            row.append(f"{r.precision:.2f} / {r.recall:.2f}" if name in ENTITY_AREAS else "—")
        areas.add_row(*row)
    console.print(areas)
    console.print(Text(f"mentions whose offsets do not index the text: {result.bad_offsets}"))
    if verbose:
        for name, s in result.areas.items():
            for line in s.misses:
                console.print(Text(f"{name} missed  {line}"))
            for line in s.extras:
                console.print(Text(f"{name} extra   {line}"))
        for line in result.people_mistyped:
            console.print(Text(f"person mistyped  {line}"))
        for line in result.right_speaker.misses:
            console.print(Text(f"wrong speaker  {line}"))
        for line in result.name_coverage.misses:
            console.print(Text(f"name not shown  {line}"))
    console.print()


def _figure(key: str, value: float) -> str:
    return f"{value:.1f}" if key.endswith("per_10_articles") else f"{value:.2f}"
