"""What the operators cost: CPU time of the operator questions against plain figure questions, same run.

    .venv/bin/python -m benchmarks.operator_latency --db FILE [--repeat 3]

The operator questions are tests/data/questions/ops-*.toml (几倍, 人均, 最多, 有没有, 为什么, 在哪张表 …) and
round3-*.toml (a department's units, a scope asked twice, same-sounding typos, 每月 / 每天 averages);
the baseline is the same documents asked for a plain figure ("<body>三公经费多少"), answered by item_figure.
Each question is answered afresh (nothing remembered) and timed with `time.process_time`; the machine's
pauses do not count. Prints per template the count, p50 and p99, and the ratio of its p50 to the baseline's.
"""

from __future__ import annotations

import statistics
import time
import tomllib
from collections import defaultdict
from pathlib import Path

from benchmarks.answer_latency import fresh_answerer, percentile
from bot.render import to_text

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions"


def main() -> None:
    answerer, repeat = fresh_answerer(__doc__)
    asked = [
        case["question"]
        for path in [*sorted(QUESTIONS.glob("ops-*.toml")), *sorted(QUESTIONS.glob("round3-*.toml"))]
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("questions", [])
    ]
    baseline = [f"{d.body}{d.year}年{d.edition}{d.phase}三公经费多少" for d in answerer.snapshot().documents]
    for question in asked[:20] + baseline[:20]:  # warm the caches
        answerer.answer(question)
    timed: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        for question in baseline:
            start = time.process_time()
            to_text(answerer.answer(question))
            timed["(baseline) item_figure"].append(time.process_time() - start)
        for question in asked:
            start = time.process_time()
            answer = answerer.answer(question)
            to_text(answer)
            timed[answer.template or "(refused)"].append(time.process_time() - start)
    base = statistics.median(timed["(baseline) item_figure"])
    print(f"{'template':28} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'p50/baseline':>13}")
    for name, seconds in sorted(timed.items(), key=lambda pair: -statistics.median(pair[1])):
        p50, p99 = statistics.median(seconds), percentile(seconds, 0.99)
        print(f"{name:28} {len(seconds):5d} {p50 * 1000:8.1f} {p99 * 1000:8.1f} {p50 / base:13.2f}")


if __name__ == "__main__":
    main()
