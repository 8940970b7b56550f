"""PDF budgets → DuckDB. Reads documents and writes the database; never answers questions."""

import hashlib
from pathlib import Path

# What reading depends on: the code, the schema and the vocabulary. Only these suffixes, so bytecode
# (__pycache__/*.pyc, written whenever Python imports a module) never changes the version.
SOURCE_SUFFIXES = (".py", ".sql", ".toml")


def source_hash(package: Path) -> str:
    """Eight hex digits that change whenever a package's source files change."""
    digest = hashlib.sha256()
    sources = sorted(p for p in package.rglob("*") if p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts)
    for path in sources:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


# Stored documents read by another version are read again.
PARSER_VERSION = f"1.{source_hash(Path(__file__).parent)}"
