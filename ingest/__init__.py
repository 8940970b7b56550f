"""PDF budgets → DuckDB. Reads documents and writes the database; never answers questions."""

import hashlib
from pathlib import Path


def _source_hash() -> str:
    """Changes whenever ingest's code or schema changes, so stored documents are read again."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.[ps][yq]*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


PARSER_VERSION = f"1.{_source_hash()}"
