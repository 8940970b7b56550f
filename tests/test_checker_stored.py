"""The checker on the database alone: the same findings as at ingest, no PDF read, its own version."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from checker.recheck import recheck
from ingest import source_hash
from tests.conftest import ROOT, SAMPLE_PDF, ingest_into
from tests.test_cli import budgetbot

FindingRow = tuple[str, int, str, str, str, str, tuple[int, ...], tuple[str, ...]]


def findings_of(database: Path) -> list[FindingRow]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select document_id, seq, rule, title, severity, message, pages, figures from findings "
            "order by document_id, seq"
        ).fetchall()
    return [(d, seq, r, t, s, m, tuple(p), tuple(f)) for d, seq, r, t, s, m, p, f in rows]


@pytest.mark.parametrize("which", ["sample", "real"])
def test_a_recheck_on_the_database_gives_exactly_the_findings_ingest_stored(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    database = tmp_path / "copy.duckdb"
    shutil.copyfile(request.getfixturevalue(f"{which}_db"), database)
    before = findings_of(database)
    assert before, "the corpus has findings to compare"
    with duckdb.connect(str(database)) as con:
        con.execute("delete from findings")  # so a recheck that wrote nothing could not pass
        ids = [d for (d,) in con.execute("select document_id from documents").fetchall()]
        recheck(con, ids)
    assert findings_of(database) == before


def test_check_recheck_needs_no_pdf_and_renews_stale_findings(tmp_path: Path) -> None:
    pdf = tmp_path / SAMPLE_PDF.name
    shutil.copyfile(SAMPLE_PDF, pdf)
    database = tmp_path / "budget.duckdb"
    assert ingest_into(database, pdf).failures == []
    stored = findings_of(database)
    pdf.unlink()  # nothing to read again: the recheck has only the database
    with duckdb.connect(str(database)) as con:
        con.execute("delete from findings")
        con.execute("update documents set checker_version = 'an older checker'")

    stale = budgetbot("check", "--db", str(database))
    assert "1 份文档的核对结果出自旧版规则；用 budgetbot check --recheck 重新核对" in stale.stderr
    assert stale.returncode == 0 and "没有发现前后不一致的数字" in stale.stdout

    renewed = budgetbot("check", "--recheck", "--json", "--db", str(database))
    assert renewed.returncode == 1, renewed.stderr  # the sample's errors are back
    assert "已按当前规则重新核对 1 份文档（没有重新读取 PDF）" in renewed.stderr
    assert findings_of(database) == stored
    first = json.loads(renewed.stdout)[0]["findings"][0]
    assert set(first) >= {"rule", "severity", "message", "document", "page", "pages", "figures"}
    assert (first["rule"], first["page"], first["figures"]) == ("N01", 4, ["355.35万元", "130.34"])
    assert "旧版规则" not in budgetbot("check", "--db", str(database)).stderr


def test_a_rule_change_rechecks_unchanged_documents_at_ingest_without_reading_them(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    assert ingest_into(database, SAMPLE_PDF).documents == 1
    stored = findings_of(database)
    with duckdb.connect(str(database)) as con:
        con.execute("delete from findings")
        con.execute("update documents set checker_version = 'an older checker'")
    again = ingest_into(database, SAMPLE_PDF)
    assert (again.documents, again.unchanged, again.rechecked) == (0, 1, 1)
    assert "另有 1 份未变的文档按新规则重新核对" in again.lines()[1]
    assert findings_of(database) == stored


def _version_of(package_root: Path, package: str) -> str:
    """The version a fresh interpreter computes for a copy of the package, writing bytecode as it goes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = f"import {package}; print({package}.{'CHECKER' if package == 'checker' else 'PARSER'}_VERSION)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=package_root, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_versions_follow_the_sources_not_the_bytecode(tmp_path: Path) -> None:
    for package in ("ingest", "checker"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    first = {p: _version_of(tmp_path, p) for p in ("ingest", "checker")}
    assert list((tmp_path / "ingest").glob("__pycache__/*.pyc")), "the run wrote bytecode"
    assert {p: _version_of(tmp_path, p) for p in ("ingest", "checker")} == first
    # A reworded rule is a new checker, and the same parser: documents are checked again, not read again.
    text = tmp_path / "checker" / "text.py"
    text.write_text(text.read_text(encoding="utf-8").replace("说明中没有重复的词", "说明中没有重复的字词"), "utf-8")
    assert _version_of(tmp_path, "ingest") == first["ingest"]
    assert _version_of(tmp_path, "checker") != first["checker"]
    assert source_hash(tmp_path / "checker") != first["checker"].removeprefix("1.")


def test_a_database_of_an_older_schema_is_rebuilt_not_half_written(tmp_path: Path) -> None:
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create table documents (document_id varchar primary key, body varchar)")
        con.execute("insert into documents values ('0123456789abcdef', '旧库里的文档')")
    summary = ingest_into(database, SAMPLE_PDF)
    assert (summary.documents, summary.failures) == (1, [])
    with duckdb.connect(str(database), read_only=True) as con:
        bodies = con.execute("select body, checker_version like '1.%' from documents").fetchall()
    assert bodies == [("许昌市建安区政务服务和大数据管理局", True)]
