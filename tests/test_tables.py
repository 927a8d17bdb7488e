"""The text tables the CLI prints (issue 10, item 5): each header sits over its column (a
text column starts where its header starts, a number column ends where its header ends),
and every command lists directions in one order, US→CN first (`arguments.direction_order`).

The checker reads the printed text only: a table is a header line and the lines under it up
to a blank line; header words are split where two spaces or more separate them.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from tariffsim.cli import main
from tariffsim.cli.render import table


def run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def columns(header: str) -> list[tuple[int, int]]:
    """Start and end of each header word (words of one column are one space apart)."""
    return [m.span() for m in re.finditer(r"\S+(?: \S+)*", header)]


def misaligned(lines: list[str], align: str) -> list[str]:
    """Each cell of `lines[1:]` out of place under the header `lines[0]`. A cell (text
    between runs of two spaces or more) of a left-aligned column starts where its header
    starts, one of a right-aligned column ends where its header ends; a cell under no header
    (the section names, explain's +/- marks) lies wholly between two headers or before the
    first. `align` has one letter per header word."""
    spans = columns(lines[0])
    assert len(spans) == len(align), (lines[0], align)
    gaps = [(-1, spans[0][0])] + [(a[1], b[0]) for a, b in pairwise(spans)]
    wrong = []
    for row in lines[1:]:
        for start, end in columns(row):
            under = any(
                (side == "<" and start == s) or (side == ">" and end == e)
                for (s, e), side in zip(spans, align, strict=True)
            )
            between = any(lo < start and end < hi for lo, hi in gaps)
            if not (under or between):
                wrong.append(f"{row[start:end]!r} at {start}-{end} in: {row!r}")
    return wrong


def tables_under(out: str, word: str) -> list[list[str]]:
    """Every table whose header line starts with `word`: the header and the lines under it
    up to a blank line, a note in brackets, or (under an indented header) an unindented
    line."""
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.split()[:1] != [word]:
            continue
        block = [line]
        for row in lines[i + 1 :]:
            ends = not row.strip() or row.lstrip().startswith("(")
            if ends or (line.startswith(" ") and not row.startswith(" ")):
                break
            block.append(row)
        found.append(block)
    return found


def test_the_checker_finds_a_shifted_cell():
    good = ["date        rate  name", "2025-01-01  25.0  x", "2025-01-02   5.0  yy"]
    assert misaligned(good, "<><") == []
    assert misaligned(["date  rate", "2025-01-01  25.0"], "<>")  # the header is too narrow
    assert misaligned(["name    rate", "x     25.0 "], "<>")  # the number ends early
    assert misaligned(["a  b", "x   y"], "<<")  # y starts after b
    assert misaligned(["  a    b", "x  y"], "<<")  # x starts before a
    assert misaligned(["a    bbb", "x   yy"], "<<") == ["'yy' at 4-6 in: 'x   yy'"]


def test_table_puts_every_header_over_its_column():
    lines = table(["id", "rate", "what"], [["a", "5.0", "x"], ["long-id", "25.0", "yy"]], "<><")
    assert lines == ["id       rate  what", "a         5.0  x", "long-id  25.0  yy"]
    assert misaligned(lines, "<><") == []


RUN = ["run", "busan-deal"]
CASES = [
    (RUN, "date", "<>>>>"),
    (RUN, "date", "<<<<"),  # the event log: date, event, id, detail
    (["run", "history", "--at", "2025-05-14", "--at", "2026-11-09"], "date", "<>>>>"),
    (["run", "history", "--by", "section", "--at", "2025-05-14"], "section", "<>>"),
    (["explain", "busan-deal", "--date", "2025-11-10"], "measure", "<<>>><"),
    (["explain", "history", "--date", "2025-04-10", "--all"], "measure", "<<>>><"),
    (["explain", "busan-deal", "--date", "2025-11-10", "--product", "8517.13"], "measure", "<><"),
]


@pytest.mark.parametrize(("argv", "header", "align"), CASES)
def test_every_table_aligns_its_header_with_its_columns(capsys, argv, header, align):
    out = run(capsys, *argv)
    blocks = [b for b in tables_under(out, header) if len(columns(b[0])) == len(align)]
    assert blocks and all(len(b) > 1 for b in blocks)
    for block in blocks:
        assert misaligned(block, align) == []


def order(out: str) -> list[str]:
    """The directions in the order they first appear."""
    seen: list[str] = []
    for name in re.findall(r"\b(US→CN|CN→US|US-CN|CN-US)\b", out):
        name = name.replace("-", "→")
        if name not in seen:
            seen.append(name)
    return seen


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "busan-deal", "--no-events"],
        ["run", "history", "--by", "section", "--at", "2025-05-14"],
        ["explain", "busan-deal", "--date", "2025-11-10"],
        ["explain", "history", "--date", "2025-05-01", "--product", "03"],
    ],
)
def test_every_command_lists_us_cn_first(capsys, argv):
    assert order(run(capsys, *argv)) == ["US→CN", "CN→US"]


def test_errors_list_directions_in_the_same_order(capsys):
    main(["explain", "busan-deal", "--date", "2025-11-10", "--direction", "US-JP"])
    assert order(capsys.readouterr().err) == ["US→CN", "CN→US"]
