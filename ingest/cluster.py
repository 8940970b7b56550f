"""Ingest's per-file work as tasks on a Dask distributed cluster (`budgetbot ingest --cluster`).

Each task runs the same pure function as the local pool on one file or one document's files; its
record comes back to the client, which writes the database exactly as local ingest does. Workers
open the PDFs by the paths the client lists, so every worker must see them at the same path (a
shared folder).

Faults: a worker that dies mid-task is replaced by its nanny and the scheduler runs the task again
elsewhere, up to `distributed.scheduler.allowed-failures` times (Dask's own setting, 3 by default);
after that the file is reported failed. A task over the per-file timeout is cancelled and the worker
still running it is restarted, since a thread stuck in a PDF parser cannot be stopped otherwise.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ingest.errors import IngestSetupError
from ingest.tasks import Failure

log = logging.getLogger(__name__)
A = TypeVar("A")
T = TypeVar("T")
CONNECT_SECONDS = 5
LOCAL = "local"  # --cluster local: a LocalCluster on this machine


class _ClusterTask(Generic[T]):
    def __init__(self, tasks: ClusterTasks, future: Any, name: str) -> None:  # future: a distributed.Future
        self._tasks, self._future, self._name = tasks, future, name

    def result(self) -> T | Failure:
        from distributed import KilledWorker

        timeout = self._tasks.timeout
        try:
            value: T = self._future.result(timeout=timeout)
            self._future.release()  # the worker may drop it now: a lost worker then has nothing to recompute
            return value
        except TimeoutError:
            self._tasks.stop(self._future)
            return Failure(self._name, 0, f"took longer than [ingest] timeout_seconds = {timeout}; stopped")
        except KilledWorker as error:
            return Failure(
                self._name,
                0,
                f"the Dask workers reading it died too often ({error}); see the workers' logs "
                "(memory limit?) and ingest this file again",
            )
        except Exception as error:  # the cluster went away mid-run: this file, not the run
            return Failure(self._name, 0, f"the cluster could not read it: {error!r}")


class ClusterTasks:
    """Tasks on a Dask cluster; `address` is a scheduler address or "local"."""

    def __init__(self, address: str, workers: int, timeout: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise IngestSetupError(
                "--cluster needs Dask distributed, which is not installed; "
                "install it with: .venv/bin/pip install -e '.[cluster]'"
            ) from None
        self.timeout = timeout
        self._cluster: Any = None
        if not logging.getLogger().isEnabledFor(logging.INFO):
            logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines unless --verbose
        try:
            if address == LOCAL:
                self._cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.WARNING,
                )
                self._client: Any = Client(self._cluster, timeout=CONNECT_SECONDS)  # distributed is untyped
            else:
                self._client = Client(address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError) as error:
            if self._cluster is not None:
                self._cluster.close()
            raise IngestSetupError(
                f"cannot reach the Dask scheduler at {address!r} ({error}); check the address "
                "(tcp://HOST:8786) and that the scheduler is running; nothing was written"
            ) from None

    @property
    def client(self) -> Any:
        return self._client

    def submit(self, function: Callable[[A], T], argument: A, name: str) -> _ClusterTask[T]:
        # pure=False and a fresh key: the same file read twice (a retry of the whole run) is read again
        key = f"{function.__name__}-{uuid.uuid4().hex}"
        return _ClusterTask(self, self._client.submit(function, argument, key=key, pure=False), name)

    def stop(self, future: Any) -> None:
        """Cancel a task that ran too long and restart the workers still running it."""
        running = [worker for worker, keys in self._client.processing().items() if future.key in keys]
        future.cancel()
        if running:
            log.warning("restarting %s, stuck on %s", running, future.key)
            self._client.restart_workers(running)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
