"""Excerpts as a briefing: Markdown, JSON, CSV, plain text, BibTeX, CSL-JSON; written
atomically (a temporary file in the same folder, then a rename)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from tui.excerpts.model import Excerpt

FORMATS = ("md", "json", "csv", "txt", "bib", "csl")
SUFFIXES = {"md": ".md", "json": ".json", "csv": ".csv", "txt": ".txt", "bib": ".bib", "csl": ".csl.json"}
# Inline markers are escaped everywhere; block markers only where they start a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+\-=>])", re.MULTILINE)
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1. not a list": the dot is escaped


class ExportError(RuntimeError):
    """An export that could not be written; nothing was changed."""


def citation(excerpt: Excerpt) -> str:
    """Title, source, date, paragraph, where: "Lighthizer…, Bloomberg, 2018-04-26, ¶4, https://…"."""
    parts = [excerpt.title]
    parts += [p for p in (excerpt.source, excerpt.date) if p]
    if excerpt.paragraph is not None:
        parts.append(f"¶{excerpt.paragraph}")
    where = excerpt.url or excerpt.path
    if where:
        parts.append(where)
    return ", ".join(parts)


def attributed(excerpt: Excerpt) -> str:
    """A quote with its speaker, “…” — Chrystia Freeland: the marked words alone do not say
    who said them. Other excerpts as they are."""
    return f"“{excerpt.text}” — {excerpt.speaker}" if excerpt.speaker else excerpt.text


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as it is: "*not emphasis*", "# not a heading", "1. not a list"."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", text)
    escaped = _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _MARKDOWN_NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def to_markdown(
    excerpts: Sequence[Excerpt],
    title: str = "Briefing",
    group_by: str = "article",
    issues_of: Callable[[Excerpt], Sequence[str]] | None = None,
) -> str:
    """A heading, then the excerpts grouped by article (or by issue), each as a block
    quote (a quote attributed) followed by its citation, tags and query, and note."""
    lines = [f"# {escape_markdown(title)}", ""]
    groups: dict[str, list[Excerpt]] = {}
    for excerpt in excerpts:
        if group_by == "issue":
            keys = list(issues_of(excerpt)) if issues_of else []
            for key in keys or ["Other passages"]:
                groups.setdefault(key, []).append(excerpt)
        else:
            groups.setdefault(excerpt.title, []).append(excerpt)
    for heading, members in groups.items():
        lines += [f"## {escape_markdown(heading)}", ""]
        for excerpt in members:
            for line in attributed(excerpt).split("\n"):
                lines.append(f"> {escape_markdown(line)}" if line.strip() else ">")
            lines.append("")
            cite = f"— {escape_markdown(citation(excerpt))}"
            if excerpt.status != "ok":
                cite += f" *({excerpt.status}: check against the article)*"
            lines.append(cite)
            if details := _markdown_details(excerpt):
                lines += ["", details]
            if excerpt.note:
                lines += ["", f"*Note:* {escape_markdown(excerpt.note)}"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_details(excerpt: Excerpt) -> str:
    """"*Tags:* use, check · *Query:* `sunset`", or "" when there are neither; the query as
    code, so its quotes and operators read as typed."""
    parts = []
    if excerpt.tags:
        parts.append("*Tags:* " + ", ".join(escape_markdown(t) for t in excerpt.tags))
    if excerpt.query:
        parts.append(f"*Query:* {_code(excerpt.query)}")
    return " · ".join(parts)


def _code(text: str) -> str:
    """A Markdown code span holding ``text`` as it is, backticks included."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _record(excerpt: Excerpt) -> dict:
    return {
        "article_id": excerpt.article_id, "title": excerpt.title, "source": excerpt.source, "date": excerpt.date,
        "url": excerpt.url, "path": excerpt.path, "paragraph": excerpt.paragraph, "start": excerpt.start,
        "end": excerpt.end, "text": excerpt.text, "speaker": excerpt.speaker, "note": excerpt.note,
        "tags": list(excerpt.tags),
        "query": excerpt.query, "status": excerpt.status, "citation": citation(excerpt),
        "marked": datetime.fromtimestamp(excerpt.created, tz=timezone.utc).isoformat() if excerpt.created else None,
    }


def to_json(excerpts: Sequence[Excerpt]) -> str:
    return json.dumps({"excerpts": [_record(e) for e in excerpts]}, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_csv(excerpts: Sequence[Excerpt]) -> str:
    """RFC 4180: CRLF line ends, quotes doubled, fields with separators quoted. New columns
    go last: a sheet that reads columns by position keeps working."""
    columns = ["title", "source", "date", "paragraph", "text", "note", "tags", "url", "path", "article_id", "status",
               "query", "speaker"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for excerpt in excerpts:
        record = _record(excerpt)
        record["tags"] = "; ".join(record["tags"])
        writer.writerow([_cell(record[c]) for c in columns])
    return out.getvalue()


def _cell(value: object) -> object:
    """A spreadsheet runs a cell starting with = + - @ as a formula ("=HYPERLINK(…)" in a
    scraped title): such text gets a leading apostrophe, which spreadsheets show as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_text(excerpts: Sequence[Excerpt], title: str = "Briefing") -> str:
    blocks = [title, "=" * len(title), ""]
    for number, excerpt in enumerate(excerpts, start=1):
        blocks.append(f"{number}. {attributed(excerpt)}")
        blocks.append(f"   — {citation(excerpt)}")
        details = [f"Tags: {', '.join(excerpt.tags)}"] if excerpt.tags else []
        details += [f"Query: {excerpt.query}"] if excerpt.query else []
        if details:
            blocks.append("   " + " · ".join(details))
        if excerpt.note:
            blocks.append(f"   Note: {excerpt.note}")
        blocks.append("")
    return "\n".join(blocks).rstrip() + "\n"


def _cited_articles(excerpts: Sequence[Excerpt]) -> list[Excerpt]:
    seen: dict[str, Excerpt] = {}
    for excerpt in excerpts:
        seen.setdefault(excerpt.article_id, excerpt)
    return list(seen.values())


def _bib_key(excerpt: Excerpt, taken: set[str]) -> str:
    ascii_title = unicodedata.normalize("NFKD", excerpt.title).encode("ascii", "ignore").decode()
    word = next((w for w in re.findall(r"[A-Za-z]{4,}", ascii_title)), "article").lower()
    year = (excerpt.date or "")[:4] or "nd"
    key = f"{word}{year}"
    suffix = 0
    while key in taken:
        suffix += 1
        key = f"{word}{year}{chr(ord('a') + suffix - 1)}"
    taken.add(key)
    return key


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_^~\\])", r"\\\1", text)


def to_bibtex(excerpts: Sequence[Excerpt]) -> str:
    """One @article (or @misc without a source) per cited article."""
    taken: set[str] = set()
    entries = []
    for excerpt in _cited_articles(excerpts):
        fields = {"title": excerpt.title}
        if excerpt.source:
            fields["journal"] = excerpt.source
        if excerpt.date:
            fields["date"] = excerpt.date
            fields["year"] = excerpt.date[:4]
        if excerpt.url:
            fields["url"] = excerpt.url
        elif excerpt.path:
            fields["note"] = f"file: {excerpt.path}"
        kind = "article" if excerpt.source else "misc"
        body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in fields.items())
        entries.append(f"@{kind}{{{_bib_key(excerpt, taken)},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def to_csl_json(excerpts: Sequence[Excerpt]) -> str:
    items = []
    for excerpt in _cited_articles(excerpts):
        item: dict = {"id": excerpt.article_id, "type": "article-newspaper", "title": excerpt.title}
        if excerpt.source:
            item["container-title"] = excerpt.source
        if excerpt.date:
            item["issued"] = {"date-parts": [[int(p) for p in excerpt.date.split("-")]]}
        if excerpt.url:
            item["URL"] = excerpt.url
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, excerpts: Sequence[Excerpt], title: str = "Briefing", group_by: str = "article",
           issues_of: Callable[[Excerpt], Sequence[str]] | None = None) -> str:
    renderers: Mapping[str, Callable[[], str]] = {
        "md": lambda: to_markdown(excerpts, title, group_by, issues_of),
        "json": lambda: to_json(excerpts),
        "csv": lambda: to_csv(excerpts),
        "txt": lambda: to_text(excerpts, title),
        "bib": lambda: to_bibtex(excerpts),
        "csl": lambda: to_csl_json(excerpts),
    }
    if fmt not in renderers:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderers[fmt]()


def write_atomic(path: Path, content: str) -> Path:
    """Write ``content`` to ``path`` all at once: a failure leaves the old file intact."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{folder}: no such folder")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise ExportError(f"{path}: not written ({exc.strerror or exc}); nothing was changed") from None
    return path
