"""Problems found in a user's files, said in plain English.

A user's mistake is never a traceback: everything that reads content or settings
reports a Problem (file, line, what is wrong and what to do), and the command
line prints them and exits with code 1. Every mistake a person can make is a
UserMistake, so the command line handles them all in one place; anything else is
a fault in Clearinfo, logged to a file (see write_fault_log) and never shown as a
traceback either.
"""
from __future__ import annotations

import datetime as dt
import platform
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

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


class UserMistake(Exception):
    """A mistake a person can fix: in their files, their settings, their machine or the command.
    `lines()` is what the command line prints; `exit_code` is what it exits with."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [f"Error: {self}"]


class ContentErrors(UserMistake):
    """Raised when content or settings have errors; carries every problem found (exit code 1)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} problem(s) in the content:\n" + "\n".join(str(p) for p in errors))

    def shown(self) -> list[Problem]:
        """The problems to print: the errors, or the warnings when strict mode made them count."""
        return errors_only(self.problems) or self.problems

    def lines(self) -> list[str]:
        return [f"Error: {p}" for p in self.shown()]


class EnvironmentProblem(UserMistake):
    """Something is missing from the machine or the command was used wrongly (exit code 2)."""


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# --- Faults in Clearinfo itself ------------------------------------------------------------------

def write_fault_log(error: BaseException, folder: Path, command: list[str], version: str) -> Path:
    """Write the full details of an unexpected error to a new file in `folder`, for whoever looks
    after Clearinfo. Only the command and versions go in, never the environment (it may hold secrets)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    details = "".join([
        f"Clearinfo {version}, Python {platform.python_version()}, {platform.platform()}\n",
        f"Command: clearinfo {' '.join(command)}\n\n",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ])
    for n in range(1, 100):  # two faults in the same second get a file each
        path = folder / f"clearinfo-error-{stamp}{'' if n == 1 else f'-{n}'}.log"
        try:
            with open(path, "x", encoding="utf-8") as f:
                f.write(details)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(path)


def report_fault(error: BaseException, folders: list[Path], command: list[str], version: str) -> None:
    """One plain sentence on the screen, the details in a log file: the first of `folders` that
    can be written to."""
    for folder in folders:
        try:
            path = write_fault_log(error, folder, command, version)
        except OSError:
            continue
        print(f"Something went wrong inside Clearinfo that is not your fault. The details are in {path}. "
              "Please send that file to the people who look after Clearinfo for you, and say what you "
              "were doing.", file=sys.stderr)
        return
    print("Something went wrong inside Clearinfo that is not your fault, and the details could not be saved "
          f"to a file ({type(error).__name__}: {str(error)[:200]}). Please tell the people who look after "
          "Clearinfo for you, and say what you were doing.", file=sys.stderr)
