"""The real corpus as `tests/data/real_documents.toml` describes it: which PDFs make which documents.

Every test that counts documents or files reads these lists, never a number of its own: adding a
valid PDF to ../shared/corpus/real with its entry in the data file changes no test.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DescribedDocument:
    """One document as its cover and contents pages print it (or a file that is no budget at all)."""

    files: tuple[str, ...]
    body: str
    year: int
    phase: str  # 预算 | 决算 ("" for a file that is no budget)
    edition: str  # 部门 | 单位
    kinds: tuple[str, ...]  # the standard tables its 目录 lists, as ingest/kinds.py names them
    unlisted_kinds: tuple[str, ...]  # tables it prints that its 目录 does not list
    not_budget: str  # what the file is instead ("" for a budget or final account)
    tables_gap: str  # why the tables found do not yet match the 目录 ("" when they do)

    @property
    def key(self) -> str:
        return self.files[0].removesuffix(".pdf")


def _described() -> tuple[DescribedDocument, ...]:
    entries = tomllib.loads((DATA / "real_documents.toml").read_text(encoding="utf-8"))["documents"]
    return tuple(
        DescribedDocument(
            files=tuple(entry["files"]),
            body=entry["body"],
            year=entry["year"],
            phase=entry.get("phase", ""),
            edition=entry.get("edition", ""),
            kinds=tuple(entry.get("kinds", ())),
            unlisted_kinds=tuple(entry.get("unlisted_kinds", ())),
            not_budget=entry.get("not_budget", ""),
            tables_gap=entry.get("tables_gap", ""),
        )
        for entry in entries
    )


DESCRIBED: tuple[DescribedDocument, ...] = _described()
DOCUMENTS: tuple[DescribedDocument, ...] = tuple(d for d in DESCRIBED if not d.not_budget)
NOT_BUDGETS: tuple[DescribedDocument, ...] = tuple(d for d in DESCRIBED if d.not_budget)
DESCRIBED_FILES: frozenset[str] = frozenset(name for d in DESCRIBED for name in d.files)


def corpus_files(folder: Path) -> list[Path]:
    """The described PDFs of the folder, in name order (a PDF not described yet is left to its own test)."""
    return sorted(path for path in folder.glob("*.pdf") if path.name in DESCRIBED_FILES)


def documents_present(folder: Path) -> tuple[DescribedDocument, ...]:
    """The described documents all of whose files are in the folder."""
    return tuple(d for d in DOCUMENTS if all((folder / name).is_file() for name in d.files))


def not_budgets_present(folder: Path) -> tuple[DescribedDocument, ...]:
    return tuple(d for d in NOT_BUDGETS if all((folder / name).is_file() for name in d.files))
