"""Reading a scenario file's text safely: regular files only (a FIFO or a device could block
or never end), at most MAX_FILE_BYTES counted on what is read, UTF-8; `-` is standard input.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from tariffsim.errors import Diagnostic, ScenarioError

MAX_FILE_BYTES = 2_000_000
STDIN = "-"

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    if kind == "a directory":
        return "is a directory, not a scenario file"
    return f"is {kind}, not a regular file; only regular files are read (give '-' for stdin)"


def read_bounded(stream: BinaryIO, name: str) -> str:
    """At most MAX_FILE_BYTES of UTF-8 text from an open stream, counted on what is read."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Diagnostic(
                    name,
                    0,
                    0,
                    f"more than {MAX_FILE_BYTES:,} bytes; scenario files are limited to "
                    f"{MAX_FILE_BYTES:,} bytes",
                )
            ]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([Diagnostic(name, 0, 0, "file is not UTF-8 text")]) from None


def read_file(path: Path) -> tuple[str, str]:
    """The text of one scenario file (`-`: standard input) and the name messages give it,
    refusing missing, unreadable, special (FIFO, device, directory) or oversized files
    before or while reading."""
    if str(path) == STDIN:
        return read_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>"
    name = str(path)
    try:
        why = _not_regular(os.stat(path).st_mode)
        if why is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as stream:
                why = _not_regular(os.fstat(stream.fileno()).st_mode)  # swapped meanwhile
                text = read_bounded(stream, name) if why is None else ""
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(name, 0, 0, "file not found")]) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror}")]) from None
    if why is not None:
        raise ScenarioError([Diagnostic(name, 0, 0, why)])
    return text, name
