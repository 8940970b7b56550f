"""Memory of a process and the processes under it, read from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def tree_memory_kb(root: int, field: str) -> dict[int, int]:
    """`field` of /proc/PID/status (VmRSS: resident now, VmHWM: peak resident) in kB, for `root` and
    every process under it."""
    parents: dict[int, int] = {}
    values: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            lines = (entry / "status").read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        values[int(entry.name)] = int(fields.get(field, "0 kB").split()[0])
    tree, grew = {root}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return {pid: values.get(pid, 0) for pid in tree}


def tree_cpu_seconds(root: int) -> dict[int, float]:
    """CPU seconds (user + system) each of `root` and the processes under it has used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    for pid in tree_memory_kb(root, "VmRSS"):
        try:
            # after the command name in parentheses: fields 14 and 15 of stat(5) are utime and stime
            after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(after_name[11]) + int(after_name[12])) / ticks
    return seconds
