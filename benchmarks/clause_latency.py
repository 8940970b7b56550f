"""What reading a message of two questions costs, and the figures restated elsewhere: CPU time against plain figure
questions, same run.

    .venv/bin/python -m benchmarks.clause_latency --db FILE [--repeat 3]

Needs the real corpus ingested (../shared/corpus/real). Each question answered afresh (nothing remembered), timed
with `time.process_time`: a printed figure (the baseline); two questions of different kinds in one message, each
clause answered and joined (queries/run.py `_answer_by_clause`); two of one kind, read whole after each clause's
template is read; a figure a 整体支出绩效目标表 restates otherwise; a figure the narrative states under a longer name.
Prints each group's mean and its ratio to the baseline.
"""

from __future__ import annotations

from benchmarks.passage_latency import print_groups

GROUPS = {
    "(baseline) a printed figure": (
        "深圳水务局三公经费多少",
        "无锡教育局一般公共预算支出总共多少",
        "长春信访局实有多少人",
    ),
    "two questions of different kinds, joined": (
        "市行政中心保安服务项目安排了多少钱？安全事故发生数的绩效目标是多少",
        "知创大厦泉州知识产权馆建设费用项目多少钱？预算控制率目标是多少",
    ),
    "two questions of one kind, read whole": (
        "长春市信访局2026年三公经费多少？比上年增长多少",
        "普陀财政局2025年部门预算基本支出多少？项目支出呢",
    ),
    "a figure a 绩效目标表 restates otherwise": (
        "泉州市政府办2026年部门预算项目支出多少",
        "泉州市人民政府办公室2026年部门预算资金总额是多少",
    ),
    "the narrative's figure under a longer name": ("普陀财政局2025年部门预算职业年金缴费是多少",),
}


def main() -> None:
    print_groups(GROUPS, __doc__)


if __name__ == "__main__":
    main()
