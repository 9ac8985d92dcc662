"""What git knows about the pages: each page's changes (for its "Page history") and whether an
approved page's words changed after its approval date (sign-off).

Git is asked once a build (`git log` over the content folder, and `git status` for changes not
yet committed); a page's older text is fetched only for an approved page that changed after its
approval. Without git, outside a repository, or in a shallow clone, the build goes on: the
history shows what git has (or nothing), and approvals are compared with the oldest version git
has.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ERROR, Problem, WARNING

RECORD, UNIT = "\x1e", "\x1f"  # separators git cannot find in a date or a hash


@dataclass(frozen=True)
class Change:
    commit: str
    date: dt.date
    summary: str  # the commit's first line


@dataclass
class History:
    """Each page's changes, newest first, keyed by the page's name in the content folder ('carers.md'),
    and the pages with changes not yet committed."""
    repo: Path
    content_prefix: str  # the content folder's path inside the repository, e.g. 'content/'
    changes: dict[str, list[Change]] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)

    def of(self, rel: str) -> list[Change]:
        return self.changes.get(rel, [])

    def text_at(self, commit: str, rel: str) -> str | None:
        """The page's file as it was in `commit`, or None if git cannot give it."""
        return _git(self.repo, "show", f"{commit}:{self.content_prefix}{rel}")


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=60)
    except (OSError, subprocess.SubprocessError):  # no git on this machine, or it hung
        return None
    return result.stdout if result.returncode == 0 else None


def read_history(content_dir: Path) -> History | None:
    """The content folder's history from git, or None where there is none (no git, not a repository)."""
    top = _git(content_dir, "rev-parse", "--show-toplevel")
    if not top:
        return None
    repo = Path(top.strip())
    try:
        prefix = content_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    prefix = "" if prefix == "." else prefix + "/"
    history = History(repo, prefix)
    log = _git(repo, "log", "--no-renames", f"--format={RECORD}%H{UNIT}%cs{UNIT}%s", "--name-only", "--",
               prefix or ".")
    for record in (log or "").split(RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, date, summary = (head.split(UNIT) + ["", ""])[:3]
        try:
            when = dt.date.fromisoformat(date)
        except ValueError:
            continue
        for name in names.split("\n"):
            if name.startswith(prefix) and name.endswith(".md"):
                history.changes.setdefault(name[len(prefix):], []).append(Change(commit, when, summary.strip()))
    status = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", prefix or ".")
    for line in (status or "").splitlines():
        name = line[3:].split(" -> ")[-1].strip('"')
        if name.startswith(prefix):
            history.uncommitted.add(name[len(prefix):])
    return history


def _words(page_text: str) -> str:
    """A page's words without its details (front matter), spaces evened out: what an approval covers."""
    body = re.sub(r"\A---\s*\n.*?\n---\s*\n", "", page_text, count=1, flags=re.DOTALL)
    return " ".join(body.split())


def approval_problems(pages, history: History | None, shown, error: bool, today: dt.date | None = None) -> list[Problem]:
    """A problem for each approved page whose words changed after its approval date: later commits
    (or changes not yet committed) that changed the words, not only the details. The approved
    version is the last commit on or before the approval date (or the oldest git has). Changes not
    yet committed count from `today`: an approval dated today covers them."""
    if history is None:
        return []
    problems = []
    for page in pages:
        on, by = page.meta.get("approved_on"), page.meta.get("approved_by")
        if page.meta.get("status") != "approved" or not on:
            continue
        changes = history.of(page.rel)  # newest first
        if not changes and page.rel not in history.uncommitted:
            continue  # not in git yet: nothing to compare with
        approved = next((c for c in changes if c.date <= on), changes[-1] if changes else None)
        later = changes[:changes.index(approved)] if approved else []  # the commits after the approved one
        dirty = page.rel in history.uncommitted and (today or dt.date.today()) > on
        if not later and not dirty:
            continue
        before = history.text_at(approved.commit, page.rel) if approved else None
        if before is None:
            continue
        now = page.path.read_text(encoding="utf-8")
        if _words(before) == _words(now):
            continue  # only the details changed (review dates, the approval itself)
        where = (f"in {len(later)} change{'s' if len(later) != 1 else ''} since, the latest on "
                 f"{later[0].date.isoformat()} ('{later[0].summary}')" if later else "in changes not yet committed")
        problems.append(Problem(shown(page), page.lines.get("approved_on"),
            f"the words of this page changed after it was approved on {on.isoformat()} ({where}). "
            f"Ask {by or 'the group that approves pages'} to check the changes, then update 'approved_on' "
            f"to the date they approved them. To see the changes: git diff {approved.commit[:12]} -- "
            f"{history.content_prefix}{page.rel}",
            ERROR if error else WARNING))
    return problems


def page_history(history: History | None, rel: str, limit: int = 20) -> list[dict]:
    """The page's changes for its "Page history" (newest first): date and summary. Empty without git."""
    if history is None:
        return []
    return [{"date": c.date, "summary": c.summary} for c in history.of(rel)[:limit]]
