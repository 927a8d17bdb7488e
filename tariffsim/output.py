"""Atomic file output: a result is written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.errors import Diagnostic, ScenarioError

if TYPE_CHECKING:
    import pandas as pd


def csv_text(frame: pd.DataFrame) -> str:
    """tariffsim's CSV form of a table: ISO dates, rates as fractions to six places."""
    return frame.to_csv(index=False, date_format="%Y-%m-%d", float_format="%.6f",
                        lineterminator="\n")


def check_writable(path: Path) -> None:
    """Fail early, before any work, if `path` cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ScenarioError([Diagnostic(str(path), 0, 0,
                                        f"cannot write: directory '{parent}' does not exist")])
    if path.is_dir():
        raise ScenarioError([Diagnostic(str(path), 0, 0, "cannot write: is a directory")])


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
