"""The layers and sections charts checked by what they draw, every chart kind rendered for
every bundled scenario without a warning, and `tariffsim plot --kind`."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import tariffsim as ts
from tariffsim.charts.figure import KINDS, figure_bytes, scenario_figure
from tariffsim.charts.layers import LAYER_GID, TOTAL_GID
from tariffsim.charts.sections import MESH_GID
from tariffsim.cli import main
from tariffsim.cli.parser import build_parser
from tariffsim.products import HS_SECTIONS
from tariffsim.resources import bundled_scenarios
from tariffsim.uncertainty.tree import is_uncertain

SCENARIOS = sorted(bundled_scenarios())
# the kinds drawn from one path; a scenario with branches (the outlook) draws a fan
PLAIN = [n for n in SCENARIOS if not is_uncertain(ts.load_scenario(n))]


@pytest.fixture(scope="module")
def results(plain_results):
    return plain_results


@pytest.fixture(scope="module")
def busan(results):
    return results["busan-deal"]


def of(ax, gid: str) -> list:
    return [a for a in ax.get_children() if (a.get_gid() or "").startswith(gid)]


# ------------------------------------------------------------------ layers


def test_layers_stack_to_the_effective_rate_mfn_at_the_bottom(busan):
    ax = ts.plot_layers(busan, direction="US-CN")
    layers = of(ax, LAYER_GID)
    assert layers[0].get_gid() == f"{LAYER_GID}:mfn" and layers[0].get_label().startswith("MFN")
    changes = busan.changes.query("imposer == 'US'")
    (total,) = of(ax, TOTAL_GID)
    # the top of the stack, on each change day, is the effective rate of that day
    assert np.allclose(total.get_ydata()[:-1], changes["effective_rate"].to_numpy())
    top = layers[-1].get_paths()[0].vertices[:, 1].max()
    assert np.isclose(top, changes["effective_rate"].max())
    bottom = layers[0].get_paths()[0].vertices[:, 1]
    assert np.isclose(bottom.min(), 0) and np.isclose(bottom.max(), busan.direction("US-CN").mfn)


def test_layers_legend_names_measures_largest_first_then_the_rest(busan):
    ax = ts.plot_layers(busan, direction="CN-US", top=3)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Effective rate" and legend[-1] == "MFN (most-favoured-nation duty)"
    assert legend[1].startswith("Other measures (")
    names = {x.name for x in busan.scenario.spec.measures}
    assert len(legend) == 3 + 3 and set(legend[2:-1]) <= names  # names, not ids
    assert "China's counter-tariff on all US goods" in legend
    assert ax.get_ylabel() == "Contribution to the effective rate"


def test_layers_of_both_directions_are_panels(busan):
    axes = ts.plot_layers(busan)
    assert len(axes) == 2 and axes[0].figure is axes[1].figure
    assert [a.get_title(loc="left") for a in axes] == [
        "US tariffs on goods from China: effective rate by measure",
        "Chinese tariffs on goods from the US: effective rate by measure",
    ]
    assert axes[1].get_xlabel().startswith("Source: tariffsim, scenario 'busan-deal'")
    _, one = plt.subplots()
    with pytest.raises(ValueError, match="2 panel"):
        ts.plot_layers(busan, ax=one)  # two directions do not stack on one Axes
    _, two = plt.subplots(2, 1)
    assert list(ts.plot_layers(busan, ax=two)) == list(two)


# ------------------------------------------------------------------ sections


def test_sections_heatmap_holds_each_sections_rate_on_each_change_day(busan):
    ax = ts.plot_sections(busan, direction="CN-US")
    (mesh,) = of(ax, MESH_GID)
    rows = busan.by_section().query("imposer == 'CN'")
    table = rows.pivot_table(index="section", columns="date", values="effective_rate", sort=False)
    assert mesh.get_array().shape == table.shape
    assert np.allclose(mesh.get_array(), table.to_numpy())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    names = {s: n for s, n, _, _ in HS_SECTIONS}
    assert [x.split("  ")[1].split(" (")[0] for x in labels] == [names[s] for s in table.index]
    assert labels[15] == "XVI  Machinery and electrical equipment (20%)"  # share of trade
    assert mesh.colorbar is not None
    assert mesh.colorbar.ax.get_ylabel() == "Trade-weighted effective rate"
    ticks = [t.get_text() for t in mesh.colorbar.ax.get_yticklabels()]
    # China's highest section rate is 87.4% (textiles after 10 Nov 2026): the scale's top
    # is the next colour step, 100%
    assert ticks[0] == "0%" and ticks[-1] == "100%" and "2.5%" in ticks


def test_sections_panels_share_one_colour_scale(busan):
    axes = ts.plot_sections(busan)
    meshes = [of(ax, MESH_GID)[0] for ax in axes]
    assert meshes[0].norm.vmax == meshes[1].norm.vmax == 1.0  # US 82.9%, China 87.4%
    bars = {m.colorbar for m in meshes if m.colorbar is not None}
    assert len(bars) == 1  # one colour bar for both panels
    assert axes[0].get_title(loc="left").endswith("effective rate by HS section")


def test_every_parameter_of_layers_and_sections_does_what_it_says(busan):
    ax = ts.plot_layers(busan, direction="US-CN", legend=False, source=False, title="T", top=2)
    assert ax.get_legend() is None and ax.get_xlabel() == "" and ax.get_title(loc="left") == "T"
    assert len(of(ax, LAYER_GID)) == 1 + 2 + 1  # MFN, two named, the rest
    ax = ts.plot_sections(
        busan, imposer="CN", cmap="viridis", vmax=2.0, colorbar=False, source=False, title="S"
    )
    (mesh,) = of(ax, MESH_GID)
    assert mesh.get_cmap().name == "viridis" and mesh.norm.vmax == 2.0 and mesh.colorbar is None
    assert ax.get_xlabel() == "" and ax.get_title(loc="left") == "S"
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        ts.plot_sections(busan, direction="CN-EU")


# ------------------------------------------------------------------ every kind renders


ONE_SCENARIO_KINDS = [k for k in KINDS if k != "attribution"]  # attribution compares two


@pytest.mark.parametrize("kind", ONE_SCENARIO_KINDS)
@pytest.mark.parametrize("name", PLAIN)
def test_every_kind_renders_for_every_bundled_scenario_without_warnings(results, name, kind):
    # the CLI's figure draws through ts.plot_rates/plot_compare/plot_layers/plot_sections
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = results[name]
        fig = scenario_figure([result], kind)
        assert figure_bytes(fig, "png", dpi=40)[:4] == b"\x89PNG"
    what = {
        "rates": "",
        "layers": ": effective rate by measure",
        "sections": ": effective rate by HS section",
        "fan": ": expected headline rate and its range",  # one certain path
        "vintages": ": headline rate as known on each day",
    }
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    if kind == "trade":  # a row per direction: imports, then revenue
        assert titles == [
            "US imports from China",
            "US duty revenue on goods from China",
            "Chinese imports from the US",
            "Chinese duty revenue on goods from the US",
        ]
        return
    assert titles == [
        "US tariffs on goods from China" + what[kind],
        "Chinese tariffs on goods from the US" + what[kind],
    ]


@pytest.mark.parametrize("kind", ["layers", "sections"])
def test_several_scenarios_get_a_panel_each(kind):
    results = [ts.simulate("pre-summit"), ts.simulate("busan-deal")]
    fig = scenario_figure(results, kind)
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert [t.split(":")[0] for t in titles] == ["pre-summit"] * 2 + ["busan-deal"] * 2


def test_an_unknown_kind_is_refused():
    with pytest.raises(
        ValueError, match="chart kind 'pie' is not one of rates, layers, sections, attribution, fan"
    ):
        scenario_figure([ts.simulate("pre-summit")], "pie")


def test_the_attribution_kind_explains_the_day_asked_in_each_direction(results):
    pair = [results["pre-summit"], results["busan-deal"]]
    fig = scenario_figure(pair, "attribution", "2025-11-15")
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes]
    assert titles == [
        f"What moves the {d} effective tariff rate from pre-summit to busan-deal, 15 Nov 2025"
        for d in ("US→CN", "CN→US")
    ]
    default = scenario_figure(pair, "attribution")  # the last day both describe
    assert all(ax.get_title(loc="left").endswith("31 Mar 2026") for ax in default.axes)
    with pytest.raises(ValueError, match="an attribution chart compares two scenarios, not 1"):
        scenario_figure(pair[:1], "attribution")


# ------------------------------------------------------------------ the command line


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("kind", "suffix", "magic"),
    [("layers", "svg", b"<?xml"), ("sections", "pdf", b"%PDF"), ("rates", "png", b"\x89PNG")],
)
def test_plot_kind_writes_the_format_its_suffix_names(capsys, tmp_path, kind, suffix, magic):
    out = tmp_path / f"chart.{suffix}"
    code, text, _ = run(capsys, "plot", "busan-deal", "--kind", kind, "-o", str(out))
    assert code == 0 and text.strip() == f"wrote {out}"
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # that format, and only that


def test_plot_kind_has_help_and_refuses_what_is_not_a_kind(capsys):
    with pytest.raises(SystemExit):
        main(["plot", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--kind {rates,layers,sections,attribution,fan,trade,vintages}" in text
    assert "layers: the effective rate stacked by measure" in text and "(default: rates)" in text
    assert "its suffix (.png, .svg or .pdf) is the format written" in text
    assert tuple(build_parser().parse_args(["plot", "x", "-o", "x.png"]).kind for _ in "1") == (
        "rates",
    )
    with pytest.raises(SystemExit) as exc:
        main(["plot", "busan-deal", "--kind", "pie", "-o", "x.png"])
    assert exc.value.code == 2
    assert "invalid choice: 'pie'" in capsys.readouterr().err
    # the parser's choices are the chart kinds (written out there so --help stays light)
    assert "{" + ",".join(KINDS) + "}" in text


def test_plot_attribution_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "attribution.svg"
    argv = ["plot", "pre-summit", "busan-deal", "--kind", "attribution", "-o", str(out)]
    code, text, _ = run(capsys, *argv, "--date", "2025-11-15")
    assert code == 0 and text.strip() == f"wrote {out}"
    asked = out.read_bytes()
    assert asked.startswith(b"<?xml")
    # --date is the day drawn: the default (the last day both describe) draws another chart,
    # the same as asking for that day
    assert run(capsys, *argv)[0] == 0 and out.read_bytes() != asked
    default = out.read_bytes()
    assert run(capsys, *argv, "--date", "2026-03-31")[0] == 0 and out.read_bytes() == default
    code, _, err = run(capsys, "plot", "busan-deal", "--kind", "attribution", "-o", str(out))
    assert (code, err.splitlines()[0]) == (
        1,
        "--kind: error: attribution compares two scenarios: give A and B",
    )
    code, _, err = run(capsys, *argv, "--date", "2030-01-01")
    assert code == 1 and err.startswith("--date: error: 2030-01-01 is outside the simulated days")


def test_a_scenario_with_branches_draws_its_rates_as_a_fan(capsys, tmp_path):
    outlook = ts.simulate("nov-2025-outlook")
    fig = scenario_figure([outlook], "rates")
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == [
        "US tariffs on goods from China: expected headline rate and its range",
        "Chinese tariffs on goods from the US: expected headline rate and its range",
    ]
    with pytest.raises(ValueError, match="a layers chart draws one path"):
        scenario_figure([outlook], "layers")
    out = tmp_path / "outlook.png"
    code, _, err = run(capsys, "plot", "nov-2025-outlook", "--kind", "sections", "-o", str(out))
    assert (code, err.splitlines()[0]) == (
        1,
        "--kind: error: a sections chart draws one path: a scenario with branches draws fan",
    )
    assert run(capsys, "plot", "nov-2025-outlook", "-o", str(out))[0] == 0
