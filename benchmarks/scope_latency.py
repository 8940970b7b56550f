"""What comparing like with like costs: a narrative figure of one fund set against that fund's column, a change on
last year's one-fund figure, amounts written in a 绩效目标 table's cells, a ranked row's share; CPU time against plain
figure questions, same run.

    .venv/bin/python -m benchmarks.scope_latency --db FILE [--repeat 3]

Needs the real corpus ingested (../shared/corpus/real). Each question answered afresh (nothing remembered), timed
with `time.process_time`. Prints each group's mean and its ratio to the baseline.
"""

from __future__ import annotations

from benchmarks.passage_latency import print_groups

GROUPS = {
    "(baseline) a printed figure": (
        "深圳水务局三公经费多少",
        "无锡教育局一般公共预算支出总共多少",
        "长春信访局实有多少人",
    ),
    "the narrative's one-fund figure against that fund's column": (
        "福利院社会福利事业单位支出多少",
        "普陀司法局2026年住房公积金预算是多少",
    ),
    "a change on last year's one-fund figure": (
        "福利院社会福利事业单位支出比2023年执行数增长多少",
        "福利院住房公积金比上年增长多少",
    ),
    "amounts written in a 绩效目标 table's cells": ("长春信访局的信访接待中心运行费里，电费安排了多少？",),
    "the largest row and its share of its level": ("长春信访局项目里哪个花钱最多，占项目支出多少",),
}


def main() -> None:
    print_groups(GROUPS, __doc__)


if __name__ == "__main__":
    main()
