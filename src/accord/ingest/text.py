"""An article's text, from the bytes or text given: plain text as it is, HTML reduced to its
readable text (scripts, styles, navigation and other page furniture dropped).

Refused with :class:`ArticleError` (one clear sentence): nothing, more than 2 MB, binary data,
text that is not UTF-8, and text with no English sentence in it. Nothing is fetched: an HTML
page's links, images and scripts are never followed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
"""The largest article Accord reads (2 MB of UTF-8: a page's HTML is mostly markup)."""
MAX_CHARACTERS = 200_000
"""The most readable text Accord reads from one article (a long feature is about 50,000
characters); the language layer holds every word of it in memory at once."""

_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or a Word or OpenDocument file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<article\b|<(?:p|div|h[1-6]|section|main)\b)",
    re.IGNORECASE | re.DOTALL,
)
_DROPPED = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "that",
        "said",
        "says",
        "their",
        "they",
        "with",
        "would",
        "which",
        "this",
        "after",
        "from",
        "have",
        "has",
        "were",
        "been",
    ]
)
"""Common English words that are not words of the other languages articles come in."""


class ArticleError(ValueError):
    """The input is not an article Accord can read; the message says why and what was expected."""


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The text an article is read from (draft spans point into it), its title if it has one, and
    whether it came from ``text`` or ``html``."""

    text: str
    title: str | None
    format: str


def article_text(raw: bytes | str, *, fmt: str = "auto") -> ArticleText:
    """The readable text of an article given as bytes (UTF-8) or text; ``fmt`` is ``text``,
    ``html`` or ``auto`` (HTML when the input starts like an HTML page or fragment).

    Raises
    ------
    ArticleError
        When the input is empty, over :data:`MAX_BYTES`, binary, not UTF-8, has more readable
        text than :data:`MAX_CHARACTERS`, or has no English sentence.

    Examples
    --------
    >>> article_text(b"Talks resume\\n\\nThe guild said it would meet the studios on Friday.").title
    'Talks resume'
    >>> page = "<html><body><script>var x = 1;</script><p>The studios said they are close.</p></body></html>"
    >>> article_text(page).text
    'The studios said they are close.'
    >>> article_text(b"")
    Traceback (most recent call last):
    ...
    accord.ingest.text.ArticleError: the article is empty; expected the text or HTML of a news article
    """
    if fmt not in ("auto", "text", "html"):
        raise ArticleError(f"unknown format {fmt!r}; expected auto, text or html")
    text = decode_article(raw) if isinstance(raw, bytes) else _check_text(raw)
    is_html = fmt == "html" or (fmt == "auto" and _HTML_START.match(text) is not None)
    if is_html:
        body, title = html_to_text(text)
        if title and body and not body.startswith(title):
            body = f"{title}\n\n{body}"
    else:
        body = _tidy(text)
        title = _title_line(body)
    if not body.strip():
        what = "the page has no readable text" if is_html else "the article is empty"
        raise ArticleError(f"{what}; expected the text or HTML of a news article")
    if len(body) > MAX_CHARACTERS:
        raise ArticleError(
            f"the article's text is {len(body):,} characters; the most Accord reads from one article is "
            f"{MAX_CHARACTERS:,} (a long feature is about 50,000): split it or paste the part about the talks"
        )
    problem = english_problem(body)
    if problem:
        raise ArticleError(problem)
    return ArticleText(body, title, "html" if is_html else "text")


def decode_article(raw: bytes) -> str:
    """``raw`` as text: UTF-8 (a byte-order mark allowed), not over :data:`MAX_BYTES`, not binary."""
    if len(raw) > MAX_BYTES:
        raise ArticleError(
            f"the article is {len(raw):,} bytes; the most Accord reads is {MAX_BYTES:,} bytes (2 MB)"
        )
    if not raw.strip():
        raise ArticleError("the article is empty; expected the text or HTML of a news article")
    for signature, what in _SIGNATURES.items():
        if raw.startswith(signature):
            raise ArticleError(f"the file is binary ({what}); expected the text or HTML of a news article")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise ArticleError(
            f"the file is binary (a NUL byte at offset {offset}); expected the text or HTML of a news article"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = raw[error.start : error.start + 1].hex()
        raise ArticleError(
            f"byte 0x{byte} at offset {error.start} is not UTF-8; expected a UTF-8 text or HTML file"
        ) from None
    return _check_text(text)


def _check_text(text: str) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ArticleError(f"the article is over {MAX_BYTES:,} bytes; the most Accord reads is 2 MB")
    if not text.strip():
        raise ArticleError("the article is empty; expected the text or HTML of a news article")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise ArticleError(
            "the input is binary (control characters); expected the text or HTML of a news article"
        )
    return text


def _tidy(text: str) -> str:
    """Line endings as ``\\n``, no-break and other odd spaces as spaces, each line's ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\u200a\t]", " ", text)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _title_line(text: str) -> str | None:
    """The first line, when it reads as a headline: short, with no sentence-ending punctuation."""
    first = text.split("\n", 1)[0].strip()
    if first and len(first) <= 200 and "\n" in text and not re.search(r"[.!?:][\"”’')]*$", first):
        return first
    return None


def html_to_text(html: str) -> tuple[str, str | None]:
    """The readable text of an HTML page and its headline (the first ``h1``, else ``title``).

    Scripts, styles, navigation, headers, footers, asides and forms are removed before the main
    text is taken (by trafilatura; where it finds no main text, every remaining block of the
    page, one per line).
    """
    import lxml.html
    import trafilatura

    try:
        root = lxml.html.document_fromstring(html)
    except Exception as error:  # lxml raises several kinds (ParserError, ValueError) on junk
        raise ArticleError(
            f"the HTML could not be read ({error}); expected an HTML page or fragment"
        ) from None
    for element in root.iter(*_DROPPED):
        element.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    heading = root.find(".//h1")
    title_element = root.find(".//title")
    title = _clean_inline(heading.text_content()) if heading is not None else None
    if not title and title_element is not None:
        title = _clean_inline(title_element.text_content()) or None
    cleaned = lxml.html.tostring(root, encoding="unicode")
    extracted = trafilatura.extract(
        cleaned, output_format="txt", include_comments=False, include_tables=False, favor_recall=True
    )
    body = _tidy(extracted) if extracted else _blocks(root)
    return body, title


def _blocks(root: object) -> str:
    """Every block of text left in the page, one per line (the fallback for short fragments)."""
    blocks = []
    for element in root.iter("h1", "h2", "h3", "h4", "p", "li", "blockquote", "td", "pre"):  # type: ignore[attr-defined]
        if element.getparent() is not None and element.getparent().tag in ("li", "blockquote", "td"):
            continue
        text = _clean_inline(element.text_content())
        if text:
            blocks.append(text)
    if not blocks:
        text = _clean_inline(root.text_content())  # type: ignore[attr-defined]
        blocks = [text] if text else []
    return "\n\n".join(blocks)


def _clean_inline(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def english_problem(text: str) -> str | None:
    """Why ``text`` holds no English sentence (``None`` when it does): a sentence here is a line
    or a run of words between full stops with at least three words, one of them a common English
    word that other languages do not share (the, and, of, said, ...).

    Examples
    --------
    >>> english_problem("The union said it would strike.") is None
    True
    >>> english_problem("Die Gewerkschaft streikt seit Montag.")
    'found no English sentence in the article (37 characters); Accord reads articles in English'
    """
    for piece in re.split(r"[.!?\n]+", text):
        words = re.findall(r"[a-z']+", piece.lower())
        if len(words) >= 3 and _ENGLISH_WORDS.intersection(words):
            return None
    return f"found no English sentence in the article ({len(text):,} characters); Accord reads articles in English"
