"""Exceptions for user mistakes: the CLI prints them as one clear line, never a traceback."""

from __future__ import annotations


class XlgoalsError(Exception):
    """A mistake in the user's input (bad file, bad option); the message says what and where."""


class DocumentError(XlgoalsError):
    """A JSON document that cannot be used; ``problems`` locate each fault by JSON path."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [self.args[0]]
        for p in self.problems:
            lines.append(f"  {p.path or '/'}：{p.message}")
        return "\n".join(lines)
