"""What a person found when they looked at a "needs review" item: automated engines cannot decide
some things (is this text over a picture readable? is this heading right?), so a person looks, and
writes down who, when, what they found and when to look again, in accessibility-reviews.yml.

- outcome `passes`: the item is checked; it no longer counts against the statement.
- outcome `fails`: the person found a real problem, so it fails the gate like any other.
- An item nobody has checked, or whose check has expired, keeps the statement at "partially
  compliant" and is listed there as "not yet checked by a person".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentErrors
from .findings import VIOLATION, Finding
from .records import Entry, Layout, read_records

LAYOUT = Layout(top="reviews", required=("rule", "page", "checked_by", "checked_on", "outcome", "expires"),
                optional=("element", "note"), dates=("checked_on", "expires"),
                choices={"outcome": ("passes", "fails")})


@dataclass
class Reviewed:
    """The review items sorted by what people found."""
    checked: list[Finding]        # a person looked and it passes
    confirmed: list[Finding]      # a person looked and it fails: these fail the gate
    unchecked: list[Finding]      # nobody has looked yet (or their check expired)
    notes: list[str]              # entries that expired or match nothing: said, not failed


def read_reviews(path: Path | None, today: dt.date) -> list[Entry]:
    """The entries, checked before any page is opened: a mistake stops the check with its line."""
    entries, problems = read_records(path, LAYOUT, today)
    if problems:
        raise ContentErrors(problems)
    return entries


def apply_reviews(items: list[Finding], entries: list[Entry], path: Path | None, today: dt.date) -> Reviewed:
    out = Reviewed([], [], [], [])
    for e in entries:
        e.used = 0
    for f in items:
        entry = next((e for e in entries if e.matches(f) and e.dates["expires"] >= today), None)
        if entry is None:
            out.unchecked.append(f)
            continue
        entry.used += 1
        who = f"{entry.texts['checked_by']} on {entry.dates['checked_on'].isoformat()}"
        if entry.texts["outcome"] == "passes":
            out.checked.append(dataclasses.replace(f, context=_join(f.context, f"checked by {who}: passes")))
        else:
            note = entry.texts.get("note")
            out.confirmed.append(dataclasses.replace(
                f, severity=VIOLATION, message=f"{f.message} A person checked this ({who}) and found it fails"
                                               + (f": {note}" if note else "."),
                context=_join(f.context, f"checked by {who}: fails")))
    shown = path.name if path else "reviews"
    for e in entries:
        if e.dates["expires"] < today:
            out.notes.append(f"{shown}, line {e.line}: the check of {e.describe()} expired on "
                             f"{e.dates['expires'].isoformat()}, so it counts as not yet checked. Look again and "
                             "write the new date.")
        elif not e.used:
            out.notes.append(f"{shown}, line {e.line}: the check of {e.describe()} matches nothing now. "
                             "Delete it.")
    return out


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b
