"""Synthetic budget documents for benchmarks: random, internally consistent, and never real.

Each document is one body's 部门预算 for one year, in one of two layouts the real corpus shows:
Shanghai (上海市某区, main tables in 元 with 分, the 三公 table and the narrative in 万元, nine
tables) and Jiangsu (江苏省某厅, everything in 万元, codes in one column). The figures agree with
each other (totals are sums of their parts, the narrative states the tables' figures), so the
figure checker finds nothing to report. The PDFs are rendered by samples/render.py, the renderer of
the seed sample.

Labelled synthetic everywhere: the file name starts with "synthetic-", the cover and the narrative
say 合成数据, and ingest stores such documents with documents.synthetic = true.

    python -m samples.synthetic OUTPUT_FOLDER [-n 1000] [--seed 7] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing import get_context
from pathlib import Path

from ingest.identify import SYNTHETIC_MARK
from samples.render import MERGED_LEFT as L
from samples.render import MERGED_UP as U
from samples.render import Publication, SourceTable, render

COVER_NOTE = f"（{SYNTHETIC_MARK}：budgetbot 为性能测试生成，不是政府公开文件）"
DISTRICTS = ("普陀区", "静安区", "徐汇区", "长宁区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区", "金山区")
SHANGHAI_BODIES = (
    "财政局", "司法局", "商务委员会", "人民政府办公室", "教育局", "卫生健康委员会", "民政局", "生态环境局",
    "审计局", "统计局", "体育局", "文化和旅游局", "科学技术委员会", "市场监督管理局", "人力资源和社会保障局",
    "规划和自然资源局", "建设和管理委员会", "农业农村委员会", "档案局", "退役军人事务局",
)  # fmt: skip
JIANGSU_BODIES = (
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "民政厅", "司法厅", "财政厅", "人力资源和社会保障厅",
    "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅", "农业农村厅", "商务厅", "文化和旅游厅",
    "卫生健康委员会", "退役军人事务厅", "应急管理厅", "审计厅", "市场监督管理局", "体育局", "统计局", "医疗保障局",
    "地方金融监督管理局", "粮食和物资储备局", "档案局", "机关事务管理局", "信访局", "人民防空办公室",
)  # fmt: skip
YEARS = range(2019, 2027)
# (code, 类, 款, 项, has projects)
SUBJECTS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("2010101", "一般公共服务支出", "人大事务", "行政运行", False),
    ("2010301", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", False),
    ("2010302", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "一般行政管理事务", True),
    ("2010350", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "事业运行", True),
    ("2040601", "公共安全支出", "司法", "行政运行", False),
    ("2040699", "公共安全支出", "司法", "其他司法支出", True),
    ("2050101", "教育支出", "教育管理事务", "行政运行", False),
    ("2120101", "城乡社区支出", "城乡社区管理事务", "行政运行", False),
    ("2120199", "城乡社区支出", "城乡社区管理事务", "其他城乡社区管理事务支出", True),
)
ALWAYS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("2080501", "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", False),
    ("2080505", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", False),
    ("2101101", "卫生健康支出", "行政事业单位医疗", "行政单位医疗", False),
    ("2210201", "住房保障支出", "住房改革支出", "住房公积金", False),
)
ECONOMIC: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("301", "工资福利支出", (("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
                          ("30108", "机关事业单位基本养老保险缴费"), ("30113", "住房公积金"))),
    ("302", "商品和服务支出", (("30201", "办公费"), ("30207", "邮电费"), ("30211", "差旅费"), ("30215", "会议费"),
                            ("30216", "培训费"), ("30217", "公务接待费"), ("30299", "其他商品和服务支出"))),
    ("303", "对个人和家庭的补助", (("30302", "退休费"), ("30305", "生活补助"))),
)  # fmt: skip
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Budget:
    """One body's budget for one year; every amount in 分 (1/100 元)."""

    style: str  # shanghai | jiangsu
    body: str
    year: int
    spending: tuple[tuple[tuple[str, str, str, str, bool], int, int], ...]  # subject, basic, project
    economic: tuple[tuple[str, str, int], ...]  # code, name, amount (5-digit codes)
    abroad: int
    reception: int
    car_purchase: int
    car_running: int
    last_year_total: int
    procurement: tuple[int, int, int]  # goods, works, services
    vehicles: int

    @property
    def basic(self) -> int:
        return sum(basic for _, basic, _ in self.spending)

    @property
    def projects(self) -> int:
        return sum(project for _, _, project in self.spending)

    @property
    def total(self) -> int:
        return self.basic + self.projects

    @property
    def three_public(self) -> int:
        return self.abroad + self.reception + self.car_purchase + self.car_running

    def economic_class(self, prefix: str) -> int:
        return sum(amount for code, _, amount in self.economic if code.startswith(prefix))

    @property
    def personnel(self) -> int:
        return self.economic_class("301") + self.economic_class("303")

    @property
    def public(self) -> int:
        return self.economic_class("302")


def _split(rng: random.Random, total: int, parts: int, step: int) -> list[int]:
    """`total` (a multiple of `step`) in `parts` random positive multiples of `step` that add up to it."""
    units = total // step
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    return [(b - a) * step for a, b in zip([0, *cuts], [*cuts, units], strict=True)]


def budget(rng: random.Random, style: str, body: str, year: int) -> Budget:
    # Jiangsu prints 万元 with two decimals: whole hundreds of 元 keep every sum exact in print.
    step = 10_000 if style == "jiangsu" else 1
    subjects = sorted(rng.sample(SUBJECTS, rng.randint(2, 5)) + list(ALWAYS))
    spending = []
    for subject in subjects:
        basic = max(step, rng.randint(2_000_000, 300_000_000) // step * step)
        project = rng.randint(1_000_000, 200_000_000) // step * step if subject[4] else 0
        spending.append((subject, basic, project))
    basic_total = sum(b for _, b, _ in spending)
    classes = _split(rng, basic_total, 3, step) if basic_total >= 3 * step else [basic_total, 0, 0]
    classes.sort(reverse=True)  # wages first, as in real budgets
    economic = []
    for (_, _, items), amount in zip(ECONOMIC, classes, strict=True):
        count = min(len(items), max(1, amount // step))
        for (code, name), part in zip(items, _split(rng, amount, count, step) if count > 1 else [amount], strict=False):
            economic.append((code, name, part))
    hundred = 10_000  # 100 元 in 分: the 三公 table prints 万元 with two decimals
    reception = rng.randint(1, 300) * hundred
    abroad = rng.choice((0, rng.randint(1, 500) * hundred))
    car_running = rng.choice((0, rng.randint(1, 400) * hundred))
    car_purchase = rng.choice((0, 0, rng.randint(100, 300) * hundred))
    total = sum(b + p for _, b, p in spending)
    goods, works, services = (rng.randint(0, 2000) * hundred for _ in range(3))
    return Budget(
        style=style,
        body=body,
        year=year,
        spending=tuple(spending),
        economic=tuple(economic),
        abroad=abroad,
        reception=reception,
        car_purchase=car_purchase,
        car_running=car_running,
        last_year_total=total * rng.randint(85, 115) // 100 // hundred * hundred,
        procurement=(goods, works, services),
        vehicles=rng.randint(0, 12),
    )


def budgets(count: int, seed: int) -> Iterator[Budget]:
    """`count` budgets: Shanghai and Jiangsu layouts alternate while Jiangsu's 240 (body, year) pairs last."""
    rng = random.Random(seed)
    shanghai = [f"上海市{district}{name}" for district in DISTRICTS for name in SHANGHAI_BODIES]
    jiangsu = [f"江苏省{name}" for name in JIANGSU_BODIES]
    sh_keys = [("shanghai", body, year) for body in shanghai for year in YEARS]
    js_keys = [("jiangsu", body, year) for body in jiangsu for year in YEARS]
    rng.shuffle(sh_keys)
    rng.shuffle(js_keys)
    # One Jiangsu document after every Shanghai one while they last (Jiangsu has fewer bodies).
    keys = [key for pair in zip(sh_keys, js_keys, strict=False) for key in pair] + sh_keys[len(js_keys) :]
    if count > len(keys):
        raise ValueError(f"at most {len(keys)} synthetic documents (bodies × years); asked for {count}")
    for style, body, year in keys[:count]:
        yield budget(rng, style, body, year)


# -- printing ------------------------------------------------------------------------------------


def wan(cents: int) -> Decimal:
    return (Decimal(cents) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(cents: int, unit: str, blank_zero: bool = False) -> str:
    if blank_zero and cents == 0:
        return ""
    value = Decimal(cents) / 100 if unit == "元" else wan(cents)
    return f"{value:,.2f}"


def _code_cells(code: str, split: bool) -> list[str]:
    """类/款/项 in three columns (208 | 05 | 02), or the whole code in one (2080502)."""
    if not split:
        return [code]
    return [code[:3], code[3:5], code[5:7]]


def _functional_rows(b: Budget, unit: str, split: bool) -> list[list[str]]:
    """类, 款 and 项 rows with (total, basic, project) figures, then the 合计 row."""
    rows: list[list[str]] = []
    groups: dict[str, list[tuple[tuple[str, str, str, str, bool], int, int]]] = {}
    for entry in b.spending:
        groups.setdefault(entry[0][0][:3], []).append(entry)
    for cls, entries in groups.items():
        for code, name, members in _levels(cls, entries):
            basic = sum(e[1] for e in members)
            project = sum(e[2] for e in members)
            figures = [money(basic + project, unit), money(basic, unit, True), money(project, unit, True)]
            rows.append([*_code_cells(code, split), name, *figures])
    blank = [""] * (3 if split else 1)
    rows.append([*blank, "合计", money(b.total, unit), money(b.basic, unit, True), money(b.projects, unit, True)])
    return rows


def _levels(
    cls: str, entries: list[tuple[tuple[str, str, str, str, bool], int, int]]
) -> Iterator[tuple[str, str, list[tuple[tuple[str, str, str, str, bool], int, int]]]]:
    yield cls, entries[0][0][1], entries
    kuans: dict[str, list[tuple[tuple[str, str, str, str, bool], int, int]]] = {}
    for entry in entries:
        kuans.setdefault(entry[0][0][:5], []).append(entry)
    for kuan, members in kuans.items():
        yield kuan, members[0][0][2], members
        for member in members:
            yield member[0][0], member[0][3], [member]


def _economic_rows(b: Budget, unit: str, split: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    for cls, name, _ in ECONOMIC:
        personnel = cls != "302"  # 工资福利 and 对个人和家庭的补助 are 人员经费; 商品和服务 公用经费
        lines = [(cls, name, b.economic_class(cls))] + [e for e in b.economic if e[0].startswith(cls)]
        for code, item, amount in lines:
            codes = [code[:3], code[3:]] if split else [code]
            own, other = (amount, 0) if personnel else (0, amount)
            rows.append([*codes, item, money(amount, unit), money(own, unit, True), money(other, unit, True)])
    blank = [""] * (2 if split else 1)
    rows.append([*blank, "合计", money(b.basic, unit), money(b.personnel, unit), money(b.public, unit)])
    return rows


def _classes(b: Budget) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for subject, basic, project in b.spending:
        out[subject[1]] = out.get(subject[1], 0) + basic + project
    return list(out.items())


def _two_sided(left: list[tuple[str, str]], right: list[list[str]], width: int) -> list[list[str]]:
    rows = []
    for i in range(max(len(left), len(right))):
        a = list(left[i]) if i < len(left) else ["", ""]
        c = right[i] if i < len(right) else [""] * (width - 2)
        rows.append(a + c)
    return rows


def tables(b: Budget) -> list[SourceTable]:
    sh = b.style == "shanghai"
    unit = "元" if sh else "万元"
    unit_line = f"单位：{unit}"
    dept = f"{'编制单位' if sh else '部门名称'}：{b.body}"
    prefix = f"{b.year}年部门" if sh else ""
    number = 0

    def table(
        title: str, header: list[list[str]], rows: list[list[str]], widths: list[float], **kw: str
    ) -> SourceTable:
        nonlocal number
        number += 1
        shown = title if sh else f"公开{number:02d}表 {title}"
        return SourceTable(number, shown, header, rows, widths, dept=dept, unit=kw.get("unit", unit_line))

    classes = _classes(b)
    total = money(b.total, unit)
    split = sh
    code_head = (
        [["功能分类科目编码", L, L, "功能分类科目名称"], ["类", "款", "项", U]]
        if split
        else [["科目编码", "科目名称"], [U, U]]
    )
    code_widths = [0.8, 0.8, 0.8, 4.0] if split else [1.6, 4.0]
    out = []
    # 1 收支总表
    left = [
        ("一、财政拨款收入" if sh else "一、财政拨款", total),
        ("1、一般公共预算资金" if sh else "一般公共预算", total),
        ("2、政府性基金" if sh else "政府性基金预算", ""),
        ("二、事业收入", ""),
        ("三、其他收入", ""),
    ]
    right = [[f"{CHINESE_NUMBERS[i]}、{name}", money(amount, unit)] for i, (name, amount) in enumerate(classes)]
    rows = _two_sided(left, right, 4)
    rows += [
        ["本年收入合计", total, "本年支出合计", total],
        ["上年结转", "", "结转下年", ""],
        ["收入总计", total, "支出总计", total],
    ]
    out.append(
        table(
            f"{prefix}{'财务收支预算总表' if sh else '收支预算总表'}",
            [["收入", L, "支出", L], ["项目", "预算数", "项目", "预算数"]],
            rows,
            [3, 1.5, 3, 1.5],
        )
    )
    # 2 收入总表
    head = [[*code_head[0], "收入预算", L, L], [*code_head[1], "合计", "财政拨款收入", "其他收入"]]
    rows = [[*r[:-3], r[-3], r[-3], ""] for r in _functional_rows(b, unit, split)]
    out.append(table(f"{prefix}收入预算总表", head, rows, [*code_widths, 1.6, 1.6, 1.2]))
    # 3 支出总表
    head = [[*code_head[0], "支出预算", L, L], [*code_head[1], "合计", "基本支出", "项目支出"]]
    out.append(table(f"{prefix}支出预算总表", head, _functional_rows(b, unit, split), [*code_widths, 1.6, 1.6, 1.6]))
    # 4 财政拨款收支总表
    left = [("一、一般公共预算资金", total), ("二、政府性基金", ""), ("三、国有资本经营预算", "")]
    right = [
        [f"{CHINESE_NUMBERS[i]}、{name}", money(amount, unit), money(amount, unit), "", ""]
        for i, (name, amount) in enumerate(classes)
    ]
    rows = _two_sided(left, right, 7)
    rows.append(["收入总计", total, "支出总计", total, total, "", ""])
    head = [
        ["收入", L, "支出", L, L, L, L],
        ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
    ]
    out.append(table(f"{prefix}财政拨款收支预算总表", head, rows, [2.6, 1.4, 2.6, 1.4, 1.4, 1.4, 1.4]))
    # 5 一般公共预算支出
    head = [[*code_head[0], "一般公共预算支出", L, L], [*code_head[1], "合计", "基本支出", "项目支出"]]
    out.append(table(f"{prefix}一般公共预算支出功能分类预算表" if sh else "一般公共预算支出预算表", head,
                     _functional_rows(b, unit, split), [*code_widths, 1.6, 1.6, 1.6]))  # fmt: skip
    # 6, 7 政府性基金, 国有资本经营: printed empty
    for title in (
        ("政府性基金预算支出功能分类预算表", "国有资本经营预算支出功能分类预算表")
        if sh
        else ("政府性基金预算支出预算表",)
    ):
        head = [[*code_head[0], "合计", "基本支出", "项目支出"], [*code_head[1], U, U, U]]
        empty = [[*([""] * (len(code_widths) - 1)), "本表无数据", "", "", ""]]
        out.append(table(f"{prefix}{title}", head, empty, [*code_widths, 1.6, 1.6, 1.6]))
    # 8 基本支出 by economic class
    eco_head = [["经济分类科目编码", L, "经济分类科目名称"] if split else ["科目编码", "科目名称"]]
    eco_head[0] += ["一般公共预算基本支出", L, L]
    eco_head.append([*(["类", "款", U] if split else [U, U]), "合计", "人员经费", "公用经费"])
    widths = [0.8, 0.8, 3.5] if split else [1.6, 3.5]
    title = "一般公共预算基本支出部门预算经济分类预算表" if sh else "一般公共预算基本支出预算表"
    out.append(table(f"{prefix}{title}", eco_head, _economic_rows(b, unit, split), [*widths, 1.6, 1.6, 1.6]))
    # 9 三公 (万元)
    car = b.car_purchase + b.car_running
    parts = (b.abroad, b.reception, car, b.car_purchase, b.car_running)
    figures = [money(b.three_public, "万元"), *(money(part, "万元", True) for part in parts)]
    head = [
        ["“三公”经费预算数", L, L, L, L, L],
        ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", L, L],
        [U, U, U, "小计", "购置费", "运行费"],
    ]
    title = "“三公”经费预算表" if sh else "一般公共预算“三公”经费支出预算表"
    out.append(table(f"{prefix}{title}", head, [figures], [1.4] * 6, unit="单位：万元"))
    return out


def narrative(b: Budget) -> str:
    total, change = wan(b.total), wan(b.total - b.last_year_total)
    direction = "增加" if change >= 0 else "减少"
    goods, works, services = (wan(x) for x in b.procurement)
    lines = [
        "@newpage",
        f"# {b.body}{b.year}年部门预算编制说明",
        f">> {COVER_NOTE}",
        "## 一、收支预算总体情况",
        f"{b.year}年，{b.body}收入预算{total}万元，其中：财政拨款收入{total}万元，比{b.year - 1}年预算"
        f"{direction}{abs(change)}万元。主要原因是人员和项目安排调整。支出预算{total}万元，其中：基本支出"
        f"{wan(b.basic)}万元，项目支出{wan(b.projects)}万元。",
        "## 二、财政拨款支出主要内容",
    ]
    for number, (subject, basic, project) in enumerate(b.spending, start=1):
        _, cls, kuan, item, _ = subject
        lines.append(
            f"{number}.“{cls}（类）{kuan}（款）{item}（项）”{wan(basic + project)}万元，主要用于相关工作支出。"
        )
    lines += [
        "## 三、“三公”经费预算情况说明",
        f"{b.year}年“三公”经费预算为{wan(b.three_public)}万元。其中：因公出国（境）费{wan(b.abroad)}万元，"
        f"公务接待费{wan(b.reception)}万元，公务用车购置及运行费{wan(b.car_purchase + b.car_running)}万元。",
        "## 四、机关运行经费",
        f"{b.year}年机关运行经费预算为{wan(b.public)}万元，主要用于办公、差旅、会议等日常公用支出。",
        "## 五、政府采购预算情况",
        f"{b.year}年政府采购预算{wan(sum(b.procurement))}万元，其中：政府采购货物预算{goods}万元、"
        f"政府采购工程预算{works}万元、政府采购服务预算{services}万元。",
        "## 六、绩效目标设置情况",
        f"{b.year}年实行绩效目标管理的项目支出{wan(b.projects)}万元。",
        "## 七、国有资产占有使用情况",
        f"截至{b.year - 1}年底，共有车辆{b.vehicles}辆。",
    ]
    return "\n\n".join(lines)


def publication(b: Budget) -> Publication:
    shown = tables(b)
    return Publication(
        title=f"{b.body}{b.year}年度部门预算（{SYNTHETIC_MARK}）",
        author="budgetbot samples/synthetic.py",
        cover=(b.body, f"{b.year}年度部门预算", COVER_NOTE),
        date=f"{b.year}年",
        contents_title="目 录",
        contents=("一、部门预算编制说明", "二、部门预算表", *(f"    {t.number}. {t.title}" for t in shown)),
        narrative=narrative(b),
        tables=tuple(shown),
    )


def file_name(index: int, b: Budget) -> str:
    return f"synthetic-{index:04d}-{'sh' if b.style == 'shanghai' else 'js'}-{b.year}.pdf"


def render_one(job: tuple[int, Budget, Path]) -> Path:
    index, b, folder = job
    path = folder / file_name(index, b)
    if not path.exists():
        partial = path.with_suffix(".part")
        render(publication(b), partial)
        partial.replace(path)
    return path


def generate(folder: Path, count: int, seed: int = 7, workers: int = 2) -> list[Path]:
    """Render `count` synthetic documents into `folder` (kept: files already there are reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    real = [p.name for p in folder.glob("*.pdf") if not p.name.startswith("synthetic-")]
    if real:
        raise ValueError(
            f"{folder} holds PDFs that are not synthetic ({real[0]} ...); "
            "synthetic documents go into a folder of their own, never beside real ones"
        )
    jobs = [(index, b, folder) for index, b in enumerate(budgets(count, seed), start=1)]
    with get_context("forkserver").Pool(workers) as pool:
        return list(pool.imap(render_one, jobs, chunksize=4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=1000, help="how many documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    paths = generate(args.folder, args.n, args.seed, args.workers)
    print(f"{len(paths)} synthetic documents in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
