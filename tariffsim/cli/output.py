"""Writing results: checked before any work, written last, whole or not at all.

An output path is one of three things, decided by `destination` before the run:

- ``-``: standard output, written as a stream;
- an existing device or FIFO (``/dev/stdout``, a named pipe): written as a stream, opened
  without creating or truncating anything, never replaced by a plain file;
- a regular file or a new path: written to a temporary file beside it and renamed into place,
  keeping the mode of the file it replaces (a new file gets ``0o666 & ~umask``, as the shell
  would give it).

An existing symbolic link at the output path is refused rather than followed or replaced:
following it may write somewhere the user did not name, and replacing it breaks the link.
A path that is one of the scenario files read as input is refused too.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.errors import TariffsimError

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.tables.rate_table import RateTable

STDOUT = "-"
EXISTS = "it already exists, and is never replaced: choose another name"


class OutputError(TariffsimError):
    """An output cannot be written; the message is one line: ``cannot write PATH: why``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"cannot write {path}: {reason}")

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def csv_text(table: pd.DataFrame | RateTable) -> str:
    """tariffsim's CSV form of a table: ISO dates, rates as fractions to six places. A rate
    table is written without pandas, in the same bytes pandas would write."""
    if hasattr(table, "to_csv"):
        return table.to_csv(
            index=False, date_format="%Y-%m-%d", float_format="%.6f", lineterminator="\n"
        )
    from tariffsim.tables.rate_table import RATE_COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RATE_COLUMNS)
    writer.writerows(
        (day.isoformat(), imposer, target, f"{headline:.6f}", f"{effective:.6f}")
        for day, imposer, target, headline, effective in table.rows()
    )
    return out.getvalue()


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


@dataclass(frozen=True)
class Destination:
    """A checked output: where to write, and whether as a stream or by atomic replacement."""

    target: str  # as the user wrote it ('-' for standard output)
    path: Path | None  # None for standard output
    stream: bool  # written in place (stdout, device, FIFO), never replaced
    mode: int | None = None  # mode of the regular file to replace; None for a new file
    new: bool = False  # a new file only: never replace one

    @property
    def label(self) -> str:
        return "standard output" if self.path is None else self.target

    def refuse_inputs(self, inputs: Iterable[str | Path]) -> None:
        """Refuse to write over a scenario file that was read: the run would destroy its
        own input. `inputs` may name paths that do not exist (bundled names)."""
        if self.path is None or self.stream:
            return
        for item in inputs:
            try:
                if os.path.samefile(self.path, item):
                    raise OutputError(self.target, f"it is the input scenario {item}")
            except OSError:
                continue

    def write(self, data: bytes) -> None:
        """Write `data` whole; any failure is an `OutputError` and leaves no temporary file."""
        if self.path is None:
            _write_stdout(data)
        elif self.stream:
            _write_stream(self.target, self.path, data)
        else:
            _write_replacing(self.target, self.path, data, self.mode, self.new)


def destination(target: str, *, allow_stdout: bool = True, new: bool = False) -> Destination:
    """Check `target` before any work is done, so a run never fails after its work for want
    of a place to put it. Raises `OutputError` naming the path and the reason. `new`: the
    path must name nothing yet (standard output aside), and is never replaced."""
    if target == "":
        raise OutputError("''", "the path is empty")
    if target == STDOUT:
        return _standard_output(allow_stdout)
    path = Path(target)
    st = _lstat(target, path)
    if new:
        if st is not None:
            raise OutputError(target, EXISTS)
        return replace(_replacement(target, path, None), new=True)
    if st is not None and _is_stream(target, path, st):
        return Destination(target, path, True)
    return _replacement(target, path, st)


def _standard_output(allow_stdout: bool) -> Destination:
    if not allow_stdout:
        raise OutputError(STDOUT, "this output cannot go to standard output")
    if sys.stdout is None:
        raise OutputError("standard output", "it is closed")
    return Destination(STDOUT, None, True)


def _lstat(target: str, path: Path) -> os.stat_result | None:
    """What is at `path` now, the link itself if it is one; None if nothing is."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(target, _why(exc)) from None


def _is_stream(target: str, path: Path, st: os.stat_result) -> bool:
    """True for an existing device or FIFO we may write to, False for a regular file;
    refuses anything else, a link above all (see the module docstring)."""
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(target, "it is a symbolic link; give the path of the file it points to")
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(target, "it is a directory")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        if not os.access(path, os.W_OK):
            raise OutputError(target, os.strerror(13))
        return True
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(target, "it is not a regular file, device or FIFO")
    return False


def _replacement(target: str, path: Path, st: os.stat_result | None) -> Destination:
    """A regular file or a new one, to be written beside and renamed into place: its folder
    must exist and take a new file now. Keeps the mode of the file it replaces."""
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(target, f"directory '{parent}' does not exist")
    _probe(target, parent, path.name)
    return Destination(target, path, False, stat.S_IMODE(st.st_mode) if st else None)


def _probe(target: str, parent: Path, name: str) -> None:
    """Create and remove a temporary file where the output will go: `os.access` says yes
    to root on a read-only mount or an immutable directory, a real attempt does not lie."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".probe", dir=parent)
    except OSError as exc:
        raise OutputError(target, _why(exc)) from None
    os.close(fd)
    os.unlink(tmp)


def _write_stdout(data: bytes) -> None:
    if sys.stdout is None:
        raise OutputError("standard output", "it is closed")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", _why(exc)) from None


def _write_stream(target: str, path: Path, data: bytes) -> None:
    """Write into an existing device or FIFO: no O_CREAT, no O_TRUNC, nothing replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(target, _why(exc)) from None


def _new_file_mode() -> int:
    """0o666 less the process umask: the mode `open()` would have given a new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _write_replacing(
    target: str, path: Path, data: bytes, mode: int | None, new: bool = False
) -> None:
    """Write to a temporary file beside `path`, then rename it into place (`new`: link it
    there, which fails rather than replace a file that appeared meanwhile). The temporary
    file is removed on every failure, including KeyboardInterrupt and SystemExit."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _new_file_mode() if mode is None else mode)
            fh.write(data)
        if new:
            _link_new(target, tmp, path)
        elif path.is_symlink() or (path.exists() and not path.is_file()):
            raise OutputError(target, "it changed into a link or special file during the run")
        else:
            os.replace(tmp, path)
            tmp = None
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(target, _why(exc)) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _link_new(target: str, tmp: str, path: Path) -> None:
    """Give the written temporary file its name, never replacing anything there. On a file
    system without hard links: look, then rename (a file appearing in between is lost)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(target, EXISTS) from None
    except OSError:
        if os.path.lexists(path):
            raise OutputError(target, EXISTS) from None
        os.rename(tmp, path)


def write_atomic(path: Path, data: bytes) -> None:
    """Check `path` and write `data` there whole (see `destination`)."""
    destination(str(path), allow_stdout=False).write(data)
