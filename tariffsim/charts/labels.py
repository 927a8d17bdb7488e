"""Labels in a band above an Axes, each naming a day on its time axis and joined to it by a
vertical leader. Labels sit in rows; each goes into the lowest row where it overlaps no
other label, no leader of a label above it crosses it, and its own leader crosses no label
below it. None enters the plot, so none crosses a line drawn there. A label that finds no
room is left out (callers rank labels, most important first); its day keeps a tick.

Placement works in pixels of the figure as drawn (`Figure.draw_without_rendering` first),
so it holds for the fonts and sizes of the output; `assign_rows` is the pure part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from matplotlib.artist import Artist

from tariffsim.charts.style import root_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Annotation

FONT_SIZE = 7.5  # points
ROW = 1.75  # row height, in font sizes
BASE = 3.0  # points between the top of the Axes and the first row
GAP = 2.5  # points between a leader and its label
PAD = 8.0  # pixels kept clear between labels, and between a label and a leader
MAX_MARKS = 40  # labels tried at most (a band holds far fewer): placement stays quick
LABEL_GID = "tariffsim-label"
LEADER_GID = "tariffsim-leader"


@dataclass(frozen=True)
class Mark:
    """A day to label: where, what, in which colour (and style: 'normal' or 'italic')."""

    day: date
    text: str
    color: str
    style: str = "normal"


@dataclass(frozen=True)
class Slot:
    """Where a label went: its row (0 nearest the Axes) and its span in pixels."""

    row: int
    left: float
    right: float
    leader: float


def _free(slot: Slot, placed: list[Slot]) -> bool:
    for other in placed:
        if (
            other.row == slot.row
            and slot.left < other.right + PAD
            and other.left < slot.right + PAD
        ):
            return False
        if other.row < slot.row and other.left - PAD < slot.leader < other.right + PAD:
            return False  # my leader would cross a label below me
        if other.row > slot.row and slot.left - PAD < other.leader < slot.right + PAD:
            return False  # a leader from above would cross me
    return True


def _candidates(x: float, width: float, rows: int, gap: float, climb: bool) -> list[Slot]:
    """A label's slots in order of preference: right of its leader from the lowest row up,
    then left of it, from the lowest row up or (`climb`) from the highest row down: a
    label reaching back over earlier days then sits above their labels, so their leaders
    pass under it."""
    right = [Slot(row, x + gap, x + gap + width, x) for row in range(rows)]
    order = reversed(range(rows)) if climb else range(rows)
    return right + [Slot(row, x - gap - width, x - gap, x) for row in order]


def _layout(
    items: Sequence[tuple[float, float]], lo: float, hi: float, rows: int, gap: float, climb: bool
) -> list[Slot] | None:
    """Slots for every (x, width), laid out from the latest day back, so that earlier
    labels climb over later ones like stairs; None if one finds no room."""
    placed: list[Slot] = []
    slots: dict[int, Slot] = {}
    for i in sorted(range(len(items)), key=lambda i: -items[i][0]):
        x, width = items[i]
        slot = next(
            (
                c
                for c in _candidates(x, width, rows, gap, climb)
                if lo <= c.left and c.right <= hi and _free(c, placed)
            ),
            None,
        )
        if slot is None:
            return None
        placed.append(slot)
        slots[i] = slot
    return [slots[i] for i in range(len(items))]


def assign_rows(
    items: Sequence[tuple[float, float]], lo: float, hi: float, rows: int, gap: float
) -> list[Slot | None]:
    """For each (x, width), in rank order, a slot within [lo, hi]: its row and its text
    right of its leader at x, or left of it where it would run past `hi`. A label is kept
    if all kept before it and it still fit (in the fewest rows); else its slot is None."""
    kept: list[int] = []
    slots: list[Slot] = []
    for i in range(len(items)):
        chosen = [items[j] for j in [*kept, i]]
        trials = [t for climb in (False, True) if (t := _layout(chosen, lo, hi, rows, gap, climb))]
        if trials:
            kept.append(i)
            slots = min(trials, key=lambda t: (max(s.row for s in t), sum(s.row for s in t)))
    where = dict(zip(kept, slots, strict=True))
    return [where.get(i) for i in range(len(items))]


def _legend_room(ax: Axes, renderer: RendererBase | None) -> float:
    """Pixels right of the Axes that its own legend takes (the band may reach over it)."""
    legend = ax.get_legend()
    if legend is None:
        return 0.0
    box = legend.get_window_extent(renderer)
    right = ax.get_window_extent(renderer).x1
    return max(0.0, float(box.x1) - right) if box.x0 >= right else 0.0


def _width(text: Annotation, renderer: RendererBase | None) -> float:
    """A text's width in pixels, shown or not (a hidden text measures as a unit box)."""
    shown = text.get_visible()
    text.set_visible(True)
    width = text.get_window_extent(renderer).width
    text.set_visible(shown)
    return float(width)


class LabelBand(Artist):
    """The labels of one Axes, placed anew each time the figure is drawn (drawn first, it
    sets which labels show and where before they are drawn), so placement holds for the
    renderer, resolution and layout of every output. Artists tied to a mark show with its
    label (`with_label`) or in its place (`without_label`)."""

    def __init__(self, ax: Axes, marks: Sequence[Mark], rows: int) -> None:
        super().__init__()
        import matplotlib.dates as mdates

        self.ax = ax
        self.marks = list(marks)
        self.rows = rows
        self.xs = [float(mdates.date2num(m.day)) for m in self.marks]
        self.texts = [self._text(ax, mark, x) for mark, x in zip(self.marks, self.xs, strict=True)]
        self.leaders = [
            self._leader(ax, mark, x) for mark, x in zip(self.marks, self.xs, strict=True)
        ]
        self.with_label: list[list[Artist]] = [[] for _ in self.marks]
        self.without_label: list[list[Artist]] = [[] for _ in self.marks]
        self.placed: list[Mark] = []
        self.set_zorder(-100)
        self.set_in_layout(False)

    @staticmethod
    def _text(ax: Axes, mark: Mark, x: float) -> Annotation:
        return ax.annotate(
            mark.text,
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=FONT_SIZE,
            fontstyle=mark.style,
            color=mark.color,
            va="center",
            annotation_clip=False,
            visible=False,
            gid=LABEL_GID,
        )

    @staticmethod
    def _leader(ax: Axes, mark: Mark, x: float) -> Annotation:
        return ax.annotate(
            "",
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 0),
            textcoords="offset points",
            arrowprops={
                "arrowstyle": "-",
                "color": mark.color,
                "linewidth": 0.6,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            annotation_clip=False,
            visible=False,
            gid=LEADER_GID,
        )

    def place(self, renderer: RendererBase | None = None) -> float:
        """Choose the labels shown and their places; the band's height in points."""
        fig = root_figure(self.ax)
        px = fig.dpi / 72.0
        box = self.ax.get_window_extent(renderer)
        items = [
            (float(self.ax.transData.transform((x, 0))[0]), _width(text, renderer))
            for x, text in zip(self.xs, self.texts, strict=True)
        ]
        slots = assign_rows(
            items, box.x0, box.x1 + _legend_room(self.ax, renderer), self.rows, GAP * px
        )
        height = ROW * FONT_SIZE
        self.placed = []
        used = -1
        for i, slot in enumerate(slots):
            for artist in (self.texts[i], self.leaders[i], *self.with_label[i]):
                artist.set_visible(slot is not None)
            for artist in self.without_label[i]:
                artist.set_visible(slot is None)
            if slot is None:
                continue
            used = max(used, slot.row)
            self.placed.append(self.marks[i])
            middle = BASE + (slot.row + 0.5) * height
            right = slot.left > slot.leader
            self.texts[i].xyann = (GAP if right else -GAP, middle)
            self.texts[i].set_horizontalalignment("left" if right else "right")
            self.leaders[i].xyann = (0, middle)
        return 0.0 if used < 0 else BASE + (used + 1) * height

    def draw(self, renderer: RendererBase) -> None:
        self.place(renderer)


def label_band(ax: Axes, marks: Sequence[Mark], rows: int = 4) -> tuple[float, LabelBand]:
    """Label `marks` (most important first) above `ax`: the band's height in points (0
    when nothing is placed), which a title needs as its pad, and the band. Placed once now
    to size the band; each drawing places them again within the rows then used."""
    band = LabelBand(ax, marks, rows)
    root_figure(ax).draw_without_rendering()  # lay the figure out first
    height = band.place()
    band.rows = max(1, round((height - BASE) / (ROW * FONT_SIZE))) if height else 0
    ax.add_artist(band)
    return height, band
