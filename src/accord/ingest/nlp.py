"""The language layer: spaCy's blank English pipeline (a tokenizer; no trained model, nothing
downloaded), sentences that respect quotation marks and paragraphs, an entity ruler built from the
case's names (:class:`~accord.ingest.lexicon.Lexicon`) and a matcher for the words that signal
speech, offers, answers and requests.

spaCy is imported only here, and only when an article is read: ``accord --help`` does not load it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.ingest.lexicon import Pattern

if TYPE_CHECKING:
    from spacy.tokens import Doc

CUES: dict[str, Sequence[str]] = {
    "SPEECH": [
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tells",
        "telling",
        "wrote",
        "writes",
        "writing",
        "added",
        "adds",
        "adding",
        "argued",
        "argues",
        "arguing",
        "insisted",
        "insists",
        "insisting",
        "claimed",
        "claims",
        "stated",
        "states",
        "noted",
        "notes",
        "noting",
        "warned",
        "warns",
        "countered",
        "contended",
        "contends",
        "maintained",
        "maintains",
        "accused",
        "accuses",
        "accusing",
        "called",
        "calls",
        "calling",
        "described",
        "describes",
        "acknowledged",
        "acknowledges",
        "urged",
        "urges",
        "urging",
        "complained",
        "blamed",
        "charged",
        "announced",
        "declared",
        "explained",
        "continued",
        "stressed",
        "emphasized",
        "reiterated",
        "conceded",
        "confirmed",
        "denied",
        "dismissed",
        "questioned",
        "criticized",
        "blasted",
        "slammed",
        "praised",
        "welcomed",
        "asserted",
        "asserts",
        "alleged",
        "predicted",
        "suggested",
        "vowed",
        "pledged",
        "promised",
        "tweeted",
    ],
    "OFFER_NOUN": [
        "offer",
        "offers",
        "proposal",
        "proposals",
        "counterproposal",
        "counterproposals",
        "counteroffer",
        "counteroffers",
        "package",
        "packages",
    ],
    "OFFER_VERB": [
        "offered",
        "proposed",
        "presented",
        "tabled",
        "unveiled",
        "submitted",
        "made",
        "put",
        "delivered",
        "sent",
        "released",
    ],
    "RESPONSE_VERB": [
        "responded",
        "replied",
        "answered",
        "rejected",
        "accepted",
        "accepting",
        "rejecting",
        "agreed",
        "turned",
        "voted",
        "delivered",
        "sent",
    ],
    "REQUEST_VERB": [
        "asked",
        "asks",
        "asking",
        "urged",
        "urges",
        "urging",
        "invited",
        "invites",
        "pressed",
        "implored",
        "challenged",
        "requested",
        "sought",
    ],
    "START_VERB": ["began", "begun", "begin", "starting", "started", "struck", "walked", "since", "launched"],
    "END_VERB": ["ended", "suspended", "lifted"],
}
"""Single words that signal each cue (lower case); phrases are added in :func:`_matcher`."""


@dataclass
class Sentence:
    """One sentence of the article: where it is (characters and tokens), its text, and the parts
    of it inside quotation marks."""

    index: int
    paragraph: int
    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str
    quotes: list[tuple[int, int]] = field(default_factory=list)
    is_title: bool = False

    @property
    def quote_text(self) -> str | None:
        parts = [
            re.sub(r"[\s,;:]+$", "", self.text[a - self.start : b - self.start]).strip()
            for a, b in self.quotes
        ]
        parts = [p for p in parts if re.search(r"[A-Za-z]", p)]
        return " … ".join(parts) if parts else None

    def in_quote(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.quotes)


@dataclass
class Analysis:
    """An article after the language layer: the spaCy document, its sentences, and per token the
    party or issue it names, whether it is quoted, and the cues it carries."""

    doc: Doc
    text: str
    sentences: list[Sentence]
    party: list[str | None]
    issue: list[str | None]
    quoted: list[bool]
    cues: list[set[str]]


_STRAIGHT = {ord(c): '"' for c in "“”„«»"} | {ord(c): "'" for c in "‘’´"}


def normalise(text: str) -> str:
    """Curly quotes and apostrophes as straight ones (one character for one: offsets hold)."""
    return text.translate(_STRAIGHT)


@functools.lru_cache(maxsize=4)
def _pipeline(patterns: tuple[Pattern, ...]) -> tuple[Any, Any, Any]:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns([{"label": label, "pattern": phrase, "id": item} for label, item, phrase in patterns])
    return nlp, ruler, _matcher(Matcher(nlp.vocab))


def _matcher(matcher: Any) -> Any:
    for label, words in CUES.items():
        matcher.add(label, [[{"LOWER": {"IN": list(words)}}]])
    matcher.add("ACCORDING", [[{"LOWER": "according"}, {"LOWER": "to"}]])
    matcher.add("REQUEST_VERB", [[{"LOWER": {"IN": ["called", "calls", "calling"]}}, {"LOWER": "on"}]])
    return matcher


_LOCK = threading.Lock()
"""One article at a time per process (a server reads on several threads)."""


@contextlib.contextmanager
def analysed(text: str, patterns: tuple[Pattern, ...]) -> Iterator[Analysis]:
    """Tokens, sentences, party and issue mentions and cues of ``text``, valid inside the block.

    spaCy's vocabulary keeps every new word it meets; the reading runs in a memory zone, so the
    words of an article are forgotten when the block ends and a server that reads many articles
    (or a hostile user's made-up words) does not grow. The document must not outlive the block:
    what is kept is copied into plain strings."""
    with _LOCK:
        nlp, ruler, matcher = _pipeline(patterns)
        with nlp.memory_zone():
            yield _analyse(text, nlp, ruler, matcher)


def _analyse(text: str, nlp: Any, ruler: Any, matcher: Any) -> Analysis:
    flat = normalise(text)
    doc = nlp.make_doc(flat)
    quote_spans = _quote_spans(flat)
    sentences = _mark_sentences(doc, text, quote_spans)
    doc = ruler(doc)
    party: list[str | None] = [None] * len(doc)
    issue: list[str | None] = [None] * len(doc)
    for ent in doc.ents:
        target = party if ent.label_ == "PARTY" else issue
        for i in range(ent.start, ent.end):
            target[i] = ent.ent_id_
    quoted = [any(a <= tok.idx < b for a, b in quote_spans) for tok in doc]
    cues: list[set[str]] = [set() for _ in doc]
    for match_id, start, _end in matcher(doc):
        cues[start].add(nlp.vocab.strings[match_id])
    return Analysis(doc, text, sentences, party, issue, quoted, cues)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The character ranges inside quotation marks, paragraph by paragraph. A quotation left open
    at the end of a paragraph runs to its end (the news convention for a quote that goes on in
    the next paragraph)."""
    spans = []
    offset = 0
    for paragraph in text.split("\n"):
        marks = [m.start() for m in re.finditer(r'"', paragraph)]
        for i in range(0, len(marks), 2):
            start = marks[i] + 1
            end = marks[i + 1] if i + 1 < len(marks) else len(paragraph)
            spans.append((offset + start, offset + end))
        offset += len(paragraph) + 1
    return spans


def _mark_sentences(doc: Doc, text: str, quote_spans: list[tuple[int, int]]) -> list[Sentence]:
    """Sentence boundaries: after ``.``, ``!``, ``?`` (with the closing quotation marks and
    brackets that follow them) and at every line break. Abbreviations such as "Aug." or "a.m."
    are single tokens, so they end nothing."""
    sentences: list[Sentence] = []
    paragraph = 0
    start_tok: int | None = None
    quote_open = False

    def close(end_tok: int) -> None:
        nonlocal start_tok
        if start_tok is None:
            return
        first, last = doc[start_tok], doc[end_tok - 1]
        start, end = first.idx, last.idx + len(last.text)
        quotes = [(max(a, start), min(b, end)) for a, b in quote_spans if a < end and b > start]
        sentences.append(
            Sentence(len(sentences), paragraph, start, end, start_tok, end_tok, text[start:end], quotes)
        )
        start_tok = None

    i = 0
    while i < len(doc):
        token = doc[i]
        token.is_sent_start = start_tok is None and not token.is_space
        if token.is_space:
            if "\n" in token.text:
                close(i)
                paragraph += 1
                quote_open = False
            i += 1
            continue
        if start_tok is None:
            start_tok = i
        if token.text == '"':
            quote_open = not quote_open
        if token.text in (".", "!", "?", "...", "…") or (
            token.text.endswith(("!", "?")) and len(token.text) > 1
        ):
            j = i + 1
            while j < len(doc) and (doc[j].text in (")", "]", "'") or (doc[j].text == '"' and quote_open)):
                if doc[j].text == '"':
                    quote_open = False
                doc[j].is_sent_start = False
                j += 1
            close(j)
            i = j
            continue
        if "\n" in token.whitespace_:
            close(i + 1)
            paragraph += 1
            quote_open = False
        i += 1
    close(len(doc))
    if sentences and len(sentences) > 1:
        first = sentences[0]
        if first.paragraph != sentences[1].paragraph and not re.search(r"[.!?][\"')\]]*$", first.text):
            first.is_title = True
    return sentences
