"""How reading a 绩效目标 table grows with its length: the same table at n and 4n indicator rows.

Linear work gives a ratio near 4; the old per-indicator scan of the whole table gave near 16 (a 北京 file
with long target tables was stopped after 300 s). Prints the CPU time of each size and the ratio.

    .venv/bin/python -m benchmarks.targets_scaling [--rows 1000]
"""

from __future__ import annotations

import argparse
import time

from ingest.tables import Cell, FoundTable
from ingest.targets import targets_of

HEADER = ("项目名称", "一级指标", "二级指标", "三级指标", "指标值")


def target_table(rows: int) -> FoundTable:
    """A 项目绩效目标表 of `rows` indicators, 40 to a page."""
    cells = [Cell(1, 0, col, text, None) for col, text in enumerate(HEADER)]
    for row in range(1, rows + 1):
        texts = (f"项目{row // 20}", "产出指标", "数量指标", f"指标{row}", f"≥{row}%")
        cells += [Cell(1 + row // 40, row, col, text, None) for col, text in enumerate(texts)]
    return FoundTable("performance_project", "项目绩效目标表", None, (1,), 1, tuple(cells), (), False)


def cpu_seconds(rows: int) -> float:
    table = target_table(rows)
    started = time.process_time()
    facts = targets_of([table])
    assert len(facts) == rows
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    rows = parser.parse_args().rows
    small, large = cpu_seconds(rows), cpu_seconds(4 * rows)
    print(f"{rows:>6} indicators: {small * 1000:8.1f} ms CPU")
    print(f"{4 * rows:>6} indicators: {large * 1000:8.1f} ms CPU")
    print(f"ratio {large / max(small, 1e-9):.1f} (linear ≈ 4, quadratic ≈ 16)")


if __name__ == "__main__":
    main()
