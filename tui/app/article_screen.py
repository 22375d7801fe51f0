"""A plain reader for one article (highlights and the side panel come with the reader issue)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.corpus import Article


class ArticleScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        article = self.article
        yield Header()
        with VerticalScroll(id="reader"):
            # Text objects, never markup strings: "[bold]" in an article stays "[bold]".
            yield Static(Text(article.title), id="article-title")
            meta = " · ".join(x for x in (article.source, article.date, f"{article.words} words", str(article.path)) if x)
            yield Static(Text(meta), id="article-meta")
            yield Static(self._body(), id="article-text")
        yield Footer()

    def _body(self) -> Text:
        body = Text()
        text = self.article.text
        for i, paragraph in enumerate(self.article.paragraphs):
            if i:
                body.append("\n\n")
            style = "bold" if paragraph.is_heading else ""
            body.append(text[paragraph.start : paragraph.end], style=style)
        return body

    def action_scroll_down(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_up()

    def action_page_down(self) -> None:
        self.query_one("#reader", VerticalScroll).scroll_page_down()
