"""The Care Act information duties (content/duties.yml) and which pages meet them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .yamlnodes import load_data_file

from ..errors import Problem, WARNING
from .newpage import generated_front_matter
from .pages import Page


@dataclass
class Duty:
    id: str
    level: str  # must or should
    what: str
    sources: list
    line: int


def load_duties(path: Path) -> list[Duty]:
    if not path.exists():
        return []
    data = load_data_file(path, "duties")
    text = path.read_text(encoding="utf-8")
    lines = {line.strip().rstrip(":"): n for n, line in enumerate(text.splitlines(), start=1)
             if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":")}
    return [Duty(id=k, level=v.get("level", "must"), what=v.get("what", ""), sources=v.get("sources") or [],
                 line=lines.get(k, 1)) for k, v in (data.get("duties") or {}).items()]


def coverage(pages: list[Page], duties: list[Duty]) -> dict[str, list[Page]]:
    covered = {d.id: [] for d in duties}
    for page in pages:
        if page.meta["status"] == "draft":
            continue
        for duty_id in page.meta.get("covers") or []:
            if duty_id in covered:
                covered[duty_id].append(page)
    return covered


def uncovered_warnings(pages: list[Page], duties: list[Duty], shown_as: str) -> list[Problem]:
    covered = coverage(pages, duties)
    return [Problem(shown_as, d.line, f"no published page covers the '{d.level}' duty '{d.id}' ({d.what}) "
                                      "Add its id under 'covers' on a page that meets it.", WARNING)
            for d in duties if not covered[d.id]]


def coverage_page(pages: list[Page], duties: list[Duty], owner: str, today: dt.date) -> str:
    """The coverage page's Markdown, front matter included, for the council's information officer."""
    covered = coverage(pages, duties)
    sources = sorted({s for d in duties for s in d.sources})
    musts = [d for d in duties if d.level == "must"]
    done = sum(1 for d in musts if covered[d.id])
    lines = [
        *generated_front_matter(
            "Care Act information duties",
            "Which of our pages meet each duty to give information about care and support. "
            "It is made automatically from every page's details.", owner, today, sources, audio=False),
        f"We meet {done} of the {len(musts)} duties we must meet. "
        "A page meets a duty when its details list the duty under 'covers'.",
        "",
    ]
    for level, heading in (("must", "Duties we must meet"), ("should", "Duties we should meet")):
        group = [d for d in duties if d.level == level]
        if not group:
            continue
        lines += [f"## {heading}", "", "| Duty | Pages that meet it |", "|---|---|"]
        for d in group:
            met = ", ".join(f"[{p.meta['title']}]({p.rel})" for p in covered[d.id]) or "Not covered yet"
            lines.append(f"| {d.what} | {met} |")
        lines.append("")
    return "\n".join(lines) + "\n"
