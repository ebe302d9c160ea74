"""Keep modules and functions small: no module over 500 lines, no function over 80 lines.

    python tools/sizes.py [PATH ...]      (default: src)

Ruff's complexity and statement-count rules (C901, PLR0915) keep functions simple; ruff has no
rule on a function's length in lines, so this script counts them: a function's lines run from
its ``def`` (decorators included) to its last line, docstring and comments included. Prints one
line per offence and exits with 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
FROZEN = ("migrations/versions/",)
"""Files never edited once released (a migration is a record of a schema as it shipped)."""


def offences(path: Path) -> Iterator[str]:
    """Each way ``path`` is too long, as ``file:line: what``."""
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        yield f"{path}:1: module of {lines} lines (at most {MAX_MODULE_LINES})"
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > MAX_FUNCTION_LINES:
                yield (
                    f"{path}:{node.lineno}: function {node.name} of {length} lines "
                    f"(at most {MAX_FUNCTION_LINES})"
                )


def python_files(roots: list[str]) -> list[Path]:
    found: list[Path] = []
    for root in map(Path, roots):
        found.extend([root] if root.is_file() else sorted(root.rglob("*.py")))
    return [path for path in found if not any(part in path.as_posix() for part in FROZEN)]


def main(argv: list[str]) -> int:
    found = [o for path in python_files(argv or ["src"]) for o in offences(path)]
    for offence in found:
        print(offence)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
