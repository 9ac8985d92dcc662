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
from ..furniture import join_words, long_date

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


def _needs_review(report: dict) -> str:
    checked, left = len(report.get("reviewed", [])), len(report.get("needs_review", []))
    if checked + left == 0:
        return "Nothing was marked for a person to check."
    said = f"{plural(checked + left, 'thing')} {'was' if checked + left == 1 else 'were'} marked for a person to check"
    return f"{said}: {checked} of them {'has' if checked == 1 else 'have'} been checked."


def _engines(report: dict) -> str:
    return join_words(report.get("engines") or [f"axe-core {report.get('axe_core', '')}"])


def _views(report: dict) -> str:
    """The views that really ran on every page: never claim one that did not."""
    coverage = report.get("coverage") or {}
    if not coverage:
        return ""
    everywhere = set.intersection(*(set(c.get("views", {})) for c in coverage.values()))
    names = [v for v in report.get("views", []) if v in everywhere]
    if not names:
        return "No view ran on every page."
    return f"Every page was seen in {plural(len(names), 'view')}: {join_words(names)} (width × height in pixels, " \
           "and the reader's colour setting; 320 pixels wide is the same as 400% zoom)."


def _not_run(report: dict) -> list[str]:
    """Pages where a view or an engine that should have run did not."""
    return sorted(page for page, c in (report.get("coverage") or {}).items() if c.get("not_run"))


def statement_markdown(report: dict | None) -> str:
    lines = ["", "## How accessible this website is", ""]
    if report is None:
        lines += ["This website has not been checked yet, so we cannot say how accessible it is.",
                  "We check it with 'clearinfo check' after every build.", ""]
        return "\n".join(lines) + "\n"
    problems = report.get("violations", []) + report.get("excepted", [])
    unchecked = report.get("needs_review", [])
    not_run = _not_run(report)
    # "Fully compliant" only when nothing failed, nothing is accepted for now, every view and engine
    # ran, and a person has checked everything the engines could not decide.
    if not problems and not unchecked and not not_run:
        lines += ["This website is fully compliant with the Web Content Accessibility Guidelines version 2.2, "
                  "level AA, as far as our checks can tell.", ""]
    else:
        why = [w for w, n in (("the problems", problems), ("the things not yet checked by a person", unchecked),
                              ("the pages not fully checked", not_run)) if n]
        lines += ["This website is partially compliant with the Web Content Accessibility Guidelines version 2.2, "
                  f"level AA, because of {join_words(why)} listed below.", ""]
    if problems:
        lines += ["## Content that is not accessible", ""]
        by_rule = collections.defaultdict(list)
        for f in problems:
            by_rule[f["rule"]].append(f)
        for rule, items in sorted(by_rule.items()):
            pages = sorted({f["page"] for f in items})
            name = RULE_NAMES.get(rule, items[0]["message"].rstrip("."))
            lines.append(f"- {name[0].upper() + name[1:]}, on: {', '.join(f'`{p}`' for p in pages[:8])}"
                         f"{' and others' if len(pages) > 8 else ''}.")
        lines.append("")
        if report.get("excepted"):
            lines += ["We have agreed to accept some of these for a short time. Our accessibility exceptions "
                      "file says why, and the date by which each will be fixed.", ""]
    site_wide = report.get("site_wide_exceptions") or []
    if site_wide:
        lines += ["We accept these on every page for now:", ""]
        for e in site_wide:
            name = RULE_NAMES.get(e["rule"], e["rule"])
            lines.append(f"- {name[0].upper() + name[1:]}: {e['reason']} We will fix this by "
                         f"{long_date(dt.date.fromisoformat(e['expires']))}.")
        lines.append("")
    if unchecked:
        lines += ["## Not yet checked by a person", "",
                  "Automated checks cannot decide these. Nobody has checked them yet:", ""]
        by_item = collections.defaultdict(set)
        for f in unchecked:
            by_item[str(f.get("message") or RULE_NAMES.get(f.get("rule"), f.get("rule"))).rstrip(".")].add(f.get("page"))
        for item, pages in sorted(by_item.items()):
            lines.append(f"- {item}, on {plural(len(pages), 'page')}.")
        lines.append("")
    if not_run:
        lines += ["## Pages not fully checked", "",
                  "Some of our checks did not run on these pages: " + ", ".join(f"`{p}`" for p in not_run[:8]) +
                  (" and others." if len(not_run) > 8 else "."), ""]
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
        f"Each page is opened in a real web browser (Chromium) and checked against the Web Content Accessibility "
        f"Guidelines 2.0, 2.1 and 2.2, levels A and AA, with {_engines(report)}. {_views(report)} We also check "
        "headings, link text, links, that PDFs are tagged with their language and title, and that audio plays.",
        "",
        f"Automated checks find many problems, but not all. {_needs_review(report)}", "",
        "## Preparation of this accessibility statement", "",
        f"This statement was prepared from the check on {long_date(checked)}.", "",
    ]
    return "\n".join(lines) + "\n"
