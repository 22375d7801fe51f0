"""``newsreader fetch URL… [--into FOLDER]``: feeds and their articles into a folder."""

from __future__ import annotations

import argparse

from rich.text import Text

from tui.cli.errors import EXIT_NOTHING, EXIT_OK, CliError
from tui.cli.output import stdout_console
from tui.corpus.fetch import FetchError, fetch_feeds


def run(args: argparse.Namespace) -> int:
    if args.delay < 0:
        raise CliError("--delay must be 0 or more")
    try:
        reports = fetch_feeds(args.urls, args.into, delay=args.delay)
    except FetchError as exc:
        raise CliError(str(exc)) from None
    console = stdout_console()
    for report in reports:
        line = Text(report.url, style="bold")
        if report.status == "failed":
            line.append(f"  failed: {report.problems[0]}", style="red")
        elif report.status == "unchanged":
            line.append("  unchanged since the last fetch (304)", style="dim")
        else:
            line.append(f"  {len(report.saved)} new article file(s), {report.kept} already here")
            for problem in report.problems:
                line.append(f"\n    {problem}", style="yellow")
        console.print(line)
    console.print(Text(f"in {args.into} — open it with: newsreader {args.into}", style="dim"))
    return EXIT_NOTHING if reports and all(r.status == "failed" for r in reports) else EXIT_OK
