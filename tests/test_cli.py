"""The budgetbot command, run as a user runs it: a real process, real files, standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from ingest.store import DOCUMENT_TABLES
from tests.conftest import ROOT, SAMPLE_PDF, ingest_into


def budgetbot(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_chat_through_standard_input(sample_db: Path) -> None:
    result = budgetbot(
        "chat",
        "--db",
        str(sample_db),
        stdin="三公经费多少？\n那公务接待费呢？\n/sql\n/source\n/export\n/help\n/docs\n什么是机关运行经费\n/quit\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "已加载 1 份文档" in out
    assert "• “三公”经费：0.20 万元 [1]" in out
    assert "《2021年一般公共预算“三公”经费支出情况表》，第 17 页" in out
    assert "• 公务接待费：0.20 万元 [1]" in out
    assert "from figures as f" in out and '"concepts": ["公务接待费"]' in out
    source = next(line for line in out.splitlines() if line.startswith("来源页图片："))
    png = Path(source.removeprefix("来源页图片："))
    assert png.read_bytes().startswith(b"\x89PNG")
    exported = next(line for line in out.splitlines() if line.startswith("已导出 2 行："))
    rows = Path(exported.removeprefix("已导出 2 行：")).read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("公务接待费,0.20,0.2000,万元,")
    assert "【一个数字】" in out and "/quit 退出" in out
    assert "/use 序号" in out
    assert "1. 许昌市建安区政务服务和大数据管理局 2021年部门预算（当前）" in out
    assert "是指为保障行政机构正常运转" in out


def test_ask_json_is_the_documented_interface(sample_db: Path) -> None:
    result = budgetbot("ask", "三公经费多少", "--json", "--db", str(sample_db))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "answered"
    assert data["template"] == "item_figure"
    box = data["values"][0].pop("box")  # where 0.20 is printed on page 17, in points
    assert len(box) == 4 and box[0] < box[2] and box[1] < box[3]
    assert data["values"][0] == {
        "label": "“三公”经费",
        "value": 0.2,
        "unit": "万元",
        "value_wan": 0.2,
        "printed": "0.20",
        "role": "current",
        "source": 0,
    }
    assert data["sources"][0]["table"] == "2021年一般公共预算“三公”经费支出情况表"
    assert data["sources"][0]["page"] == 17
    assert data["sources"][0]["year"] == 2021 and data["sources"][0]["phase"] == "预算"
    assert data["sql"].startswith("with item_figures as (")
    assert data["params"]["concepts"] == ["“三公”经费"]
    assert data["answer"].startswith("许昌市建安区政务服务和大数据管理局 2021年部门预算：“三公”经费")
    assert data["choices"] == [] and data["suggestions"] == []


def test_ingest_reports_failures_and_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    database = tmp_path / "budget.duckdb"
    result = budgetbot("ingest", "--quiet", "--db", str(database), str(SAMPLE_PDF), str(bad))
    assert result.returncode == 1
    assert "文档 1 份" in result.stdout
    assert "失败：broken.pdf: not a readable PDF" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    result = budgetbot("ask", "三公经费", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"budgetbot: 数据库 {tmp_path / 'none.duckdb'} 不存在；请先运行 budgetbot ingest 导入 PDF"
    )


def test_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[ingest]\nworkers = -3\n", encoding="utf-8")
    result = budgetbot("ingest", "--config", str(config))
    assert result.returncode == 2
    assert "[ingest] workers = -3 is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_prints_the_findings_and_fails_on_errors(sample_db: Path) -> None:
    result = budgetbot("check", "--db", str(sample_db))
    assert result.returncode == 1, result.stderr  # the sample has errors
    out = result.stdout
    assert out.startswith(
        "数字核对：许昌市建安区政务服务和大数据管理局 2021年部门预算\n错误 6 条，警告 6 条，提示 2 条"
    )
    assert "【错误】N01 第4页说明写“一般公共预算基本支出355.35万元”" in out
    assert "  第 4 页（文件 jianan-2021-budget.pdf 第 4 页），另见第 16 页" in out
    data = json.loads(budgetbot("check", "建安", "2021", "--json", "--db", str(sample_db)).stdout)
    assert [d["document"]["body"] for d in data] == ["许昌市建安区政务服务和大数据管理局"]
    assert data[0]["counts"] == {"error": 6, "warning": 6, "info": 2}
    first = data[0]["findings"][0]
    assert (first["rule"], first["severity"], first["pages"], first["file_page"]) == ("N01", "error", [4, 16], 4)


def test_check_of_an_unknown_document_says_how_to_find_one(sample_db: Path) -> None:
    result = budgetbot("check", "静安区", "--db", str(sample_db))
    assert result.returncode == 2
    assert "没有名称包含“静安区”的文档" in result.stderr and "有哪些文档" in result.stderr


def test_chat_check_shows_the_current_documents_findings(sample_db: Path) -> None:
    result = budgetbot("chat", "--db", str(sample_db), stdin="/check\n/use 1\n/check\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "先选定一份文档" in result.stdout
    assert "【错误】S01 第4页" in result.stdout


def test_chat_choices_by_number_then_follow_up(real_db: Path) -> None:
    result = budgetbot("chat", "--db", str(real_db), stdin="三公经费多少\n9\n那公务接待费呢？\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "9. 上海市普陀区财政局 2024年部门决算" in out
    assert "上海市普陀区财政局 2024年部门决算：“三公”经费" in out
    assert "上海市普陀区财政局 2024年部门决算：公务接待费" in out


def test_documents_lists_and_remove_takes_one_document_out(sample_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb"
    database.write_bytes(sample_db.read_bytes())
    listed = budgetbot("documents", "--json", "--db", str(database))
    assert listed.returncode == 0, listed.stderr
    [document] = json.loads(listed.stdout)
    assert document["body"] == "许昌市建安区政务服务和大数据管理局" and document["year"] == 2021
    assert document["files"] == ["jianan-2021-budget.pdf"] and document["pages"] == 23 and document["tables"] >= 9
    unknown = budgetbot("remove", "0000000000000000", "--db", str(database))
    assert unknown.returncode == 2 and "no document with id '0000000000000000'" in unknown.stderr
    assert "budgetbot documents" in unknown.stderr and "Traceback" not in unknown.stderr
    assert json.loads(budgetbot("documents", "--json", "--db", str(database)).stdout) == [document]  # untouched
    removed = budgetbot("remove", document["document_id"], "--db", str(database))
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith(
        f"已移除 {document['document_id']}：许昌市建安区政务服务和大数据管理局 2021年部门预算"
    )
    assert json.loads(budgetbot("documents", "--json", "--db", str(database)).stdout) == []
    with duckdb.connect(str(database), read_only=True) as con:
        for table in DOCUMENT_TABLES:  # every row of it is gone
            assert con.execute(f"select count(*) from {table}").fetchone() == (0,), table
    missing = budgetbot("documents", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 2 and "no such database" in missing.stderr


def test_remove_leaves_the_other_documents_as_they_were(tmp_path: Path, real_corpus: Path) -> None:
    database = tmp_path / "budget.duckdb"
    files = [real_corpus / "sh-putuo-justice-2026-dept-budget.pdf", SAMPLE_PDF]
    assert ingest_into(database, *files).documents == 2
    with duckdb.connect(str(database), read_only=True) as con:
        keep = con.execute("select document_id from files where file_name = 'jianan-2021-budget.pdf'").fetchone()
        gone = con.execute("select document_id from files where file_name <> 'jianan-2021-budget.pdf'").fetchone()
        assert keep is not None and gone is not None
        before = {t: con.execute(f"select * from {t} where document_id = ? order by all", keep).fetchall()
                  for t in DOCUMENT_TABLES if t not in ("figures", "figure_keys")}  # fmt: skip
    assert budgetbot("remove", str(gone[0]), "--db", str(database)).returncode == 0
    with duckdb.connect(str(database), read_only=True) as con:
        for table, rows in before.items():
            assert con.execute(f"select * from {table} where document_id = ? order by all", keep).fetchall() == rows
    answer = budgetbot("ask", "三公经费多少", "--db", str(database))
    assert "0.20 万元" in answer.stdout  # the one left answers, its figures found by their keys
