"""Where answering time goes: CPU milliseconds per template, over the benchmark questions.

    .venv/bin/python -m benchmarks.answer_templates --db FILE [-n 3000]

The questions are benchmarks/answer_latency.py's (for a synthetic database, its own questions too);
each is answered once (nothing remembered) and timed with `time.process_time`. Prints the p50 and
p99 over all, then per template its count, p50, maximum and total, largest total first.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.answer_latency import percentile, questions
from benchmarks.scale import synthetic_questions
from bot.render import to_text
from queries.run import Answerer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("-n", type=int, default=3000)
    args = parser.parse_args()
    answerer = Answerer(args.db, answers_kept=0)
    synthetic = any(d.synthetic for d in answerer.snapshot().documents)
    asked = questions(answerer, args.n, synthetic_questions(args.db) if synthetic else ())
    for question in asked[:100]:  # warm the caches
        answerer.answer(question)
    by_template: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for question in asked:
        start = time.process_time()
        answer = answerer.answer(question)
        to_text(answer)
        by_template[answer.template or "(none)"].append((time.process_time() - start, question))
    every = [seconds for timed in by_template.values() for seconds, _ in timed]
    ms = 1000.0
    print(f"{len(every)} questions, {len(answerer.snapshot().documents)} documents: CPU p50 "
          f"{percentile(every, 0.5) * ms:.1f} ms, p99 {percentile(every, 0.99) * ms:.1f} ms, "
          f"mean {statistics.fmean(every) * ms:.1f} ms")  # fmt: skip
    print(f"{'template':24}{'n':>6}{'p50 ms':>9}{'max ms':>9}{'total s':>9}  slowest question")
    for template, timed in sorted(by_template.items(), key=lambda pair: -sum(s for s, _ in pair[1])):
        seconds = [s for s, _ in timed]
        slowest = max(timed)[1]
        print(f"{template:24}{len(timed):6}{percentile(seconds, 0.5) * ms:9.1f}{max(seconds) * ms:9.1f}"
              f"{sum(seconds):9.2f}  {slowest}")  # fmt: skip


if __name__ == "__main__":
    main()
