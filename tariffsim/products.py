"""Product universes (one per direction, with base-year trade weights and MFN rates) and
product scopes resolved to boolean masks over them.

Tables are packaged CSV files derived by `tools/derive_data.py`; see `tariffsim/data/NOTICE.md`.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.errors import DataError
from tariffsim.resources import data_dir

if TYPE_CHECKING:
    import numpy as np

    from tariffsim.scenario import model as m

DEFAULT_WEIGHTS = "2024"

# HS sections by first and last chapter (Harmonized System nomenclature)
HS_SECTIONS = [
    ("I", "Live animals, animal products", 1, 5),
    ("II", "Vegetable products", 6, 14),
    ("III", "Fats and oils", 15, 15),
    ("IV", "Prepared food, beverages, tobacco", 16, 24),
    ("V", "Mineral products", 25, 27),
    ("VI", "Chemicals", 28, 38),
    ("VII", "Plastics and rubber", 39, 40),
    ("VIII", "Hides, leather, travel goods", 41, 43),
    ("IX", "Wood and articles", 44, 46),
    ("X", "Pulp and paper", 47, 49),
    ("XI", "Textiles and apparel", 50, 63),
    ("XII", "Footwear, headgear", 64, 67),
    ("XIII", "Stone, ceramics, glass", 68, 70),
    ("XIV", "Precious metals, jewellery", 71, 71),
    ("XV", "Base metals", 72, 83),
    ("XVI", "Machinery and electrical equipment", 84, 85),
    ("XVII", "Vehicles, aircraft, ships", 86, 89),
    ("XVIII", "Instruments, clocks", 90, 92),
    ("XIX", "Arms", 93, 93),
    ("XX", "Miscellaneous manufactures", 94, 96),
    ("XXI", "Works of art", 97, 97),
    ("98-99", "Special classifications", 98, 99),
]


def section_of_chapter(chapter: int) -> int:
    """Index into HS_SECTIONS of an HS chapter."""
    for i, (_, _, first, last) in enumerate(HS_SECTIONS):
        if first <= chapter <= last:
            return i
    raise ValueError(f"HS chapter {chapter} is not in any section")


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")  # type: ignore[return-value]
    return path.open(encoding="utf-8", newline="")  # type: ignore[return-value]


def _read_lines(path: Path) -> list[str]:
    """A packaged table's lines without '#' comments. Missing or unreadable: DataError."""
    try:
        with _open_text(path) as fh:
            return [line for line in fh if not line.startswith("#")]
    except FileNotFoundError:
        raise DataError(f"packaged data table missing: {path} (reinstall tariffsim)") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"packaged data table unreadable: {path}: {exc}") from None


def _read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(_read_lines(path)))


def _universe_files() -> dict[tuple[str, str], Path]:
    out = {}
    for path in sorted(data_dir().glob("universe-*.csv*")):
        imposer, target = path.name.split(".")[0].split("-")[1:3]
        out[(imposer, target)] = path
    return out


def supported_directions() -> set[tuple[str, str]]:
    """Directions (imposer, target) with a packaged product universe."""
    return set(_universe_files())


def available_weights() -> list[str]:
    """Base years with trade weights in every packaged universe (read from table headers)."""
    years: set[str] | None = None
    for path in _universe_files().values():
        try:
            with _open_text(path) as fh:  # the header alone, not the whole table
                first = next((line for line in fh if not line.startswith("#")), "")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise DataError(f"packaged data table unreadable: {path}: {exc}") from None
        header = next(csv.reader([first]), [])
        have = {k.removeprefix("value_") for k in header if k.startswith("value_")}
        years = have if years is None else years & have
    return sorted(years or ())


def list_names() -> list[str]:
    """Names of the product lists shipped in the package."""
    return sorted(p.name.split(".")[0] for p in (data_dir() / "lists").glob("*.csv*"))


@dataclass(frozen=True, eq=False)
class ProductUniverse:
    """The product lines of one direction: codes, base-year trade values and MFN rates."""

    imposer: str
    target: str
    codes: np.ndarray  # str: HS codes (HTS10 for US→CN, HS6 for CN→US)
    descriptions: np.ndarray  # str
    values: np.ndarray  # float: base-year trade value, USD
    mfn: np.ndarray  # float: MFN (or ad-valorem equivalent) rate, fraction
    weights_label: str  # which base-year weights these are
    source: str = "a caller's own data"  # where the lines, values and MFN rates come from
    _masks: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # scope -> mask
    _truncated: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    _as_int: list[np.ndarray] = field(default_factory=list, repr=False)
    _sections: list[np.ndarray] = field(default_factory=list, repr=False)
    # digest of a set of scope masks -> lines grouped by the scopes they are in (stacker)
    _groupings: dict[bytes, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def weights(self) -> np.ndarray:
        """Trade shares, summing to 1."""
        return self.values / self.values.sum()

    def __len__(self) -> int:
        return len(self.codes)

    def prefix_mask(self, prefixes: list[str] | set[str] | frozenset[str]) -> np.ndarray:
        """Products whose code starts with any of `prefixes`, vectorised per prefix length.

        Codes of one length are digit strings, so a prefix of length L is the integer part
        of the code divided by 10**(width - L): integer matching, not string matching.
        """
        import numpy as np

        mask = np.zeros(len(self.codes), dtype=bool)
        width = len(self.codes[0]) if len(self.codes) else 0
        by_length: dict[int, list[int]] = {}
        for p in prefixes:
            if len(p) <= width:
                by_length.setdefault(len(p), []).append(int(p))
        for length, group in by_length.items():
            if length not in self._truncated:
                self._truncated[length] = self._codes_int() // 10 ** (width - length)
            mask |= np.isin(self._truncated[length], np.array(group, dtype=np.int64))
        return mask

    def _codes_int(self) -> np.ndarray:
        import numpy as np

        if not self._as_int:
            if len({len(c) for c in self.codes}) > 1:
                raise DataError(f"{self.imposer}→{self.target}: product codes differ in length")
            self._as_int.append(self.codes.astype(np.int64))
        return self._as_int[0]

    @property
    def sections(self) -> np.ndarray:
        """Index into HS_SECTIONS of each product line (worked out once per universe)."""
        import numpy as np

        if not self._sections:
            chapters = self.codes.astype("<U2").astype(int)
            lookup = np.array([section_of_chapter(c) if c else 0 for c in range(100)])
            self._sections.append(lookup[chapters])
        return self._sections[0]

    def find(self, code: str) -> np.ndarray:
        """Indices of the lines a user's code (any length, dots allowed) refers to."""
        import numpy as np

        return np.flatnonzero(self.prefix_mask([code.replace(".", "")]))


@cache
def load_universe(imposer: str, target: str, weights: str = DEFAULT_WEIGHTS) -> ProductUniverse:
    """The packaged universe of a direction, weighted by trade in the `weights` base year."""

    files = _universe_files()
    if (imposer, target) not in files:
        raise DataError(f"no packaged product data for {imposer}→{target}")
    path = files[(imposer, target)]
    lines = _read_lines(path)
    header = next(csv.reader(lines[:1]), [])
    column = f"value_{weights}"
    if column not in header:
        have = sorted(k.removeprefix("value_") for k in header if k.startswith("value_"))
        raise DataError(
            f"no '{weights}' weights for {imposer}→{target}; available: {', '.join(have) or 'none'}"
        )
    import numpy as np

    rows = list(csv.reader(lines[1:]))
    index = {name: i for i, name in enumerate(header)}
    try:  # the csv module, not pandas: a cold `tariffsim run` never imports pandas
        codes = np.array([row[index["code"]] for row in rows], dtype=str)
        values = np.array([row[index[column]] for row in rows], dtype=float)
        mfn = np.array([row[index["mfn"]] for row in rows], dtype=float)
        described = "description" in index
        descriptions = np.array([row[index["description"]] for row in rows]) if described else codes
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError(f"corrupt packaged table {path}: {exc}") from None
    return ProductUniverse(
        imposer,
        target,
        codes=codes,
        descriptions=descriptions.astype(str),
        values=values,
        mfn=mfn,
        weights_label=weights,
        source=f"packaged data {path.name} (see NOTICE.md)",
    )


@cache
def load_list(name: str) -> frozenset[str]:
    """The codes of a shipped product list (each code matches products it prefixes)."""
    matches = sorted((data_dir() / "lists").glob(f"{name}.csv*"))
    if not matches:
        raise DataError(f"shipped product list '{name}' not found")
    lines = [line.strip() for line in _read_lines(matches[0])]
    if not lines or lines[0] != "code" or not all(x.isdigit() for x in lines[1:]):
        raise DataError(f"corrupt packaged list {matches[0]}: expected a 'code' column of digits")
    return frozenset(lines[1:])


class ScopeResolver:
    """Resolves product scopes to masks over one universe. Masks of scopes that do not name
    a scenario's own sets are cached on the universe, so reruns reuse them."""

    def __init__(self, universe: ProductUniverse, product_sets: dict[str, m.ProductScope]):
        self.universe = universe
        self.product_sets = product_sets
        self._cache: dict[str, np.ndarray] = {}

    def mask(self, scope: str | m.ProductScope) -> np.ndarray:
        import numpy as np

        key = scope if isinstance(scope, str) else scope.model_dump_json()
        if key in self._cache:
            return self._cache[key]
        shared = key == "all" or (
            not isinstance(scope, str) and '"sets":[]' in key and '"sets":["' not in key
        )
        if shared and key in self.universe._masks:
            return self.universe._masks[key]
        n = len(self.universe)
        if isinstance(scope, str):
            result = (
                np.ones(n, dtype=bool) if scope == "all" else self.mask(self.product_sets[scope])
            )
        else:
            result = np.full(n, scope.all)
            if scope.hs:
                result |= self.universe.prefix_mask(scope.hs)
            for name in scope.lists:
                result |= self.universe.prefix_mask(load_list(name))
            for name in scope.sets:
                result |= self.mask(self.product_sets[name])
            if scope.exclude is not None:
                result &= ~self.mask(scope.exclude)
        result.setflags(write=False)
        self._cache[key] = result
        if shared:
            self.universe._masks[key] = result
        return result
