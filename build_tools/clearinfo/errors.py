"""Problems found in a user's files, said in plain English.

A user's mistake is never a traceback: everything that reads content or settings
reports a Problem (file, line, what is wrong and what to do), and the command
line prints them and exits with code 1.
"""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ContentErrors(Exception):
    """Raised when content or settings have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} problem(s) in the content:\n" + "\n".join(str(p) for p in errors))


class EnvironmentProblem(Exception):
    """Something is missing from the machine or the command was used wrongly (exit code 2)."""


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
