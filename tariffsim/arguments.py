"""What the Python API and the command line accept, read one way everywhere: a day in any of
the types a notebook holds (text, `date`, `datetime`, pandas `Timestamp`, numpy
`datetime64`), and a direction as `"US-CN"` (any case, `→` too) or `imposer=`/`target=`.

Each has one parser and one error message, so `result.at`, `explain`, the charts and the
command line's flags refuse the same mistakes in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tariffsim.errors import Diagnostic, ScenarioError

Direction = tuple[str, str]  # (imposer, target)

_PAIR_RE = re.compile(r"\s*([A-Za-z]{2})\s*(?:-|→|->|/)\s*([A-Za-z]{2})\s*", re.ASCII)


def as_day(value: Any, name: str = "day") -> date:
    """A day from text (YYYY-MM-DD), `date`, `datetime`, `pd.Timestamp` or `np.datetime64`
    (a time of day is dropped). Anything else, or a day outside 1900-2199, is a
    `ScenarioError` (a `ValueError`) naming `name`: the argument or flag it came from."""
    from tariffsim.scenario.values import parse_day

    try:
        if isinstance(value, datetime):  # pd.Timestamp is one; pd.NaT too
            if value != value:  # NaT is not equal to itself
                raise ValueError("'NaT' is not a date; write YYYY-MM-DD")
            value = value.date()
        elif getattr(value, "dtype", None) is not None and value.dtype.kind == "M":
            value = _from_datetime64(value)
        return parse_day(value)
    except ValueError as exc:
        raise ScenarioError([Diagnostic(name, 0, 0, str(exc).split("\n")[0])]) from None


def _from_datetime64(value: Any) -> Any:
    import numpy as np

    if np.isnat(value):
        raise ValueError("'NaT' is not a date; write YYYY-MM-DD")
    return value.astype("datetime64[D]").item()  # a date, or an int beyond datetime's years


def direction_order(pairs: Iterable[Direction]) -> list[Direction]:
    """Directions in the order every table, chart and listing shows them: US→CN first (the
    direction the reports lead with), then the others alphabetically."""
    return sorted(set(pairs), key=lambda p: (p != ("US", "CN"), p))


def direction_text(pair: Direction) -> str:
    return f"{pair[0]}-{pair[1]}"


def as_direction(
    value: Any = None,
    *,
    imposer: str | None = None,
    target: str | None = None,
    valid: Iterable[Direction],
) -> Direction | None:
    """The direction asked for, among `valid` ones: `value` as "US-CN" (any case; "US→CN"
    and ("US", "CN") too), or `imposer=`/`target=` (either alone if that is unambiguous).
    None when nothing is asked (all directions). Anything else is a `ValueError` that lists
    the valid directions."""
    valid = direction_order(valid)
    listed = ", ".join(direction_text(p) for p in valid) or "none"
    if value is None and imposer is None and target is None:
        return None
    if value is not None and (imposer is not None or target is not None):
        raise ValueError("give a direction either as 'US-CN' or as imposer=/target=, not both")
    if value is not None:
        imposer, target = _split(value, listed)
    wanted = [
        p
        for p in valid
        if (imposer is None or p[0] == str(imposer).strip().upper())
        and (target is None or p[1] == str(target).strip().upper())
    ]
    if len(wanted) != 1:
        asked = "-".join(str(x).upper() if x is not None else "?" for x in (imposer, target))
        why = "is not a direction here" if not wanted else "fits more than one direction"
        raise ValueError(f"'{asked}' {why}; the directions are: {listed}")
    return wanted[0]


def _split(value: Any, listed: str) -> tuple[str, str]:
    if isinstance(value, tuple | list) and len(value) == 2:
        return str(value[0]), str(value[1])
    match = _PAIR_RE.fullmatch(str(value))
    if match is None:
        raise ValueError(
            f"'{value}' is not a direction; write it as IMPOSER-TARGET, one of: {listed}"
        )
    return match.group(1), match.group(2)
