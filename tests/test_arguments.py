"""The API's one reading of days and directions (tariffsim.arguments)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from tariffsim.arguments import as_day, as_direction, direction_order
from tariffsim.errors import ScenarioError

DAY = date(2025, 11, 10)


@pytest.mark.parametrize(
    "value",
    [
        "2025-11-10",
        " 2025-11-10 ",
        DAY,
        datetime(2025, 11, 10, 23, 59),
        pd.Timestamp("2025-11-10 08:00"),
        np.datetime64("2025-11-10"),
        np.datetime64("2025-11-10T12:30", "m"),
    ],
)
def test_every_usual_day_type_reads_as_the_same_day(value):
    assert as_day(value) == DAY


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-5-1", "day: '2025-5-1' is not a date; write YYYY-MM-DD"),
        ("10/11/2025", "day: '10/11/2025' is not a date; write YYYY-MM-DD"),
        (20251110, "day: '20251110' is not a date; write YYYY-MM-DD"),
        (None, "day: 'None' is not a date; write YYYY-MM-DD"),
        (pd.NaT, "day: 'NaT' is not a date; write YYYY-MM-DD"),
        (np.datetime64("NaT"), "day: 'NaT' is not a date; write YYYY-MM-DD"),
        (
            "1899-12-31",
            "day: date 1899-12-31 is out of range: dates run from 1900-01-01 to 2199-12-31",
        ),
        (
            np.datetime64("2200-01-01"),
            "day: date 2200-01-01 is out of range: dates run from 1900-01-01 to 2199-12-31",
        ),
    ],
)
def test_a_bad_day_is_one_line_naming_the_argument(value, message):
    with pytest.raises(ScenarioError) as exc:
        as_day(value)
    assert [str(d) for d in exc.value.diagnostics] == [message]
    assert isinstance(exc.value, ValueError)


def test_the_flag_is_named_when_given():
    with pytest.raises(ScenarioError) as exc:
        as_day("2025-13-01", "--date")
    assert str(exc.value.diagnostics[0]).startswith("--date: '2025-13-01' is not a real date")


BOTH = [("CN", "US"), ("US", "CN")]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("US-CN",), {}),
        (("us-cn",), {}),
        (("US→CN",), {}),
        ((" us -> cn ",), {}),
        ((("US", "CN"),), {}),
        ((), {"imposer": "US", "target": "CN"}),
        ((), {"imposer": "us"}),
        ((), {"target": "cn"}),
    ],
)
def test_a_direction_is_read_one_way(args, kwargs):
    assert as_direction(*args, **kwargs, valid=BOTH) == ("US", "CN")


def test_no_direction_means_all():
    assert as_direction(valid=BOTH) is None


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("US-EU",), {}, "'US-EU' is not a direction here; the directions are: US-CN, CN-US"),
        (("USCN",), {}, "'USCN' is not a direction; write it as IMPOSER-TARGET, one of: "),
        ((), {"imposer": "EU"}, "'EU-?' is not a direction here; the directions are: "),
        (("US-CN",), {"imposer": "US"}, "give a direction either as 'US-CN' or as imposer="),
    ],
)
def test_an_unknown_direction_is_a_value_error_listing_the_valid_ones(args, kwargs, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace("?", r"\?")):
        as_direction(*args, **kwargs, valid=BOTH)


def test_a_partial_direction_that_fits_two_is_refused():
    valid = [("US", "CN"), ("US", "EU")]
    with pytest.raises(ValueError, match="'US-\\?' fits more than one direction"):
        as_direction(imposer="US", valid=valid)


def test_directions_are_listed_us_to_china_first():
    assert direction_order([("CN", "US"), ("EU", "US"), ("US", "CN")]) == [
        ("US", "CN"),
        ("CN", "US"),
        ("EU", "US"),
    ]
