"""Every page in real headless Chromium: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules at
desktop width and at 320px, in each colour scheme the site offers, plus reflow at 320px.
One browser for all pages."""
from __future__ import annotations

import time
from pathlib import Path

from .browser import chromium, run_axe, serve_directory, set_colour_scheme, set_viewport
from .findings import REVIEW, VIOLATION, Finding

VIEWS = [(1280, "light"), (1280, "dark"), (320, "light"), (320, "dark")]

# Transitions finished at once: axe must measure the colours a reader ends up seeing, not a frame
# halfway through a fade, however slow the machine. The end state of every page is unchanged.
_SETTLE = """
const style = document.createElement('style');
style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
document.head.appendChild(style);
"""


def _schemes_offered(driver) -> set:
    return set(driver.execute_script(
        "return [...document.querySelectorAll('input[data-md-color-scheme]')].map(i => i.dataset.mdColorScheme)"))


def check_in_browser(site: Path, pages: list[Path], vendor_dir: Path, say=print) -> list[Finding]:
    findings: list[Finding] = []
    with serve_directory(site) as base, chromium() as driver:
        for n, path in enumerate(pages, start=1):
            page = path.relative_to(site).as_posix()
            url = base + page
            driver.get(url)
            driver.execute_script(_SETTLE)
            offered = _schemes_offered(driver)
            seen = set()
            for width, scheme in VIEWS:
                if scheme == "dark" and "slate" not in offered:
                    continue
                set_viewport(driver, width)
                if offered:
                    set_colour_scheme(driver, scheme)
                time.sleep(0.15)
                context = f"{'desktop' if width > 320 else '320px wide'}, {scheme} colours"
                if width == 320:
                    scroll = driver.execute_script("return [document.documentElement.scrollWidth,"
                                                   " document.documentElement.clientWidth]")
                    if scroll[0] > scroll[1] + 1 and ("reflow",) not in seen:
                        seen.add(("reflow",))
                        findings.append(Finding(page, "reflow", "reflow-320",
                            f"At 320px wide (or 400% zoom) the page is {scroll[0]}px wide, so people must scroll "
                            "sideways to read it and content is cut off (WCAG 1.4.10).",
                            "Let the content wrap: no fixed widths, wide tables in a scrolling box.",
                            context=context))
                result = run_axe(driver, vendor_dir)
                for kind, severity in (("violations", VIOLATION), ("incomplete", REVIEW)):
                    for rule in result[kind]:
                        for node in rule["nodes"]:
                            key = (rule["id"], str(node["target"]), severity)
                            if key in seen:
                                continue  # the same problem in another view: say it once
                            seen.add(key)
                            wcag = [t for t in rule["tags"] if t.startswith("wcag") and t[4:].isdigit()]
                            findings.append(Finding(
                                page, "axe", rule["id"], f"{rule['help']}." + (f" (WCAG {', '.join(_sc(t) for t in wcag)})" if wcag else ""),
                                (node.get("failureSummary") or rule["description"]).replace("\n", " ") +
                                f" More: {rule['helpUrl']}", " ".join(map(str, node["target"])) + " " +
                                node.get("html", "")[:160], severity, context))
            say(f"  {n}/{len(pages)} {page}")
    return findings


def _sc(tag: str) -> str:
    digits = tag[4:]
    return ".".join(digits) if len(digits) <= 3 else f"{digits[0]}.{digits[1]}.{digits[2:]}"
