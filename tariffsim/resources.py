"""Where bundled scenarios, seeds and data tables live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled_dir(kind: str) -> Path:
    """`scenarios` or `seeds`: inside the installed package, else beside it in the repo."""
    inside = _PACKAGE / kind
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / kind


def data_dir() -> Path:
    """Packaged data tables (derived by tools/derive_data.py)."""
    return _PACKAGE / "data"


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenario names (file stems) and their paths, sorted by name."""
    return {p.stem: p for p in sorted(bundled_dir("scenarios").glob("*.yaml"))}


def resolve_name(name: str, relative_to: Path | None = None) -> Path:
    """Turn a scenario reference into a path.

    A plain name (`busan-deal`) is a bundled scenario, `seeds/NAME` a bundled seed file;
    anything else is a path, relative to the referring file when there is one.
    """
    if name.startswith("seeds/") and not name.endswith((".yaml", ".yml")):
        return bundled_dir("seeds") / f"{name.removeprefix('seeds/')}.yaml"
    if "/" not in name and "\\" not in name and not name.endswith((".yaml", ".yml")):
        scenarios = bundled_scenarios()
        if name in scenarios:
            return scenarios[name]
        if (bundled_dir("seeds") / f"{name}.yaml").is_file():
            return bundled_dir("seeds") / f"{name}.yaml"
    path = Path(name)
    if relative_to is not None and not path.is_absolute():
        path = relative_to.parent / path
    return path


def is_within(path: Path, folders: list[Path]) -> bool:
    """`path`, symlinks and `..` resolved, lies in one of `folders` (or below it)."""
    real = path.resolve()
    return any(real.is_relative_to(folder.resolve()) for folder in folders)


def base_allowed(base: Path, scenario_dir: Path) -> bool:
    """A base that `extends` may name without an opt-in: bundled (scenarios, seeds), or a
    file in the loaded scenario's folder or below it. Anything else could be any file of
    the machine, read and echoed back in error messages."""
    return is_within(base, [scenario_dir, bundled_dir("scenarios"), bundled_dir("seeds")])
