"""What the command line owes the process it runs in: an exit code for every ending, one
error line on stderr instead of a traceback, SIGTERM handled like Ctrl-C, and standard output
written and flushed while a write error can still be reported."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from tariffsim.cli.output import OutputError
from tariffsim.errors import DataError, Diagnostic, ScenarioError

Command = Callable[[argparse.Namespace], int | None]


class Terminated(SystemExit):
    """Raised by the SIGTERM handler so `finally` blocks (temporary files) run."""

    def __init__(self) -> None:
        super().__init__(143)


def run(command: Command, args: argparse.Namespace) -> int:
    """Run a parsed command; returns the exit code: 0 success, 1 user error or an output that
    cannot be written, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Every failure is
    reported on stderr without a traceback, and leaves no temporary file behind."""
    if sys.stdout is None:
        _error("cannot write standard output: it is closed")
        return 1
    with _sigterm_raises():
        try:
            code = int(command(args) or 0)
            _flush_stdout()
            return code
        except ScenarioError as exc:
            _report_problems(exc)
            return 1
        except OutputError as exc:
            _error(str(exc))
            return 1
        except DataError as exc:
            _error(f"data error: {exc}")
            return 1
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            _error_line("tariffsim: interrupted")
            return 130
        except Terminated:
            _error_line("tariffsim: terminated")
            return 143


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# `simulate` names the days it was given by its arguments; on the command line they are flags
_DAY_FLAGS = {"start": "--start", "end": "--end", "start and end": "--start and --end"}


def _as_flags(diag: Diagnostic) -> Diagnostic:
    """A problem with the days given to `simulate`, named by the flags that gave them."""
    if diag.line or diag.file not in _DAY_FLAGS or not diag.message.startswith("the end date"):
        return diag
    return replace(diag, file=_DAY_FLAGS[diag.file])


def _compiler_style(diag: Diagnostic) -> str:
    """`file:line:col: error: message` (or `warning:`); `flag: error: message` for a flag."""
    where = f"{diag.file}:{diag.line}:{diag.col}" if diag.line else diag.file
    return f"{where}: {diag.severity}: {diag.message}"


def _report_problems(exc: ScenarioError) -> None:
    """One compiler-style line per problem, then their count."""
    for diag in map(_as_flags, exc.diagnostics):
        _error_line(_compiler_style(diag))
    count = len(exc.diagnostics)
    _error_line(f"{count} problem{'s' if count != 1 else ''} found")


def warn(diagnostics: list[Diagnostic]) -> None:
    """Print warnings on stderr, one compiler-style line each; the command goes on."""
    for diag in diagnostics:
        _error_line(_compiler_style(diag))


def _error_line(text: str) -> None:
    """Print `text` on stderr, unless stderr is closed: there is nowhere else to say it."""
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def _error(message: str) -> None:
    _error_line(f"tariffsim: error: {message}")


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """A write error on stdout (a full disk) is an `OutputError`; a closed pipe is not an
    error and passes through to end the run quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", exc.strerror or str(exc)) from None


def _flush_stdout() -> None:
    with _stdout_errors():
        sys.stdout.flush()


def show(lines: list[str]) -> None:
    """Print a command's report, all at once after its work and writes are done."""
    with _stdout_errors():
        sys.stdout.write("".join(f"{line}\n" for line in lines))
