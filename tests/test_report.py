"""`tariffsim report`: one self-contained HTML file, checked for what it holds (values worked
out by hand from the README's tables and the attribution acceptance figures), for escaping
and reproducible bytes, and opened in headless Chromium where the machine has it."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pandas as pd
import pytest

import tariffsim as ts
from tariffsim.cli import main
from tariffsim.report.html import render_report
from tariffsim.report.trade import COLUMNS


@pytest.fixture(scope="module")
def busan_report() -> str:
    return render_report([ts.simulate("busan-deal")])


@pytest.fixture(scope="module")
def compared_report() -> str:
    return render_report([ts.simulate("pre-summit"), ts.simulate("busan-deal")], day="2025-11-15")


def rows(html: str, after: str) -> list[list[str]]:
    """The body rows of the first table after the heading `after`, as cell texts."""
    table = html.split(after, 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_one_scenario_has_its_four_charts_inline(busan_report):
    images = re.findall(
        r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', busan_report
    )
    assert [alt.split(",")[0] for _, alt in images] == [
        "Headline and effective tariff rates over time",
        "Effective tariff rate stacked by measure",
        "Effective tariff rate by HS section over time",
        "Imports and duty revenue over time",
    ]
    assert "http" not in busan_report.split("<body>")[0]  # nothing fetched to show it
    assert "comparison" not in busan_report.split("<nav>")[1].split("</nav>")[0]


def test_rates_at_key_dates_are_those_of_the_run_table(busan_report):
    # the README's `tariffsim run busan-deal` table: US→CN then CN→US, headline and effective
    assert rows(busan_report, "Rates at key dates")[:2] == [
        ["2025-09-01", "55.0", "44.9", "10.0", "32.3"],
        ["2025-09-08", "55.0", "44.9", "10.0", "32.3"],
    ]
    assert rows(busan_report, "Rates at key dates")[-1] == [
        "2026-11-10",
        "69.0",
        "50.2",
        "34.0",
        "54.7",
    ]


def test_events_name_their_sources_as_links(busan_report):
    events = busan_report.split("<h3>Events</h3>", 1)[1]
    # busan-deal's BIS rule starts on 29 Sep 2025, citing t56 (a reference with an address)
    assert '<a href="https://www.carmnet.com/?p=3284"' in events
    first = rows(busan_report, "<h3>Events</h3>")[0]
    assert first[:3] == [
        "2025-09-29",
        "start",
        "BIS Affiliates (50% ownership) export-control rule",
    ]
    assert first[4] == "t56, t57"


def test_two_scenarios_are_compared_and_the_parts_add_up(compared_report):
    # each scenario's (rates, layers, sections, trade), the paths, the waterfall
    assert compared_report.count("<img ") == 4 + 4 + 2
    table = rows(compared_report, "What moves the rates on 2025-11-15")
    totals = [r for r in table if r[1] == "total"]
    # pre-summit → busan-deal on 15 Nov 2025: US→CN 179 → 45 headline, 159.25 → 34.98 effective;
    # CN→US 34 → 10 headline, 56.33 → 30.68 effective
    assert totals == [["US→CN", "total", "-134.0", "-124.3"], ["CN→US", "total", "-24.0", "-25.7"]]
    us = [r for r in table if r[0] == "US→CN" and r[1] != "total"]
    assert [r[1] for r in us] == [
        "Threatened additional 100% tariff",
        "IEEPA reciprocal tariff (China rate)",
        "IEEPA fentanyl tariff",
    ]


def test_text_from_a_scenario_is_escaped():
    hostile = ts.scenario_from_dict(
        {"title": "<script>alert(1)</script> & co", "extends": "busan-deal"}
    )
    html = render_report([ts.simulate(hostile)])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_the_same_inputs_give_the_same_bytes(busan_report):
    assert render_report([ts.simulate("busan-deal")]) == busan_report


def test_report_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "busan-deal", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["report", "busan-deal", "-o", str(tmp_path / "report.pdf")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--output: error: '{tmp_path / 'report.pdf'}' must end in .html"
    )
    assert main(["report", "pre-summit", "busan-deal", "-o", "-", "--date", "2030-01-01"]) == 1
    assert capsys.readouterr().err.startswith("--date: error: 2030-01-01 is outside")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Run after the page has loaded: every image decoded and drawn at a size, or named broken.
PROBE = """<script>
window.addEventListener('load', () => {
  document.body.dataset.images = [...document.images]
    .map(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0)
    .map(drawn => drawn ? 'ok' : 'broken').join(',');
});
</script>"""


@pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)
def test_the_report_opens_in_headless_chromium_without_console_errors(compared_report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(compared_report.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert [line for line in run.stderr.splitlines() if ":CONSOLE" in line] == []
    states = re.search(r'data-images="([^"]*)"', run.stdout)
    assert states is not None and states.group(1).split(",") == ["ok"] * 10


def test_a_scenario_with_branches_is_reported_as_a_fan_with_its_paths():
    outlook = ts.simulate("nov-2025-outlook")
    html = render_report([outlook])
    assert html.count("<img ") == 2  # the fan and trade charts: the paths' own are theirs
    paths = rows(html, "<h3>Paths</h3>")
    # deal 70% × extended 85% / lapses 15%; no deal 30% × matches 60% (3 Nov 70%) / holds 40%
    assert paths[:2] == [["deal / truce-extended", "59.5%"], ["deal / truce-lapses", "10.5%"]]
    assert len(paths) == 5
    # the expected US→CN headline on 10 Nov 2025: 0.595 × 55 + 0.105 × 79 + 0.3 × 179 = 94.7
    expected = rows(html, "Expected rates at key dates")
    assert ["2025-11-10", "94.7", "80.8", "37.7", "60.1"] in expected
    assert "<h3>Events</h3>" not in html
    # trade and revenue: expected values, on the days the expected headline rates change
    trade = rows(html, "<h3>Trade and revenue</h3>")
    assert [r[0] for r in trade] == [
        "2025-09-01",
        "2025-11-01",
        "2025-11-03",
        "2025-11-10",
        "2026-11-10",
        "2027-08-31",
    ]
    expected = outlook.trade.set_index(["date", "imposer", "target"])
    us = expected.loc[(pd.Timestamp("2025-11-10"), "US", "CN")]
    assert trade[3][1:4] == [f"{us[c] / 1e9:,.1f}" for c in ("imports", "duty_pre", "duty")]
    assert "expected values over the paths" in html.split("<h3>Trade and revenue</h3>")[1]


def test_trade_and_revenue_on_key_days_are_those_of_the_trade_table(busan_report):
    busan = ts.simulate("busan-deal")
    table = rows(busan_report, "<h3>Trade and revenue</h3>")
    # the first day, the days a headline rate changes (10 Nov 2025, 10 Nov 2026), the last day
    assert [r[0] for r in table] == ["2025-09-01", "2025-11-10", "2026-11-10", "2026-12-31"]
    trade = busan.trade.set_index(["date", "imposer", "target"])
    for row in table:
        day = pd.Timestamp(row[0])
        values = [trade.loc[(day, a, b), c] / 1e9 for a, b in busan.pairs for c in COLUMNS]
        assert row[1:] == [f"{v:,.1f}" for v in values]
    # in $B a year: US imports from China 312.4 on the first day, 343.6 after 10 Nov 2025
    assert table[0][1] == "312.4" and table[1][1] == "343.6"
    section = busan_report.split("<h3>Trade and revenue</h3>")[1].split("<h3>")[0]
    assert "base-year (2024) imports: US→CN 429.4, CN→US 141.1" in section
    assert "elasticities US 1.3, CN 3.9" in section


def test_a_report_as_of_a_day_shows_the_scenario_as_known_then(tmp_path, capsys):
    out = tmp_path / "as-known.html"
    argv = ["report", "history", "--as-of", "2025-10-27", "--start", "2025-10-01"]
    assert main([*argv, "--end", "2025-11-30", "-o", str(out)]) == 0
    page = unescape(out.read_text(encoding="utf-8"))
    # before Busan the 100% threat fires on 1 Nov: 25 + 20 + 10 + 100 = 155% headline
    assert "(as known on 2025-10-27)" in page and "155.0" in page
    full = tmp_path / "full.html"
    assert (
        main(["report", "history", "--start", "2025-10-01", "--end", "2025-11-30", "-o", str(full)])
        == 0
    )
    assert "155.0" not in unescape(full.read_text(encoding="utf-8"))
