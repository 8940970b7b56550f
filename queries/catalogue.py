"""The template catalogue: one .sql file per question template, validated at load time.

A template file starts with "-- key: value" lines and holds one read-only SELECT with named
parameters ($document, ...):

  id, title, description   what the template answers (the id is the file name)
  examples                 example questions, separated by "|"
  slots                    the SQL's parameters, separated by ","
  scope                    which documents it reads: document (one), bodies (several bodies, one
                           year), years (one body, several years), all (every matching document),
                           none (no document)
  needs                    what the question must name (FEATURES below), separated by ","
  match                    a regular expression the normalised question must contain (optional)
  priority                 lower is tried first when several templates fit (default 50)
  uses                     shared SQL fragments (fragments/NAME.sql) put in front as WITH NAME AS (...)
  compose                  how the rows become an answer (queries/composers.py COMPOSERS): listing (one value
                           per row, the default), values, share, change, sum, execution, breakdown, …
  default                  the concept (ingest/concepts.toml) a question means when it names no item
                           ("完成了全年预算的百分之几": 本年支出合计)
  default_when             a regular expression the question must contain for `default` to apply ("预算比上年增加
                           多少" means the total; "在岗人员有多少" names something not printed, not the total)
  chart                    the chart its answers come with (CHARTS below): line (one item over years),
                           bars (bodies ranked or compared), parts (a total's parts); none when left out
  operators                the operations of queries/operators.toml it carries out, separated by ",": a
                           question whose words ask for an operation is given only to a template that
                           lists it (so "几倍" never gets the two figures without their ratio)

Loading parses the SQL with sqlglot (DuckDB dialect), qualifies every column against
ingest/schema.sql and checks that the parameters are exactly the slots. Anything else is a
TemplateError naming the file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from ingest.meaning import meanings
from queries.errors import TemplateError
from queries.operators import operators

_HEADER = re.compile(r"^--\s*(\w+):\s*(.*)$")
REQUIRED = ("id", "title", "description", "examples", "slots")
OPTIONAL = (
    *("scope", "needs", "match", "priority", "uses", "compose", "default", "default_when", "chart", "operators"),
)
CHARTS = ("line", "bars", "parts")
SCOPES = ("document", "bodies", "years", "all", "none")
FEATURES = (
    *("item", "item2", "distinct2", "body", "bodies2", "years2", "code", "page", "table", "amount", "term", "text"),
    *("no_item", "no_body", "not_one_body", "one_body", "not_versus_body"),
)
COMPOSERS = (
    "listing",
    "documents",
    "document_info",
    "page_contents",
    "values",
    "share",
    "change",
    "sum",
    "execution",
    "breakdown",
    "occurrences",
    "explanation",
    "by_year",
    "change_years",
    "growth_years",
    "max_year",
    "rank_top",
    "rank_bottom",
    "above",
    "below",
    "total",
    "average",
    "all",
    "compare",
    "ratio",
    "per_unit",
    "per_period",
    "existence",
    "parts_rank",
    "rows_rank",
    "difference",
    "remainder",
    "share_of_sum",
)


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    examples: tuple[str, ...]
    slots: tuple[str, ...]
    sql: str
    scope: str = "document"
    needs: tuple[str, ...] = ()
    match: re.Pattern[str] | None = None
    priority: int = 50
    compose: str = "listing"
    default: str | None = None
    chart: str | None = None
    operators: tuple[str, ...] = ()
    default_when: re.Pattern[str] | None = None


@cache
def fragment(name: str) -> str:
    """The SQL of fragments/NAME.sql, without its comment lines."""
    entry = resources.files("queries").joinpath("fragments", f"{name}.sql")
    if not entry.is_file():
        raise FileNotFoundError(name)
    lines = entry.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--")).strip()


def _with_fragments(name: str, sql: str, uses: list[str]) -> str:
    parts = []
    for use in uses:
        try:
            parts.append(f"{use} as (\n{fragment(use)}\n)")
        except FileNotFoundError:
            raise TemplateError(
                name, f"uses fragment {use!r}, but queries/fragments/{use}.sql does not exist"
            ) from None
    if not parts:
        return sql
    if re.match(r"(?i)with\s", sql):
        return "with " + ",\n".join(parts) + ",\n" + sql[5:]
    return "with " + ",\n".join(parts) + "\n" + sql


def _split(value: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(sep) if part.strip())


@cache
def database_schema() -> dict[str, object]:
    """Tables and columns of ingest/schema.sql, as sqlglot's qualifier wants them."""
    import sqlglot
    from sqlglot import exp

    ddl = resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8")
    schema: dict[str, object] = {}
    for statement in sqlglot.parse(ddl, read="duckdb"):
        if isinstance(statement, exp.Create) and isinstance(statement.this, exp.Schema):
            table = statement.this.this.name
            columns = {
                column.name: column.args["kind"].sql("duckdb")
                for column in statement.this.expressions
                if isinstance(column, exp.ColumnDef)
            }
            columns["rowid"] = "BIGINT"  # DuckDB's row id: every table has it (item_figures reads by it)
            schema[table] = columns
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
    unknown = [key for key in meta if key not in REQUIRED + OPTIONAL]
    if unknown:
        raise TemplateError(name, f"unknown header {unknown[0]!r}; known: {', '.join(REQUIRED + OPTIONAL)}")
    scope = meta.get("scope", "document")
    if scope not in SCOPES:
        raise TemplateError(name, f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    needs = _split(meta.get("needs", ""), ",")
    bad = [need for need in needs if need not in FEATURES]
    if bad:
        raise TemplateError(name, f"needs {bad[0]!r}, which the matcher does not know; known: {', '.join(FEATURES)}")
    try:
        match = re.compile(meta["match"]) if meta.get("match") else None
    except re.error as error:
        raise TemplateError(name, f"match is not a regular expression: {error}") from None
    compose = meta.get("compose", "listing")
    if compose not in COMPOSERS:
        raise TemplateError(name, f"compose {compose!r} is not one of {', '.join(COMPOSERS)}")
    default = meta.get("default") or None
    if default is not None and default not in {c.name for c in meanings().concepts}:
        raise TemplateError(name, f"default {default!r} is not a concept of ingest/concepts.toml")
    carried_out = _split(meta.get("operators", ""), ",")
    unknown_operators = [name for name in carried_out if name not in operators().names]
    if unknown_operators:
        raise TemplateError(
            name,
            f"operators names {unknown_operators[0]!r}, which queries/operators.toml does not define; "
            f"known: {', '.join(sorted(operators().names))}",
        )
    try:
        default_when = re.compile(meta["default_when"]) if meta.get("default_when") else None
    except re.error as error:
        raise TemplateError(name, f"default_when is not a regular expression: {error}") from None
    if not meta.get("priority", "50").isdigit():
        raise TemplateError(name, f"priority {meta['priority']!r} is not a whole number")
    sql = _with_fragments(name, "\n".join(body).strip(), list(_split(meta.get("uses", ""), ",")))
    template = Template(
        id=meta["id"],
        title=meta["title"],
        description=meta["description"],
        examples=_split(meta["examples"], "|"),
        slots=_split(meta["slots"], ","),
        sql=sql,
        scope=scope,
        needs=needs,
        match=match,
        priority=int(meta.get("priority", "50")),
        compose=compose,
        default=default,
        chart=meta.get("chart"),
        operators=carried_out,
        default_when=default_when,
    )
    if template.chart is not None and template.chart not in CHARTS:
        raise TemplateError(name, f"chart {template.chart!r} is not one of {', '.join(CHARTS)}")
    if template.id != Path(name).stem:
        raise TemplateError(name, f"id {template.id!r} differs from the file name; make them equal")
    if not template.examples:
        raise TemplateError(name, "give at least one example question")
    validate_sql(name, template)
    return template


def validated_cache() -> Path:
    """Keys of template SQL that passed `validate_sql`, one per line (XDG cache folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budgetbot" / "validated-sql.txt"


@cache
def _validation_basis() -> str:
    """What a validation depends on besides the template: the schema, sqlglot, and these rules."""
    ddl = resources.files("ingest").joinpath("schema.sql").read_text(encoding="utf-8")
    return "\0".join((metadata.version("sqlglot"), ddl, Path(__file__).read_text(encoding="utf-8")))


@cache
def _validated() -> set[str]:
    try:
        return set(validated_cache().read_text(encoding="utf-8").split())
    except OSError:
        return set()


def validate_sql(name: str, template: Template) -> None:
    """Refuse SQL that is not one read-only SELECT over the schema with exactly the template's slots.

    Parsing and qualifying 42 templates costs about half a second, paid by every `budgetbot ask`; SQL
    that passed once is remembered by the hash of its text, its slots, the schema, the sqlglot version
    and this module, so a changed template (or schema, or rule) is checked again and still refused."""
    basis = "\0".join((_validation_basis(), template.sql, ",".join(sorted(template.slots))))
    key = hashlib.sha256(basis.encode("utf-8")).hexdigest()
    if key in _validated():
        return
    _check_sql(name, template)
    _validated().add(key)
    try:
        validated_cache().parent.mkdir(parents=True, exist_ok=True)
        with validated_cache().open("a", encoding="utf-8") as remembered:
            remembered.write(key + "\n")
    except OSError:
        pass  # a read-only home: validate again next time


def _check_sql(name: str, template: Template) -> None:
    # sqlglot (~40 ms to import) only when a template's SQL has not been validated before
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, SqlglotError
    from sqlglot.optimizer.qualify import qualify

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
    named = {cte.alias for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if table.name not in schema and table.name not in named:
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
    return dict(sorted(templates.items(), key=lambda pair: (pair[1].priority, pair[0])))
