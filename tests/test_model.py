from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from tariffsim.scenario import model as m
from tariffsim.scenario import values


@pytest.mark.parametrize(
    ("text", "value"),
    [("25%", 0.25), ("7.5%", 0.075), ("0%", 0.0), (" 100 % ", 1.0), ("125%", 1.25)],
)
def test_rates_with_percent_sign(text, value):
    assert values.parse_rate(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25", "has no unit: write '25%'"),
        ("0.25", "write '25%' if it is a fraction, or '0.25%'"),
        ("-5%", "negative"),
        ("lots", "not a rate"),
        ("20000%", "implausibly large"),
    ],
)
def test_bad_rates_explain_themselves(text, message):
    with pytest.raises(ValueError, match=message):
        values.parse_rate(text)


def test_days():
    assert values.parse_day("2025-11-10") == date(2025, 11, 10)
    with pytest.raises(ValueError, match="not a real date"):
        values.parse_day("2025-02-30")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        values.parse_day("10/11/2025")


def test_hs_codes_keep_leading_zeros_and_drop_dots():
    assert values.parse_hs("0201") == "0201"
    assert values.parse_hs("8517.13") == "851713"
    with pytest.raises(ValueError, match="not an HS code"):
        values.parse_hs("85a")


def test_conditions_take_exactly_one_key():
    with pytest.raises(ValidationError, match="exactly one"):
        m.Condition.model_validate({"flag": "a", "in_force": "b"})
    with pytest.raises(ValidationError, match="exactly one"):
        m.Condition.model_validate({})


def test_moves_are_a_tagged_union():
    scenario = m.ScenarioSpec.model_validate(
        {
            "title": "t",
            "moves": [
                {"kind": "set_rate", "measure": "a", "date": "2025-01-01", "rate": "5%"},
                {"kind": "suspend", "measure": "a", "from": "2025-01-01", "until": "2025-02-01"},
            ],
        }
    )
    assert isinstance(scenario.moves[0], m.SetRate)
    assert isinstance(scenario.moves[1], m.Suspend) and scenario.moves[1].rate == 0.0


def test_scope_needs_content():
    with pytest.raises(ValidationError, match="product scope needs"):
        m.ProductScope.model_validate({})
