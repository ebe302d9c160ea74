"""YAML 1.2 core-schema reading and writing on top of PyYAML (which implements YAML 1.1).

PyYAML's default resolver follows YAML 1.1, where ``no``, ``off`` and ``y`` are booleans, ``12:01``
is the integer 721 (base 60) and ``2023-05-01`` becomes a ``date``. A case file has a vote field
called ``no``, times of day and option names that may read ``yes`` or ``no``, so Accord reads and
writes the YAML 1.2 *core schema* instead (https://yaml.org/spec/1.2.2/#103-core-schema):

- ``null``: ``~``, ``null``, ``Null``, ``NULL`` or nothing;
- booleans: ``true``/``false`` (also capitalised or in capitals), nothing else;
- integers: decimal, ``0o`` octal, ``0x`` hexadecimal;
- floats: decimal with an optional exponent, ``.inf``, ``-.inf``, ``.nan``;
- everything else is text. Dates and times stay text; the model parses them.

Only composing (text to a node tree) and emitting are used: nodes are turned into Python values
by :mod:`accord.casefile.tree`, which never calls PyYAML's constructors, so no tag can build an
arbitrary object.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.emitter import Emitter
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.representer import SafeRepresenter
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner
from yaml.serializer import Serializer

from accord.model import request_limits

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class CoreResolver(BaseResolver):
    """Resolves plain scalars by the YAML 1.2 core schema (see the module docstring)."""


CoreResolver.add_implicit_resolver(NULL_TAG, _NULL, ["~", "n", "N", ""])
CoreResolver.add_implicit_resolver(BOOL_TAG, _BOOL, list("tTfF"))
CoreResolver.add_implicit_resolver(INT_TAG, _INT, list("-+0123456789"))
CoreResolver.add_implicit_resolver(FLOAT_TAG, _FLOAT, list("-+.0123456789"))


MAX_DEPTH = request_limits.NESTING_DEPTH
"""Deepest nesting of lists and mappings a file may have (a case needs fewer than ten levels)."""


class TooDeepError(yaml.MarkedYAMLError):
    """Lists and mappings nested deeper than :data:`MAX_DEPTH`."""


class _DepthLimitedComposer(Composer):
    """PyYAML's composer, refusing nesting deeper than :data:`MAX_DEPTH` (it composes
    recursively, so a deeply nested file would otherwise end in a ``RecursionError``)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise TooDeepError(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class CoreComposer(Reader, Scanner, Parser, _DepthLimitedComposer, CoreResolver):
    """Text to a node tree, resolving plain scalars by the core schema; constructs nothing."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        CoreResolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class FastCoreComposer(_DepthLimitedComposer, CParser, CoreResolver):
        """:class:`CoreComposer` with libyaml's scanner and parser (about 15 times faster): the
        same node tree, except that plain scalars have style ``""`` instead of ``None``."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            CoreResolver.__init__(self)


def compose(text: str, fast: bool = True) -> yaml.Node | None:
    """The node tree of a one-document YAML ``text`` (``None`` if it has no document), built by
    libyaml where it is installed and ``fast`` is true.

    Raises ``yaml.YAMLError`` subclasses for syntax errors, :class:`TooDeepError` for nesting
    deeper than :data:`MAX_DEPTH`.

    Examples
    --------
    >>> compose("no: 12:01").value[0][1].value, compose("no: 12:01", fast=False).value[0][0].value
    ('12:01', 'no')
    """
    if fast and yaml.__with_libyaml__:
        return FastCoreComposer(text).get_single_node()
    return CoreComposer(text).get_single_node()


class CoreDumper(Emitter, Serializer, SafeRepresenter, CoreResolver):
    """Writes plain data as block-style YAML that :class:`CoreComposer` reads back unchanged.

    Text that would read as another type (``"true"``, ``"12"``, ``""``) is quoted; text with line
    breaks is written as a literal block; sequences are indented under their key.
    """

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        Emitter.__init__(
            self,
            stream,
            canonical=kwargs.get("canonical"),
            indent=kwargs.get("indent"),
            width=kwargs.get("width"),
            allow_unicode=kwargs.get("allow_unicode"),
            line_break=kwargs.get("line_break"),
        )
        Serializer.__init__(
            self,
            encoding=kwargs.get("encoding"),
            explicit_start=kwargs.get("explicit_start"),
            explicit_end=kwargs.get("explicit_end"),
            version=kwargs.get("version"),
            tags=kwargs.get("tags"),
        )
        SafeRepresenter.__init__(
            self,
            default_style=kwargs.get("default_style"),
            default_flow_style=kwargs.get("default_flow_style", False),
            sort_keys=kwargs.get("sort_keys", False),
        )
        CoreResolver.__init__(self)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # PyYAML writes a sequence inside a mapping flush with its key; indenting it reads better.
        super().increase_indent(flow, False)


_ODD_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: SafeRepresenter, data: str) -> yaml.ScalarNode:
    # YAML 1.1 readers take NEL, LS, PS and CR for line breaks and fold them in plain, quoted and
    # block text alike; only double quotes (which escape them) keep them as they are.
    if _ODD_BREAKS.intersection(data):
        style: str | None = '"'
    elif data == "<<":  # plain, a key of that text reads as a merge key (refused on reading)
        style = "'"
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar(STR_TAG, data, style=style)


def _represent_float(dumper: SafeRepresenter, data: float) -> yaml.ScalarNode:
    if math.isnan(data):
        text = ".nan"
    elif math.isinf(data):
        text = ".inf" if data > 0 else "-.inf"
    else:
        text = repr(data)
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e")  # 1e-05 -> 1.0e-05, still a float to older readers
    return dumper.represent_scalar(FLOAT_TAG, text)


CoreDumper.add_representer(str, _represent_str)
CoreDumper.add_representer(float, _represent_float)


def scalar_value(tag: str, text: str) -> object:
    """The Python value of a scalar with a core-schema ``tag``.

    Raises ``ValueError`` when ``text`` does not fit an explicit tag (``!!int abc``) and
    ``LookupError`` for a tag outside the core schema.

    Examples
    --------
    >>> scalar_value(INT_TAG, "0x1f"), scalar_value(BOOL_TAG, "False"), scalar_value(STR_TAG, "no")
    (31, False, 'no')
    """
    if tag == STR_TAG:
        return text
    if tag == NULL_TAG:
        if not _NULL.match(text):
            raise ValueError(f"{text!r} is not null")
        return None
    if tag == BOOL_TAG:
        if not _BOOL.match(text):
            raise ValueError(f"{text!r} is not true or false")
        return text.lower() == "true"
    if tag == INT_TAG:
        if not _INT.match(text):
            raise ValueError(f"{text!r} is not a whole number")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    if tag == FLOAT_TAG:
        if not _FLOAT.match(text):
            raise ValueError(f"{text!r} is not a number")
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(text)
    raise LookupError(tag)


def dump_yaml(data: object) -> str:
    """``data`` (plain dicts, lists, text, numbers, booleans, ``None``) as block-style YAML.

    Examples
    --------
    >>> print(dump_yaml({"id": "x", "no": 3, "answers": ["p1"], "title": "12"}), end="")
    id: x
    no: 3
    answers:
      - p1
    title: '12'
    """
    return yaml.dump(
        data,
        Dumper=CoreDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
