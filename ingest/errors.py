"""The one error type of ingest."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested: which file, which page (0 = the whole file), why, and the fix."""

    def __init__(self, file: str, page: int, reason: str) -> None:
        self.file = file
        self.page = page
        self.reason = reason
        where = f"{file}, page {page}" if page else file
        super().__init__(f"{where}: {reason}")


class IngestSetupError(Exception):
    """Ingest cannot start at all (the cluster is unreachable, another ingest holds the database):
    nothing was written. The message names the address or file and the fix."""
