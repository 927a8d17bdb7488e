"""The scalar values a scenario writes, parsed from text: rates, days and HS codes.

Each parser refuses what a person could misread (a rate without '%', a date outside the
calendar, digits that are not ASCII) with a message naming the value, so the model can use
them as pydantic validators and the command line can reuse them for its options.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError

_RATE_RE = re.compile(r"^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_NUMBER_RE = re.compile(r"^\s*[+-]?[0-9]+(?:\.[0-9]+)?\s*$")
_DAY_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HS_RE = re.compile(r"[0-9]{2,10}")

FIRST_DAY = date(1900, 1, 1)  # every date a scenario gives lies in [FIRST_DAY, LAST_DAY],
LAST_DAY = date(2199, 12, 31)  # so that horizons and tails never leave the calendar


def _non_ascii_digits(text: str) -> bool:
    """Digits other than 0-9 (full-width, Arabic-Indic...), which int() would accept."""
    return not text.isascii() and any(ch.isdigit() and not ch.isascii() for ch in text)


def _ascii_only(value: Any, what: str) -> None:
    if isinstance(value, str) and _non_ascii_digits(value):
        raise PydanticCustomError(
            "digits",
            "'{v}' is not a valid {what}: write digits as ASCII 0-9 (it has "
            "full-width or other non-ASCII digits)",
            {"v": value, "what": what},
        )


def percent_hint(number: str) -> str:
    """How to write a bare number as a percentage. A fraction up to 1 (0.25, as tariffsim's
    own CSV and Python outputs write rates) may mean 25% as well as 0.25%: both are offered."""
    value = float(number)
    if 0 < value <= 1 and "." in number:
        return f"'{value * 100:g}%' if it is a fraction, or '{number}%'"
    return f"'{number}%'"


def parse_rate(value: Any) -> float:
    """'25%' -> 0.25. A bare number is refused: 25 and 0.25 are both plausible meanings."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("rate", "a rate must be written with a % sign, like '25%'")
    _ascii_only(value, "rate")
    match = _RATE_RE.match(value)
    if not match:
        if _NUMBER_RE.match(value):
            raise PydanticCustomError(
                "rate_unit",
                "rate '{v}' has no unit: write {hint} (rates carry a % sign)",
                {"v": value.strip(), "hint": percent_hint(value.strip())},
            )
        raise PydanticCustomError(
            "rate", "'{v}' is not a rate; write a percentage like '25%'", {"v": value}
        )
    number = float(match.group(1))
    if number < 0:
        raise PydanticCustomError(
            "rate_negative", "rate {v} is negative; rates are 0% or more", {"v": value.strip()}
        )
    if number > 10_000:
        raise PydanticCustomError(
            "rate_large", "rate {v} is implausibly large (over 10000%)", {"v": value.strip()}
        )
    return round(number / 100.0, 12)


def parse_probability(value: Any) -> float:
    """'60%' -> 0.6, written like a rate; a probability is more than 0% and at most 100%."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "probability", "a probability must be written with a % sign, like '60%'"
        )
    _ascii_only(value, "probability")
    match = _RATE_RE.match(value)
    if not match:
        hint = percent_hint(value.strip()) if _NUMBER_RE.match(value) else "a percentage like '60%'"
        raise PydanticCustomError(
            "probability", "'{v}' is not a probability; write {hint}", {"v": value, "hint": hint}
        )
    number = float(match.group(1))
    if not 0 < number <= 100:
        raise PydanticCustomError(
            "probability_range",
            "probability {v} is out of range: more than 0% and at most 100%",
            {"v": value.strip()},
        )
    return round(number / 100.0, 12)


def parse_day(value: Any) -> date:
    """'2025-11-10' -> date. Only the ISO day form is accepted; it must exist and lie between
    FIRST_DAY and LAST_DAY."""
    if isinstance(value, date):
        return _bounded(value, value.isoformat())
    _ascii_only(value, "date")
    if not isinstance(value, str) or not _DAY_RE.match(value.strip()):
        raise PydanticCustomError("day", "'{v}' is not a date; write YYYY-MM-DD", {"v": str(value)})
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as exc:
        raise PydanticCustomError(
            "day_impossible",
            "'{v}' is not a real date ({why})",
            {"v": value.strip(), "why": str(exc)},
        ) from None
    return _bounded(day, value.strip())


def _bounded(day: date, text: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "day_range",
            "date {v} is out of range: dates run from {lo} to {hi}",
            {"v": text, "lo": FIRST_DAY.isoformat(), "hi": LAST_DAY.isoformat()},
        )
    return day


def parse_hs(value: Any) -> str:
    """HS codes are digit strings of 2 to 10 digits; dots are allowed and dropped."""
    _ascii_only(str(value), "HS code")
    text = str(value).replace(".", "").strip()
    if not _HS_RE.fullmatch(text):
        raise PydanticCustomError(
            "hs", "'{v}' is not an HS code (2 to 10 digits, dots allowed)", {"v": str(value)}
        )
    return text


MAX_ELASTICITY = 50.0


def parse_elasticity(value: Any) -> float:
    """'2.53' -> 2.53: how far imports fall, in percent, per percent rise in their
    duty-inclusive price; written positive, as a plain number."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _NUMBER_RE.match(value):
        raise PydanticCustomError(
            "elasticity",
            "'{v}' is not an elasticity; write a plain decimal number such as 2.5 "
            "(no % sign, no exponent)",
            {"v": value},
        )
    number = float(value)
    if number < 0:
        raise PydanticCustomError(
            "elasticity_sign",
            "write the elasticity as a positive number ({v}): imports respond as "
            "(1 + duty) to the power minus the elasticity",
            {"v": value.strip().lstrip("-")},
        )
    if number > MAX_ELASTICITY:
        raise PydanticCustomError(
            "elasticity_range",
            "elasticity {v} is out of range: at most {top}",
            {"v": value.strip(), "top": f"{MAX_ELASTICITY:g}"},
        )
    return number
