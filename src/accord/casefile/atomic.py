"""Write a file whole or not at all: the one way every writer in Accord replaces a file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file at ``path`` with ``text`` (UTF-8, ``\\n`` line endings) in one step.

    The text goes to a temporary file beside the target, flushed to disk, which then replaces the
    target by a rename: a reader sees the old file or the new one, never a half-written one. An
    existing file keeps its permissions; a new one is created like any other (the umask applies).
    On any failure the temporary file is removed, the old file is left as it was, and the error
    (an ``OSError``) is raised.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> write_text_atomically(target, "first\\n")
    >>> write_text_atomically(target, "second\\n")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('second\\n', ['notes.txt'])
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        exists = target.exists()
        mode = target.stat().st_mode & 0o777 if exists else 0o666
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if exists:
            os.fchmod(descriptor, mode)  # os.open applies the umask; an existing file's mode wins
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_files(folder: str | os.PathLike[str], texts: Mapping[str, str]) -> list[Path]:
    """Write each ``name -> text`` of ``texts`` into ``folder`` (created if missing), each file
    atomically (:func:`write_text_atomically`); the paths written, in order.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> [p.name for p in write_files(folder, {"a.json": "{}\\n", "b.xml": "<b/>\\n"})]
    ['a.json', 'b.xml']
    """
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        write_text_atomically(base / name, text)
        written.append(base / name)
    return written
