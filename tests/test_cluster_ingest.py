"""Ingest on a real Dask distributed cluster: a LocalCluster of two worker processes on this machine.

The cluster path must give the database local ingest gives, row by row; a worker killed while it
reads loses nothing; an unreachable scheduler and a second ingest of the same database are refused
before anything is written.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pypdfium2 as pdfium
import pytest
from distributed import Client, LocalCluster

from ingest.errors import IngestSetupError
from ingest.run import Summary, ingest
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


def test_a_worker_killed_while_reading_loses_no_document(real_corpus: Path, tmp_path: Path) -> None:
    database = tmp_path / "killed.duckdb"
    done: dict[str, Summary] = {}
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local,
        Client(local) as watcher,
    ):
        options = replace(OPTIONS, cluster=local.scheduler_address)
        run = threading.Thread(target=lambda: done.update(summary=ingest(corpus_files(real_corpus), database, options)))
        run.start()
        killed: list[str] = []
        while run.is_alive() and not killed:
            for worker, keys in watcher.processing().items():
                if any(str(key).startswith("_read-") for key in keys):
                    pid = watcher.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)  # the worker process dies mid-document; its nanny starts another
                    killed.append(worker)
                    break
            time.sleep(0.005)
        run.join()
    assert killed, "ingest finished before a worker could be killed while reading"
    summary = done["summary"]
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
    # The sample's 23 pages fifty times over: far more than one second of reading on any machine.
    slow = tmp_path / "slow.pdf"
    source, copy = pdfium.PdfDocument(SAMPLE_PDF), pdfium.PdfDocument.new()
    for _ in range(50):
        copy.import_pages(source)
    copy.save(slow)
    copy.close()
    source.close()
    options = replace(OPTIONS, cluster=cluster.scheduler_address, timeout_seconds=1)
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
