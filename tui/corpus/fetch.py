"""Feeds by URL into a folder the corpus reads, politely, so that a pile of web news
stays reproducible offline.

Each entry becomes a file of its own under a folder named after the feed: the linked
page as ``.html`` (read by trafilatura like any saved page) when the feed gives only a
summary, else the entry itself as ``.json`` (title, date, source, url, text). The feed
and what was asked of the server are kept in ``.fetch/`` (hidden: the corpus does not
read it). A feed is asked for with its ETag and Last-Modified (a 304 costs nothing), an
entry already saved is never downloaded again, and every request has a timeout, a user
agent and a size limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from tui import __version__
from tui.corpus.decode import NotText

USER_AGENT = f"newsreader/{__version__} (a terminal news reader; fetches feeds a reader subscribed to)"
TIMEOUT = 20  # seconds per request
MAX_BYTES = 16 * 1024 * 1024
STATE = ".fetch"


class FetchError(Exception):
    """A feed that could not be fetched (the message says why, in one line)."""


@dataclass
class FeedReport:
    url: str
    status: str  # "new", "unchanged" (304), "failed"
    saved: list[Path] = field(default_factory=list)
    kept: int = 0  # entries already in the folder
    problems: list[str] = field(default_factory=list)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]


def http_get(url: str, headers: dict[str, str] | None = None) -> Response:
    """GET with a timeout, our user agent and a size limit; 304 is an answer, not an error."""
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            body = answer.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB")
            return Response(answer.status, body, {k.lower(): v for k, v in answer.headers.items()})
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(304, b"", {k.lower(): v for k, v in exc.headers.items()})
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: {reason}") from None


def fetch_feeds(urls: list[str], folder: Path, delay: float = 1.0,
                get: Callable[..., Response] = http_get) -> list[FeedReport]:
    """Fetch each feed into ``folder``; one failing feed does not stop the others."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"{folder}: cannot create ({exc.strerror or exc})") from None
    state_path = folder / STATE / "state.json"
    state = _load_state(state_path)
    reports = []
    for url in urls:
        try:
            reports.append(_fetch_feed(url, folder, state, delay, get))
        except FetchError as exc:
            reports.append(FeedReport(url, "failed", problems=[str(exc)]))
        except OSError as exc:  # the folder cannot be written: no use going on
            raise FetchError(f"{folder}: cannot write ({exc.strerror or exc})") from None
        try:
            _save_json(state_path, state)
        except OSError as exc:
            raise FetchError(f"{state_path}: cannot write ({exc.strerror or exc})") from None
    return reports


def _fetch_feed(url: str, folder: Path, state: dict, delay: float, get) -> FeedReport:
    known = state.setdefault("feeds", {}).get(url, {})
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    answer = get(url, headers)
    if answer.status == 304:
        return FeedReport(url, "unchanged")
    from tui.corpus.web_readers import parse_feed  # feedparser, only when fetching

    try:
        feed = parse_feed(answer.body)
    except NotText as exc:
        raise FetchError(f"{url}: {exc}") from None
    slug = _slug(feed.title or urlparse(url).netloc)
    _write(folder / STATE / f"{slug}.xml", answer.body)
    state["feeds"][url] = {"etag": answer.headers.get("etag"), "last_modified": answer.headers.get("last-modified"),
                           "folder": slug}
    report = FeedReport(url, "new")
    seen = state.setdefault("entries", {})
    for entry in feed.entries:
        key = entry.id or entry.url or entry.title or ""
        if not key:
            continue
        name = seen.get(key) or f"{slug}/{_slug(entry.title or 'entry')}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
        if any((folder / f"{name}{suffix}").exists() for suffix in (".html", ".json")):
            report.kept += 1
            continue
        path = None
        if not entry.full and entry.url:
            try:
                if delay:
                    time.sleep(delay)  # one request at a time, spaced: a reader, not a crawler
                page = get(entry.url, {})
                if page.status == 200 and page.body.strip():
                    path = _write(folder / f"{name}.html", page.body)
            except FetchError as exc:
                report.problems.append(f"{exc} (the feed's summary is kept instead)")
        if path is None:
            path = _write(folder / f"{name}.json", json.dumps(
                {"title": entry.title, "date": entry.date, "source": feed.title, "url": entry.url, "text": entry.text},
                ensure_ascii=False, indent=1).encode("utf-8"))
        seen[key] = name
        report.saved.append(path)
    return report


def _slug(text: str) -> str:
    cleaned = re.sub(r"[^\w]+", "-", text.casefold()).strip("-")[:60].strip("-")
    return cleaned or "feed"


def _load_state(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_json(path: Path, data: dict) -> None:
    _write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _write(path: Path, data: bytes) -> Path:
    """Atomically: a fetch interrupted half-way never leaves half a file to read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".fetching-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
