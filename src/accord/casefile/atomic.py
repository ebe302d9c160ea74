"""Write a file whole or not at all: the one way every writer in Accord replaces a file."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
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


def write_folder_atomically(
    folder: str | os.PathLike[str], texts: Mapping[str, str], *, replace: bool = False
) -> list[Path]:
    """Write the files ``name -> text`` as the folder ``folder``, whole or not at all.

    The files go to a temporary folder beside the target, each flushed to disk, which then takes
    the target's place by a rename. A missing or empty target folder is simply taken; a target
    that holds files is replaced only with ``replace`` (its old files are removed once the new
    ones are in place). On any failure the temporary folder is removed and the target is left
    as it was.

    Raises
    ------
    FileExistsError
        When the target holds files and ``replace`` is false, or is a file.
    OSError
        When the folder cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "domain"
    >>> [p.name for p in write_folder_atomically(out, {"a.xml": "<a/>\\n"})]
    ['a.xml']
    >>> write_folder_atomically(out, {"b.xml": "<b/>\\n"})
    Traceback (most recent call last):
    FileExistsError: [Errno 17] the folder holds files already (replace it to write here): '...domain'
    >>> sorted(p.name for p in write_folder_atomically(out, {"b.xml": "<b/>\\n"}, replace=True).pop().parent.iterdir())
    ['b.xml']
    """
    target = Path(folder)
    if target.is_symlink():
        raise FileExistsError(
            errno.EEXIST, "a link of that name exists; expected a folder", os.fspath(target)
        )
    if target.exists() and not target.is_dir():
        raise FileExistsError(
            errno.EEXIST, "a file of that name exists; expected a folder", os.fspath(target)
        )
    occupied = target.is_dir() and any(target.iterdir())
    if occupied and not replace:
        raise FileExistsError(
            errno.EEXIST, "the folder holds files already (replace it to write here)", os.fspath(target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(6)
    temporary = target.with_name(f".{target.name}.{token}.tmp")
    aside = target.with_name(f".{target.name}.{token}.old")
    try:
        temporary.mkdir()
        for name, text in texts.items():
            if Path(name).name != name or name in (".", ".."):
                raise ValueError(f"not a plain file name: {name!r}")
            with open(temporary / name, "x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        if target.is_dir():
            os.rename(target, aside)
        try:
            os.rename(temporary, target)
        except BaseException:
            if aside.exists():
                os.rename(aside, target)
            raise
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return [target / name for name in texts]
