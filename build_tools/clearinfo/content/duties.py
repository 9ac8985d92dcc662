"""The Care Act information duties (content/duties.yml) and which pages meet them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentErrors, Problem, WARNING
from .newpage import generated_front_matter
from .pages import Page, describe
from .yamlnodes import Mapping, Value, load_data_nodes, plain

LEVELS = ("must", "should")
DETAILS = ("level", "what", "sources")


@dataclass
class Duty:
    id: str
    level: str  # must or should
    what: str
    sources: list
    line: int


def load_duties(path: Path) -> list[Duty]:
    """The duties, each checked: a wrong detail stops the build with its line (the coverage page
    is made from these, so a wrong kind of value would otherwise crash it)."""
    if not path.exists():
        return []
    shown = "/".join(path.parts[-2:])
    entries = load_data_nodes(path, "duties").items.get("duties")
    duties, problems = [], []
    for duty_id, v in (entries.value.items.items() if entries and isinstance(entries.value, Mapping) else ()):
        duty, found = _duty(duty_id, v, shown)
        duties.append(duty)
        problems += found
    if problems:
        raise ContentErrors(problems)
    return duties


def _duty(duty_id: str, v: Value, shown: str) -> tuple[Duty, list[Problem]]:
    items = v.value.items
    problems = [Problem(shown, x.key_line, f"'{key}' is not a detail of a duty. A duty has "
                                           f"{', '.join(DETAILS)}.") for key, x in items.items() if key not in DETAILS]
    level = plain(items["level"]) if "level" in items else "must"
    if level not in LEVELS:
        problems.append(Problem(shown, items["level"].line, f"'level' must be must or should, not {describe(level)}."))
    what = plain(items["what"]) if "what" in items else None
    if not isinstance(what, str) or not what.strip():
        problems.append(Problem(shown, items["what"].line if "what" in items else v.key_line,
                                f"the duty '{duty_id}' needs 'what': one sentence saying what people must be "
                                "told, not " + describe(what) + "."))
    sources = plain(items["sources"]) if "sources" in items else []
    if sources is None:
        sources = []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problems.append(Problem(shown, items["sources"].line, "'sources' must be a list of reference documents "
                                "and their lines, like [003_8c4143861d2e16af.txt:729]."))
        sources = []
    return Duty(id=duty_id, level=level, what=what if isinstance(what, str) else "", sources=sources,
                line=v.key_line), problems


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


def _links(page: Page, duty_id: str) -> list[str]:
    """Links to the parts of the page that meet the duty ('Paying for care: How our charges work'),
    or to the page itself when its 'covers' names no part."""
    title = _cell(page.meta["title"])
    places = page.covers_at.get(duty_id) or []
    if not places:
        return [f"[{title}]({page.rel})"]
    return [f"[{title}: {_cell(p.heading)}]({page.rel}#{p.anchor})" for p in places]


def _cell(text: str) -> str:
    """Text safe inside a link in a table cell: a | would end the cell, brackets the link."""
    return text.replace("|", "/").replace("[", "(").replace("]", ")")


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
        "A page meets a duty when its details list the duty under 'covers', with the part of the page "
        "that meets it. Each link goes to that part.",
        "",
    ]
    for level, heading in (("must", "Duties we must meet"), ("should", "Duties we should meet")):
        group = [d for d in duties if d.level == level]
        if not group:
            continue
        lines += [f"## {heading}", "", "| Duty | Pages that meet it |", "|---|---|"]
        for d in group:
            met = ", ".join(link for p in covered[d.id] for link in _links(p, d.id)) or "Not covered yet"
            lines.append(f"| {d.what} | {met} |")
        lines.append("")
    return "\n".join(lines) + "\n"
