"""The figure checker: every inconsistency a document's own figures prove, with its pages.

Checks run at ingest, on the document just read (a pure function, like reading itself), and
their findings are stored with the document. A rule reports an error only when the printed
figures prove it; doubt (a blank cell, a rounding difference, loose wording) lowers the
severity or silences the rule.
"""

from __future__ import annotations

# Only the finding types here: answering imports them (rule names, severities) and must not import the
# checks themselves, which need the table reader and the PDF stack. The checks: ingest/checks/document.py.
from ingest.checks.findings import RULES, SEVERITIES, SEVERITY_NAMES, Finding

__all__ = ["RULES", "SEVERITIES", "SEVERITY_NAMES", "Finding"]
