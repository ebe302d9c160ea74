"""Errors of reading files: each problem names the file, the line and column, the field, and what was
expected. A file with any problem loads nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One problem in a file. ``line`` and ``column`` are 1-based; ``None`` where unknown."""

    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def render(self, file: str) -> str:
        where = file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class CaseFileError(Exception):
    """A file that cannot be loaded; ``problems`` lists every problem found (at least one)."""

    def __init__(self, file: str, problems: Sequence[FileProblem]) -> None:
        if not problems:
            raise ValueError("a CaseFileError needs at least one problem")
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render(file) for p in self.problems))

    @property
    def first_line(self) -> str:
        """A one-line summary for the CLI (the first problem, and how many more)."""
        text = self.problems[0].render(self.file)
        more = len(self.problems) - 1
        return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
