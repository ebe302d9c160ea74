"""Safe XML parsing into a small element tree that keeps each element's line and column.

Parsing goes through :mod:`defusedxml`'s SAX parser: entity declarations (the "billion laughs"
expansion bomb, and external entities that would read local files or the network) and external
DTDs are refused, and the error says so. A file that is not well-formed XML gets an error with the
line and column where the parser stopped. The tree is built without recursion, and a file of more
than ``max_elements`` elements or nested deeper than ``max_depth`` is refused as soon as the parser
gets there, before the rest is read into memory.
"""

from __future__ import annotations

import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml
import defusedxml.sax

from accord.casefile.errors import CaseFileError, FileProblem

MAX_ELEMENTS = 1_000_000
"""Most elements one XML file may hold."""
MAX_DEPTH = 64
"""Deepest nesting of elements (GENIUS files nest four or five levels)."""


class _Refused(Exception):
    """Raised from inside the parser to stop at a limit."""

    def __init__(self, message: str) -> None:
        self.message = message


@dataclass
class Element:
    """An XML element: tag, attributes, child elements, and where its start tag is (1-based)."""

    tag: str
    attrib: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)

    def iter(self, tag: str) -> Iterator[Element]:
        """Child elements (one level down) with this tag, in file order."""
        return (child for child in self.children if child.tag == tag)

    def first(self, tag: str) -> Element | None:
        return next(self.iter(tag), None)

    def problem(self, message: str, attribute: str | None = None) -> FileProblem:
        """A problem placed at this element, naming ``<tag attribute=...>``."""
        where = f"<{self.tag}>" if attribute is None else f"<{self.tag} {attribute}=...>"
        return FileProblem(message, self.line, self.column, where)


class _Builder(xml.sax.ContentHandler):
    def __init__(self, max_elements: int = MAX_ELEMENTS, max_depth: int = MAX_DEPTH) -> None:
        super().__init__()
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.locator: Locator | None = None
        self.count = 0
        self.max_elements = max_elements
        self.max_depth = max_depth

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.count += 1
        if self.count > self.max_elements:
            raise _Refused(f"the file holds more than {self.max_elements:,} elements")
        if len(self.stack) >= self.max_depth:
            raise _Refused(f"elements are nested more than {self.max_depth} levels deep")
        line = (self.locator.getLineNumber() or 0) if self.locator else 0
        column = (self.locator.getColumnNumber() or 0) + 1 if self.locator else 0
        element = Element(name, dict(attrs.items()), line, column)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElement(self, name: str) -> None:
        self.stack.pop()


def parse_xml(
    data: bytes, filename: str, max_elements: int = MAX_ELEMENTS, max_depth: int = MAX_DEPTH
) -> Element:
    """Parse XML ``data`` safely into an :class:`Element` tree.

    Raises
    ------
    CaseFileError
        On any entity declaration, an external DTD, XML that is not well formed, or more than
        ``max_elements`` elements or ``max_depth`` levels of nesting.

    Examples
    --------
    >>> root = parse_xml(b'<a x="1">\\n  <b/>\\n</a>', "f.xml")
    >>> root.attrib, [(c.tag, c.line, c.column) for c in root.children]
    ({'x': '1'}, [('b', 2, 3)])
    """
    builder = _Builder(max_elements, max_depth)
    try:
        defusedxml.sax.parseString(
            data, builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except _Refused as error:
        line = builder.locator.getLineNumber() if builder.locator else None
        raise CaseFileError(filename, [FileProblem(error.message, line)]) from None
    except defusedxml.EntitiesForbidden as error:
        line = builder.locator.getLineNumber() if builder.locator else None
        message = (
            f"entity declarations are not allowed (found {error.name!r}): they can expand into huge "
            "documents or read external files, so Accord refuses them"
        )
        raise CaseFileError(filename, [FileProblem(message, line)]) from None
    except (defusedxml.DTDForbidden, defusedxml.ExternalReferenceForbidden) as error:
        raise CaseFileError(
            filename, [FileProblem(f"external DTDs and references are not allowed ({error})")]
        ) from None
    except LookupError as error:  # <?xml encoding="..."?> names no codec Python knows
        raise CaseFileError(
            filename, [FileProblem(f"the XML declaration names an unknown encoding ({error})", 1)]
        ) from None
    except xml.sax.SAXParseException as error:
        message = f"not well-formed XML: {error.getMessage()}"
        line, column = error.getLineNumber(), error.getColumnNumber()
        raise CaseFileError(
            filename, [FileProblem(message, line, None if column is None else column + 1)]
        ) from None
    if builder.root is None:
        raise CaseFileError(filename, [FileProblem("the file holds no XML element")])
    return builder.root


class _RootOnly(_Builder):
    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        raise _Refused(name)


def root_tag(data: bytes, filename: str) -> str:
    """The tag of the root element of XML ``data``, read without parsing the rest.

    Raises
    ------
    CaseFileError
        As :func:`parse_xml`, for whatever comes before the root element.

    Examples
    --------
    >>> root_tag(b"<?xml version='1.0'?><!-- a profile --><utility_space><x/>", "f.xml")
    'utility_space'
    """
    try:
        defusedxml.sax.parseString(
            data, _RootOnly(), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except _Refused as found:
        return found.message
    except (defusedxml.DefusedXmlException, xml.sax.SAXParseException, LookupError):
        return parse_xml(data, filename).tag  # raises the full error
    return parse_xml(data, filename).tag
