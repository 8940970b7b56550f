"""What a quoted sentence costs: CPU time of questions answered by a sentence of the document (queries/passages.py)
against plain figure questions, same run.

    .venv/bin/python -m benchmarks.passage_latency --db FILE [--repeat 3]

Needs the real corpus ingested (../shared/corpus/real). Three groups, each answered afresh (nothing remembered) and
timed with `time.process_time`: a printed figure (the baseline), a sentence quoted from the document the question
names, a question that names no body, placed by the one page holding its words (every page's text is read), and
printed names shortened in a question that names no body (every document's row names are read).
Prints each group's mean and its ratio to the baseline.
"""

from __future__ import annotations

import time

from benchmarks.answer_latency import fresh_answerer

GROUPS = {
    "(baseline) a printed figure": (
        "深圳水务局三公经费多少",
        "无锡教育局一般公共预算支出总共多少",
        "长春信访局实有多少人",
    ),
    "a sentence quoted from the named document": (
        "《深圳市人民政府公报》今年计划发行多少期",
        "无锡教育局今年打算把普通高中学位供给率提到多少",
    ),
    "a question naming no body, placed by its page": (
        "会展业发展专项资金的绩效目标里扶持项目数量要达到多少",
        "广南梅第二条原水管道建成后过水能力要提高到多少",
    ),
    "shortened names, no body named (queries/paraphrase.py)": (
        "黄杨泵站至缯坑水库第二条原水管和广南梅第二条原水管道一期各安排多少钱",
        "民政福彩公益金里社会公益类、老年人福利类、儿童福利类项目各多少",
    ),
}


def main() -> None:
    print_groups(GROUPS, __doc__)


def print_groups(groups: dict[str, tuple[str, ...]], usage: str | None) -> None:
    """Each group's mean CPU time per answer, and its ratio to the first group's (the baseline)."""
    answerer, repeat = fresh_answerer(usage)
    for questions in groups.values():
        for question in questions:
            answerer.answer(question)  # warm the caches
    baseline = 0.0
    for name, questions in groups.items():
        started = time.process_time()
        for _ in range(repeat):
            for question in questions:
                answerer.answer(question)
        mean = (time.process_time() - started) / (repeat * len(questions))
        baseline = baseline or mean
        print(f"{name:<50} {mean * 1000:8.1f} ms  {mean / baseline:5.1f} ×")


if __name__ == "__main__":
    main()
