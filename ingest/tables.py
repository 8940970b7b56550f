"""Raw ruled tables → standard budget tables with canonical columns and typed facts.

A table is known by its printed title (or a numbered heading above it); a table with no title at
the top of a page continues the one before it. Multi-row merged headers become one column path
("基本支出/工资福利支出"); 类/款/项 code cells become one code; every amount cell becomes a Fact
with its page, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

from ingest.kinds import classify_title
from ingest.numbers import find_unit, find_unit_in, normalize, parse_amount, to_yuan
from ingest.pdf import Box, Page, RawTable, TextLine

_BODY_LINE = re.compile(
    r"^(编制|预算)?(主管)?(单位|部门)(名称)?[:：]"
    r"|^公开\d+表$|^公开表[一二三四五六七八九十]+$|^表[一二三四五六七八九十]+$"
)
_TABLE_NUMBER = re.compile(r"^公开\d+表[:：]?|^公开表[一二三四五六七八九十]+[:：]?|^表[一二三四五六七八九十\d]+[:：]?")
_NO_DATA = re.compile(r"本表无数据|本表为空|无数据")
# A row labelled with the year it is about, or as the change between two such rows (深圳's “三公” tables:
# items across the columns, "2025年" / "2026年" / "增减变化金额" down a 年度 column).
_YEAR_ROW = re.compile(r"^(?:20\d\d年度?(?:预算数?|预算)?|增减变化金额|增减变化|增减额|变化金额)$")
_COLUMN_NUMBERS = re.compile(r"^(\d{1,2}|\*+|栏次|行次|[A-Z])$")
# "金额1", "“三公”经费合计1", "因公出国(境)费用2": a column number or footnote mark after a name
_NUMBERED_HEADER = re.compile(r"^(.*[\u4e00-\u9fff].*[\u4e00-\u9fff])\d{1,2}$")
# A column of line numbers (the national 部门决算 template prints 行次 beside each amount column): never amounts.
_LINE_NUMBER_HEADER = re.compile(r"^(行次|栏次|序号|行号|项次)$")
_ENUMERATOR = re.compile(r"^(其中[:：]|[一二三四五六七八九十]+[、.]|\d+[、.](?!\d)|[(][\d一二三四五六七八九十]+[)])")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_CODE_HEADER = re.compile(r"^(类|款|项|目)$|编码|代码|科目编号")
_CODE_VALUE = re.compile(r"^\d{3}(\d{2}){0,2}$|^\d{2}$")
# A 科目's code printed in its name's cell, bracketed or not: functional codes begin with 2, economic with 3 or 5
_INLINE_CODE = re.compile(r"^[\[【]?([235]\d{2}(?:\d{2}){0,2})[\]】]?\s*(?=[\u4e00-\u9fff])(.+)$")
_GROUP_HEADER = re.compile(r"^(?:预算单位|单位名称|部门名称|单位)$")
_LABEL_HEADER = re.compile(r"名称|^项目$|^科目$|^单位$|^部门$|^预算科目")
TOTAL_WORDS = {"金额", "总计", "预算金额", "本年预算", "本年预算数"}
SUBTOTAL_WORDS = {"小计", "合计", "计"}


@dataclass(frozen=True)
class Cell:
    page: int
    row: int
    col: int
    text: str | None  # None: covered by a merged cell
    box: Box | None


@dataclass(frozen=True)
class Fact:
    page: int
    row: int
    col: int
    item_code: str | None
    item_name: str
    item: str  # normalised name: no enumerator, half-width, no spaces
    classification: str  # functional | economic | line
    measure: str
    header: tuple[str, ...]  # the column's header cells, top to bottom, as printed (normalised)
    printed: str  # the cell as printed ("" = blank)
    amount: Decimal | None  # in the table's unit; None for a blank cell
    unit: str | None
    amount_yuan: Decimal | None
    box: Box | None = None
    # the row's year label ("2025年") or change label ("增减变化金额") when it has one, else ""
    row_year: str = ""
    # the unit (预算单位 column) the row is listed under, on a row of its own; "" on the unit's row itself
    group: str = ""
    # the row of the one unit a table lists in its 预算单位 column (a department of one 本级): its total
    sole_unit: bool = False


@dataclass(frozen=True)
class FoundTable:
    kind: str  # one of TABLE_KINDS, or "other" for a ruled table with no known title
    title: str
    unit: str | None
    pages: tuple[int, ...]
    header_rows: int
    cells: tuple[Cell, ...]
    facts: tuple[Fact, ...]
    is_empty: bool


def item_of(name: str) -> str:
    """A row label without its enumerator ("1、", "（一）", "其中：") in the normalised form."""
    text = normalize(name)
    while True:
        stripped = _ENUMERATOR.sub("", text)
        if stripped == text:
            return text
        text = stripped


@dataclass
class _Piece:
    """Rows of one table gathered across pages before they are read."""

    kind: str
    title: str
    unit: str | None
    header: tuple[tuple[str, ...], ...] = ()
    rows: list[tuple[int, int, RawTable]] = field(default_factory=list)  # (page, row index, table)


def _header_rows(table: RawTable) -> int:
    for index, row in enumerate(table.filled):
        cells = [normalize(c) for c in row if c and c.strip()]
        if not cells:
            continue
        if all(_COLUMN_NUMBERS.match(c) for c in cells):
            continue
        # an amount, not a 科目 code: codes stand in the first columns ("750" under 预算数 is 750 万元)
        if any(
            parse_amount(c) is not None and not (_CODE_VALUE.match(normalize(c)) and col < 3)
            for col, c in enumerate(row)
            if c
        ):
            return index
        if _NO_DATA.search("".join(cells)):
            return index
        if item_of(cells[0]) in ("合计", "总计", "共计") and len(cells) == 1:
            return index  # a totals row whose amounts are all blank
    return min(1, len(table.rows))


_HEADING = re.compile(r"^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]")


def _width(table: RawTable) -> int:
    return max((len(row) for row in table.rows), default=0)


def _unwrapped(table: RawTable, count: int) -> tuple[tuple[str, ...], ...]:
    """The first `count` rows (the header) with labels wrapped over two rows of cells joined.

    Word tables wrap a long label into the next row's cell of the same width ("因公出国" over
    "（境）费"); a cell over a narrower one is a parent label instead ("“三公”经费" over "小计").
    """
    header = [list(row) for row in table.filled[:count]]
    count = len(header)
    for col in range(len(header[0]) if header else 0):
        upper: tuple[int, Box, str] | None = None
        for r in range(count):
            box = table.boxes[r][col] if col < len(table.boxes[r]) else None
            text = table.rows[r][col] if col < len(table.rows[r]) else None
            if box is None or not (text or "").strip():
                continue
            if upper is not None and abs(upper[1][0] - box[0]) < 1 and abs(upper[1][2] - box[2]) < 1:
                joined = upper[2] + (text or "").strip()
                for other in range(count):  # rows either cell covers repeat its text
                    if header[other][col] == upper[2]:
                        header[other][col] = joined
                    elif header[other][col] == text:
                        header[other][col] = ""
                upper = (upper[0], upper[1], joined)
                continue
            upper = (r, box, header[r][col])
    return tuple(tuple(row) for row in header)


def _lines_above(lines: Iterable[TextLine], top: float, floor: float) -> list[TextLine]:
    return [line for line in lines if floor - 1 <= line.top and line.bottom <= top + 1]


def _preamble_lines(row: tuple[str | None, ...]) -> list[str] | None:
    """The lines of a row of the sheet above the real table (blank, title, unit or body lines).

    None when the row is part of the table itself.
    """
    lines = [line for cell in row if cell for line in cell.split("\n") if line.strip()]
    joined = normalize("".join(dict.fromkeys(lines)))
    if not joined or classify_title(joined) or find_unit(joined) or _BODY_LINE.match(joined):
        return lines
    for line in lines:
        text = normalize(line)
        if not (classify_title(text) or find_unit(text) or _BODY_LINE.match(text)):
            return None
    return lines


def _split_at_titles(table: RawTable) -> list[RawTable]:
    """Two tables ruled as one grid (a WPS export): split where a row holds a table title."""
    starts = [0] + [r for r, row in enumerate(table.rows) if r > 0 and classify_title("".join(c for c in row if c))]
    if len(starts) == 1:
        return [table]
    ends = [*starts[1:], len(table.rows)]
    return [
        replace(table, rows=table.rows[a:b], boxes=table.boxes[a:b], filled=table.filled[a:b])
        for a, b in zip(starts, ends, strict=True)
    ]


def _without_preamble(table: RawTable) -> tuple[RawTable, list[str]]:
    """Spreadsheet exports rule the title rows too; split them off the table."""
    count = 0
    texts: list[str] = []
    while count < len(table.rows) - 1:
        lines = _preamble_lines(table.rows[count])
        if lines is None:
            break
        texts += lines
        count += 1
    if count == 0:
        return table, []
    trimmed = replace(table, rows=table.rows[count:], boxes=table.boxes[count:], filled=table.filled[count:])
    return trimmed, texts


def _titles(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, title) for the title lines among `lines`, top to bottom.

    A title wrapped over two or three lines ("…“三公”经费、会议费、培训费" + "支出预算表") is read joined.
    """
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(lines):
        for size in (3, 2, 1):
            window = lines[index : index + size]
            if len(window) < size:
                continue
            head = _TABLE_NUMBER.sub("", normalize(window[0]))
            if size > 1 and (not head or head.endswith("表")):
                continue  # the first line is complete (or only a table number): no wrapped title
            joined = "".join(line.strip() for line in window)
            kind = classify_title(joined)
            if kind:
                found.append((kind, joined))
                index += size
                break
        else:
            index += 1
    return found


def _pieces(pages: list[Page]) -> list[_Piece]:
    pieces: list[_Piece] = []
    pending: list[str] = []  # a title printed under the last table of a page, for the next page's
    for page in pages:
        floor = 0.0
        parts = [part for whole in sorted(page.tables, key=lambda t: t.bbox[1]) for part in _split_at_titles(whole)]
        for position, whole in enumerate(parts):
            table, preamble = _without_preamble(whole)
            above = [line.text for line in _lines_above(page.lines, whole.bbox[1], floor)] + preamble
            if position == 0:
                above = pending + above
            floor = whole.bbox[3]
            titled = _titles(above)
            unit = find_unit_in(above)
            previous = pieces[-1] if pieces else None
            if not titled and previous is not None and previous.kind != "other":
                # A continuation repeats the header rows, or starts straight with body rows; a page that starts
                # with a header of its own over another number of columns ("项目 | 预算数 | 绩效目标" after a
                # ten-column 项目支出表) is another table, its title printed pages before.
                repeated = previous.header and _unwrapped(table, len(previous.header)) == previous.header
                own = _unwrapped(table, _header_rows(table)) if not repeated and _header_rows(table) > 0 else ()
                # (a header row read as lines of text above the grid counts as the header too)
                heads = {c for r in own for c in r if c} | set(preamble)
                if (
                    not repeated
                    and _width(table) != _width(previous.rows[-1][2])
                    and any("绩效" in c for c in heads)
                    and not heads <= {c for r in previous.header for c in r}
                ):
                    # its title: the heading above that names 绩效 ("七、重点项目预算绩效目标情况"), not a header cell
                    said = [line.strip() for line in above if "绩效" in line and line.strip() not in heads]
                    heading = next((line for line in reversed(said) if _HEADING.match(line)), said[-1] if said else "")
                    # its header row, read as text above the grid, is the table's own again
                    piece = _Piece(kind="performance_project", title=heading, unit=unit, header=_unwrapped(whole, 1))
                    piece.rows = [(page.number, r, whole) for r in range(len(whole.rows))]
                    pieces.append(piece)
                    continue
                if repeated or position == 0:
                    skip = len(previous.header) if repeated else 0
                    previous.rows += [(page.number, r, table) for r in range(skip, len(table.rows))]
                    continue
            kind, title = titled[-1] if titled else ("other", "")
            if (
                previous is not None
                and (kind, _one_line(title)) == (previous.kind, _one_line(previous.title))
                and _unwrapped(table, len(previous.header)) == previous.header
            ):
                # The same title printed again on the next page: a continuation.
                skip = len(previous.header)
                previous.rows += [(page.number, r, table) for r in range(skip, len(table.rows))]
                continue
            header = _unwrapped(table, _header_rows(table))
            piece = _Piece(kind=kind, title=title.strip(), unit=unit, header=header)
            piece.rows = [(page.number, r, table) for r in range(len(table.rows))]
            pieces.append(piece)
        under = [line.text for line in page.lines if line.top >= floor - 1] if parts else []
        pending = under if _titles(under) else []
    return pieces


def _column_paths(header: tuple[tuple[str, ...], ...], width: int) -> list[list[str]]:
    paths = []
    for col in range(width):
        path: list[str] = []
        for row in header:
            text = normalize(row[col]) if col < len(row) else ""
            if text != "行次" and _COLUMN_NUMBERS.match(text):
                continue  # a column number (栏次 1, 2 …) under the header names nothing
            text = _NUMBERED_HEADER.sub(r"\1", text)  # "金额\n1": a header cell holding its column number
            text = text.rstrip("*")  # "单位名称\n**": the mark a column-number row prints under a label column
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


def _measure(path: list[str], label_path: list[str]) -> str:
    parts = list(path)
    while parts and label_path and parts[0] == label_path[0]:
        parts.pop(0)
        label_path = label_path[1:]
    parts = [_YEAR_PREFIX.sub("", p) for p in parts]
    parts = [p for p in parts if p]
    # "基本支出/小计" is 基本支出, "公务用车购置及运行费/小计/决算数" is 公务用车购置及运行费/决算数.
    parts = [p for i, p in enumerate(parts) if i == 0 or p not in SUBTOTAL_WORDS]
    if len(parts) == 1 and parts[0] in TOTAL_WORDS:
        return "合计"
    return "/".join(parts) or "合计"


def _column_roles(body: list[tuple[str | None, ...]], paths: list[list[str]]) -> list[str]:
    """code, amount or label for each column, judged by the cells it prints itself: a cell merged
    across it from the left ("当年支出小计" over a label and an amount column) says nothing about it."""
    roles = []
    for col, path in enumerate(paths):
        values = [normalize(text) for row in body if col < len(row) and (text := row[col]) and text.strip()]
        amounts = [v for v in values if parse_amount(v) is not None]
        if (path and _LINE_NUMBER_HEADER.match(path[-1])) or _counts_lines(values):
            roles.append("line_number")
        elif (path and _CODE_HEADER.search(path[-1])) or (
            values
            and all(_CODE_VALUE.match(v) for v in values)
            and any("科目" in p or "编码" in p or "代码" in p for p in path)
        ):
            roles.append("code")
        elif amounts and len(amounts) >= 0.6 * len(values):
            roles.append("amount")
        elif not values and path and not _LABEL_HEADER.search(path[-1]):
            roles.append("amount")  # an all-blank column under an amount-style header
        elif path and _GROUP_HEADER.search(path[-1]):
            roles.append("group")  # 预算单位 before 科目编码 | 科目名称: the unit a run of rows belongs to
        else:
            roles.append("label")
    return roles


def _counts_lines(values: list[str]) -> bool:
    """A run of consecutive small whole numbers down a column (1, 2, 3 … or 32, 33 …), with no header
    saying so: line numbers, which no amount column prints."""
    if len(values) < 4 or not all(re.fullmatch(r"\d{1,3}", v) for v in values):
        return False
    numbers = [int(v) for v in values]
    steps = sum(b - a == 1 for a, b in pairwise(numbers))
    return numbers[0] <= 100 and steps >= 0.8 * (len(numbers) - 1)


def _code_digits(text: str, level: int) -> str:
    """A code cell's digits. "301 2" is 30102 and a 款 column printing "2" is 02: some exports drop the
    zero of a two-digit level (read as 3012, the 301 subtotal would seem not to add up)."""
    groups: list[str] = re.findall(r"\d+", text)
    if len(groups) > 1 and len(groups[0]) == 3 and all(len(g) <= 2 for g in groups[1:]):
        return groups[0] + "".join(g.zfill(2) for g in groups[1:])
    digits = "".join(groups)
    return digits.zfill(2) if level > 0 and len(digits) == 1 else digits


def join_code(parts: list[str], state: list[str]) -> str | None:
    """The code a row's code cells print (类 | 款 | 项 in columns of their own, or in one), the levels a
    row leaves blank taken from the rows above (`state`)."""
    digits = [_code_digits(p, level) for level, p in enumerate(parts)]
    if not any(digits):
        return None
    if len(digits) == 1:
        return digits[0]
    for level, value in enumerate(digits):
        if value:
            del state[level:]
            while len(state) < level:
                state.append("")
            state.append(value)
    return "".join(state)


def _classification(code: str | None, path_text: str) -> str:
    if code and len(code) not in (3, 5, 7):
        return "line"  # a unit's code ("305002 中国企业管理无锡培训中心"), not a 科目
    if "经济分类" in path_text or (code and code[0] in "35"):
        return "economic"
    if code and code[0] == "2":
        return "functional"
    return "line"


def _read(piece: _Piece) -> FoundTable:
    cells: list[Cell] = []
    boxes: dict[tuple[int, int], Box | None] = {}
    body: list[tuple[int, int, tuple[str, ...], tuple[str | None, ...]]] = []
    header_count = len(piece.header)
    for sequence, (page, r, table) in enumerate(piece.rows):
        raw = table.rows[r]
        for c, text in enumerate(raw):
            cells.append(Cell(page, sequence, c, text, table.boxes[r][c]))
            boxes[(sequence, c)] = table.boxes[r][c]
        numbering = [normalize(c) for c in raw if c and c.strip()]
        if numbering and all(_COLUMN_NUMBERS.match(c) for c in numbering):
            continue  # a row of column numbers ("栏次", "1 2 3", "**") under the header
        if not (sequence < header_count and piece.rows[0][2] is table):
            body.append((page, sequence, table.filled[r], raw))
    width = max((len(row) for _, _, row, _ in body), default=len(piece.header[0]) if piece.header else 0)
    paths = _column_paths(piece.header, width)
    roles = _column_roles([raw for _, _, _, raw in body], paths)
    for col in range(width):
        if body and all(col >= len(raw) or raw[col] is None for _, _, _, raw in body):
            roles[col] = "covered"  # only ever part of a cell merged across columns
    facts: list[Fact] = []
    blocks = _blocks(roles)
    for label_cols, code_cols, amount_cols in blocks:
        name_col = label_cols[0] if label_cols else None
        label_path = paths[name_col] if name_col is not None else []
        state: list[str] = []
        group_col = next((c for c in label_cols if roles[c] == "group"), None)
        group = ""  # the unit the rows below a 预算单位 cell belong to
        for page, sequence, row, raw in body:
            in_group = ""
            if group_col is not None and group_col < len(raw):
                named = _one_line(raw[group_col] or "")
                group, in_group = (named, "") if named else (group, group)
            name = _one_line(row[name_col]) if name_col is not None and name_col < len(row) else ""
            # "湖州市港航管理中心 | 水运交通建设养护 | …": the unit on every row, beside the row's own name
            own = next(
                (t for c in label_cols if c != group_col and c < len(raw) and (t := _one_line(raw[c] or ""))), ""
            )
            if in_group == "" and group_col is not None and name == group and own and not _unit_own_row(own):
                name, in_group = own, group
            if not name and len(label_cols) > 1:
                # A tree of label columns (采购品目 | 专项 | 物品): the row's own label is its first filled one.
                name = next((_one_line(t) for c in label_cols[1:] if c < len(raw) and (t := raw[c] or "").strip()), "")
            code = join_code([row[c] for c in code_cols if c < len(row)], state)
            inline = _INLINE_CODE.match(name) if code is None else None
            if inline:
                code, name = inline.group(1), inline.group(2)  # "[30206]电费", "2014001 行政运行": one cell
            # Amounts come from the raw grid: a position covered by a merged cell is no second figure.
            printed = {c: (raw[c] or "").strip() for c in amount_cols if c < len(raw) and raw[c] is not None}
            if not name and not code and not any(printed.values()):
                continue
            if _NO_DATA.search(name):
                continue
            path_text = "".join(paths[c][0] if paths[c] else "" for c in code_cols + label_cols)
            labels = [normalize(_one_line(row[c] or "")) for c in label_cols if c < len(row)]
            row_year = next((label for label in labels if _YEAR_ROW.match(label)), "")
            if row_year and group and not in_group:
                in_group = group  # "深圳市建筑工务署（本级） | 2025年 | …": a year of the unit named beside it
            for col, text in printed.items():
                amount = parse_amount(text)
                facts.append(
                    Fact(
                        page=page,
                        row=sequence,
                        col=col,
                        item_code=code,
                        item_name=name,
                        item=item_of(name),
                        classification=_classification(code, path_text),
                        measure=_measure(paths[col], label_path),
                        header=tuple(paths[col]),
                        printed=text,
                        amount=amount,
                        unit=piece.unit,
                        amount_yuan=to_yuan(amount, piece.unit) if amount is not None and piece.unit else None,
                        box=boxes.get((sequence, col)),
                        row_year=row_year,
                        group=in_group,
                    )
                )
    units = {f.group for f in facts if f.group}
    if len(units) < 2:
        # one unit listed (a department of one 本级): its rows are the department's, its row their total
        sole = {item_of(u) for u in units}
        facts = [replace(f, group="", sole_unit=not f.item_code and f.item in sole) for f in facts]
    has_amounts = any(f.amount is not None for f in facts)
    return FoundTable(
        kind=piece.kind,
        title=_one_line(piece.title),
        unit=piece.unit,
        pages=tuple(sorted({page for page, _, _ in piece.rows})),
        header_rows=header_count,
        cells=tuple(cells),
        facts=tuple(facts),
        is_empty=not has_amounts,
    )


def _unit_own_row(label: str) -> bool:
    """A label beside a unit's name that keeps the row the unit's own: a year ("2025年") or a total ("合计")."""
    key = normalize(label)
    return bool(_YEAR_ROW.match(key)) or key in TOTAL_WORDS or key in ("合计", "小计", "总计")


def _one_line(text: str) -> str:
    """A cell's text with the line breaks of its wrapping removed (Chinese has no spaces there)."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def _blocks(roles: list[str]) -> list[tuple[list[int], list[int], list[int]]]:
    """Split columns into (label columns, code columns, amount columns) blocks, left to right."""
    blocks: list[tuple[list[int], list[int], list[int]]] = []
    labels: list[int] = []
    codes: list[int] = []
    amounts: list[int] = []
    for col, role in enumerate(roles):
        if role in ("covered", "line_number"):
            continue
        if role != "amount" and amounts:
            blocks.append((labels, codes, amounts))
            labels, codes, amounts = [], [], []
        if role == "code" and any(roles[c] != "group" for c in labels):
            continue  # a second classification's codes (政府预算经济分类) name no new item
        {"label": labels, "group": labels, "code": codes, "amount": amounts}[role].append(col)
    if amounts:
        blocks.append((labels, codes, amounts))
    return blocks


def find_tables(pages: list[Page]) -> list[FoundTable]:
    return [_read(piece) for piece in _pieces(pages)]
