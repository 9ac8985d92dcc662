"""`clearinfo new page "Title"`: a new page with every detail filled in sensibly."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

NAV_MARKER = "# clearinfo: new pages are added above this line"


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "new-page"


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def page_text(title: str, owner: str, today: dt.date, review_months: int) -> str:
    due = add_months(today, review_months)
    safe_title = title.replace('"', "'")
    return f"""---
title: "{safe_title}"
summary: Write one or two short sentences here that say what this page is about and who it is for.
owner: {owner}
coproduced_with: []
status: draft
last_reviewed: {today.isoformat()}
review_due: {due.isoformat()}
covers: []
easy_read:
print: false
audio: true
sources: []
---

Write the page here. Use short sentences, and say "you" and "we".
Before the page is published, name the groups who wrote or checked it under 'coproduced_with'
and change 'status' to 'in review'. When the group or role that signs pages off approves it,
change 'status' to 'approved' and add 'approved_by' (the group or role) and 'approved_on' (the date).

## A heading for the first part

Write the first part here.
"""


def add_to_nav(config_path: Path, title: str, rel: str) -> bool:
    """Add the page to the menu in mkdocs.yml, above the marker line. False if there is no marker."""
    text = config_path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == NAV_MARKER:
            indent = line[: len(line) - len(line.lstrip())]
            safe = title.replace('"', "'")
            lines.insert(i, f'{indent}- "{safe}": {rel}\n')
            config_path.write_text("".join(lines), encoding="utf-8")
            return True
    return False


def generated_front_matter(title: str, summary: str, owner: str, today: dt.date, sources: list[str],
                           audio: bool = True) -> list[str]:
    """The details of a page Clearinfo writes itself (coverage, printed copies), as lines."""
    return ["---", f"title: {title}", f"summary: {summary}", f"owner: {owner}", "coproduced_with:",
            "  - Made automatically from the details of every page", "status: approved",
            f"approved_by: {owner}", f"approved_on: {today.isoformat()}",
            f"last_reviewed: {today.isoformat()}", f"review_due: {add_months(today, 12).isoformat()}",
            "print: false", f"audio: {'true' if audio else 'false'}", "sources:",
            *[f"  - {s}" for s in sources], "---", ""]
