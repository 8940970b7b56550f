"""The `budgetbot` command: ingest, documents, remove, ask, chat, serve, web, check, bench."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings
from ingest.errors import IngestSetupError
from queries.errors import DatabaseError, TemplateError


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.run import IngestOptions, ingest  # the PDF stack: only ingest needs it

    paths = [Path(p) for p in args.paths] or list(settings.corpus.folders)
    options = IngestOptions(
        workers=args.workers or settings.ingest.worker_count,
        max_pages=settings.ingest.max_pages,
        max_file_mb=settings.ingest.max_file_mb,
        timeout_seconds=settings.ingest.timeout_seconds,
        progress=not args.quiet and sys.stderr.isatty(),
        cluster=args.cluster if args.cluster is not None else settings.ingest.cluster,
    )
    summary = ingest(paths, settings.database.path, options)
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith("失败") else sys.stdout)
    print(f"数据库：{settings.database.path}")
    return 1 if summary.failures else 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.render import to_json, to_text
    from queries.run import Answerer

    answer = Answerer(settings.database.path).answer(args.question, args.document)
    print(to_json(answer) if args.json else to_text(answer))
    return 0


def cmd_documents(settings: Settings, args: argparse.Namespace) -> int:
    import duckdb

    from ingest.store import loaded_documents

    database = settings.database.path
    if not database.exists():
        print(f"budgetbot: {database}: no such database; run budgetbot ingest first", file=sys.stderr)
        return 2
    with duckdb.connect(str(database), read_only=True) as con:
        documents = loaded_documents(con)
    if args.json:
        print(json.dumps([asdict(d) for d in documents], ensure_ascii=False, indent=2))
        return 0
    print(f"已导入 {len(documents)} 份文档（{database}）：")
    for d in documents:
        year = f"{d.year}年" if d.year else "年度不明"
        print(
            f"{d.document_id}  {d.body} {year}{d.edition}{d.phase}  {d.pages} 页，{d.tables} 张表  {'、'.join(d.files)}"
        )
    return 0


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.store import NoSuchDocument, remove_document

    try:
        removed = remove_document(settings.database.path, args.document_id)
    except NoSuchDocument as error:
        print(f"budgetbot: {error}", file=sys.stderr)
        return 2
    year = f"{removed.year}年" if removed.year else ""
    files = "、".join(removed.files)
    print(f"已移除 {removed.document_id}：{removed.body} {year}{removed.edition}{removed.phase}（{files}）")
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console
    from queries.run import Answerer

    return run_console(Answerer(settings.database.path))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(settings)


def cmd_web(settings: Settings, args: argparse.Namespace) -> int:
    from bot.web import serve_web

    return serve_web(settings, args.host, args.port)


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.render import reports_json, reports_text
    from queries.findings import named_documents, reports, stale_count
    from queries.run import Answerer

    answerer = Answerer(settings.database.path)
    name = " ".join(args.document)
    documents = named_documents(answerer, name)
    if not documents:
        where = f"名称包含“{name}”的文档" if name else "文档"
        print(
            f"budgetbot: 数据库 {settings.database.path} 中没有{where}；用 budgetbot ask 有哪些文档 查看。",
            file=sys.stderr,
        )
        return 2
    if args.recheck:
        _recheck(settings.database.path, [d.id for d in documents])  # the answerer reopens the new file
    elif stale := stale_count(answerer):
        notice = f"budgetbot: {stale} 份文档的核对结果出自旧版规则；用 budgetbot check --recheck 重新核对。"
        print(notice, file=sys.stderr)
    found = reports(answerer, documents)
    print(reports_json(found) if args.json else reports_text(found))
    return 1 if any(r.count("error") for r in found) else 0


def _recheck(database: Path, document_ids: list[str]) -> None:
    """The checker run again on the stored documents, written like ingest writes (copy, then rename)."""
    from checker.recheck import recheck
    from ingest.store import staged_database

    with staged_database(database) as con:
        rechecked = recheck(con, document_ids)
    print(f"已按当前规则重新核对 {len(rechecked)} 份文档（没有重新读取 PDF）。", file=sys.stderr)


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    try:
        from benchmarks.scale import BenchOptions, run_bench
        from samples.render import RenderError, register_font

        register_font()
    except (ImportError, RenderError) as error:
        print(f"budgetbot: bench 需要测试工具和中文字体（{error}）；请先运行 scripts/setup.sh --dev", file=sys.stderr)
        return 2
    options = BenchOptions(
        documents=args.documents,
        folder=args.folder or Path(tempfile.gettempdir()) / "budgetbot-bench",
        workers=args.workers or settings.ingest.worker_count,
        questions=args.questions,
        updates=args.updates,
        chats=args.chats,
    )
    return run_bench(options)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="budgetbot", description="预算问答：从政府预算、决算 PDF 中查数字")
    top.add_argument("-v", "--verbose", action="store_true", help="log progress (INFO)")
    sub = top.add_subparsers(dest="command", required=True)

    def command(
        name: str, help: str, run: Callable[[Settings, argparse.Namespace], int], data: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--config", type=Path, help="config file (default: ./config.toml, then the repository's)")
        if data:
            p.add_argument("--db", type=Path, help="DuckDB file, overriding [database] path")
        p.set_defaults(run=run)
        return p

    p = command("ingest", "读入 PDF（文件或文件夹）写入数据库", cmd_ingest)
    p.add_argument("paths", nargs="*", help="PDF files or folders (default: [corpus] folders)")
    p.add_argument("--workers", type=int, default=0, help="parallel processes (default: [ingest] workers)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help='read the PDFs on a Dask cluster (tcp://HOST:8786, or "local"); default: [ingest] cluster',
    )
    p = command("ask", "回答一个问题", cmd_ask)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--document", help="document id to ask about (see: ask 有哪些文档 --json)")
    p = command("documents", "列出已导入的文档（id、单位、年度、类型、文件、页数、表数）", cmd_documents)
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p = command("remove", "从数据库中移除一份文档（一个事务，其他文档不变）", cmd_remove)
    p.add_argument("document_id", help="the document's id (see: budgetbot documents)")
    command("chat", "在终端里对话", cmd_chat)
    command(
        "serve",
        "运行机器人：Telegram（设置了 [bot] token_env 指定的变量时）及 config.toml 启用的钉钉、企业微信/政务微信、飞书",
        cmd_serve,
    )
    p = command("web", "运行网页和 JSON 接口（只读；访问令牌取自 [web] token_env 指定的环境变量）", cmd_web)
    p.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: [web] port, 8080)")
    p = command("check", "数字核对：列出文档中前后不一致的数字（有错误时退出码为 1）", cmd_check)
    p.add_argument("document", nargs="*", help="document id or words of its name (default: all documents)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--recheck", action="store_true", help="run the rules again on the stored documents (no PDF read)")
    p = command("bench", "性能基准：生成合成文档，测导入、回答和机器人，并与同次运行的基线比较", cmd_bench, data=False)
    p.add_argument("--documents", type=int, default=1000, help="synthetic documents to generate (default 1000)")
    p.add_argument("--folder", type=Path, help="where the synthetic PDFs and databases go (default: a temp folder)")
    p.add_argument("--workers", type=int, default=0, help="parallel processes (default: [ingest] workers)")
    p.add_argument("--questions", type=int, default=10_000, help="questions per answer-latency run")
    p.add_argument("--updates", type=int, default=3000, help="updates sent to the bot")
    p.add_argument("--chats", type=int, default=100, help="chats the updates come from")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.config, getattr(args, "db", None))
        code: int = args.run(settings, args)
        return code
    except (SettingsError, DatabaseError, TemplateError, IngestSetupError) as error:
        print(f"budgetbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
