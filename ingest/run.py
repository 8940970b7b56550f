"""`budgetbot ingest`: find PDFs, group them into documents, read them in parallel, store them."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

from checker import SEVERITY_NAMES
from checker.recheck import recheck, stale_documents
from ingest import PARSER_VERSION
from ingest.document import DocumentRecord, FileInfo, document_key, inspect_file, read_document
from ingest.errors import IngestError
from ingest.store import cluster_figures, known_hashes, staged_database, write_document
from ingest.tasks import Failure, PoolTasks, Tasks

log = logging.getLogger(__name__)
__all__ = ["Failure", "IngestOptions", "Summary", "ingest"]


@dataclass
class Summary:
    documents: int = 0
    unchanged: int = 0
    rechecked: int = 0  # unchanged documents whose findings a newer checker computed again
    tables: int = 0
    table_figures: int = 0
    text_figures: int = 0
    warnings: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # severity → count
    failures: list[Failure] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"文档 {self.documents} 份（未变 {self.unchanged} 个文件），表 {self.tables} 张，"
            f"表中数字 {self.table_figures} 个，说明中数字 {self.text_figures} 个，"
            f"警告 {self.warnings} 条，失败 {len(self.failures)} 个"
        ]
        if self.documents or self.rechecked:
            counts = [f"{name} {self.findings.get(severity, 0)} 条" for severity, name in SEVERITY_NAMES.items()]
            again = f"（另有 {self.rechecked} 份未变的文档按新规则重新核对）" if self.rechecked else ""
            out.append(f"数字核对：{'，'.join(counts)}{again}（budgetbot check 查看）")
        out += [f"失败：{failure}" for failure in self.failures]
        return out


@dataclass(frozen=True)
class IngestOptions:
    workers: int
    max_pages: int
    max_file_mb: int
    timeout_seconds: int
    progress: bool = True
    cluster: str = ""  # a Dask scheduler address, or "local"; "" reads on this machine's processes


def pdf_files(paths: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    found: list[Path] = []
    missing: list[Failure] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            missing.append(Failure(str(path), 0, "no such file or folder; check the path"))
    return found, missing


def _inspect(args: tuple[Path, int, int]) -> FileInfo | Failure:
    path, max_pages, max_file_mb = args
    try:
        return inspect_file(path, max_pages, max_file_mb)
    except IngestError as error:
        return Failure(error.file, error.page, error.reason)


def _read(args: tuple[list[FileInfo], int]) -> DocumentRecord | Failure:
    files, max_pages = args
    try:
        return read_document(files, max_pages)
    except IngestError as error:
        return Failure(error.file, error.page, error.reason)
    except Exception as error:  # a parser bug must cost one document, not the run
        log.exception("reading %s failed", [f.path.name for f in files])
        return Failure(", ".join(f.path.name for f in files), 0, f"internal error while reading: {error!r}")


def group_documents(files: list[FileInfo]) -> list[list[FileInfo]]:
    """Files of the same body, year, phase and edition form one document (a narrative PDF and its
    tables PDF). A file whose body could not be read stands alone: an empty name is no evidence that
    two files belong together. So does each of several files that print a 目录 of their own: those
    are whole publications (say, two printings of one budget), not parts of one."""
    groups: dict[tuple[str, int | None, str, str], list[FileInfo]] = {}
    alone: list[list[FileInfo]] = []
    for info in files:
        if not info.identity.body:
            alone.append([info])
        else:
            groups.setdefault(document_key(info.identity), []).append(info)
    for group in groups.values():
        if sum(f.has_contents for f in group) > 1:
            alone.extend([f] for f in group)
        else:
            alone.append(group)
    return alone


def _stored_parts(con: duckdb.DuckDBPyConnection, infos: list[FileInfo], options: IngestOptions) -> list[FileInfo]:
    """The other files of documents these files belong to, read before (a tables PDF that arrives after
    its narrative, or after it failed): they are read again with the new file, so the document is whole
    (group_documents still keeps apart two files that each print a 目录). Files no longer on disk are
    left out: the document is then read from what there is."""
    new = {info.path.name for info in infos}
    parts: list[FileInfo] = []
    for info in infos:
        body, year, phase, edition = document_key(info.identity)
        if not body:
            continue
        rows = con.execute(
            "select f.path from files f join documents d using (document_id) "
            "where d.body = ? and d.year is not distinct from ? and d.phase = ? and d.edition = ?",
            [body, year, phase, edition],
        ).fetchall()
        for (stored,) in rows:
            path = Path(stored)
            if path.name in new or not path.is_file():
                continue
            try:
                parts.append(inspect_file(path, options.max_pages, options.max_file_mb))
            except IngestError:
                continue  # it was read before; if it cannot be now, the new file is read on its own
            new.add(path.name)
    return parts


def _tasks(options: IngestOptions) -> Tasks:
    if not options.cluster:
        return PoolTasks(options.workers, options.timeout_seconds)
    from ingest.cluster import ClusterTasks  # Dask only when asked for

    return ClusterTasks(options.cluster, options.workers, options.timeout_seconds)


def ingest(paths: Iterable[Path], database: Path, options: IngestOptions) -> Summary:
    """Read the PDFs under `paths` into `database`. Raises IngestSetupError, having written nothing,
    when ingest cannot start (the cluster is unreachable, another ingest is writing `database`)."""
    summary = Summary()
    files, missing = pdf_files(paths)
    summary.failures += missing
    tasks = _tasks(options)  # before the database is touched: an unreachable cluster writes nothing
    try:
        with staged_database(database) as con:
            bar = tqdm(total=len(files), desc="ingest", unit="file", disable=not options.progress, leave=False)
            known = known_hashes(con, PARSER_VERSION)
            infos: list[FileInfo] = []
            inspections = [tasks.submit(_inspect, (p, options.max_pages, options.max_file_mb), p.name) for p in files]
            for inspection in inspections:
                result = inspection.result()
                if isinstance(result, Failure):
                    summary.failures.append(result)
                    bar.update(1)
                elif result.sha256 in known:
                    summary.unchanged += 1
                    bar.update(1)
                else:
                    infos.append(result)
            groups = group_documents(infos + _stored_parts(con, infos, options))
            # Each task is taken off the queue as its document is written: a finished task holds its
            # record (the document's pages, cells and figures, ~1 MB), and a list of them all kept every
            # record of the ingest in memory until the end (1.1 GB for 1,000 documents).
            readings = deque(
                (group, tasks.submit(_read, (group, options.max_pages), ", ".join(f.path.name for f in group)))
                for group in groups
            )
            while readings:
                group, reading = readings.popleft()
                record = reading.result()
                bar.update(len(group))
                if isinstance(record, Failure):
                    summary.failures.append(record)
                    continue
                write_document(con, record)
                summary.documents += 1
                summary.tables += len(record.tables)
                summary.table_figures += sum(f.source == "table" for f in record.figures)
                summary.text_figures += sum(f.source == "text" for f in record.figures)
                summary.warnings += len(record.warnings)
                for finding in record.findings:
                    summary.findings[finding.severity] = summary.findings.get(finding.severity, 0) + 1
            bar.close()
            if summary.documents:
                cluster_figures(con)
            # A changed rule needs no PDF read again: the stored documents are checked again as stored.
            for findings in recheck(con, stale_documents(con)).values():
                summary.rechecked += 1
                for finding in findings:
                    summary.findings[finding.severity] = summary.findings.get(finding.severity, 0) + 1
    finally:
        tasks.close()
    return summary
