"""Hypothesis strategies for what a hostile user sends: text, numbers and dates that break the rules
of docs/reference/case-files.md ("Text, numbers and dates"), and valid requests with one part
made hostile. Unlike tests/strategies.py, nothing here is meant to be valid.

- ``hostile_texts()``: unpaired surrogates, NUL and other controls, bidirectional overrides,
  noncharacters, digits that are not ASCII, markup and injections, ids of real records, strings
  just over each length limit and far over it.
- ``hostile_numbers()``: NaN, infinities, ``1e309``, numbers beyond 64 bits and beyond the parser's
  4,300 digits, negative zero, subnormals, negative counts (written as the JSON text itself).
- ``hostile_dates()``: the ends of the kept range and just past them, dates no calendar has, ISO
  forms other than a date, years beyond four digits.
- ``hostile_values()``: any of these, or a structure where a scalar belongs (deep nesting too).
- ``json_variants(body)``: a JSON body with one node replaced, a key added or repeated, or the
  whole body malformed, each as the bytes sent (:class:`Body`).
- ``form_variants(pairs)``: a form with one field replaced, added, repeated or dropped, or bytes
  that are not UTF-8.
- ``path_variants(path, template)``, ``query_variants(names)``: a path with one of its
  parameters replaced, query values added.

``to_json`` writes a value as JSON text the way a hostile client would: a lone surrogate as the
escape ``"\\ud800"``, :class:`Literal` tokens (``NaN``, ``1e309``) as they are, and
:class:`Repeated` objects with a key twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

from hypothesis import strategies as st

from accord.model.limits import ID_MAX, NAME_MAX, PARAMETER_MAX, TEXT_MAX, TITLE_MAX, URL_MAX


class Literal(str):
    """A JSON token written as it is (``NaN``, ``Infinity``, ``1e309``, a 500-digit integer)."""


class Repeated(tuple[tuple[str, Any], ...]):
    """A JSON object written with its pairs as they are, a key repeated among them."""


@dataclass(frozen=True)
class Body:
    """A request body as sent, and what was made of it (for the report of a failure)."""

    content: bytes
    content_type: str
    what: str


REAL_IDS = ("p1", "p2", "e1", "e2", "wga", "amptp", "netflix", "pay", "ai", "s1", "cost", "note-1")
"""Ids of records, parties, issues and items the test cases have (a hostile user knows them;
``draft.wga.secret`` too, though it should not)."""
SPECIAL_TEXTS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "a\udc80b",
    "\ud83d",  # the first half of an emoji, alone
    "evil\u202egnp.exe",
    "\u2066x\u2069",
    "\u200b",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "line\u2028break",
    "two\r\nlines",
    "\t",
    "²",  # a digit to str.isdigit, not to int()
    "١٢",  # Arabic-Indic digits: int() reads them
    "１２",  # fullwidth digits
    "𝟙𝟚",
    "Ⅻ",
    "1e309",
    "NaN",
    "-0",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://",
    "http://a b",
    "//evil.example/",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${7*7}",
    "' OR '1'='1",
    "'; DROP TABLE records; --",
    "../../etc/passwd",
    "%00",
    "%2e%2e%2f",
    "draft.wga.secret",
    "draft.amptp.x",
    *REAL_IDS,
)
BAD_CHARACTERS = "\x00\x01\x08\x0b\x1b\x7f\x80\x85\x9f\ud800\udbff\udc00\udfff\ufdd0\ufffe\uffff\u202a\u202e\u2066\u2069\u2028\n\r\t"
LENGTHS = (ID_MAX + 1, NAME_MAX + 1, TITLE_MAX + 1, URL_MAX + 1, PARAMETER_MAX + 1, TEXT_MAX + 1, 300_000)
"""Just over each documented length, and far over all of them (still well inside the body limit)."""
NUMBER_TOKENS = (
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "4.9e-324",
    "1.7976931348623157e308",
    "-0",
    "-0.0",
    "-1",
    "0",
    "9007199254740993",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1" + "0" * 400,
    "1" + "0" * 5000,  # beyond the 4,300 digits Python's int() reads
    "0.1e99999",
    "1E400",
)
DATE_TEXTS = (
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2100-12-31",
    "2101-01-01",
    "2023-02-29",
    "2024-02-30",
    "2023-13-01",
    "2023-00-01",
    "2023-06-00",
    "+12345-01-01",
    "-0001-01-01",
    "2023-06-01T00:00:00",
    "2023-06-01T25:61:61",
    "2023-06-01T00:00:00+99:00",
    "2023-W01",
    "2023-001",
    "2023-6-1",
    "20230601",
    " 2023-06-01",
    "2023-06-01 ",
    "２０２３-０６-０１",
    "2023-06-01\x00",
)


def hostile_texts(longest: int = LENGTHS[-1]) -> st.SearchStrategy[str]:
    """Text no field should take (or only some should), at most ``longest`` characters: see the
    module's docstring."""
    bad = st.sampled_from(BAD_CHARACTERS)
    return st.one_of(
        st.sampled_from(SPECIAL_TEXTS),
        st.builds(lambda head, char, tail: head + char + tail, st.text(max_size=8), bad, st.text(max_size=8)),
        st.text(alphabet=st.one_of(bad, st.characters()), min_size=1, max_size=20),
        st.builds(
            lambda char, n: char * n,
            st.sampled_from(["a", "é", "😀", "\u202e"]),
            st.sampled_from([n for n in LENGTHS if n <= longest]),
        ),
    )


def hostile_numbers() -> st.SearchStrategy[Any]:
    """Numbers past every limit, as JSON text (:class:`Literal`) or as Python numbers."""
    return st.one_of(
        st.sampled_from(NUMBER_TOKENS).map(Literal),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(),
    )


def hostile_dates() -> st.SearchStrategy[Any]:
    """Dates outside the kept range, dates that do not exist, and things that are not dates."""
    return st.one_of(
        st.sampled_from(DATE_TEXTS),
        st.dates().map(lambda day: day.isoformat()),
        st.sampled_from([20230601, 1.5e9]),
    )


def _nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def hostile_values() -> st.SearchStrategy[Any]:
    """Any hostile scalar, or a structure where a scalar belongs."""
    structures = st.sampled_from(
        [
            None,
            True,
            False,
            [],
            {},
            [None],
            {"": ""},
            _nested(64, 1),
            Literal("[" * 3000 + "]" * 3000),
            ["x"] * 10_000,
        ]
    )
    return st.one_of(hostile_texts(), hostile_numbers(), hostile_dates(), structures)


def short(value: Any) -> str:
    """``value``'s repr, cut to 80 characters (with its length when cut), for a report."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:70]}... ({len(text)} characters)"


def to_json(value: Any) -> str:
    """``value`` as JSON text: see the module's docstring."""
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, Repeated):
        return "{" + ", ".join(f"{to_json(k)}: {to_json(v)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_json(str(k))}: {to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    if isinstance(value, bytes):  # what a schema's "format: binary" generates
        return json.dumps(value.decode("latin-1"))
    return json.dumps(value)  # ensure_ascii: a lone surrogate is written "\ud800"


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every node in ``value`` (the root first)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, (*path, index))
    return found


def _replaced(value: Any, path: Sequence[Any], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    return [_replaced(item, rest, new) if index == head else item for index, item in enumerate(value)]


def _at(value: Any, path: Sequence[Any]) -> Any:
    for step in path:
        value = value[step]
    return value


RAW_BODIES = (
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"x"', "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b'{"id": "\xed\xa0\x80"}', "application/json"),  # a surrogate written as UTF-8 (not UTF-8)
    (b'{"id": "\xff"}', "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'{"a": 1}', "text/plain"),
    (b"id=x&date=2023-06-01", "application/x-www-form-urlencoded"),
    (b'{"a": 1}', "application/json; charset=utf-16"),
    (b'{"a": 1}', "application/vnd.evil+json"),
)


@st.composite
def json_variants(draw: st.DrawFn, body: Any) -> Body:
    """``body`` with one node replaced by a hostile value, a key added or repeated, or a body
    that is not the JSON expected at all."""
    how = draw(st.sampled_from(["replace", "replace", "replace", "add key", "repeat key", "raw"]))
    objects = [path for path in _nodes(body) if isinstance(_at(body, path), dict)]
    if how == "add key" and objects:
        path = draw(st.sampled_from(objects), label="object")
        key = draw(st.one_of(hostile_texts(), st.sampled_from(["surprise", "id", "__proto__"])), label="key")
        value = draw(hostile_values(), label="value")
        new = _replaced(body, path, {**_at(body, path), key: value})
        return Body(
            to_json(new).encode(), "application/json", f"added {short(key)}: {short(value)} at {list(path)}"
        )
    if how == "repeat key" and any(_at(body, path) for path in objects):
        path = draw(st.sampled_from([p for p in objects if _at(body, p)]), label="object")
        pairs = list(_at(body, path).items())
        key, _ = draw(st.sampled_from(pairs), label="repeated")
        value = draw(hostile_values(), label="value")
        new = _replaced(body, path, Repeated([*pairs, (key, value)]))
        return Body(
            to_json(new).encode(),
            "application/json",
            f"repeated {short(key)} as {short(value)} at {list(path)}",
        )
    if how == "raw":
        content, content_type = draw(st.sampled_from(RAW_BODIES), label="raw")
        return Body(content, content_type, f"raw body {short(content)} as {content_type}")
    path = draw(st.sampled_from(_nodes(body)), label="node")
    value = draw(hostile_values(), label="value")
    return Body(
        to_json(_replaced(body, path, value)).encode(), "application/json", f"{list(path)} = {short(value)}"
    )


def form_texts(longest: int = LENGTHS[-1]) -> st.SearchStrategy[str]:
    """What a form field may be sent: hostile text (at most ``longest`` characters), and numbers
    and dates written as text."""
    lookalikes = ("²", "١٢", "１２", "𝟙𝟚", "Ⅻ", "nan", "inf", "-inf", "0x10", "1_000", " 5 ", "5,5")
    numbers = st.sampled_from((*NUMBER_TOKENS, *lookalikes))
    dates = st.sampled_from(DATE_TEXTS)
    return st.one_of(hostile_texts(longest), numbers, dates)


def form_pairs(fields: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """A form's fields as the pairs a browser sends (a list value: the name repeated)."""
    return [(k, item) for k, v in fields.items() for item in ([v] if isinstance(v, str) else v)]


def form_bytes(pairs: Sequence[tuple[str, str]]) -> bytes:
    """Pairs URL-encoded as a browser would, but a lone surrogate written as its (invalid) UTF-8."""
    return "&".join(
        f"{quote_plus(k.encode('utf-8', 'surrogatepass'))}={quote_plus(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs
    ).encode()


FORM = "application/x-www-form-urlencoded"


@st.composite
def form_variants(
    draw: st.DrawFn, pairs: Sequence[tuple[str, str]], keep: Sequence[str] = ("csrf_token",)
) -> Body:
    """A form with one field's value replaced, a field added, repeated or dropped, or a body in
    bytes that are not UTF-8 (the fields in ``keep`` are left as they are)."""
    names = sorted({name for name, _ in pairs if name not in keep})
    how = draw(st.sampled_from(["replace", "replace", "replace", "add", "repeat", "drop", "raw"]))
    if how in ("replace", "repeat", "drop") and names:
        name = draw(st.sampled_from(names), label="field")
        if how == "drop":
            return Body(form_bytes([p for p in pairs if p[0] != name]), FORM, f"dropped {short(name)}")
        value = draw(form_texts(), label="value")
        if how == "repeat":
            return Body(form_bytes([*pairs, (name, value)]), FORM, f"{short(name)} again as {short(value)}")
        changed = [(k, value if k == name else v) for k, v in pairs]
        return Body(form_bytes(changed), FORM, f"{short(name)} = {short(value)}")
    if how == "raw":
        raw = draw(
            st.sampled_from(
                [b"%FF%FE=%ED%A0%80", b"date=%ED%A0%80", b"=&=&&", b"a" * 100_000, b"%", b"date=%G1"]
            ),
            label="raw",
        )
        return Body(form_bytes(pairs) + b"&" + raw, FORM, f"with {short(raw)}")
    name = draw(
        st.one_of(form_texts(), st.sampled_from(["pos.pay", "pos.ai.on", "answers", "next"])), label="name"
    )
    value = draw(form_texts(), label="value")
    return Body(form_bytes([*pairs, (name, value)]), FORM, f"added {short(name)} = {short(value)}")


def _segment(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def path_variants(draw: st.DrawFn, path: str, template: str) -> tuple[str, str]:
    """``path`` (an instance of ``template``) with one parameter replaced by a hostile value:
    the new path, and what was changed."""
    query = path.partition("?")[2]
    segments, pattern = path.partition("?")[0].split("/"), template.split("/")
    params = [i for i, part in enumerate(pattern) if part.startswith("{")]
    if not params:
        return path, "unchanged path"
    index = draw(st.sampled_from(params), label="parameter")
    value = draw(st.one_of(hostile_texts(PARAMETER_MAX + 1), st.sampled_from(DATE_TEXTS)), label="value")
    segments[index] = _segment(value)
    new = "/".join(segments) + (f"?{query}" if query else "")
    return new, f"{pattern[index]} = {short(value)}"


@st.composite
def query_variants(draw: st.DrawFn, names: Sequence[str]) -> tuple[list[tuple[str, str]], str]:
    """One or two query values, named as the route's parameters or otherwise, each hostile."""
    known = [*names, "as_of", "kind", "limit", "next", "party"]
    pairs = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(known), hostile_texts(ID_MAX + 1)), form_texts(PARAMETER_MAX + 1)
            ),
            min_size=1,
            max_size=2,
        ),
        label="query",
    )
    return pairs, "query " + ", ".join(f"{short(k)}={short(v)}" for k, v in pairs)


def query_string(pairs: Sequence[tuple[str, str]]) -> str:
    """Query pairs encoded (a lone surrogate as its invalid UTF-8)."""
    return form_bytes(pairs).decode("ascii")
