"""Findings the council accepts, for now: each needs a reason and an expiry date. An entry that
has expired, or that matches nothing, fails the gate, so exceptions never pile up unseen."""
from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path

import yaml

from .findings import Finding


@dataclass
class Exception_:
    rule: str
    page: str
    reason: str
    expires: dt.date
    line: int
    used: int = 0


def load_exceptions(path: Path | None) -> tuple[list[Exception_], list[str]]:
    """The entries, and problems with the file itself (as plain-English messages)."""
    if path is None or not path.exists():
        return [], []
    shown = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        return [], [f"{shown}: the exceptions file could not be read ({e})."]
    if not isinstance(data, dict) or not isinstance(data.get("exceptions") or [], list):
        return [], [f"{shown}: the file must start with 'exceptions:', then one entry per exception, each "
                    "starting with '- rule:' (see the example in the README)."]
    entries, problems = [], []
    text_lines = path.read_text(encoding="utf-8").splitlines()
    starts = [n for n, l in enumerate(text_lines, start=1) if l.lstrip().startswith("- ")]
    for i, raw in enumerate(data.get("exceptions") or []):
        line = starts[i] if i < len(starts) else 1
        if not isinstance(raw, dict):
            problems.append(f"{shown}, line {line}: each exception needs rule, page, reason and expires.")
            continue
        missing = [k for k in ("rule", "page", "reason", "expires") if not raw.get(k)]
        if missing:
            problems.append(f"{shown}, line {line}: this exception has no {', '.join(missing)}. Every exception "
                            "needs the rule, the page, the reason it is accepted and the date it expires.")
            continue
        expires = raw["expires"]
        if not isinstance(expires, dt.date):
            problems.append(f"{shown}, line {line}: 'expires' must be a date like 2027-03-01, not '{expires}'.")
            continue
        entries.append(Exception_(str(raw["rule"]), str(raw["page"]), str(raw["reason"]), expires, line))
    return entries, problems


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
