"""The figure checker: every inconsistency a document's own figures prove, with its pages.

The checker reads a stored document (checker/stored.py: its identity, table figures and page
texts, as the database holds them), so it runs the same at ingest and on the database alone
(`budgetbot check --recheck`, after a rule changed) without reading a PDF again. Rules are
registered next to the code that checks them (checker/findings.py `rule`). A rule reports an
error only when the printed figures prove it; doubt (a blank cell, a rounding difference,
loose wording) lowers the severity or silences the rule.
"""

from __future__ import annotations

from pathlib import Path

# Only the finding types here: answering imports them and must not import the checks themselves,
# which need the table reader and the PDF stack. The checks: checker/document.py.
from checker.findings import SEVERITIES, SEVERITY_NAMES, Finding, Rule
from ingest import source_hash

# Findings stored by another version are stale: ingest and `check --recheck` compute them again.
CHECKER_VERSION = f"1.{source_hash(Path(__file__).parent)}"

__all__ = ["CHECKER_VERSION", "SEVERITIES", "SEVERITY_NAMES", "Finding", "Rule"]
