"""Charts for answers that are series: one item over years, bodies ranked or compared, a total's parts.

Which answers get a chart, and which kind, is the template's data (`-- chart:`); here the answer's
own printed values become the data (computed ones — changes, rates, sums — stay in the text). Money is
drawn in 万元 so that documents printed in 元 and in 万元 share one axis; a blank (未填数) is a gap
in the line or a missing bar with its label, never a 0.
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from queries.answer import Answer

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PRINTED_ROLES = frozenset({"current", "prior", "budget", "final", "count", "cell"})
# Outline CJK fonts (Debian fonts-wqy-microhei, installed by scripts/setup.sh). AR PL UMing, which the
# sample renderer embeds, carries bitmap strikes that matplotlib draws as nothing below 12 pt.
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
BLANK = "未填数"
MAX_POINTS = 60  # a bar chart of every loaded document's 三公 total: 47 bars in the shared corpus
INCHES_PER_POINT = 0.25  # past 32 points the chart grows wider, so bars and their upright values stay apart
SOURCE_WIDTH = 78  # Chinese characters' breadth per line of the source under the chart (7 pt, 8 in wide)
CROWDED = 10  # more points than this: upright values and steep labels
SOURCE_LINES = 4


@dataclass(frozen=True)
class ChartData:
    """What the plotting library is given: one point per printed value, in the answer's order."""

    kind: str  # line | bars | parts
    title: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]  # None: printed blank (a gap)
    unit: str
    source_line: str


def chart_data(answer: Answer) -> ChartData | None:
    """The answer's series, or None when it is no series (one value, text, or no chart kind)."""
    if answer.chart is None or answer.status != "answered":
        return None
    shown = [v for v in answer.values if v.role in PRINTED_ROLES and v.text is None]
    if answer.chart == "parts":
        shown = shown[1:]  # the total itself is the first value; its parts are the chart
    money = any(v.value_wan is not None for v in shown)
    units = {v.unit for v in shown if v.value is not None and v.unit}
    if len(shown) < 2 or len(shown) > MAX_POINTS or (not money and len(units) > 1):
        return None
    values: list[float | None] = []
    for v in shown:
        number = v.value_wan if money else v.value
        values.append(float(number) if number is not None else None)
    sources = [answer.sources[i] for i in sorted({v.source for v in shown}) if i < len(answer.sources)]
    places = "；".join(dict.fromkeys(f"{s.body} {s.year or ''}年《{s.table}》第{s.page}页" for s in sources))
    return ChartData(
        kind=answer.chart,
        title=answer.headline.split("\n")[0][:60],
        labels=tuple(v.label for v in shown),
        values=tuple(values),
        unit="万元" if money else (units.pop() if units else ""),
        source_line=f"来源：{places}",
    )


@lru_cache(maxsize=256)
def chart_png(data: ChartData) -> bytes:
    """The chart as PNG bytes (the same data drawn once: a busy bot is asked the same series again).

    Drawn once and encoded by Pillow: `savefig` drew each chart twice here, and drawing (mostly the
    CJK text) is most of a chart's cost."""
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    figure = chart_figure(data)
    try:
        # draws once, returns the pixels (backend_agg has no type hints)
        rgba, size = FigureCanvasAgg(figure).print_to_buffer()  # type: ignore[no-untyped-call]
        image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        # a chart is a few flat colours: RGB at the lowest compression level is small, and quick to write
        image.convert("RGB").save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()
    finally:
        plt.close(figure)


def chart_figure(data: ChartData) -> Figure:
    """The matplotlib figure (Agg backend, a CJK font); the caller closes it."""
    set_up_matplotlib()
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(max(8.0, INCHES_PER_POINT * len(data.values)), 4.5), dpi=110)
    positions = list(range(len(data.values)))
    heights = [math.nan if v is None else v for v in data.values]  # NaN: matplotlib leaves a gap
    if data.kind == "line":
        axes.plot(positions, heights, marker="o", color="#c8102e")
    else:
        axes.bar(positions, heights, color="#c8102e")
    top = max((v for v in data.values if v is not None), default=0.0) or 1.0
    # Many points: the values stand upright in small type, the labels steeply slanted, so that neighbours
    # do not print over each other.
    crowded = len(positions) > CROWDED
    value_size, value_turn = (7.0, 90.0) if crowded else (None, 0.0)  # None: the default size
    for x, value in zip(positions, data.values, strict=True):
        if value is None:
            axes.annotate(
                BLANK, (x, 0), ha="center", va="bottom", color="#666666", fontsize=value_size, rotation=value_turn
            )
        else:
            axes.annotate(
                f"{value:,.2f}{data.unit if len(positions) <= 6 else ''}",
                (x, value),
                ha="center",
                va="bottom",
                xytext=(0, 4),
                textcoords="offset points",
                fontsize=value_size,
                rotation=value_turn,
            )
    axes.set_ylim(
        bottom=min(0.0, min((v for v in data.values if v is not None), default=0.0)),
        top=top * (1.3 if crowded else 1.15),
    )
    labels = [_short(label) for label in data.labels]
    if crowded:
        axes.set_xticks(positions, labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=8)
    else:
        axes.set_xticks(positions, labels, rotation=30 if len(positions) > 4 else 0)
    axes.set_ylabel(data.unit)
    axes.set_title(data.title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    source = source_lines(data.source_line)
    shown = source[:SOURCE_LINES] if len(source) <= SOURCE_LINES else [*source[: SOURCE_LINES - 1], "……"]
    figure.text(0.01, 0.01, "\n".join(shown), fontsize=7, color="#444444", va="bottom")
    # Room for the labels, then for the source lines under them. (`tight_layout(rect=…)` measures every
    # label twice to fit them into the rect: a fifth of a chart's cost, for the same margins with one axes.)
    figure.tight_layout()
    figure.subplots_adjust(bottom=figure.subplotpars.bottom + 0.03 + 0.025 * len(shown))
    return figure


@cache
def set_up_matplotlib() -> None:
    """Agg and the CJK font, once per process: registering a font appends it to matplotlib's font list
    again and empties its font lookup cache, so doing it for every chart made each chart slower (and the
    list grew by one entry a chart). A serving process calls it when it starts: importing matplotlib
    takes a few tenths of a second that the first chart asked for would otherwise wait."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "no weight normal" for some CJK fonts
    font = next((f for f in CJK_FONTS if f.is_file()), None)
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(font)).get_name()
    plt.rcParams["axes.unicode_minus"] = False


def source_lines(text: str, width: float = SOURCE_WIDTH) -> list[str]:
    """`text` in lines of at most `width` Chinese characters' breadth (a Latin letter or digit is about
    half of one): the source line names tables and pages in both. Lines break after a "；" between two
    sources where one fits, else anywhere."""
    lines: list[str] = []
    line, used = "", 0.0
    for part in re.findall(r"[^；]+；?", text):
        size = _breadth(part)
        if line and used + size > width:
            lines.append(line)
            line, used = "", 0.0
        for ch in part if size > width else [part]:
            breadth = _breadth(ch)
            if line and used + breadth > width:
                lines.append(line)
                line, used = "", 0.0
            line += ch
            used += breadth
    return [*lines, line] if line else lines


def _breadth(text: str) -> float:
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def _short(label: str) -> str:
    return label if len(label) <= 14 else label[:13] + "…"
