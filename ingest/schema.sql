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
    checker_version VARCHAR NOT NULL,    -- the checker that computed its findings (checker/__init__.py)
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

-- Every printed number once, with its meaning resolved at ingest (ingest/figures.py, ingest/stated.py):
-- the cells of the tables (a blank cell is a row with value NULL) and the figures the narrative ties
-- to an item. Questions are answered from this table. Stored clustered by item (ingest/store.py
-- cluster_figures): a question reads one item's figures across documents from a few blocks.
CREATE TABLE IF NOT EXISTS figures (
    document_id    VARCHAR NOT NULL,
    ordinal        INTEGER NOT NULL,     -- the figure's place in its document's reading order (tables, then text)
    source         VARCHAR NOT NULL,     -- table | text
    table_no       INTEGER,              -- doc_tables.table_no; NULL for the narrative
    kind           VARCHAR NOT NULL,     -- table kind, or narrative
    place          VARCHAR NOT NULL,     -- doc_tables.title, 情况说明 for the narrative (kept here: answers need no join)
    table_empty    BOOLEAN NOT NULL,     -- doc_tables.is_empty: the table prints no figures (本表无数据)
    page           INTEGER NOT NULL,
    row_no         INTEGER NOT NULL,     -- table row; for the narrative, the sentence on its page
    col_no         INTEGER NOT NULL,     -- table column; for the narrative, the figure in its sentence
    code           VARCHAR,              -- 科目编码: functional 2010301, economic 30101 (narrative: as printed, 204类06款01项)
    name           VARCHAR NOT NULL,     -- what the figure is of, as printed: the row, or the column on a total row
    item           VARCHAR NOT NULL,     -- that name normalised (half-width, no spaces, quotes or enumerator)
    concepts       VARCHAR[] NOT NULL,   -- general concepts it is the value of (ingest/concepts.toml)
    classification VARCHAR NOT NULL,     -- functional | economic | line | narrative
    direction      VARCHAR,              -- 收入 | 支出
    role           VARCHAR NOT NULL,     -- 预算 | 执行 | 决算 | 年初预算 | 调整预算
    ref_year       INTEGER,              -- the year the figure is about (上年 columns: the year before)
    measure        VARCHAR NOT NULL,     -- 金额 | 数量 | 增减额 | 增减率 | 占比 | 完成率
    scope          VARCHAR,              -- 全部资金 | 财政拨款 | 一般公共预算 | 政府性基金 | 国有资本经营预算 | …
    spending       VARCHAR NOT NULL,     -- the column on an item's row (基本支出, 人员经费 …), else 合计
    row_name       VARCHAR NOT NULL,     -- the table row's label as printed ('' for the narrative)
    column_name    VARCHAR NOT NULL,     -- the table column (merged header path: 基本支出/工资福利支出)
    parent         VARCHAR NOT NULL,     -- narrative: the 款 a 项 is stated under, else ''
    base           VARCHAR NOT NULL,     -- narrative share: what it is a share of ("“三公”经费"), else ''
    printed        VARCHAR NOT NULL,     -- as printed; '' for a blank cell
    value          DECIMAL(20, 4),       -- in `unit`; NULL for a blank cell
    unit           VARCHAR,              -- 元 | 万元 | 亿元 | % | 辆 | 名 …
    value_yuan     DECIMAL(24, 4),       -- money in 元, for comparing across units
    sentence       VARCHAR NOT NULL,     -- the narrative sentence ('' for tables)
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE  -- the cell on its page (PDF points from the top left)
);

-- Every page's text as read (layout kept), so the checker can run again without the PDF.
CREATE TABLE IF NOT EXISTS pages (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,        -- document page number
    text        VARCHAR NOT NULL,
    has_tables  BOOLEAN NOT NULL,        -- a ruled table was read on it (not narrative)
    PRIMARY KEY (document_id, page)
);

-- Every name a question can reach a figure by — its item, each of its concepts, its code — one row each,
-- sorted by that key (rebuilt by ingest/store.py cluster_figures after every ingest that writes): the
-- item_figures fragment finds a question's figures here, then reads just those rows of `figures`.
CREATE TABLE IF NOT EXISTS figure_keys (
    key         VARCHAR NOT NULL,        -- figures.item, one of figures.concepts, or figures.code
    document_id VARCHAR NOT NULL,
    figure      BIGINT NOT NULL          -- figures.rowid (stable: `figures` is rewritten whole, then only read)
);

-- Text facts: duties, internal units, staffing, glossary terms, performance targets.
CREATE TABLE IF NOT EXISTS text_facts (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,        -- duty | about (what the body is) | task | unit | staffing | term | target
    seq         INTEGER NOT NULL,        -- order within its kind
    label       VARCHAR NOT NULL,        -- the term, indicator or staffing kind
    text        VARCHAR NOT NULL         -- its definition, value or sentence
);

-- What the figure checker found in a document (checker/): one row per finding, rewritten by
-- `budgetbot check --recheck` from the stored document alone.
CREATE TABLE IF NOT EXISTS findings (
    document_id VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,        -- errors first, then warnings, then info; by page within each
    rule        VARCHAR NOT NULL,        -- C01, T01, N01 ... (registered in checker/ next to their code)
    title       VARCHAR NOT NULL,        -- what the rule checks (Chinese)
    severity    VARCHAR NOT NULL,        -- error | warning | info
    message     VARCHAR NOT NULL,        -- Chinese, naming the figures, tables and pages
    pages       INTEGER[] NOT NULL,      -- document pages the finding rests on, first the main one
    figures     VARCHAR[] NOT NULL       -- the printed numbers compared, as printed
);

-- Warnings met while reading a document (not failures: the document is stored).
CREATE TABLE IF NOT EXISTS ingest_warnings (
    document_id VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    page        INTEGER NOT NULL,        -- 0: the whole file
    message     VARCHAR NOT NULL
);
