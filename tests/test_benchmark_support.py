"""What the benchmarks measure with: the CPU time of a process tree read from /proc, and the bot
benchmark's distinct questions. (The benchmarks themselves are run by hand: no timed assertions.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.answer_latency import questions
from benchmarks.processes import tree_cpu_seconds
from queries.run import Answerer

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end:\n    pass\ninput()\n"


def test_the_cpu_of_a_process_tree_counts_each_process() -> None:
    child = subprocess.Popen([sys.executable, "-c", BURN], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while tree_cpu_seconds(os.getpid()).get(child.pid, 0.0) < 0.25:
            assert time.monotonic() < deadline, "the child's CPU time never showed"
            time.sleep(0.05)
        used = tree_cpu_seconds(os.getpid())
        assert os.getpid() in used and child.pid in used
        assert 0.25 <= used[child.pid] < 5  # it burnt 0.3 s, then waits for input without using the CPU
        assert set(tree_cpu_seconds(child.pid)) == {child.pid}  # a tree of one: the child starts none
    finally:
        child.communicate(b"\n", timeout=30)


def test_the_bots_questions_are_distinct(sample_db: Path) -> None:
    answerer = Answerer(sample_db, answers_kept=0)
    repeated = questions(answerer, 5000)
    distinct = questions(answerer, 5000, distinct=True)
    assert len(repeated) == 5000 and len(set(repeated)) < 5000
    assert len(distinct) == len(set(distinct)) == len(set(repeated))
    assert questions(answerer, 10, distinct=True) == distinct[:10]
