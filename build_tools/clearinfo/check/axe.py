"""axe-core in the page: injected once per page load into the page and every same-origin frame in
it (axe checks a frame only if it runs inside that frame too), run once per view, and its results
said as findings.

The pinned copy fetched by `clearinfo fetch-assets` is used, never the 2018 copy inside
axe-selenium-python; its hash is checked each time it is read."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import EnvironmentProblem
from ..vendor import ASSETS, verified_bytes
from .findings import REVIEW, VIOLATION, Finding

# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA, and axe's best practices (landmarks,
# heading order, a scrollable region reachable by keyboard, and the like).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
GATE_TAGS = WCAG_AA_TAGS + ["best-practice"]

# axe waits this long for a frame to answer; a frame without axe in it (another site's) would
# otherwise hold every view for a minute.
FRAME_WAIT_MS = 5000

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, arguments[0]).then(r => done({violations: r.violations, incomplete: r.incomplete}),
                                     e => done({error: String(e && e.message || e)}));
"""


def axe_source(vendor_dir: Path) -> str:
    """axe.min.js, its hash checked as it is read (once a run)."""
    return verified_bytes(vendor_dir, "axe-core", "axe.min.js").decode("utf-8")


def inject(driver, source: str) -> list[str]:
    """Put axe into the page and into every frame of the same origin, however deep. Returns the
    addresses of frames from other sites, which axe cannot check (said as 'not checked')."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    other_sites: list[str] = []
    origin = None

    def into(depth: int) -> None:
        nonlocal origin
        # axe, and in the same call (one round trip, not three) what is needed next: the page's
        # origin, axe's version, and whether there are frames to go into.
        here, frames, version = driver.execute_script(source + _THEN_SAY)
        if depth == 0:
            origin = here
            if version != ASSETS["axe-core"]["version"]:  # never silently fall back to an old rule set
                raise EnvironmentProblem(f"axe-core {version} was loaded, but Clearinfo pins "
                                         f"{ASSETS['axe-core']['version']}.")
        if depth > 5 or not frames:
            return
        for frame in driver.find_elements(By.CSS_SELECTOR, "iframe, frame"):
            src = frame.get_attribute("src") or "(no address)"
            try:
                driver.switch_to.frame(frame)
            except WebDriverException:
                other_sites.append(src)
                continue
            try:
                here, href = driver.execute_script("return [location.origin, location.href]")
                if here == origin or href in ("about:blank", "about:srcdoc"):  # srcdoc frames are the page's own
                    into(depth + 1)
                else:
                    other_sites.append(src)
            except WebDriverException:
                other_sites.append(src)
            finally:
                driver.switch_to.parent_frame()

    into(0)
    return other_sites


# Appended to axe.min.js when it is put into a page or frame: what `inject` needs to know next.
_THEN_SAY = """
;return [location.origin, document.querySelectorAll('iframe, frame').length,
         window.axe && window.axe.version];
"""


def run(driver, tags: list[str] | None = None) -> dict:
    """axe's results on the page as it is now (violations and 'needs review' items). Raises
    RuntimeError if axe itself failed, so the view is reported as not checked."""
    options = {"runOnly": {"type": "tag", "values": tags or GATE_TAGS},
               "resultTypes": ["violations", "incomplete"], "iframes": True, "frameWaitTime": FRAME_WAIT_MS}
    result = driver.execute_async_script(_RUN, options)
    if not isinstance(result, dict) or "error" in result:
        raise RuntimeError(f"axe-core stopped: {(result or {}).get('error', 'no answer')}")
    return result


def findings(result: dict, page: str, context: str) -> list[Finding]:
    out = []
    for kind, severity in (("violations", VIOLATION), ("incomplete", REVIEW)):
        for rule in result[kind]:
            wcag = [t for t in rule["tags"] if t.startswith("wcag") and t[4:].isdigit()]
            said = f"{rule['help']}." + (f" (WCAG {', '.join(_sc(t) for t in wcag)})" if wcag else
                                         " (a best practice)" if "best-practice" in rule["tags"] else "")
            for node in rule["nodes"]:
                selector = " >> ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
                out.append(Finding(
                    page, "axe", rule["id"], said,
                    (node.get("failureSummary") or rule["description"]).replace("\n", " ") +
                    f" More: {rule['helpUrl']}", selector + " " + node.get("html", "")[:160], severity, context,
                    selector))
    return out


def _sc(tag: str) -> str:
    digits = tag[4:]
    return ".".join(digits) if len(digits) <= 3 else f"{digits[0]}.{digits[1]}.{digits[2:]}"
