"""Which pages are due for review: every standard page and Easy Read document, soonest first.

The information officer's list. Pure: checked pages and documents in, lines of text out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Due:
    shown: str     # the file, as the user sees it
    title: str
    owner: str
    due: dt.date
    draft: bool = False

    def status(self, today: dt.date) -> str:
        days = (self.due - today).days
        if days < 0:
            return f"overdue by {_days(-days)}"
        return "due today" if days == 0 else f"due in {_days(days)}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def due_list(pages, easy_reads, content_dir: str = "content") -> list[Due]:
    items = [Due(f"{content_dir}/{p.rel}", p.meta["title"], p.meta.get("owner") or "", p.meta["review_due"],
                 p.meta.get("status") == "draft") for p in pages]
    items += [Due(d.shown, f"{d.meta['title']} (Easy Read)", d.meta.get("written_by") or "", d.meta["review_due"])
              for d in easy_reads]
    return sorted(items, key=lambda d: (d.due, d.shown))


def review_report(items: list[Due], today: dt.date, within_days: int, show_all: bool) -> list[str]:
    """The lines to print: what is overdue or due soon (or everything), and a one-line summary."""
    soon = today + dt.timedelta(days=within_days)
    shown = items if show_all else [d for d in items if d.due <= soon]
    overdue = sum(1 for d in items if d.due < today)
    lines = []
    if shown:
        width = max(len(d.shown) for d in shown)
        for d in shown:
            owner = f", {d.owner}" if d.owner else ""
            draft = " (draft)" if d.draft else ""
            lines.append(f"{d.due.isoformat()}  {d.status(today).ljust(18)}  {d.shown.ljust(width)}  "
                         f"{d.title}{draft}{owner}")
        lines.append("")
    due_soon = sum(1 for d in items if today <= d.due <= soon)
    lines.append(f"{len(items)} files: {overdue} overdue for review, {due_soon} due in the next "
                 f"{_days(within_days)}.")
    if overdue:
        lines.append("To review a page: read it with its co-production group, make any changes, then set "
                     "'last_reviewed' to today and 'review_due' to the next review date.")
    return lines


def review_markdown(items: list[Due], today: dt.date, within_days: int, show_all: bool) -> str:
    """The same list as a Markdown table, for a pull request comment or an issue
    (`clearinfo reviews --markdown`)."""
    soon = today + dt.timedelta(days=within_days)
    shown = items if show_all else [d for d in items if d.due <= soon]
    overdue = sum(1 for d in items if d.due < today)
    due_soon = sum(1 for d in items if today <= d.due <= soon)
    lines = [f"## Pages due for review ({today.isoformat()})", "",
             f"{len(items)} files: **{overdue} overdue** for review, {due_soon} due in the next {_days(within_days)}.", ""]
    if shown:
        lines += ["| Review due | When | Page | File | Owner |", "|---|---|---|---|---|"]
        for d in shown:
            title = d.title + (" (draft)" if d.draft else "")
            when = d.status(today)
            lines.append(f"| {d.due.isoformat()} | {'**' + when + '**' if d.due < today else when} | {_cell(title)} | "
                         f"`{_cell(d.shown)}` | {_cell(d.owner)} |")
        lines.append("")
    if overdue:
        lines.append("To review a page: read it with its co-production group, make any changes, then set "
                     "`last_reviewed` to today and `review_due` to the next review date.")
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    """Text that cannot break a Markdown table cell."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")
