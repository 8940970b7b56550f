"""The template catalogue: one .sql file per question template, validated at load time.

A template file starts with "-- key: value" lines (id, title, description, examples, slots) and
holds one read-only SELECT with named parameters ($document, ...). Loading parses it with sqlglot
(DuckDB dialect), qualifies every column against ingest/schema.sql and checks that the parameters
are exactly the slots. Anything else is a TemplateError naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.optimizer.qualify import qualify

from queries.errors import TemplateError

_HEADER = re.compile(r"^--\s*(\w+):\s*(.*)$")
REQUIRED = ("id", "title", "description", "examples", "slots")


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    examples: tuple[str, ...]
    slots: tuple[str, ...]
    sql: str


@cache
def database_schema() -> dict[str, object]:
    """Tables and columns of ingest/schema.sql, as sqlglot's qualifier wants them."""
    ddl = resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8")
    schema: dict[str, object] = {}
    for statement in sqlglot.parse(ddl, read="duckdb"):
        if isinstance(statement, exp.Create) and isinstance(statement.this, exp.Schema):
            table = statement.this.this.name
            schema[table] = {
                column.name: column.args["kind"].sql("duckdb")
                for column in statement.this.expressions
                if isinstance(column, exp.ColumnDef)
            }
    return schema


def parse_template(name: str, text: str) -> Template:
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header and not body:
            meta[header.group(1)] = header.group(2).strip()
        else:
            body.append(line)
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise TemplateError(name, f"header line '-- {missing[0]}: ...' is missing")
    sql = "\n".join(body).strip()
    template = Template(
        id=meta["id"],
        title=meta["title"],
        description=meta["description"],
        examples=tuple(e.strip() for e in meta["examples"].split("|") if e.strip()),
        slots=tuple(s.strip() for s in meta["slots"].split(",") if s.strip()),
        sql=sql,
    )
    if template.id != Path(name).stem:
        raise TemplateError(name, f"id {template.id!r} differs from the file name; make them equal")
    if not template.examples:
        raise TemplateError(name, "give at least one example question")
    validate_sql(name, template)
    return template


def validate_sql(name: str, template: Template) -> None:
    try:
        statements = [s for s in sqlglot.parse(template.sql, read="duckdb") if s is not None]
    except ParseError as error:
        raise TemplateError(name, f"SQL does not parse: {error}") from None
    if len(statements) != 1:
        raise TemplateError(name, f"holds {len(statements)} SQL statements; exactly one SELECT is allowed")
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        raise TemplateError(name, f"is a {tree.key.upper()} statement; only a SELECT is allowed")
    for node in tree.walk():
        if isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Command)):
            raise TemplateError(name, f"contains {node.key.upper()}; templates may only read")
    schema = database_schema()
    for table in tree.find_all(exp.Table):
        if table.name not in schema:
            raise TemplateError(name, f"reads unknown table {table.name!r}; known: {', '.join(schema)}")
    try:
        qualify(tree.copy(), schema=schema, dialect="duckdb", validate_qualify_columns=True)
    except SqlglotError as error:
        raise TemplateError(name, f"does not match the database schema: {error}") from None
    placeholders = {p.name for p in tree.find_all(exp.Placeholder)}
    if placeholders != set(template.slots):
        raise TemplateError(
            name,
            f"parameters {sorted(placeholders)} differ from slots {sorted(template.slots)}; make them equal",
        )


@cache
def load_catalogue() -> dict[str, Template]:
    folder = resources.files("queries").joinpath("templates")
    templates: dict[str, Template] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            template = parse_template(entry.name, entry.read_text(encoding="utf-8"))
            templates[template.id] = template
    return templates
