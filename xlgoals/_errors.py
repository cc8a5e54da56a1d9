"""Exceptions for user mistakes: the CLI prints them as one clear line, never a traceback."""

from __future__ import annotations


class XlgoalsError(Exception):
    """A mistake in the user's input (bad file, bad option); the message says what and where."""

    exit_code = 1


class UsageError(XlgoalsError):
    """A request that cannot be carried out as given (an output that is an input, an unwritable folder)."""

    exit_code = 2


class ConfigError(XlgoalsError):
    """A rule table or framework file that cannot be used; the message names the file and line."""

    exit_code = 2


class UnknownFramework(XlgoalsError):
    """A framework id that the frameworks in force do not have (on the command line, a usage error)."""

    exit_code = 2


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
