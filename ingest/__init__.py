"""PDF budgets → DuckDB. Reads documents and writes the database; never answers questions."""

PARSER_VERSION = "1"
