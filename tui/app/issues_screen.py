"""Issues over time: every issue of the pile (key phrases without a taxonomy); for the
chosen one, mentions per day or week as a sparkline, its articles in date order, and
who is quoted on it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from tui.analysis.pile import IssueSummary, Timeline
from tui.app.footer import Footer


class IssuesScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="issues.back"),
        Binding("tab", "app.focus_next", "Next list", show=False, id="issues.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous list", show=False, id="issues.previous_pane"),
    ]

    def __init__(self, issue_id: str | None = None) -> None:
        super().__init__()
        self.initial = issue_id
        self.issues: list[IssueSummary] = []
        self.timeline: Timeline | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="issues-body"):
            yield OptionList(id="issue-list")
            with Vertical(id="issue-detail"):
                yield Static(id="issue-title")
                yield Sparkline([], id="issue-chart")
                yield Static(id="issue-axis")
                yield Label(Text("Articles", style="bold"))
                yield OptionList(id="issue-articles")
                yield Label(Text("Quoted on it", style="bold"))
                yield OptionList(id="issue-speakers")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "issues over time"
        pile = self.app.pile()
        listing = self.query_one("#issue-list", OptionList)
        if pile is None:
            self.query_one("#issue-title", Static).update(Text("The analysis is not ready yet: a moment.", style="dim"))
            return
        self.issues = pile.issue_summaries()
        listing.add_options([
            Option(Text.assemble((f"{s.articles:>4} art.  ", "dim"), s.label), id=str(i))
            for i, s in enumerate(self.issues)
        ])
        if not self.issues:
            self.query_one("#issue-title", Static).update(Text("No issues found in this pile.", style="dim"))
            return
        start = next((i for i, s in enumerate(self.issues) if s.id == self.initial), 0)
        listing.highlighted = start
        listing.focus()
        self.show_issue(self.issues[start].id)

    @on(OptionList.OptionHighlighted, "#issue-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show_issue(self.issues[int(event.option.id)].id)

    def show_issue(self, issue_id: str) -> None:
        pile = self.app.pile()
        timeline = pile.timeline(issue_id) if pile is not None else None
        if timeline is None or (self.timeline is not None and self.timeline.id == issue_id):
            return
        self.timeline = timeline
        title = Text(timeline.label, style="bold")
        title.append(f"  {len(timeline.articles)} article(s), {sum(n for _, n in timeline.buckets)} mention(s)", style="dim")
        self.query_one("#issue-title", Static).update(title)
        self.query_one("#issue-chart", Sparkline).data = [float(n) for _, n in timeline.buckets] or [0.0]
        self.query_one("#issue-axis", Static).update(_axis(timeline))
        articles = self.query_one("#issue-articles", OptionList)
        articles.clear_options()
        articles.add_options([
            Option(Text.assemble((f"{row.mentions:>3}×  {row.at.date or 'undated':<10}  ", "dim"), row.at.title), id=str(i))
            for i, row in enumerate(timeline.articles)
        ])
        articles.highlighted = 0 if timeline.articles else None
        speakers = self.query_one("#issue-speakers", OptionList)
        speakers.clear_options()
        speakers.add_options([Option(Text.assemble((f"{count:>3} quote(s)  ", "dim"), name), id=str(i))
                              for i, (name, count) in enumerate(timeline.speakers)]
                             or [Option(Text("no one is quoted in its paragraphs", style="dim"), disabled=True)])
        speakers.highlighted = 0 if timeline.speakers else None

    @on(OptionList.OptionSelected, "#issue-articles")
    def _open_article(self, event: OptionList.OptionSelected) -> None:
        if self.timeline is not None:
            self.app.open_place(self.timeline.articles[int(event.option.id)].at, choose=f"issue:{self.timeline.id}")

    @on(OptionList.OptionSelected, "#issue-speakers")
    def _open_quotes(self, event: OptionList.OptionSelected) -> None:
        if self.timeline is not None and event.option.id is not None:
            speaker = self.timeline.speakers[int(event.option.id)][0]
            self.app.open_quotes(speaker=speaker, issue=self.timeline.id)


def _axis(timeline: Timeline) -> Text:
    """What the chart's ends are, and what a bar stands for."""
    peak = max((n for _, n in timeline.buckets), default=0)
    if not timeline.dated:
        return Text(f"No dates in these articles: a bar per article, in file order · highest {peak}", style="dim")
    first, last = timeline.buckets[0][0], timeline.buckets[-1][0]
    undated = f" · {timeline.undated} undated article(s) not charted" if timeline.undated else ""
    return Text(f"mentions per {timeline.period}, {first} → {last} · highest {peak}{undated}", style="dim")
