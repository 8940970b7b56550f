"""Memory of a process and the processes under it, read from /proc (Linux)."""

from __future__ import annotations

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
