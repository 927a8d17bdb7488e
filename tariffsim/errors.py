"""Error types. User mistakes become `ScenarioError` carrying every diagnostic at once;
the CLI prints them as ``file:line:col: message`` and exits 1, never with a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class TariffsimError(Exception):
    """Base class of every error tariffsim raises on purpose."""


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one input file, at a 1-based line and column (0 when unknown). An
    error stops the run; a warning (`severity` WARNING) is reported and the run goes on."""

    file: str
    line: int
    col: int
    message: str
    severity: str = ERROR

    def as_warning(self) -> Diagnostic:
        return Diagnostic(self.file, self.line, self.col, self.message, WARNING)

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}: {self.message}"
        return f"{self.file}: {self.message}"


class ScenarioError(TariffsimError, ValueError):
    """Bad user input: one or more diagnostics, all reported together."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Diagnostic]]]:
        # pickled with its diagnostics, so that it crosses to and from worker processes
        return (type(self), (self.diagnostics,))


class DataError(TariffsimError, RuntimeError):
    """A packaged data table is missing or corrupt (an installation problem, not a user one)."""


class Located(Protocol):
    """Where an item was written (a `loading.Origin`): makes a diagnostic pointing there, or
    at a part of the item (`sub`, a path inside it)."""

    def diag(self, message: str, *sub: str | int, key: bool = False) -> Diagnostic: ...


Locate = Callable[[object], Located]
