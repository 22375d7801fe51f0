"""`newsreader fetch` against a local HTTP server the test starts (never the internet)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_web_readers import PAGE
from tui.cli.main import main
from tui.corpus import load_corpus

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Local Wire</title>
<item><guid>a1</guid><title>Steel tariffs: what changes</title><link>{base}/steel.html</link>
<pubDate>Thu, 26 Apr 2018 09:00:00 GMT</pubDate><description>Tariffs, in short.</description></item>
<item><guid>a2</guid><title>Full text in the feed</title><link>{base}/full.html</link>
<pubDate>Fri, 27 Apr 2018 09:00:00 GMT</pubDate><description>Short.</description>
<content:encoded><![CDATA[<p>Chrystia Freeland met Robert Lighthizer in Washington for a third day.</p>]]></content:encoded></item>
<item><guid>a3</guid><title>A page that is gone</title><link>{base}/gone.html</link>
<pubDate>Sat, 28 Apr 2018 09:00:00 GMT</pubDate><description>What the feed says of it.</description></item>
</channel></rss>
"""


@pytest.fixture
def server():
    """A feed with an ETag, an article page, and a page that is gone; every request logged."""
    log: list[tuple[str, str | None, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            log.append((self.path, self.headers.get("If-None-Match"), self.headers.get("User-Agent")))
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send(FEED.format(base=base).encode(), "application/rss+xml", etag='"v1"')
            elif self.path == "/steel.html":
                self._send(PAGE.encode(), "text/html")
            elif self.path == "/not-a-feed":
                self._send(b"<html><body>hello</body></html>", "text/html")
            else:
                self.send_error(404)

        def _send(self, body: bytes, kind: str, etag: str | None = None):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", log
    httpd.shutdown()
    httpd.server_close()


def test_fetch_saves_feeds_and_their_articles_and_asks_again_politely(server, tmp_path, capsys):
    base, log = server
    folder = tmp_path / "news"
    assert main(["fetch", f"{base}/feed.xml", "--into", str(folder), "--delay", "0"]) == 0
    out = capsys.readouterr().out
    assert "3 new article file(s), 0 already here" in out and "HTTP 404" in out
    assert [path for path, _, _ in log] == ["/feed.xml", "/steel.html", "/gone.html"]  # a2 came whole in the feed
    assert all(agent.startswith("newsreader/") for _, _, agent in log)

    corpus = load_corpus(folder)  # what the reader opens, offline
    by_title = {a.title: a for a in corpus.articles}
    steel = by_title["Steel tariffs: what changes"]
    assert steel.date == "2018-04-26" and steel.text.startswith("U.S. Trade Representative Robert Lighthizer")
    full = by_title["Full text in the feed"]
    assert (full.source, full.date) == ("Local Wire", "2018-04-27") and "third day" in full.text
    assert by_title["A page that is gone"].text == "What the feed says of it."  # the summary, kept
    assert not corpus.skipped

    log.clear()
    assert main(["fetch", f"{base}/feed.xml", "--into", str(folder), "--delay", "0"]) == 0
    assert log == [("/feed.xml", '"v1"', log[0][2])]  # a conditional request, answered 304; nothing else
    assert "unchanged since the last fetch (304)" in capsys.readouterr().out
    assert len(load_corpus(folder).articles) == 3


def test_a_failed_feed_is_a_clear_line_and_exit_1(server, tmp_path, capsys):
    base, _ = server
    folder = tmp_path / "news"
    assert main(["fetch", f"{base}/not-a-feed", f"{base}/missing.xml", "--into", str(folder), "--delay", "0"]) == 1
    out = capsys.readouterr().out
    assert "not an RSS or Atom feed" in out and "HTTP 404" in out and "Traceback" not in out
    assert main(["fetch", "ftp://example.org/feed", "--into", str(folder)]) == 1
    assert "only http and https" in capsys.readouterr().out
