-- The budget database. Written only by `budgetbot ingest`; read (read-only) by queries/.
-- Every figure keeps its provenance: document → file → page → table → row/column.
-- Amounts are DECIMAL, never float; a blank cell is NULL, never 0.

-- One published document: a body's budget or final accounts for one year and edition.
-- A narrative PDF and a tables PDF of the same body, year, phase and edition are one document.
CREATE TABLE IF NOT EXISTS documents (
    document_id    VARCHAR PRIMARY KEY,  -- sha256 of the sorted file hashes, first 16 hex digits
    body           VARCHAR NOT NULL,     -- 部门/单位名称 as printed (cover or 部门名称 line)
    region         VARCHAR NOT NULL,     -- leading place names of the body: 上海市普陀区, 江苏省
    year           INTEGER,              -- budget year; NULL when the document never prints it
    phase          VARCHAR NOT NULL,     -- 预算 | 决算
    edition        VARCHAR NOT NULL,     -- 部门 | 单位
    pages          INTEGER NOT NULL,     -- pages over all its files
    parser_version VARCHAR NOT NULL,
    synthetic      BOOLEAN NOT NULL DEFAULT false  -- generated for benchmarks, never real
);

-- The PDF files a document was read from.
CREATE TABLE IF NOT EXISTS files (
    document_id VARCHAR NOT NULL,
    file_no     INTEGER NOT NULL,        -- 1, 2 ... in the order pages are numbered
    file_name   VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,        -- absolute path at ingest time (for showing the page)
    sha256      VARCHAR NOT NULL,        -- full content hash: re-ingesting an unchanged file is a no-op
    pages       INTEGER NOT NULL,
    first_page  INTEGER NOT NULL,        -- document page number of this file's page 1
    PRIMARY KEY (document_id, file_no)
);

-- Each table found in a document, with its canonical kind (see ingest/tables.py TABLE_KINDS).
CREATE TABLE IF NOT EXISTS doc_tables (
    document_id VARCHAR NOT NULL,
    table_no    INTEGER NOT NULL,        -- order in the document
    kind        VARCHAR NOT NULL,        -- summary, income, expenditure, three_public, ... or other
    title       VARCHAR NOT NULL,        -- as printed
    unit        VARCHAR,                 -- 元 | 万元 | 亿元 from the table's 单位 line
    first_page  INTEGER NOT NULL,        -- document page numbers
    last_page   INTEGER NOT NULL,
    header_rows INTEGER NOT NULL,
    is_empty    BOOLEAN NOT NULL,        -- printed with no amounts (本表无数据 and the like)
    PRIMARY KEY (document_id, table_no)
);

-- Raw cells of every table, so normalisation can be re-run without reading PDFs again.
CREATE TABLE IF NOT EXISTS cells (
    document_id VARCHAR NOT NULL,
    table_no    INTEGER NOT NULL,
    page        INTEGER NOT NULL,
    row_no      INTEGER NOT NULL,        -- row within the table, across pages, from 0
    col_no      INTEGER NOT NULL,
    text        VARCHAR,                 -- NULL: covered by a merged cell
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE
);

-- One amount cell of a table, with the row's item and the column's measure.
CREATE TABLE IF NOT EXISTS facts (
    document_id    VARCHAR NOT NULL,
    table_no       INTEGER NOT NULL,
    page           INTEGER NOT NULL,
    row_no         INTEGER NOT NULL,
    col_no         INTEGER NOT NULL,
    item_code      VARCHAR,              -- functional 2010301 / economic 30101, joined from 类/款/项
    item_name      VARCHAR NOT NULL,     -- row label as printed
    item           VARCHAR NOT NULL,     -- row label normalised: no enumerator, half-width, no spaces
    classification VARCHAR NOT NULL,     -- functional | economic | line
    measure        VARCHAR NOT NULL,     -- column path: 合计, 基本支出, 基本支出/工资福利支出, 预算数 ...
    printed        VARCHAR NOT NULL,     -- the cell as printed; '' for a blank cell
    amount         DECIMAL(20, 4),       -- in the table's unit; NULL for a blank cell
    unit           VARCHAR,
    amount_yuan    DECIMAL(24, 4)        -- the amount in 元, for comparing across units
);

-- Figures stated in the narrative (情况说明) with their sentence.
CREATE TABLE IF NOT EXISTS statements (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    item        VARCHAR NOT NULL,        -- canonical item: 收入总计, 基本支出, 三公经费, 公务接待费 ...
    measure     VARCHAR NOT NULL,        -- amount | change | percent | share | count
    value       DECIMAL(20, 4) NOT NULL, -- as printed (万元 for amounts, % for percent)
    unit        VARCHAR NOT NULL,        -- 万元 | 元 | % | 辆 | 名 ...
    printed     VARCHAR NOT NULL,        -- the number and unit as printed
    sentence    VARCHAR NOT NULL
);

-- Text facts: duties, internal units, staffing, glossary terms, performance targets.
CREATE TABLE IF NOT EXISTS text_facts (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,        -- duty | unit | staffing | term | target
    seq         INTEGER NOT NULL,        -- order within its kind
    label       VARCHAR NOT NULL,        -- the term, indicator or staffing kind
    text        VARCHAR NOT NULL         -- its definition, value or sentence
);

-- What the figure checker found in a document (ingest/checks): one row per finding.
CREATE TABLE IF NOT EXISTS findings (
    document_id VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,        -- errors first, then warnings, then info; by page within each
    rule        VARCHAR NOT NULL,        -- C01, T01, N01 ... (ingest/checks/findings.py RULES)
    severity    VARCHAR NOT NULL,        -- error | warning | info
    message     VARCHAR NOT NULL,        -- Chinese, naming the figures, tables and pages
    pages       INTEGER[] NOT NULL       -- document pages the finding rests on, first the main one
);

-- Warnings met while reading a document (not failures: the document is stored).
CREATE TABLE IF NOT EXISTS ingest_warnings (
    document_id VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    page        INTEGER NOT NULL,        -- 0: the whole file
    message     VARCHAR NOT NULL
);
