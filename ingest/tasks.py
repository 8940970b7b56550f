"""Where ingest's per-file work runs: a process pool on this machine, or a Dask cluster.

Both take the same pure functions (`_inspect`, `_read` in ingest/run.py) and hand back each one's
result or a `Failure`, so the loop that writes the database is one and the same for both.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Generic, Protocol, TypeVar

A = TypeVar("A")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Failure:
    file: str
    page: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, page {self.page}" if self.page else self.file
        return f"{where}: {self.reason}"


class Task(Protocol[T_co]):
    def result(self) -> T_co | Failure: ...


class Tasks(Protocol):
    def submit(self, function: Callable[[A], T], argument: A, name: str) -> Task[T]: ...

    def close(self) -> None:
        """Stop whatever still runs (a file that timed out)."""


class _PoolTask(Generic[T]):
    def __init__(self, pending: AsyncResult[T], name: str, timeout: int) -> None:
        self._pending, self._name, self._timeout = pending, name, timeout

    def result(self) -> T | Failure:
        try:
            return self._pending.get(self._timeout)
        except multiprocessing.TimeoutError:
            return Failure(self._name, 0, f"took longer than [ingest] timeout_seconds = {self._timeout}; stopped")


class PoolTasks:
    """Processes on this machine."""

    def __init__(self, workers: int, timeout: int) -> None:
        # forkserver: workers fork from a clean server process that has the PDF libraries imported
        # already, so they start fast and never inherit DuckDB's threads.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ingest.document"])
        self._pool: Pool = context.Pool(processes=workers, maxtasksperchild=20)
        self._timeout = timeout

    def submit(self, function: Callable[[A], T], argument: A, name: str) -> _PoolTask[T]:
        return _PoolTask(self._pool.apply_async(function, (argument,)), name, self._timeout)

    def close(self) -> None:
        self._pool.terminate()  # stops a worker still stuck on a timed-out file
        self._pool.join()
