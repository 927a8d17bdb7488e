"""The Python API as a notebook uses it: days in any usual type, directions one way, a daily
Series, the one-line `at`, one explain column set, and an events table that says what each
row is.

The scenario below runs on the synthetic universes of `synthetic/universe.py`; every expected
value is written out by hand with its arithmetic beside it, never computed with tariffsim.

    US→CN (12 lines, value 1000, trade-weighted MFN 0.023)
      us-base 10% on everything from 1 Jan, a scheduled step to 20% on 1 Feb;
      trigger t-deal on 10 Mar: if the flag `deal` is set (15 Feb), us-base goes to 5%
    CN→US (4 lines, value 1000, trade-weighted MFN 0.079)
      cn-soy 25% on soybeans (hs 1201: 400 of 1000) from 1 Jan, set to 15% on 1 Mar;
      cn-controls, a non-tariff measure, from 15 Jan
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from synthetic.universe import universes

import tariffsim as ts
from tariffsim.errors import ScenarioError

DAY = "2025-02-20"  # us-base at 20% (after the step), cn-soy at 25% (before the cut)

DAY_TYPES = [
    "2025-02-20",
    date(2025, 2, 20),
    datetime(2025, 2, 20, 15, 30),
    pd.Timestamp("2025-02-20"),
    pd.Timestamp("2025-02-20 08:00"),
    np.datetime64("2025-02-20"),
    np.datetime64("2025-02-20T23:59", "m"),
]
DAY_IDS = ["str", "date", "datetime", "Timestamp", "Timestamp-time", "datetime64", "datetime64-m"]

BOTH = "the directions are: US-CN, CN-US"  # US-CN first, then the others alphabetically

# the explain columns, in order, written out here (not read from the package)
EXPLAIN_COLUMNS = [
    "imposer",
    "target",
    "product",
    "description",
    "measure",
    "name",
    "authority",
    "legal",
    "status",
    "applies",
    "rate",
    "coverage",
    "contribution",
    "rule",
    "sources",
]


def tariff(ident: str, rate: str, imposer: str, target: str, **extra):
    return {
        "id": ident,
        "name": ident,
        "imposer": imposer,
        "target": target,
        "authority": "test",
        "rate": rate,
        "from": "2025-01-01",
        "sources": ["src"],
        "products": "all",
        "headline": True,
        **extra,
    }


CONTROLS = {
    "id": "cn-controls",
    "name": "export controls",
    "imposer": "CN",
    "target": "US",
    "type": "non_tariff",
    "authority": "test",
    "from": "2025-01-15",
    "sources": ["src"],
}


def scenario(measures: list[dict], moves: list[dict] | None = None, triggers=None):
    return ts.scenario_from_dict(
        {
            "title": "api",
            "references": [{"id": "src", "title": "a source"}, {"id": "src2", "title": "another"}],
            "flags": [{"id": "deal", "description": "a deal is reached"}],
            "horizon": {"start": "2025-01-01", "end": "2025-03-31"},
            "measures": measures,
            "moves": moves or [],
            "triggers": triggers or [],
        }
    )


SCENARIO = scenario(
    [
        tariff("us-base", "10%", "US", "CN", steps=[{"date": "2025-02-01", "rate": "20%"}]),
        tariff("cn-soy", "25%", "CN", "US", products={"hs": ["1201"]}),
        CONTROLS,
    ],
    [
        {"kind": "set_flag", "flag": "deal", "date": "2025-02-15", "sources": ["src", "src2"]},
        {
            "kind": "set_rate",
            "measure": "cn-soy",
            "date": "2025-03-01",
            "rate": "15%",
            "sources": ["src2"],
        },
    ],
    [
        {
            "id": "t-deal",
            "date": "2025-03-10",
            "description": "a deal lowers the US rate",
            "if": {"flag": "deal"},
            "then": [{"kind": "set_rate", "measure": "us-base", "rate": "5%"}],
            "sources": ["src"],
        }
    ],
)


def raises_exactly(message: str):
    """A ValueError whose message is `message`, all of it."""
    return pytest.raises(ValueError, match=f"^{re.escape(message)}$")


@pytest.fixture(scope="module")
def result():
    return ts.simulate(SCENARIO, universes=universes())


# ------------------------------------------------------------------------------ days


@pytest.mark.parametrize("day", DAY_TYPES, ids=DAY_IDS)
def test_at_takes_a_day_in_every_usual_type(result, day):
    got = result.at(day)
    assert got.columns.tolist() == [
        "date",
        "imposer",
        "target",
        "headline_rate",
        "effective_rate",
    ]
    # one row per direction, US-CN first
    assert got[["imposer", "target"]].values.tolist() == [["US", "CN"], ["CN", "US"]]
    assert got.date.tolist() == [pd.Timestamp("2025-02-20")] * 2
    assert got.headline_rate.tolist() == pytest.approx([0.20, 0.25])
    assert got.effective_rate.tolist() == pytest.approx(
        [
            0.023 + 0.20,  # MFN + 20% on everything
            0.079 + 0.25 * 400 / 1000,  # MFN + 25% on soybeans = 0.179
        ]
    )


@pytest.mark.parametrize("day", DAY_TYPES, ids=DAY_IDS)
def test_explain_takes_a_day_in_every_usual_type(result, day):
    got = result.explain(day, "US-CN")
    assert got.measure.tolist() == ["mfn", "us-base"]
    assert got.rate.tolist()[1] == pytest.approx(0.20)
    product = result.explain(day, "CN-US", product="1201")
    assert product.measure.tolist() == ["mfn", "cn-soy", "total"]
    assert product.rate.tolist() == pytest.approx([0.03, 0.25, 0.28])  # soybeans: MFN 3%


@pytest.mark.parametrize("day", DAY_TYPES, ids=DAY_IDS)
def test_the_other_day_arguments_take_every_usual_type(result, day):
    assert ts.simulate(SCENARIO, start=day, universes=universes()).start == date(2025, 2, 20)
    assert ts.simulate(SCENARIO, end=day, universes=universes()).end == date(2025, 2, 20)
    rates = result.product_rates(day, "US-CN").set_index("product").rate
    assert rates["610100"] == pytest.approx(0.16 + 0.20)  # coats: MFN 16% + 20%
    sections = result.by_section(day)
    assert sections.date.unique().tolist() == [pd.Timestamp("2025-02-20")]


def test_days_taken_from_the_tables_are_accepted(result):
    s = result.series("US-CN")
    assert result.at(s.index[50]).date.tolist() == [pd.Timestamp("2025-02-20")] * 2
    assert result.at(s.index.values[50]).date.tolist() == [pd.Timestamp("2025-02-20")] * 2
    assert len(result.explain(result.events.date.iloc[-1])) > 0
    # a whole column of days: every day of the horizon, for each direction
    assert len(result.at(s.index)) == 2 * 90
    several = result.at(["2025-01-31", pd.Timestamp("2025-02-01")])
    assert several[["imposer", "date"]].values.tolist() == [
        ["US", pd.Timestamp("2025-01-31")],
        ["US", pd.Timestamp("2025-02-01")],
        ["CN", pd.Timestamp("2025-01-31")],
        ["CN", pd.Timestamp("2025-02-01")],
    ]
    assert several.headline_rate.tolist() == pytest.approx([0.10, 0.20, 0.25, 0.25])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.at(20250220), "day: '20250220' is not a date; write YYYY-MM-DD"),
        (lambda r: r.at("2025-2-20"), "day: '2025-2-20' is not a date; write YYYY-MM-DD"),
        (lambda r: r.explain(None), "day: 'None' is not a date; write YYYY-MM-DD"),
        (lambda r: r.at(pd.NaT), "day: 'NaT' is not a date; write YYYY-MM-DD"),
        (
            lambda r: r.at("2025-04-01"),
            "day: 2025-04-01 is outside the simulated days 2025-01-01 to 2025-03-31",
        ),
        (
            lambda r: ts.simulate(SCENARIO, start=2025),
            "start: '2025' is not a date; write YYYY-MM-DD",
        ),
        (
            lambda r: ts.simulate(SCENARIO, end="31/03/2025"),
            "end: '31/03/2025' is not a date; write YYYY-MM-DD",
        ),
    ],
)
def test_a_bad_day_is_one_message_naming_the_argument(result, call, message):
    with pytest.raises(ScenarioError) as exc:
        call(result)
    assert [str(d) for d in exc.value.diagnostics] == [message]


# ------------------------------------------------------------------------------ directions


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("US-CN",), {}),
        (("us-cn",), {}),
        (("Us-Cn",), {}),
        ((), {"imposer": "US", "target": "CN"}),
        ((), {"imposer": "us"}),
        ((), {"target": "cn"}),
    ],
)
def test_a_direction_is_written_one_way_everywhere(result, args, kwargs):
    assert result.explain(DAY, *args, **kwargs).measure.tolist() == ["mfn", "us-base"]
    assert result.direction(*args, **kwargs).imposer == "US"
    assert result.series(*args, **kwargs).name == "US-CN effective_rate"
    rates = result.product_rates(DAY, *args, **kwargs)
    assert rates.columns.tolist() == ["product", "description", "weight", "rate"]
    assert len(rates) == 12  # the US→CN lines


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.explain(DAY, "US-JP"),
        lambda r: r.explain(DAY, imposer="JP"),
        lambda r: r.product_rates(DAY, "us-jp"),
        lambda r: r.series("US-JP"),
        lambda r: r.direction(imposer="US", target="JP"),
    ],
)
def test_an_unknown_direction_lists_the_valid_ones(result, call):
    with pytest.raises(ValueError, match=BOTH) as exc:
        call(result)
    assert "is not a direction here" in str(exc.value)


def test_direction_messages_in_full(result):
    with raises_exactly(f"'US-JP' is not a direction here; {BOTH}"):
        result.explain(DAY, "US-JP")
    with raises_exactly(
        "'USCN' is not a direction; write it as IMPOSER-TARGET, one of: US-CN, CN-US"
    ):
        result.series("USCN")
    with raises_exactly("give a direction either as 'US-CN' or as imposer=/target=, not both"):
        result.explain(DAY, "US-CN", imposer="US")


@pytest.mark.parametrize(
    "call", [lambda r: r.product_rates(DAY), lambda r: r.series(), lambda r: r.direction()]
)
def test_one_direction_must_be_named_among_several(result, call):
    with raises_exactly(
        f"a direction is needed here: give it as 'US-CN' or imposer=/target=; {BOTH}"
    ):
        call(result)


def test_a_single_direction_needs_no_name():
    r = ts.simulate(scenario([tariff("us-base", "10%", "US", "CN")]), universes=universes())
    assert len(r.product_rates(DAY)) == 12
    assert r.series().name == "US-CN effective_rate"


def test_explain_knows_a_direction_of_non_tariff_measures_only():
    # CN→US has only export controls: explain lists them; it has no rates to give
    r = ts.simulate(
        scenario([tariff("us-base", "10%", "US", "CN"), CONTROLS]), universes=universes()
    )
    rows = r.explain(DAY, "CN-US")
    assert rows[["measure", "status"]].values.tolist() == [["cn-controls", "in force"]]
    assert r.explain(DAY).measure.tolist() == ["mfn", "us-base", "cn-controls"]
    with raises_exactly("'CN-US' is not a direction here; the directions are: US-CN"):
        r.series("CN-US")


def test_explain_lists_us_cn_first_each_with_its_non_tariff_measures(result):
    got = result.explain(DAY)
    assert got[["imposer", "measure"]].values.tolist() == [
        ["US", "mfn"],
        ["US", "us-base"],
        ["CN", "mfn"],
        ["CN", "cn-soy"],
        ["CN", "cn-controls"],
    ]


# ------------------------------------------------------------------------------ series


def test_series_is_a_daily_rate_on_a_datetime_index(result):
    s = result.series("US-CN")
    assert isinstance(s, pd.Series) and isinstance(s.index, pd.DatetimeIndex)
    assert s.name == "US-CN effective_rate" and s.index.name == "date"
    assert len(s) == 90  # 31 + 28 + 31 days of 2025's first quarter
    assert s.index[0] == pd.Timestamp("2025-01-01") and s.index[-1] == pd.Timestamp("2025-03-31")
    assert s.index.to_series().diff().dropna().eq(pd.Timedelta(days=1)).all()
    assert s[["2025-01-31", "2025-02-01", "2025-03-09", "2025-03-10"]].tolist() == pytest.approx(
        [
            0.023 + 0.10,  # before the step
            0.023 + 0.20,  # the step
            0.023 + 0.20,  # the day before the trigger
            0.023 + 0.05,  # t-deal fired: 5%
        ]
    )


def test_series_of_a_headline_rate(result):
    s = result.series("cn-us", "headline_rate")
    assert s.name == "CN-US headline_rate"
    assert s[["2025-02-28", "2025-03-01"]].tolist() == pytest.approx([0.25, 0.15])
    assert result.series(imposer="CN", column="headline_rate").equals(s)


@pytest.mark.parametrize("column", ["rate", "effective", "date", "Headline_rate"])
def test_series_refuses_an_unknown_column_listing_the_valid_ones(result, column):
    with raises_exactly(
        f"'{column}' is not a rate column; the columns are: headline_rate, effective_rate"
    ):
        result.series("US-CN", column)


# ------------------------------------------------------------------------------ explain


def test_explain_has_one_column_set_with_or_without_a_product(result):
    layers = result.explain(DAY)
    lines = result.explain(DAY, product="1201")
    assert layers.columns.tolist() == EXPLAIN_COLUMNS
    assert lines.columns.tolist() == EXPLAIN_COLUMNS
    empty = result.explain(DAY, product="99")  # no line matches
    assert empty.empty and empty.columns.tolist() == EXPLAIN_COLUMNS


def test_explain_blanks_what_does_not_apply(result):
    layers = result.explain(DAY, "US-CN")
    assert layers["product"].tolist() == ["", ""] and layers["description"].tolist() == ["", ""]
    assert layers["applies"].isna().all()
    assert layers["authority"].tolist() == ["tariff schedule", "test"]
    assert layers["coverage"].tolist() == pytest.approx([1.0, 1.0])
    assert layers["contribution"].tolist() == pytest.approx([0.023, 0.20])

    lines = result.explain(DAY, "CN-US", product="1201")
    assert lines[["product", "description"]].values.tolist() == [["120100", "soybeans"]] * 3
    assert lines["applies"].tolist() == [True, True, True]
    assert lines["authority"].tolist() == ["tariff schedule", "test", ""]
    assert lines["coverage"].isna().all() and lines["contribution"].isna().all()
    assert lines["status"].tolist() == ["in force", "in force", ""]


# ------------------------------------------------------------------------------ events


def test_events_say_what_kind_each_row_is_and_keep_sources_as_lists(result):
    ev = result.events
    assert ev.columns.tolist() == [
        "date",
        "kind",
        "category",
        "id",
        "measure",
        "fired",
        "detail",
        "sources",
    ]
    assert ev[["date", "kind", "category"]].values.tolist() == [
        [pd.Timestamp("2025-01-01"), "start", "scheduled"],  # us-base
        [pd.Timestamp("2025-01-01"), "start", "scheduled"],  # cn-soy
        [pd.Timestamp("2025-01-15"), "start", "scheduled"],  # cn-controls
        [pd.Timestamp("2025-02-01"), "step", "scheduled"],  # us-base to 20%
        [pd.Timestamp("2025-02-15"), "set_flag", "move"],
        [pd.Timestamp("2025-03-01"), "set_rate", "move"],  # cn-soy to 15%
        [pd.Timestamp("2025-03-10"), "trigger", "trigger"],  # t-deal
        [pd.Timestamp("2025-03-10"), "set_rate", "move"],  # its move: us-base to 5%
    ]
    assert ev.sources.tolist() == [
        ["src"],
        ["src"],
        ["src"],
        ["src"],  # a step without sources of its own: the measure's
        ["src", "src2"],
        ["src2"],
        ["src"],
        ["src"],  # a trigger's move without sources: the trigger's
    ]
    assert all(type(s) is list for s in ev.sources)


def test_events_of_a_quiet_scenario_still_have_every_column():
    r = ts.simulate(scenario([CONTROLS]))
    assert r.events.category.tolist() == ["scheduled"]
    assert r.events.sources.tolist() == [["src"]]
