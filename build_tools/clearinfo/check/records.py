"""The files a council keeps beside the gate, one entry per finding a person decided about:
accessibility-exceptions.yml (problems accepted for a while) and accessibility-reviews.yml
("needs review" items a person has looked at). Both are read the same way, before any page
is opened in the browser: every mistake names its line, and nothing is kept quietly.

Each entry names the finding it is about by its rule, the page (with * for any characters,
or "*" alone for every page) and, optionally, the element (the CSS selector the report shows)."""
from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from ..content.pages import DATE, describe
from ..content.yamlnodes import Mapping, Value, duplicate_problems, plain, read_nodes
from ..errors import Problem
from .findings import Finding

EXAMPLE = "see the example in the README"
MAX_MONTHS = 12  # an accepted problem or a person's check is looked at again at least once a year


@dataclass(frozen=True)
class Layout:
    """What one kind of file holds: its top key, the fields each entry needs and may have, and
    which of them are dates."""
    top: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    choices: dict = field(default_factory=dict)  # field -> the values it may take

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class Entry:
    """One entry: its text fields, its dates, and the line it starts on."""
    texts: dict[str, str]
    dates: dict[str, dt.date]
    line: int
    used: int = 0

    @property
    def rule(self) -> str:
        return self.texts["rule"]

    @property
    def page(self) -> str:
        return self.texts["page"]

    @property
    def element(self) -> str:
        return self.texts.get("element", "")

    def matches(self, f: Finding) -> bool:
        """The same rule, a page the pattern fits, and (if the entry names one) the same element."""
        if self.rule != f.rule or not (self.page == "*" or fnmatch.fnmatch(f.page, self.page)):
            return False
        return not self.element or _same_selector(self.element, f.selector or f.element)

    def describe(self) -> str:
        where = f" on '{self.page}'" + (f" at '{self.element}'" if self.element else "")
        return f"'{self.rule}'{where}"


def _same_selector(wanted: str, selector: str) -> bool:
    return " ".join(wanted.split()) == " ".join(selector.split())


def read_records(path: Path | None, layout: Layout, today: dt.date) -> tuple[list[Entry], list[Problem]]:
    """The entries of the file, and every problem with it, each with its line."""
    if path is None or not path.exists():
        return [], []
    shown = path.name
    try:
        top = read_nodes(path, shown)
    except Exception as e:  # ContentErrors: not UTF-8, or not YAML, said with its line
        problems = getattr(e, "problems", None)
        if problems is None:
            raise
        return [], problems
    listed = top.value.items.get(layout.top) if top is not None and isinstance(top.value, Mapping) else None
    if top is None or (listed is not None and listed.value is None):
        return [], []  # an empty file, or the top key with nothing under it yet
    first, kind = layout.required[0], layout.top.rstrip("s")
    if listed is None or not isinstance(listed.value, list):
        return [], [Problem(shown, None, f"the file must start with '{layout.top}:', then one entry per {kind}, "
                                         f"each starting with '- {first}:' ({EXAMPLE}).")]
    problems = [Problem(shown, v.key_line, f"'{key}' does not belong here: the file holds only '{layout.top}:' "
                                           f"and the list under it ({EXAMPLE}).")
                for key, v in top.value.items.items() if key != layout.top]
    entries = []
    for raw in listed.value:
        entry, found = _entry(raw, shown, layout, today)
        problems += found
        if entry is not None and not found:
            entries.append(entry)
    return entries, problems


def _entry(raw: Value, shown: str, layout: Layout, today: dt.date) -> tuple[Entry | None, list[Problem]]:
    """One entry, or the problems with it. Each problem names its own line."""
    kind = layout.top.rstrip("s")
    if not isinstance(raw.value, Mapping):
        names = list(layout.required)
        return None, [Problem(shown, raw.line, f"each {kind} needs {', '.join(names[:-1])} and {names[-1]}.")]
    items = raw.value.items
    problems = duplicate_problems(raw.value, shown)
    for key, v in items.items():
        if key not in layout.fields:
            close = difflib.get_close_matches(key, layout.fields, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else \
                f"An entry has {', '.join(layout.fields)}, and nothing else."
            article = "an" if kind[0] in "aeiou" else "a"
            problems.append(Problem(shown, v.key_line, f"'{key}' is not part of {article} {kind}. {hint}"))
    missing = [k for k in layout.required if k not in items or plain(items[k]) in (None, "")]
    if missing:
        problems.append(Problem(shown, raw.line, f"this {kind} has no {', '.join(missing)}. Every {kind} needs "
                                                 f"{_needs(layout)}."))
        return None, problems
    texts, dates = {}, {}
    for key in layout.fields:
        if key not in items or key in layout.dates:
            continue
        v = items[key]
        if isinstance(v.value, (list, Mapping)) or isinstance(v.value, bool):
            problems.append(Problem(shown, v.line, f"'{key}' must be one piece of text, not {describe(plain(v))}."))
            continue
        texts[key] = str(v.raw if v.raw is not None else v.value).strip()
        allowed = layout.choices.get(key)
        if allowed and texts[key] not in allowed:
            problems.append(Problem(shown, v.line, f"'{key}' must be {' or '.join(allowed)}, not '{texts[key]}'."))
    for key in layout.dates:
        if key in items:
            date, problem = _date(key, items[key], shown)
            problems += [problem] if problem else []
            if date:
                dates[key] = date
    if problems:
        return None, problems
    expires = dates.get("expires")
    start = dates.get("checked_on", today)
    if "checked_on" in dates and dates["checked_on"] > today:
        problems.append(Problem(shown, items["checked_on"].line, f"'checked_on' is {dates['checked_on']}, which "
                                                                 "is in the future. Write the day the check was done."))
    if expires and expires > add_months(start, MAX_MONTHS):
        since = "the check" if "checked_on" in dates else "today"
        problems.append(Problem(shown, items["expires"].line,
                                f"'expires' is {expires}, more than {MAX_MONTHS} months after {since} "
                                f"({start}). Choose a date by {add_months(start, MAX_MONTHS)}: it must be "
                                "looked at again at least once a year."))
    if problems:
        return None, problems
    return Entry(texts, dates, raw.line), []


def _needs(layout: Layout) -> str:
    names = {"rule": "the rule", "page": "the page", "reason": "the reason it is accepted",
             "expires": "the date it expires", "checked_by": "who checked it", "checked_on": "when",
             "outcome": "what they found"}
    parts = [names.get(k, k) for k in layout.required]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _date(key: str, v: Value, shown: str) -> tuple[dt.date | None, Problem | None]:
    """A date field: a date that does not exist (2027-02-30) is said so, not a crash."""
    m = DATE.match(str(v.raw)) if v.raw is not None and not isinstance(v.value, bool) else None
    if not m:
        return None, Problem(shown, v.line, f"'{key}' must be a date like 2027-03-01 (year-month-day), "
                                            f"not {describe(plain(v))}.")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    except ValueError:
        return None, Problem(shown, v.line, f"'{key}' is {v.raw}, but that date does not exist. "
                                            "Check the day and the month.")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day some months on (the last day of the month where that day does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th
