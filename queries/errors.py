"""The error types of queries."""

from __future__ import annotations


class TemplateError(Exception):
    """A template file that cannot be used; start-up stops with the template's name and the reason."""

    def __init__(self, template: str, reason: str) -> None:
        self.template = template
        self.reason = reason
        super().__init__(f"template {template}: {reason}")


class DatabaseError(Exception):
    """The database is missing or unreadable; the message says which file and what to run."""
