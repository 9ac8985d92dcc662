"""Findings the council accepts, for now: each needs a reason and an expiry date. An entry that
has expired, or that matches nothing, fails the gate, so exceptions never pile up unseen."""
from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ..content.pages import DATE, describe
from ..content.yamlnodes import Mapping, Value, duplicate_problems, plain, read_nodes
from ..errors import ContentErrors, Problem
from .findings import Finding

FIELDS = ("rule", "page", "reason", "expires")
EXAMPLE = "see the example in the README"


@dataclass
class Exception_:
    rule: str
    page: str
    reason: str
    expires: dt.date
    line: int
    used: int = 0


def read_exceptions(path: Path | None) -> list[Exception_]:
    """The entries of the exceptions file, read and checked before any page is opened in the
    browser: a mistake in the file stops the check at once, with its line (exit code 1)."""
    entries, problems = _read(path)
    if problems:
        raise ContentErrors(problems)
    return entries


def load_exceptions(path: Path | None) -> tuple[list[Exception_], list[str]]:
    """The entries, and problems with the file itself (as plain-English messages)."""
    entries, problems = _read(path)
    return entries, [str(p) for p in problems]


def _read(path: Path | None) -> tuple[list[Exception_], list[Problem]]:
    if path is None or not path.exists():
        return [], []
    shown = path.name
    try:
        top = read_nodes(path, shown)
    except ContentErrors as e:  # not UTF-8, or not YAML: said with its line
        return [], e.problems
    listed = top.value.items.get("exceptions") if top is not None and isinstance(top.value, Mapping) else None
    if top is None or (listed is not None and listed.value is None):
        return [], []  # an empty file, or 'exceptions:' with none under it yet
    if listed is None or not isinstance(listed.value, list):
        return [], [Problem(shown, None, "the file must start with 'exceptions:', then one entry per exception, "
                                         f"each starting with '- rule:' ({EXAMPLE}).")]
    problems = [Problem(shown, v.key_line, f"'{key}' does not belong here: the file holds only 'exceptions:' "
                                           f"and the list under it ({EXAMPLE}).")
                for key, v in top.value.items.items() if key != "exceptions"]
    entries = []
    for raw in listed.value:
        entry, found = _entry(raw, shown)
        problems += found
        if entry is not None and not found:
            entries.append(entry)
    return entries, problems


def _entry(raw: Value, shown: str) -> tuple[Exception_ | None, list[Problem]]:
    """One exception, or the problems with it. Each problem names its own line."""
    if not isinstance(raw.value, Mapping):
        return None, [Problem(shown, raw.line, "each exception needs rule, page, reason and expires.")]
    items = raw.value.items
    problems = duplicate_problems(raw.value, shown)
    for key, v in items.items():
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"An exception has {', '.join(FIELDS)}, and nothing else."
            problems.append(Problem(shown, v.key_line, f"'{key}' is not part of an exception. {hint}"))
    missing = [k for k in FIELDS if k not in items or plain(items[k]) in (None, "")]
    if missing:
        problems.append(Problem(shown, raw.line, f"this exception has no {', '.join(missing)}. Every exception "
                                                 "needs the rule, the page, the reason it is accepted and the "
                                                 "date it expires."))
        return None, problems
    texts = {}
    for key in ("rule", "page", "reason"):
        v = items[key]
        if isinstance(v.value, (list, Mapping)) or isinstance(v.value, bool):
            problems.append(Problem(shown, v.line, f"'{key}' must be one piece of text, not {describe(plain(v))}."))
        texts[key] = str(v.raw if v.raw is not None else v.value).strip()
    expires, problem = _date(items["expires"], shown)
    problems += [problem] if problem else []
    if problems:
        return None, problems
    return Exception_(texts["rule"], texts["page"], texts["reason"], expires, raw.line), []


def _date(v: Value, shown: str) -> tuple[dt.date | None, Problem | None]:
    """'expires' as a date: a date that does not exist (2027-02-30) is said so, not a crash."""
    m = DATE.match(str(v.raw)) if v.raw is not None and not isinstance(v.value, bool) else None
    if not m:
        return None, Problem(shown, v.line, f"'expires' must be a date like 2027-03-01 (year-month-day), "
                                            f"not {describe(plain(v))}.")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    except ValueError:
        return None, Problem(shown, v.line, f"'expires' is {v.raw}, but that date does not exist. "
                                            "Check the day and the month.")


def apply_exceptions(findings: list[Finding], entries: list[Exception_], path: Path | None,
                     today: dt.date) -> tuple[list[Finding], list[Finding], list[str]]:
    """(findings still failing, findings excepted, problems with the exceptions)."""
    failing, excepted = [], []
    for e in entries:
        e.used = 0
    for f in findings:
        match = next((e for e in entries if e.rule == f.rule and fnmatch.fnmatch(f.page, e.page)
                      and e.expires >= today), None)
        if match:
            match.used += 1
            excepted.append(f)
        else:
            failing.append(f)
    problems = []
    shown = path.name if path else "exceptions"
    for e in entries:
        if e.expires < today:
            problems.append(f"{shown}, line {e.line}: the exception for '{e.rule}' on '{e.page}' expired on "
                            f"{e.expires.isoformat()}. Fix the problem, or agree a new date and say why.")
        elif not e.used:
            problems.append(f"{shown}, line {e.line}: the exception for '{e.rule}' on '{e.page}' matches nothing "
                            "now. Delete it.")
    return failing, excepted, problems
