"""What a check reports: the rule registry, the severities, and one finding."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    """A rule's id, its usual severity and what it checks (Chinese, shown beside each finding).

    A rule may report a lower severity than its own when the printed figures leave room for doubt
    (a blank cell, a rounding difference)."""

    id: str
    severity: str
    title: str


RULES: dict[str, Rule] = {}  # filled by rule() as the check modules are imported


def rule(id: str, severity: str, title: str) -> Rule:
    """Register a rule; called next to the code that checks it."""
    if severity not in SEVERITIES:
        raise ValueError(f"rule {id}: unknown severity {severity!r}; expected one of {SEVERITIES}")
    if id in RULES and RULES[id] != Rule(id, severity, title):
        raise ValueError(f"rule {id} is registered twice with different texts")
    RULES[id] = Rule(id, severity, title)
    return RULES[id]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese, naming the figures, tables and pages
    pages: tuple[int, ...]
    figures: tuple[str, ...] = ()  # the printed numbers compared, as printed

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; expected one of {SEVERITIES}")
        if not self.pages:
            raise ValueError(f"finding {self.rule} names no page")

    @property
    def title(self) -> str:
        return RULES[self.rule].title
