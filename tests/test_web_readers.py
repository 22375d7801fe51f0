"""News from the web: RSS and Atom feeds and saved pages, as files in the corpus folder."""

from __future__ import annotations

from tests.conftest import write
from tui.corpus import load_corpus

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>World &amp; Trade News</title><link>https://example.org/</link>
<item><title>Tariffs rise on steel</title><link>https://example.org/steel</link>
<pubDate>Tue, 03 Apr 2018 14:30:00 GMT</pubDate><description>Short summary.</description>
<content:encoded><![CDATA[<p>Robert Lighthizer said tariffs on steel would rise.</p>
<p>Chrystia Freeland <b>disagreed</b> [bold]strongly[/bold].</p><script>alert(1)</script>]]></content:encoded></item>
<item><title>Only a summary</title><link>https://example.org/two</link>
<pubDate>Wed, 04 Apr 2018 23:30:00 -0500</pubDate>
<description>&lt;p&gt;Talks resumed in Washington.&lt;/p&gt;</description></item>
<item><title>Nothing in it</title><link>https://example.org/empty</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Ottawa Desk</title>
<entry><title>Freeland returns to Washington</title><link href="https://example.ca/freeland"/>
<id>urn:1</id><updated>2018-05-07T10:00:00Z</updated>
<content type="html">&lt;p&gt;Chrystia Freeland flew to Washington.&lt;/p&gt;&lt;p&gt;Talks go on.&lt;/p&gt;</content></entry>
</feed>
"""

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Steel tariffs: what changes | Example News</title>
<meta property="og:title" content="Steel tariffs: what changes">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2018-04-26T09:00:00Z">
<link rel="canonical" href="https://news.example.org/2018/04/steel-tariffs"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<header><div class="menu">Subscribe now! Sign in. Newsletters.</div></header>
<article><h1>Steel tariffs: what changes</h1>
<p>U.S. Trade Representative Robert Lighthizer said on Thursday that tariffs on steel imports would take effect
next month, after talks with Canada and Mexico stalled over rules of origin for cars.</p>
<p>Canada's foreign minister, Chrystia Freeland, said the negotiations had made significant progress but that
important differences remained on dispute settlement and the sunset clause.</p></article>
<footer><p>© 2018 Example News. All rights reserved. Privacy policy. Cookie settings.</p></footer>
</body></html>
"""


def test_an_rss_feed_gives_an_article_per_entry_with_its_fields(tmp_path):
    write(tmp_path / "world.rss", RSS)
    corpus = load_corpus(tmp_path)
    first, second = corpus.articles
    assert (first.id, first.title, first.date, first.source, first.url) == (
        "world-1", "Tariffs rise on steel", "2018-04-03", "World & Trade News", "https://example.org/steel")
    # the full content, not the summary; tags gone, scripts dropped, markup kept as text
    assert first.text == "Robert Lighthizer said tariffs on steel would rise.\n\nChrystia Freeland disagreed [bold]strongly[/bold]."
    assert len(first.paragraphs) == 2
    assert (second.text, second.date) == ("Talks resumed in Washington.", "2018-04-05")  # 23:30 at -05:00 is UTC the 5th
    assert [(str(s.path).split("#")[-1], s.reason) for s in corpus.skipped] == [("entry 3", "an entry without text")]


def test_an_atom_feed_and_a_feed_saved_as_xml(tmp_path):
    write(tmp_path / "ottawa.xml", ATOM)
    (article,) = load_corpus(tmp_path).articles
    assert (article.title, article.date, article.source, article.url) == (
        "Freeland returns to Washington", "2018-05-07", "Ottawa Desk", "https://example.ca/freeland")
    assert article.text == "Chrystia Freeland flew to Washington.\n\nTalks go on."


def test_a_saved_page_gives_its_main_text_and_metadata_without_the_boilerplate(tmp_path):
    write(tmp_path / "steel.html", PAGE)
    (article,) = load_corpus(tmp_path).articles
    assert (article.title, article.date, article.source, article.url) == (
        "Steel tariffs: what changes", "2018-04-26", "Example News", "https://news.example.org/2018/04/steel-tariffs")
    assert article.text.startswith("U.S. Trade Representative Robert Lighthizer said on Thursday")
    assert "Chrystia Freeland" in article.text
    for boilerplate in ("Subscribe", "Home", "All rights reserved", "Cookie"):
        assert boilerplate not in article.text


def test_hostile_and_foreign_files_are_skipped_with_a_reason_and_never_hang(tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    write(tmp_path / "laughs.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">' + entities + "]>"
          '<rss version="2.0"><channel><title>&l9;</title><item><title>x</title><description>&l9;</description>'
          "</item></channel></rss>")
    write(tmp_path / "external.rss", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
          '<rss version="2.0"><channel><title>&x;</title><item><title>t</title><description>&x;</description>'
          "</item></channel></rss>")
    depth = 20_000
    write(tmp_path / "deep.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item>'
          "<title>t</title><description>" + "&lt;div&gt;" * depth + "words" + "&lt;/div&gt;" * depth
          + "</description></item></channel></rss>")
    write(tmp_path / "deep.html", "<html><body>" + "<div>" * depth + "<p>a</p>" + "</div>" * depth + "</body></html>")
    write(tmp_path / "config.xml", '<?xml version="1.0"?><config><a>1</a></config>')
    write(tmp_path / "menu.html", "<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav></body></html>")
    corpus = load_corpus(tmp_path)  # (returns: nothing expands, nothing recurses without end)
    reasons = {s.path.name: s.reason for s in corpus.skipped}
    assert "XML entities" in reasons["laughs.xml"] and "XML entities" in reasons["external.rss"]
    assert reasons["config.xml"] == "not an RSS or Atom feed"
    assert "no article text" in reasons["menu.html"] and "no article text" in reasons["deep.html"]
    (deep,) = corpus.articles
    assert deep.text == "words" and deep.source == "Deep"
    assert all("lol" not in a.text and "root:" not in a.text for a in corpus.articles)


def test_a_huge_page_is_skipped_before_it_is_parsed(tmp_path):
    from tui.corpus.web_readers import MAX_PAGE_BYTES

    paragraph = "<p>" + "word " * 40 + "</p>\n"
    write(tmp_path / "huge.html", "<html><body><article>" + paragraph * (MAX_PAGE_BYTES // len(paragraph) + 1)
          + "</article></body></html>")
    corpus = load_corpus(tmp_path)
    assert not corpus.articles
    (skipped,) = corpus.skipped
    assert "a web page of 8 MB: not read" in skipped.reason


def test_references_to_windows_1252_characters_read_as_html5_reads_them(tmp_path):
    """``&#146;`` is ``’`` (HTML5 reads references to 128-159 as windows-1252), in a
    feed's HTML and in a saved page, whatever libxml2 the page is parsed with; a text
    file is not HTML: its ``&#146;`` is what it says."""
    write(tmp_path / "quotes.rss", """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Joe&#146;s Wire</title><item><title>Don&#146;t panic</title>
<description>We don&amp;#146;t know &amp;#147;why&amp;#148; &amp;#150; it costs &amp;#128;5&amp;#133;</description>
</item></channel></rss>""")
    sentence = "We don&#146;t know &#147;why&#148; &#150; it costs &#128;5&#133; and so on, said O&#x92;Brien. "
    write(tmp_path / "quotes.html", "<html><head><title>Don&#146;t panic</title></head><body><article>"
          f"<p>{sentence * 2}</p></article></body></html>")
    write(tmp_path / "quotes.txt", "Don&#146;t panic\n\nAs written in the file.")
    page, feed, text = load_corpus(tmp_path).articles  # (in the order of their names)
    assert (feed.source, feed.title, feed.text) == ("Joe’s Wire", "Don’t panic", "We don’t know “why” – it costs €5…")
    assert page.title == "Don’t panic"
    assert page.text == ("We don’t know “why” – it costs €5… and so on, said O’Brien. " * 2).strip()
    assert text.title == "Don&#146;t panic"


ESCAPED_MARKUP = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Tags &amp;amp; Markup</title>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">The &lt;blink&gt; tag</div></title><id>1</id>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">History of the &lt;blink&gt; tag</div></content></entry>
<entry><title type="html">AT&amp;amp;T &amp;lt;b&amp;gt;</title><id>2</id>
<content type="html">&lt;p&gt;The &amp;lt;b&amp;gt; tag, &lt;b&gt;bold&lt;/b&gt; at AT&amp;amp;T;
&amp;amp;lt; is how &amp;lt; is written&lt;/p&gt;</content></entry>
<entry><title type="text">AT&amp;T &lt;3</title><id>3</id>
<content type="text">Plain text: &lt;blink&gt; and AT&amp;T stay as they are</content></entry>
<entry><title>Summary only</title><id>4</id>
<summary type="html">AT&amp;amp;T and the &amp;lt;blink&amp;gt; tag</summary></entry>
</feed>
"""


def test_markup_escaped_in_a_feed_is_text_and_stays_text(tmp_path):
    """Each text construct is read by its type: (X)HTML is parsed, so that markup escaped
    in it is text (once: ``&amp;lt;`` is ``&lt;``); plain text is taken as it is."""
    write(tmp_path / "tags.atom", ESCAPED_MARKUP)
    corpus = load_corpus(tmp_path)
    assert [(a.source, a.title, a.text) for a in corpus.articles] == [
        ("Tags & Markup", "The <blink> tag", "History of the <blink> tag"),
        ("Tags & Markup", "AT&T <b>", "The <b> tag, bold at AT&T; &lt; is how < is written"),
        ("Tags & Markup", "AT&T <3", "Plain text: <blink> and AT&T stay as they are"),
        ("Tags & Markup", "Summary only", "AT&T and the <blink> tag"),
    ]
    # RSS does not say: feedparser takes a title with a closing tag or a reference for HTML
    rss = write(tmp_path / "rss" / "titles.rss", '<rss version="2.0"><channel><item><title>Q&amp;amp;A on '
                "&lt;b&gt;steel&lt;/b&gt;</title><description>Text.</description></item><item><title>The "
                "&lt;blink&gt; tag</title><description>Text.</description></item></channel></rss>")
    assert [a.title for a in load_corpus(rss).articles] == ["Q&A on steel", "The <blink> tag"]
