"""An article paragraph as styled ``rich.text.Text``: entities, issues, search terms.

Pure functions of the article, its analysis and what the reader has switched on, so
the reader widget only displays the result. Text is always built from plain strings
(``Text(str)`` + ``stylize``): "[bold]" in an article stays "[bold]".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from tui.analysis import ArticleAnalysis
from tui.corpus import Article, Paragraph

# What a reader toggles: the entity types, numbers (dates, money, percentages), issues.
LAYERS = ("person", "organization", "place", "group", "law", "event", "number", "issue")
LAYER_LABELS = {
    "person": "people", "organization": "orgs", "place": "places", "group": "groups",
    "law": "laws", "event": "events", "number": "numbers", "issue": "issues",
}
# Theme variables (so light, dark and 16-colour terminals all get readable colours).
LAYER_COLOURS = {
    "person": "primary", "organization": "secondary", "place": "success", "group": "warning",
    "law": "error", "event": "accent", "number": "foreground-muted", "issue": "accent",
}
NUMBER_TYPES = ("date", "money", "percent")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    layer: str  # one of LAYERS
    name: str  # canonical entity name or issue id


def layer_of(entity_type: str) -> str:
    return "number" if entity_type in NUMBER_TYPES else entity_type


def article_spans(analysis: ArticleAnalysis) -> list[Span]:
    spans = [Span(m.start, m.end, layer_of(e.type), e.name) for e in analysis.entities for m in e.mentions]
    spans += [Span(m.start, m.end, "issue", i.id) for i in analysis.issues for m in i.mentions]
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _colour(theme: Mapping[str, str], variable: str) -> str:
    """A theme variable as a colour Rich can use: translucent ones are blended onto the
    background (Rich has no alpha), anything unparsable falls back to the foreground."""
    from textual.color import Color, ColorParseError  # Textual's parser knows rgba() and alpha

    try:
        colour = Color.parse(theme.get(variable) or theme.get("foreground") or "white")
        if colour.a < 1:
            colour = Color.parse(theme.get("background") or "black").blend(colour.with_alpha(1), colour.a)
        return colour.hex6
    except ColorParseError:
        return "default"


def layer_styles(theme: Mapping[str, str]) -> dict[str, Style]:
    """Rich styles per layer from the app's CSS variables (``App.get_css_variables``)."""
    styles = {}
    for layer, variable in LAYER_COLOURS.items():
        colour = _colour(theme, variable)
        if layer == "issue":
            styles[layer] = Style(underline=True, color=colour)
        elif layer == "number":
            styles[layer] = Style(italic=True, color=colour)
        else:
            styles[layer] = Style(bold=True, color=colour)
    return styles


def paragraph_text(
    article: Article,
    paragraph: Paragraph,
    spans: Iterable[Span],
    styles: Mapping[str, Style],
    enabled: Iterable[str],
    search: Iterable[tuple[int, int]] = (),
    current: tuple[int, int] | None = None,
    marked: Iterable[tuple[int, int]] = (),
    cursor: tuple[int, int] | None = None,
    marked_style: Style = Style(bgcolor="grey23"),
    cursor_style: Style = Style(bgcolor="grey15"),
    search_style: Style = Style(reverse=True),
    current_style: Style = Style(reverse=True, bold=True, underline=True),
) -> Text:
    """The paragraph with its highlights; offsets in ``spans`` are article offsets."""
    start, end = paragraph.start, paragraph.end
    text = Text(article.text[start:end])
    if paragraph.is_heading:
        text.stylize("bold")
    # Backgrounds first (the passage under the cursor, marked excerpts), highlights over them.
    if cursor and start <= cursor[0] and cursor[1] <= end:
        text.stylize(cursor_style, cursor[0] - start, cursor[1] - start)
    for s, e in marked:
        if s < end and start < e:
            text.stylize(marked_style, max(s, start) - start, min(e, end) - start)
    shown = set(enabled)
    for span in spans:
        if span.layer in shown and start <= span.start and span.end <= end:
            text.stylize(styles[span.layer], span.start - start, span.end - start)
    for s, e in search:
        if start <= s and e <= end:
            text.stylize(search_style, s - start, e - start)
    if current and start <= current[0] and current[1] <= end:
        text.stylize(current_style, current[0] - start, current[1] - start)
    return text


def passage_styles(theme: Mapping[str, str]) -> tuple[Style, Style]:
    """(cursor, marked): backgrounds from the theme, so highlights stay readable on them."""
    from textual.color import Color, ColorParseError

    def tint(variable: str, amount: float) -> str:
        try:
            background = Color.parse(theme.get("background") or "black")
            return background.blend(Color.parse(_colour(theme, variable)), amount).hex6
        except ColorParseError:
            return "default"

    return Style(bgcolor=tint("foreground", 0.12)), Style(bgcolor=tint("accent", 0.30))


def legend(styles: Mapping[str, Style], enabled: Iterable[str], keys: Mapping[str, str]) -> Text:
    """"1 people  2 organisations …": each label in its colour, struck through when off."""
    shown = set(enabled)
    line = Text()
    for layer in LAYERS:
        on = layer in shown
        line.append(f" {keys.get(layer, '')} ", style="bold reverse" if on else "dim")
        line.append(f" {LAYER_LABELS[layer]} ", style=styles[layer] if on else Style(dim=True, strike=True))
        line.append(" ")
    return line


def reading_pages(
    paragraphs: Sequence[Paragraph], max_paragraphs: int = 200, max_chars: int = 60_000
) -> list[tuple[int, int]]:
    """The article in parts of paragraph indices ``[lo, hi)`` that the reader shows one
    at a time: a news article is one part; a dump of 100,000 paragraphs does not become
    100,000 widgets."""
    pages: list[tuple[int, int]] = []
    lo, chars = 0, 0
    for index, paragraph in enumerate(paragraphs):
        size = paragraph.end - paragraph.start
        if index > lo and (index - lo >= max_paragraphs or chars + size > max_chars):
            pages.append((lo, index))
            lo, chars = index, 0
        chars += size
    pages.append((lo, len(paragraphs)))
    return pages
