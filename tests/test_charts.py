"""Charts for series answers, drawn from the shared corpus's figures.

The data matplotlib is given (the line's points, the bars' heights) must be the answer's printed
values; a year printed blank must be a gap (NaN), never a 0; the PNG must be produced.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from bot.charts import BLANK, CJK_FONTS, chart_data, chart_figure, chart_png, source_lines
from bot.console import reply as handle
from bot.conversation import Conversation
from queries.run import Answerer


def ydata(line: Line2D) -> list[float]:
    points: list[float] = np.asarray(line.get_ydata(), dtype=float).tolist()
    return points


@pytest.fixture(scope="module")
def real_answerer(real_db: Path) -> Answerer:
    return Answerer(real_db)


def test_a_three_year_series_is_drawn_from_the_answers_values(real_answerer: Answerer) -> None:
    # js-cppcc-office 2017 p31, 2018 p26, 2019 p27: “三公”经费 676.10, 675.10, 660.10 万元
    answer = real_answerer.answer("江苏省政协办公厅历年三公经费")
    data = chart_data(answer)
    assert data is not None and data.kind == "line"
    assert data.labels == ("2017年", "2018年", "2019年")
    assert data.values == (676.10, 675.10, 660.10)
    assert data.unit == "万元"
    shown = [v for v in answer.values if v.role == "current"]
    assert [Decimal(str(x)) for x in data.values if x is not None] == [v.value_wan for v in shown]
    assert "第31页" in data.source_line and "第27页" in data.source_line
    figure = chart_figure(data)
    try:
        line = figure.axes[0].lines[0]
        assert ydata(line) == [676.10, 675.10, 660.10]  # what matplotlib draws
        texts = [t.get_text() for t in figure.axes[0].texts]
        assert "676.10万元" in texts
    finally:
        plt.close(figure)
    image = Image.open(io.BytesIO(chart_png(data)))
    assert image.format == "PNG" and image.width > 600


def test_a_year_printed_blank_is_a_gap_not_a_zero(real_answerer: Answerer) -> None:
    # js-cppcc-office-2017 tables p1 (收支预算总表): 政府性基金预算 printed blank; 2018, 2019: 0
    answer = real_answerer.answer("政协办公厅历年政府性基金预算")
    data = chart_data(answer)
    assert data is not None
    assert data.labels == ("2017年", "2018年", "2019年")
    assert data.values == (None, 0.0, 0.0)
    figure = chart_figure(data)
    try:
        drawn = ydata(figure.axes[0].lines[0])
        assert math.isnan(drawn[0]) and drawn[1:] == [0.0, 0.0]
        assert BLANK in [t.get_text() for t in figure.axes[0].texts]
    finally:
        plt.close(figure)
    assert any("为空白（未填数，不等于 0）" in note for note in answer.notes)


def test_a_ranking_is_drawn_as_bars_in_wan(real_answerer: Answerer) -> None:
    answer = real_answerer.answer("2025年哪个单位基本支出最多")
    data = chart_data(answer)
    assert data is not None and data.kind == "bars"
    ranked = [v for v in answer.values if v.role == "current"]
    assert data.values == tuple(float(v.value_wan) for v in ranked if v.value_wan is not None)
    figure = chart_figure(data)
    try:
        heights = [bar.get_height() for bar in figure.axes[0].patches if isinstance(bar, Rectangle)]
        assert heights == list(data.values)
    finally:
        plt.close(figure)


def test_one_value_has_no_chart(real_answerer: Answerer) -> None:
    assert chart_data(real_answerer.answer("江苏省政协办公厅2018年三公经费")) is None


def test_the_terminal_saves_the_chart(real_answerer: Answerer) -> None:
    chat = Conversation()
    handle(real_answerer, chat, "江苏省政协办公厅历年三公经费")
    reply = handle(real_answerer, chat, "/chart")
    path = Path(reply.split("\n")[0].removeprefix("图表："))
    assert Image.open(path).format == "PNG"
    handle(real_answerer, chat, "江苏省政协办公厅2018年三公经费")
    assert handle(real_answerer, chat, "/chart").startswith("上一答案不是一组数字")


def test_the_cjk_font_is_registered_once_however_many_charts(real_answerer: Answerer) -> None:
    """Registering a font appends it to matplotlib's list again and empties its lookup cache: once per
    process, not once per chart (a busy bot drew each chart slower, and the list kept growing)."""
    from matplotlib import font_manager

    data = chart_data(real_answerer.answer("江苏省政协办公厅历年三公经费"))
    assert data is not None
    chart_png.__wrapped__(data)  # lru_cache's own function: drawn each time
    fonts = len(font_manager.fontManager.ttflist)
    for _ in range(3):
        chart_png.__wrapped__(data)
    assert len(font_manager.fontManager.ttflist) == fonts
    font = next((f for f in CJK_FONTS if f.is_file()), None)
    if font is not None:  # setup.sh installs it; without it charts have no Chinese labels, but are drawn
        assert plt.rcParams["font.family"] == [font_manager.FontProperties(fname=str(font)).get_name()]


def test_many_bars_print_upright_values_and_steep_labels_within_the_figure(real_answerer: Answerer) -> None:
    # every loaded document that prints a “三公” total: more than ten bars
    data = chart_data(real_answerer.answer("各部门三公经费"))
    assert data is not None and data.kind == "bars" and len(data.values) > 10
    figure = chart_figure(data)
    try:
        axes = figure.axes[0]
        assert {t.get_rotation() for t in axes.texts} == {90.0}
        assert {t.get_rotation() for t in axes.get_xticklabels()} == {60.0}
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        box = figure.bbox
        (source,) = figure.texts
        extent = source.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, "the source lines are cut off at the right"
        assert len(source.get_text().splitlines()) <= 4
    finally:
        plt.close(figure)


def test_source_lines_break_between_sources_and_keep_every_character() -> None:
    text = "来源：" + "；".join(f"上海市普陀区某局 2025年《2025年部门支出预算总表》第{n}页" for n in range(1, 7))
    lines = source_lines(text)
    assert "".join(lines) == text
    assert all(line.endswith("；") for line in lines[:-1])
    assert all(sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in line) <= 78 for line in lines)
    long = "《" + "很长的表名" * 30 + "》第3页"
    assert "".join(source_lines(long)) == long and len(source_lines(long)) == 2
