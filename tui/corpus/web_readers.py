"""Readers for news as it comes from the web: RSS and Atom feeds (feedparser) and saved
HTML pages (trafilatura, which keeps the article and drops navigation and boilerplate).

Both libraries are imported by the reader that needs them (a start reading text files
never pays for them). XML that declares entities is refused before feedparser sees it
(defusedxml): a "billion laughs" feed would otherwise expand to gigabytes.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser

from tui.corpus.decode import NotText, clean_text
from tui.corpus.dates import parse_date
from tui.corpus.readers import Problem, RawDocument, _decode

BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
          "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt"}
MIN_WORDS = 10  # a page's main text shorter than this is not an article
MAX_PAGE_BYTES = 8 * 1024 * 1024  # saved news pages are well under 2 MB; a 30 MB one took lxml 44 s and 0.9 GB
SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}


class _TextOf(HTMLParser):
    """An HTML fragment's text, a blank line between blocks (no tree: any depth is fine)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Paragraphs of an HTML fragment (a feed entry's content), as plain text.

    Parsed even without a tag: its references are markup too (``&#146;`` is ``’``, by
    HTML5's windows-1252 reading of references to 128-159, which the parser follows)."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    paragraphs = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return clean_text("\n\n".join(p for p in paragraphs if p))


# feedparser's types of a text construct whose value is markup; any other is text.
_MARKUP_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _construct_text(detail) -> str:
    """A feed's text construct (``title_detail``, a ``content`` item …) as plain text,
    read by its type: (X)HTML is parsed, so that markup escaped in it is text (once:
    ``&amp;lt;`` is ``&lt;``); plain text is taken as it is (parsed, its ``<blink>``,
    escaped in the feed, would be dropped as a tag)."""
    if not detail:
        return ""
    value = detail.get("value") or ""
    return html_to_text(value) if detail.get("type") in _MARKUP_TYPES else clean_text(value)


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str | None
    title: str | None
    date: str | None
    url: str | None
    text: str  # the full content where the feed has it, else the summary
    full: bool  # whether ``text`` is the entry's full content


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes) -> Feed:
    """An RSS or Atom feed's entries; raise NotText for what is not a feed, or not safe."""
    if _ENTITY_DECLARATION.search(data[:1_000_000]):
        raise NotText("the feed declares XML entities (refused: they can expand without limit or read other files)")
    if _DOCTYPE.search(data[:1_000_000]):  # (a DTD sits in the prolog; most feeds have none: one parse, not two)
        _check_xml(data)
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        detail = f" ({_short(parsed.get('bozo_exception'))})" if parsed.get("bozo") else ""
        raise NotText(f"not an RSS or Atom feed{detail}")
    entries = []
    for entry in parsed.entries:
        content = max((_construct_text(c) for c in entry.get("content") or []), key=len, default="")
        summary = _construct_text(_summary(entry))
        entries.append(FeedEntry(_text(entry.get("id")), _text(_construct_text(entry.get("title_detail"))),
                                 _entry_date(entry), _text(entry.get("link")), content or summary,
                                 len(content) > len(summary)))
    return Feed(_text(_construct_text(parsed.feed.get("title_detail"))), entries)


def _summary(entry):
    """The entry's summary with its type. An entry without one has a copy of its content
    as ``summary`` (feedparser's doing), without the type: the content's, found by value."""
    if "summary_detail" in entry:
        return entry.summary_detail
    return next((c for c in entry.get("content") or [] if c.get("value") == entry.get("summary")), None)


def read_feed(data: bytes) -> Iterator[RawDocument | Problem]:
    """RSS or Atom: one article per entry, with its title, date, link and the feed's
    title as source; the entry's full content where present, its summary otherwise."""
    feed = parse_feed(data)
    if not feed.entries:
        yield Problem("a feed without entries")
    for number, entry in enumerate(feed.entries, start=1):
        if not entry.text.strip():
            yield Problem("an entry without text", part=f"entry {number}")
            continue
        yield RawDocument(text=entry.text, title=entry.title, date=entry.date, source=feed.title, url=entry.url,
                          part=number)


def _check_xml(data: bytes) -> None:
    """Refuse what defusedxml refuses (entities, external references); a file that is not
    well-formed XML is left to feedparser, which reads broken feeds on purpose."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise NotText(f"unsafe XML refused ({type(exc).__name__})") from None
    except (ParseError, ValueError, RecursionError):
        pass


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return parse_date(datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc))
            except (OverflowError, ValueError, TypeError):
                continue
    return parse_date(entry.get("published") or entry.get("updated"))


# A numeric reference to 128-159 (``&#146;``, ``&#x92``): HTML5 reads it as the
# windows-1252 character (``’``), libxml2 before 2.14 (lxml 5) as a C1 control, which
# clean_text then drops ("dont").
_C1_REFERENCE = re.compile(r"&#(?:0*(?:12[89]|1[3-5][0-9])(?![0-9])|[xX]0*[89][0-9a-fA-F](?![0-9a-fA-F]));?")


def _windows_1252_references(page: str) -> str:
    """The page with those references made the characters HTML5 reads (``html.unescape``
    follows HTML5), so that its text is the same whatever libxml2 lxml comes with."""
    return _C1_REFERENCE.sub(lambda ref: html.unescape(ref.group()), page)


def read_html(data: bytes) -> Iterator[RawDocument | Problem]:
    """A saved web page: its main text, with title, date, author or site, and URL from the
    page's metadata."""
    if len(data) > MAX_PAGE_BYTES:
        yield Problem(f"a web page of {len(data) / 1048576:.0f} MB: not read (pages over "
                      f"{MAX_PAGE_BYTES // 1048576} MB are not articles, and would take minutes and gigabytes)")
        return
    raw, encoding = _decode(data)
    raw = _windows_1252_references(raw)
    import trafilatura

    try:
        found = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=False,
                                            favor_precision=True)
    except (ValueError, RecursionError) as exc:  # what lxml gives up on
        yield Problem(f"not a readable web page ({_short(exc)})")
        return
    if found is None or not (found.text or "").strip():
        yield Problem("no article text found in the page (navigation or boilerplate only)")
        return
    paragraphs = [" ".join(line.split()) for line in found.text.split("\n") if line.strip()]
    title = _text(found.title)
    if paragraphs and title and paragraphs[0] == title:  # the page's headline, already the title
        paragraphs = paragraphs[1:]
    text = clean_text("\n\n".join(paragraphs))
    if len(text.split()) < MIN_WORDS:  # what is left of a page of links and menus
        yield Problem(f"no article text found in the page (under {MIN_WORDS} words: navigation or boilerplate only)")
        return
    source = _text(found.sitename) or _text(found.author) or _text(found.hostname)
    yield RawDocument(text=text, title=title, date=parse_date(found.date), source=source,
                      url=_text(found.url), encoding=encoding)


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(clean_text(value).split())
    return cleaned or None


def _short(exc: object) -> str:
    return " ".join(str(exc).split())[:120] if exc else "unreadable"
