"""An article's text from bytes or HTML, and the inputs that are refused with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.casefile import bundled_case
from accord.ingest import MAX_BYTES, ArticleError
from accord.ingest.reader import read_article
from accord.ingest.text import MAX_CHARACTERS, article_text, decode_article

ENGLISH = b"Talks resume\n\nThe guild said on Friday that it would meet the studios next week."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the article is empty"),
        (b"   \n\n\t ", "the article is empty"),
        (b"%PDF-1.7 binary stuff", "binary (a PDF file)"),
        (b"PK\x03\x04 zip", "binary (a ZIP archive"),
        (b"The union said\x00\x01 it would", "binary (a NUL byte at offset 14)"),
        ("The guild said it would strike.".encode("utf-16"), "binary (a NUL byte"),
        (b"The guild said caf\xe9 talks ended.", "byte 0xe9 at offset 18 is not UTF-8"),
        (b"Die Gewerkschaft sagte am Freitag, sie werde streiken.", "found no English sentence"),
        ("労働組合は金曜日にストライキを行うと述べた。".encode(), "found no English sentence"),
        (b"<html><body><script>var a = 'The union said';</script></body></html>", "no readable text"),
    ],
)
def test_bad_input_is_refused_with_a_message_that_says_why(raw, message):
    with pytest.raises(ArticleError) as caught:
        article_text(raw)
    assert message in str(caught.value)


def test_more_than_2_mb_is_refused_naming_the_limit():
    raw = (ENGLISH + b"\n") * (MAX_BYTES // len(ENGLISH) + 1)
    with pytest.raises(ArticleError) as caught:
        decode_article(raw)
    assert f"{MAX_BYTES:,} bytes (2 MB)" in str(caught.value)
    with pytest.raises(ArticleError, match="2 MB"):
        article_text(raw.decode())


def test_exactly_2_mb_of_html_is_read() -> None:
    line = b"<script>window.analytics.push({page: 'news', section: 'business', ad: true});</script>\n"
    body = b"<p>The union said it would meet the studios on Friday.</p>\n"
    raw = b"<html><body>" + body + line * ((MAX_BYTES - len(body) - 30) // len(line)) + b"</body></html>"
    assert len(raw) <= MAX_BYTES
    assert article_text(raw).text.startswith("The union said")


def test_more_readable_text_than_the_language_layer_holds_is_refused_naming_the_limit() -> None:
    """Text up to 2 MB used to pass here and fail in spaCy (over a million characters): a 500."""
    line = "The union said it would meet the studios on Friday.\n"
    with pytest.raises(ArticleError, match=f"the most Accord reads from one article is {MAX_CHARACTERS:,}"):
        article_text(line * (MAX_CHARACTERS // len(line) + 1))
    assert article_text(line * (MAX_CHARACTERS // len(line))).text.startswith("The union said")
    with pytest.raises(ArticleError, match="characters"):
        read_article(bundled_case("wga-amptp-2023"), line * 30_000, published=dt.date(2023, 6, 3))


def test_plain_text_keeps_its_paragraphs_and_takes_the_first_line_as_title():
    read = article_text(ENGLISH)
    assert read.format == "text"
    assert read.title == "Talks resume"
    assert read.text == ENGLISH.decode()


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    assert article_text(b"The guild said it would strike.\n\nThe studios said nothing.").title is None


def test_windows_line_endings_bom_and_curly_quotes_are_read():
    raw = "\ufeffTalks\r\n\r\n\u201cWe are close,\u201d the studios said.\r\n".encode()
    read = article_text(raw)
    assert read.text == "Talks\n\n\u201cWe are close,\u201d the studios said."


def test_html_drops_scripts_styles_navigation_and_comments():
    page = """<!doctype html><html><head><title>T | Site</title><style>p { color: red }</style>
    <script>document.write("The studios said they will never sign.")</script></head>
    <body><nav>Home | News</nav><!-- The guild said secret things. -->
    <h1>Studios answer the guild</h1>
    <p>The AMPTP said on Friday that its members are aligned.</p>
    <p>"Any suggestion to the contrary is false," the statement said.</p>
    <footer>Copyright</footer><noscript>Enable JavaScript, the union said.</noscript></body></html>"""
    read = article_text(page)
    assert read.format == "html"
    assert read.title == "Studios answer the guild"
    assert read.text.splitlines()[0] == "Studios answer the guild"
    assert "The AMPTP said on Friday that its members are aligned." in read.text
    for dropped in (
        "never sign",
        "secret things",
        "Home | News",
        "Copyright",
        "Enable JavaScript",
        "color: red",
    ):
        assert dropped not in read.text


def test_html_can_be_forced_or_refused_by_format():
    fragment = "<p>The guild said it would return to the table.</p>"
    assert article_text(fragment, fmt="text").text == fragment
    assert article_text(fragment, fmt="html").text == "The guild said it would return to the table."
    with pytest.raises(ArticleError, match="unknown format 'pdf'"):
        article_text(fragment, fmt="pdf")
