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

    @property
    def passed(self) -> bool:
        return not self.failing and not self.exception_problems


def summary(r: GateResult) -> str:
    lines = [f"Checked {r.files.get('html', 0)} pages, {r.files.get('pdf', 0)} PDFs and {r.files.get('mp3', 0)} "
             f"audio files in {r.seconds:.0f} seconds (axe-core {r.axe_version}, WCAG 2.2 A and AA)."]
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
    return "\n".join(lines)


def write_json(r: GateResult, path: Path) -> None:
    path.write_text(json.dumps({
        "passed": r.passed, "checked_on": r.checked_on.isoformat(), "axe_core": r.axe_version,
        "files": r.files, "seconds": round(r.seconds, 1),
        "violations": [f.as_dict() for f in r.failing], "needs_review": [f.as_dict() for f in r.review],
        "excepted": [f.as_dict() for f in r.excepted], "exception_problems": r.exception_problems,
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
    style = f"""
body {{ font-family: system-ui, sans-serif; font-size: 1.15rem; line-height: 1.5; color: #0b0c0c; background: #fff;
       margin: 0 auto; max-width: 70rem; padding: 1rem; }}
a {{ color: #144e81; }} a:focus, .scroll:focus {{ outline: 3px solid #0b0c0c; background: #ffdd00; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; }} caption {{ text-align: left; font-weight: 700; padding: .4rem 0; }}
th, td {{ border: 1px solid #505a5f; padding: .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }}
th {{ background: #f3f2f1; }}
.status {{ font-size: 1.3rem; font-weight: 700; border-left: 8px solid {'#00703c' if r.passed else '#d4351c'}; padding-left: .8rem; }}
"""
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
<p class="status">{html.escape(status)}</p>
<p>Checked on {r.checked_on.day} {r.checked_on:%B %Y}: {r.files.get('html', 0)} pages (at desktop width and 320px wide,
in each colour scheme), {r.files.get('pdf', 0)} PDFs and {r.files.get('mp3', 0)} audio files, with axe-core
{html.escape(r.axe_version)} (WCAG 2.0, 2.1 and 2.2, levels A and AA) and Clearinfo's own checks.</p>
<h2>Problems to fix</h2>
{table("Problems to fix", r.failing)}
<h2>Things a person should check</h2>
<p>Automated tools cannot decide these. Look at each one. The same item on several pages is listed once.</p>
{table("Things a person should check", grouped(r.review))}
<h2>Accepted for now</h2>
{table("Accepted for now", r.excepted)}
{"".join(f"<p>{html.escape(p)}</p>" for p in r.exception_problems)}
</main>
<footer><p>Made by clearinfo check.</p></footer>
</body></html>
"""
    path.write_text(doc, encoding="utf-8")
