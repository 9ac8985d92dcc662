"""Reports of a gate run: a short summary for the terminal, and HTML (itself accessible),
JUnit XML and JSON files for CI and for people."""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import plural
from ..theme.policy import csp_hash
from .findings import REVIEW, VIOLATION, Finding


@dataclass
class GateResult:
    site: Path
    pages: list[str]
    files: dict[str, int]          # kind -> number checked (html, pdf, mp3)
    failing: list[Finding]
    review: list[Finding]
    excepted: list[Finding]
    exception_problems: list[str]
    seconds: float
    axe_version: str
    checked_on: dt.date = field(default_factory=dt.date.today)
    reviewed: list[Finding] = field(default_factory=list)      # review items a person checked: passes
    review_notes: list[str] = field(default_factory=list)      # review entries expired or matching nothing
    coverage: dict[str, dict] = field(default_factory=dict)    # page -> the views and engines that ran
    views: list[str] = field(default_factory=list)             # the views every page should be seen in
    engines: list[str] = field(default_factory=list)           # every engine the gate ran
    site_wide: list[dict] = field(default_factory=list)        # exceptions for every page (page: "*")
    remembered: list[str] = field(default_factory=list)        # files as they were when last checked: their
                                                               # findings were remembered (check/memory.py)

    @property
    def passed(self) -> bool:
        return not self.failing and not self.exception_problems


def summary(r: GateResult) -> str:
    lines = [f"Checked {r.files.get('html', 0)} pages, {r.files.get('pdf', 0)} PDFs and {r.files.get('mp3', 0)} "
             f"audio files in {r.seconds:.0f} seconds (axe-core {r.axe_version}, WCAG 2.2 A and AA)."]
    if r.remembered:
        lines.append(f"{plural(len(r.remembered), 'file')} of these {'was' if len(r.remembered) == 1 else 'were'} "
                     "as they were when last checked, by the same checkers, so their findings were remembered, "
                     "not checked again ('remembered' in accessibility.json lists them; --fresh checks everything).")
    if r.views:
        lines.append(f"Each page in {len(r.views)} views ({', '.join(r.views)}) with: {', '.join(r.engines)}.")
    if r.passed:
        kinds = len(grouped(r.review))
        lines.append("No accessibility problems found." + (
            f" {len(r.review)} things ({kinds} different, some on several pages) need a person to look at them "
            "(see the report)." if r.review else ""))
    else:
        lines.append(f"{len(r.failing)} problems found:")
        for rule, n in collections.Counter(f.rule for f in r.failing).most_common():
            lines.append(f"  {rule}: {n}")
        worst = collections.Counter(f.page for f in r.failing).most_common(5)
        lines.append("Pages with the most problems: " + ", ".join(f"{p} ({n})" for p, n in worst))
        for f in r.failing[:20]:
            where = f" [{f.element[:80]}]" if f.element else ""
            lines.append(f"- {f.page}: {f.message}{where} How to fix it: {f.fix}")
        if len(r.failing) > 20:
            lines.append(f"  ... and {len(r.failing) - 20} more in the report.")
    for p in r.exception_problems:
        lines.append(f"- {p}")
    if r.excepted:
        lines.append(f"{len(r.excepted)} accepted for now (see the exceptions file).")
    if r.reviewed:
        lines.append(f"{len(r.reviewed)} things were checked by a person (see the reviews file).")
    for note in r.review_notes:
        lines.append(f"- {note}")
    return "\n".join(lines)


def write_json(r: GateResult, path: Path) -> None:
    path.write_text(json.dumps({
        "passed": r.passed, "checked_on": r.checked_on.isoformat(), "axe_core": r.axe_version,
        "files": r.files, "seconds": round(r.seconds, 1),
        "violations": [f.as_dict() for f in r.failing], "needs_review": [f.as_dict() for f in r.review],
        "excepted": [f.as_dict() for f in r.excepted], "exception_problems": r.exception_problems,
        "reviewed": [f.as_dict() for f in r.reviewed], "review_notes": r.review_notes,
        "site_wide_exceptions": r.site_wide, "views": r.views, "engines": r.engines, "coverage": r.coverage,
        "remembered": r.remembered,
    }, indent=2, ensure_ascii=False), encoding="utf-8")


def write_junit(r: GateResult, path: Path) -> None:
    suites = ET.Element("testsuites", name="Clearinfo accessibility gate")
    by_page = collections.defaultdict(list)
    for f in r.failing:
        by_page[f.page].append(f)
    suite = ET.SubElement(suites, "testsuite", name="accessibility", tests=str(len(r.pages) + len(r.exception_problems)),
                          failures=str(len(by_page) + len(r.exception_problems)), time=f"{r.seconds:.1f}")
    for page in r.pages:
        case = ET.SubElement(suite, "testcase", classname="accessibility", name=page)
        for f in by_page.get(page, []):
            fail = ET.SubElement(case, "failure", type=f.rule, message=f.message)
            fail.text = f"{f.message}\nWhere: {f.element}\nHow to fix it: {f.fix}\n{f.context}"
        if page in r.coverage:
            ET.SubElement(case, "system-out").text = "What ran: " + ran_on(r.coverage[page])
    for n, p in enumerate(r.exception_problems, start=1):
        case = ET.SubElement(suite, "testcase", classname="accessibility", name=f"exceptions-{n}")
        ET.SubElement(case, "failure", type="exceptions", message=p)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def grouped(findings: list[Finding]) -> list[Finding]:
    """The same finding on several pages, once, with the pages listed: a person reads it once."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.check, f.rule, f.message, f.fix, f.element, f.severity, f.context), []).append(f)
    out = []
    for same in groups.values():
        pages = [f.page for f in same]
        page = pages[0] if len(pages) == 1 else f"{len(pages)} pages: " + ", ".join(pages)
        out.append(dataclasses.replace(same[0], page=page))
    return out


def ran_on(c: dict) -> str:
    """One page's views and engines, in words: '1280×900 light: axe-core, reflow; ...'."""
    parts = [f"{view}: {', '.join(engines) or 'nothing'}" for view, engines in c.get("views", {}).items()]
    parts += [f"every view: {', '.join(c.get('page_engines', []))}"] if c.get("page_engines") else []
    parts += [f"did not run: {n}" for n in c.get("not_run", [])]
    return "; ".join(parts)


def _coverage_table(r: GateResult) -> str:
    if not r.coverage:
        return "<p>No pages were opened in the browser.</p>"
    rows = "\n".join(
        f"<tr><td>{html.escape(page)}</td><td>{'<br>'.join(html.escape(f'{v}: ' + ', '.join(e)) for v, e in c['views'].items()) or 'None'}</td>"
        f"<td>{html.escape(', '.join(c.get('page_engines', [])))}</td>"
        f"<td>{html.escape('; '.join(c.get('not_run', []))) or 'Nothing'}</td></tr>"
        for page, c in sorted(r.coverage.items()))
    return ('<div class="scroll" role="region" aria-label="What was checked on each page" tabindex="0"><table>'
            "<caption>What was checked on each page</caption><thead><tr><th scope=\"col\">Page</th>"
            "<th scope=\"col\">Views, and the engines that ran in each</th><th scope=\"col\">Also checked once</th>"
            f"<th scope=\"col\">Did not run</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _rows(findings: list[Finding]) -> str:
    out = []
    for f in findings:
        out.append("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in (
            f.page, f.rule, f.message, f.fix, (f.element[:200] if f.element else "") + (f" ({f.context})" if f.context else ""))) + "</tr>")
    return "\n".join(out)


def write_html(r: GateResult, path: Path) -> None:
    """An accessible report: one h1, headings in order, real tables with headers, good contrast."""
    def table(caption, findings):
        if not findings:
            return f"<p>None.</p>"
        return (f'<div class="scroll" role="region" aria-label="{html.escape(caption)}" tabindex="0"><table>'
                f"<caption>{html.escape(caption)}</caption>"
                "<thead><tr><th scope=\"col\">Page or file</th><th scope=\"col\">Rule</th><th scope=\"col\">What is wrong"
                "</th><th scope=\"col\">How to fix it</th><th scope=\"col\">Where</th></tr></thead><tbody>"
                f"{_rows(findings)}</tbody></table></div>")
    status = "Passed: no accessibility problems found." if r.passed else \
        f"Failed: {len(r.failing)} problems to fix."
    style = (Path(__file__).with_name("report.css")).read_text(encoding="utf-8")
    # The report is a page like any other: its one style is allowed by its hash, and nothing else runs.
    policy = (f"default-src 'none'; script-src 'none'; style-src {csp_hash(style)}; object-src 'none'; "
              "base-uri 'none'; form-action 'none'")
    doc = f"""<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accessibility report - Clearinfo</title>
<style>{style}</style></head>
<body>
<header><p>Clearinfo</p></header>
<main>
<h1>Accessibility report</h1>
<p class="status{' status--passed' if r.passed else ''}">{html.escape(status)}</p>
<p>Checked on {r.checked_on.day} {r.checked_on:%B %Y}: {r.files.get('html', 0)} pages, {r.files.get('pdf', 0)} PDFs
and {r.files.get('mp3', 0)} audio files. Each page was to be seen in {len(r.views)} views ({html.escape(', '.join(r.views))})
with {html.escape(', '.join(r.engines))} (WCAG 2.0, 2.1 and 2.2, levels A and AA). The table at the end says what
really ran on each page.</p>
<h2>Problems to fix</h2>
{table("Problems to fix", r.failing)}
<h2>Not yet checked by a person</h2>
<p>Automated tools cannot decide these. Look at each one. The same item on several pages is listed once.</p>
{table("Not yet checked by a person", grouped(r.review))}
<h2>Checked by a person</h2>
{table("Checked by a person", grouped(r.reviewed))}
{"".join(f"<p>{html.escape(p)}</p>" for p in r.review_notes)}
<h2>Accepted for now</h2>
{table("Accepted for now", r.excepted)}
{"".join(f"<p>{html.escape(p)}</p>" for p in r.exception_problems)}
<h2>What was checked on each page</h2>
{_coverage_table(r)}
</main>
<footer><p>Made by clearinfo check.</p></footer>
</body></html>
"""
    path.write_text(doc, encoding="utf-8")
