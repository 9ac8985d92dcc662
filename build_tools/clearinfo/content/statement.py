"""The accessibility statement's results, written from the latest accessibility check
(reports/accessibility.json), in the structure the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018 ask for: compliance status, content that
is not accessible and why, the enforcement procedure, and how and when the site was tested.
The page's own words (content/accessibility.md) say how to ask for another format and how to
report a problem."""
from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

from ..errors import plural
from ..furniture import long_date

RULE_NAMES = {
    "color-contrast": "text without enough contrast with its background",
    "image-alt": "pictures without alt text", "img-alt": "pictures without alt text",
    "link-name": "links without text", "label": "form fields without labels",
    "heading-skip": "headings that skip a level", "one-h1": "pages without exactly 1 main heading",
    "duplicate-id": "repeated ids", "vague-link": "links whose words do not say where they go",
    "broken-link": "links that go nowhere", "broken-anchor": "links to places that do not exist",
    "reflow-320": "pages that do not fit a small screen", "html-has-lang": "pages that do not say their language",
}


def load_report(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _needs_review(n: int) -> str:
    if n == 0:
        return "Nothing was marked for a person to check."
    return f"{plural(n, 'thing')} {'was' if n == 1 else 'were'} marked for a person to check."


def statement_markdown(report: dict | None) -> str:
    lines = ["", "## How accessible this website is", ""]
    if report is None:
        lines += ["This website has not been checked yet, so we cannot say how accessible it is.",
                  "We check it with 'clearinfo check' after every build.", ""]
        return "\n".join(lines) + "\n"
    problems = report.get("violations", []) + report.get("excepted", [])
    if not problems:
        lines += ["This website is fully compliant with the Web Content Accessibility Guidelines version 2.2, "
                  "level AA, as far as our automated checks can tell.", ""]
    else:
        lines += ["This website is partially compliant with the Web Content Accessibility Guidelines version 2.2, "
                  "level AA, because of the problems listed below.", "",
                  "## Content that is not accessible", ""]
        by_rule = collections.defaultdict(list)
        for f in problems:
            by_rule[f["rule"]].append(f)
        reasons = {(e["rule"], e["page"]): e for e in report.get("excepted", [])}
        for rule, items in sorted(by_rule.items()):
            pages = sorted({f["page"] for f in items})
            name = RULE_NAMES.get(rule, items[0]["message"].rstrip("."))
            lines.append(f"- {name[0].upper() + name[1:]}, on: {', '.join(f'`{p}`' for p in pages[:8])}"
                         f"{' and others' if len(pages) > 8 else ''}.")
        lines.append("")
        if reasons:
            lines += ["We have agreed to accept some of these for a short time. Our accessibility exceptions "
                      "file says why, and the date by which each will be fixed.", ""]
    checked = dt.date.fromisoformat(report["checked_on"])
    files = report.get("files", {})
    lines += [
        "## Enforcement procedure", "",
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies "
        "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility "
        "regulations'). If you are not happy with how we respond to your complaint, contact the Equality "
        "Advisory and Support Service (EASS).", "",
        "## How we tested this website", "",
        f"We last checked this website on {long_date(checked)}. Every time it is built, a computer checks "
        f"every page ({files.get('html', 0)} pages), every PDF ({files.get('pdf', 0)}) and every audio file "
        f"({files.get('mp3', 0)}).", "",
        f"Each page is opened in a real web browser (Chromium) and checked with axe-core {report.get('axe_core', '')} "
        "against the Web Content Accessibility Guidelines 2.0, 2.1 and 2.2, levels A and AA: at a desktop "
        "width and at 320 pixels wide (the same as 400% zoom), in light and dark colours. We also check "
        "headings, link text, links, that PDFs are tagged with their language and title, and that audio plays.",
        "",
        f"Automated checks find many problems, but not all. {_needs_review(len(report.get('needs_review', [])))}", "",
        "## Preparation of this accessibility statement", "",
        f"This statement was prepared from the check on {long_date(checked)}.", "",
    ]
    return "\n".join(lines) + "\n"
