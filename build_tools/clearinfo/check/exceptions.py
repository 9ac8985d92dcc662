"""Findings the council accepts, for now: each needs a reason and an expiry date no more than 12
months ahead. An entry that has expired, or that matches nothing, fails the gate, so exceptions
never pile up unseen. An entry may name an element (the CSS selector in the report), so accepting
one supplier's widget does not hide the same rule everywhere else on the page; an entry for every
page (`page: "*"`) is listed in the accessibility statement."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import ContentErrors
from .findings import Finding
from .records import Entry, Layout, read_records

LAYOUT = Layout(top="exceptions", required=("rule", "page", "reason", "expires"), optional=("element",),
                dates=("expires",))


class Exception_(Entry):
    @property
    def reason(self) -> str:
        return self.texts["reason"]

    @property
    def expires(self) -> dt.date:
        return self.dates["expires"]

    @property
    def site_wide(self) -> bool:
        return self.page == "*"


def read_exceptions(path: Path | None, today: dt.date | None = None) -> list[Exception_]:
    """The entries of the exceptions file, read and checked before any page is opened in the
    browser: a mistake in the file stops the check at once, with its line (exit code 1)."""
    entries, problems = _read(path, today)
    if problems:
        raise ContentErrors(problems)
    return entries


def load_exceptions(path: Path | None, today: dt.date | None = None) -> tuple[list[Exception_], list[str]]:
    """The entries, and problems with the file itself (as plain-English messages)."""
    entries, problems = _read(path, today)
    return entries, [str(p) for p in problems]


def _read(path, today):
    entries, problems = read_records(path, LAYOUT, today or dt.date.today())
    return [Exception_(e.texts, e.dates, e.line) for e in entries], problems


def apply_exceptions(findings: list[Finding], entries: list[Exception_], path: Path | None,
                     today: dt.date) -> tuple[list[Finding], list[Finding], list[str]]:
    """(findings still failing, findings excepted, problems with the exceptions)."""
    failing, excepted = [], []
    for e in entries:
        e.used = 0
    for f in findings:
        match = next((e for e in entries if e.matches(f) and e.expires >= today), None)
        if match:
            match.used += 1
            excepted.append(f)
        else:
            failing.append(f)
    problems = []
    shown = path.name if path else "exceptions"
    for e in entries:
        if e.expires < today:
            problems.append(f"{shown}, line {e.line}: the exception for {e.describe()} expired on "
                            f"{e.expires.isoformat()}. Fix the problem, or agree a new date and say why.")
        elif not e.used:
            problems.append(f"{shown}, line {e.line}: the exception for {e.describe()} matches nothing "
                            "now. Delete it.")
    return failing, excepted, problems
