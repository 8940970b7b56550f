"""Ingest on a real Dask distributed cluster: a LocalCluster of two worker processes on this machine.

The cluster path must give the database local ingest gives, row by row; a worker killed while it
reads loses nothing; an unreachable scheduler and a second ingest of the same database are refused
before anything is written.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pypdfium2 as pdfium
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from ingest.document import inspect_file, read_document
from ingest.errors import IngestSetupError
from ingest.run import ingest
from ingest.store import DOCUMENT_TABLES, staged_database
from tests.conftest import OPTIONS, SAMPLE_PDF
from tests.corpus import corpus_files, documents_present, not_budgets_present
from tests.test_cli import budgetbot

UNREACHABLE = "tcp://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:  # two worker processes, each with a nanny that restarts it
        yield local


def rows(database: Path, table: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def test_cluster_ingest_gives_the_database_local_ingest_gives(
    cluster: Any, real_corpus: Path, real_db: Path, tmp_path: Path
) -> None:
    database = tmp_path / "cluster.duckdb"
    summary = ingest(corpus_files(real_corpus), database, replace(OPTIONS, cluster=cluster.scheduler_address))
    assert [f.file for f in summary.failures] == [d.files[0] for d in not_budgets_present(real_corpus)]
    assert summary.documents == len(documents_present(real_corpus))
    for table in DOCUMENT_TABLES:  # documents, files, tables, cells, figures, facts, warnings, findings
        local, distributed = rows(real_db, table), rows(database, table)
        assert len(distributed) == len(local), table
        assert distributed == local, table


class KillOnFirstRead(WorkerPlugin):
    """Kills its worker process the moment a document read starts executing there, once in all (a marker
    file says it has happened): the kill falls mid-read by construction, not by winning a race."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or not str(key).startswith("_read-"):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))  # only the first read anywhere
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)  # the worker process dies mid-document; its nanny starts another


def test_a_worker_killed_while_reading_loses_no_document(real_corpus: Path, tmp_path: Path) -> None:
    database = tmp_path / "killed.duckdb"
    marker = tmp_path / "killed"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local,
        Client(local) as client,
    ):
        client.register_plugin(KillOnFirstRead(str(marker)))
        summary = ingest(corpus_files(real_corpus), database, replace(OPTIONS, cluster=local.scheduler_address))
    assert marker.exists(), "no worker was killed while reading"
    assert [f.file for f in summary.failures] == [d.files[0] for d in not_budgets_present(real_corpus)]
    assert summary.documents == len(documents_present(real_corpus))
    assert len(rows(database, "documents")) == len(documents_present(real_corpus))


def test_an_unreachable_scheduler_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    with pytest.raises(IngestSetupError, match=UNREACHABLE):
        ingest([SAMPLE_PDF], database, replace(OPTIONS, cluster=UNREACHABLE))
    assert list(tmp_path.iterdir()) == []


def test_the_command_names_the_unreachable_address(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    result = budgetbot("ingest", "--quiet", "--db", str(database), "--cluster", UNREACHABLE, str(SAMPLE_PDF))
    assert result.returncode == 2
    assert result.stderr.startswith(f"budgetbot: cannot reach the Dask scheduler at '{UNREACHABLE}'")
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not database.exists()


def test_a_second_ingest_of_the_same_database_is_refused(sample_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    database.write_bytes(sample_db.read_bytes())
    before = rows(database, "documents")
    with (
        staged_database(database),  # the first ingest, still writing
        pytest.raises(IngestSetupError, match=r"another ingest \(pid \d+\) is writing this database"),
    ):
        ingest([SAMPLE_PDF], database, OPTIONS)
    assert rows(database, "documents") == before
    # once the first has finished, the database is free again
    assert ingest([SAMPLE_PDF], database, OPTIONS).failures == []


def test_a_file_over_the_timeout_is_stopped_and_reported(cluster: Any, tmp_path: Path) -> None:
    # The sample's pages as many times over as this machine needs ten seconds of CPU to read, measured
    # here (CPU time: a pause of the machine does not shorten it): ten times the one-second timeout.
    started = time.process_time()
    read_document([inspect_file(SAMPLE_PDF, OPTIONS.max_pages, OPTIONS.max_file_mb)], OPTIONS.max_pages)
    copies = max(2, math.ceil(10 / max(time.process_time() - started, 0.001)))
    slow = tmp_path / "slow.pdf"
    source, copy = pdfium.PdfDocument(SAMPLE_PDF), pdfium.PdfDocument.new()
    for _ in range(copies):
        copy.import_pages(source)
    copy.save(slow)
    copy.close()
    source.close()
    # no page limit in the way, whatever number of copies this machine needed
    options = replace(OPTIONS, cluster=cluster.scheduler_address, timeout_seconds=1, max_pages=1_000_000)
    with Client(cluster) as watcher:
        before = set(watcher.run(os.getpid).values())
        summary = ingest([slow], tmp_path / "budget.duckdb", options)
        watcher.wait_for_workers(2)
        after_pids = set(watcher.run(os.getpid).values())
    assert [str(f) for f in summary.failures] == ["slow.pdf: took longer than [ingest] timeout_seconds = 1; stopped"]
    assert summary.documents == 0
    assert len(before - after_pids) == 1, "the worker stuck on the file was not restarted"
    # the cluster reads the next file
    after = ingest([SAMPLE_PDF], tmp_path / "after.duckdb", replace(options, timeout_seconds=300))
    assert after.failures == [] and after.documents == 1
