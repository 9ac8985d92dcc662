"""Every page in real headless Chromium, in every view (width x colour scheme), through every
browser engine (axe-core, HTML_CodeSniffer, Clearinfo's own checks beyond axe, reflow). Several
browsers side by side (the `concurrency` setting), each taking the next page; each engine is put
into the page once per load and run once per view.

Honest about what ran: each page records the views that ran and the engines that ran in each. A
view or engine that did not run is a finding that fails the gate, never a silent gap; parts of a
page no engine can reach (a frame from another site, a closed shadow root) are listed as not
checked, for a person."""
from __future__ import annotations

import dataclasses
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..vendor import ASSETS
from .browser import (SCHEMES, SHOW_VIEW, address_towards, chromium, emulate_colour_scheme, grid_sessions,
                      serve_directory, set_viewport)
from .findings import REVIEW, VIOLATION, Finding


@dataclass(frozen=True)
class View:
    width: int
    scheme: str  # the reader's setting: light or dark
    height: int = 900

    @property
    def name(self) -> str:
        return f"{self.width}×{self.height} {self.scheme}"

    @property
    def context(self) -> str:
        return f"{'desktop' if self.width > 320 else f'{self.width}px wide'}, {self.scheme} colours"


# Desktop, and 320px (what 400% zoom gives on a 1280px screen: WCAG 1.4.10), each in light and dark.
VIEWS = (View(1280, "light"), View(1280, "dark"), View(320, "light"), View(320, "dark"))


@dataclass
class Coverage:
    """What ran on one page."""
    views: dict[str, list[str]] = field(default_factory=dict)  # view name -> the engines that ran in it
    not_run: list[str] = field(default_factory=list)            # what did not run, and why

    def as_dict(self) -> dict:
        return {"views": self.views, "not_run": self.not_run}


class Engine:
    """A browser engine: `load` once per page load (inject its script), `run` once per view."""
    name = ""

    def load(self, driver) -> list[Finding]:
        return []

    def applies(self, view: View) -> bool:
        return True

    def run(self, driver, page: str, view: View) -> list[Finding]:
        raise NotImplementedError

    def once(self, driver, page: str) -> list[Finding]:
        """Checks made once a page, right after the first of VIEWS, that may leave the window at
        another size (the page is shown in the next view afresh)."""
        return []


class AxeEngine(Engine):
    def __init__(self, vendor_dir: Path):
        from . import axe
        self.name = f"axe-core {ASSETS['axe-core']['version']}"
        self.axe, self.source = axe, axe.axe_source(vendor_dir)  # read, and its hash checked, once a run

    def load(self, driver) -> list[Finding]:
        return [_not_checked("frame-other-site", f"A frame shows {src}, from another site, which the checks "
                             "cannot look inside.", "Check that content with its owner, or link to it instead.",
                             src) for src in self.axe.inject(driver, self.source)]

    def run(self, driver, page: str, view: View) -> list[Finding]:
        return self.axe.findings(self.axe.run(driver), page, view.context)


class ReflowEngine(Engine):
    """At 320px wide nothing may need sideways scrolling (WCAG 1.4.10)."""
    name = "Clearinfo reflow"

    def applies(self, view: View) -> bool:
        return view.width <= 320

    def run(self, driver, page: str, view: View) -> list[Finding]:
        wide, shown = driver.execute_script("return [document.documentElement.scrollWidth,"
                                            " document.documentElement.clientWidth]")
        if wide <= shown + 1:
            return []
        return [Finding(page, "reflow", "reflow-320",
                        f"At {view.width}px wide (or 400% zoom) the page is {wide}px wide, so people must scroll "
                        "sideways to read it and content is cut off (WCAG 1.4.10).",
                        "Let the content wrap: no fixed widths, wide tables in a scrolling box.",
                        context=view.context)]


class HtmlcsEngine(Engine):
    """HTML_CodeSniffer's WCAG2AA errors (the engine pa11y runs by default)."""

    def __init__(self, vendor_dir: Path):
        from . import htmlcs
        self.name = f"HTML_CodeSniffer {ASSETS['html_codesniffer']['version']}"
        self.htmlcs, self.source = htmlcs, htmlcs.htmlcs_source(vendor_dir)

    def load(self, driver) -> list[Finding]:
        self.htmlcs.inject_htmlcs(driver, None, self.source)
        return []

    def run(self, driver, page: str, view: View) -> list[Finding]:
        return self.htmlcs.run_htmlcs(driver, page, view.context)


class BeyondAxeEngine(Engine):
    """Clearinfo's checks for failures axe misses (check/beyond_axe.py): text spacing fixed with
    !important, focusable content hidden from screen readers, scrolling boxes the keyboard cannot
    reach, focus that does not show, and (once a page, after the first view) text cut off at 200%."""
    name = "Clearinfo beyond axe"

    def run(self, driver, page: str, view: View) -> list[Finding]:
        from .beyond_axe import browser_checks
        return browser_checks(driver, page, view.context, zoom=False)

    def once(self, driver, page: str) -> list[Finding]:
        from .beyond_axe import clipped_at_200
        return clipped_at_200(driver, page, put_back=False)


def default_engines(vendor_dir: Path) -> list[Engine]:
    return [AxeEngine(vendor_dir), HtmlcsEngine(vendor_dir), BeyondAxeEngine(), ReflowEngine()]


# Transitions finished at once: the engines must measure what a reader ends up seeing, not a frame
# halfway through a fade. A constructed style sheet, because the page's own policy rightly blocks
# a <style> element added by a script.
_SETTLE = """
const sheet = new CSSStyleSheet();
sheet.replaceSync('*, *::before, *::after { transition: none !important; animation: none !important; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
"""

def _apply(driver, view: View, now: View | None = None) -> str:
    """Show the page in the view; '' when it is, or what is wrong. `now` is the view the page is
    already shown in (None: not known, as after loading it): only what differs is changed."""
    if now is None or (now.width, now.height) != (view.width, view.height):
        set_viewport(driver, view.width, view.height)
    changing = now is None or now.scheme != view.scheme
    if changing:
        emulate_colour_scheme(driver, view.scheme)
    state = driver.execute_async_script(SHOW_VIEW, SCHEMES[view.scheme] if changing else None)
    if not isinstance(state, dict) or "error" in state:
        return f"the page would not change its colours ({(state or {}).get('error', 'no answer')})"
    if state["width"] != view.width:
        return f"the page was {state['width']}px wide, not {view.width}px"
    if state["dark"] != (view.scheme == "dark"):
        return f"the browser did not take the reader's {view.scheme} setting"
    if state["offered"] and state["scheme"] != SCHEMES[view.scheme]:
        return f"the page stayed in its {state['scheme']} colours"
    return ""


def _changes(a: View | None, b: View) -> int:
    """How many things (size, colours) change from showing view a to showing view b."""
    if a is None:
        return 0
    return ((a.width, a.height) != (b.width, b.height)) + (a.scheme != b.scheme)


def check_order(views) -> list:
    """The order to show the views in: each one changes as little as it can from the one before
    (a new width or new colours, not both), and the view the once-a-page checks run after
    (VIEWS[0], the 200% check) ends the views of its width, so the page goes from it to the
    zoomed size and on to the narrower views without being put back in between. The report still
    lists the views, and their findings, in the order given."""
    views = list(views)
    first = VIEWS[0] if VIEWS[0] in views else None
    order: list = []
    left = [v for v in views if v != first]

    def take(pool):
        while pool:
            last = order[-1] if order else None
            nearest = min(pool, key=lambda v: (_changes(last, v), views.index(v)))
            order.append(nearest)
            pool.remove(nearest)
            left.remove(nearest)
    if first:
        take([v for v in left if (v.width, v.height) == (first.width, first.height) and v.scheme != first.scheme])
        order.append(first)
    take(list(left))
    return order


def _not_checked(rule: str, message: str, fix: str, element: str) -> Finding:
    return Finding("", "gate", rule, message, fix, element, REVIEW)


def _not_run(page: str, what: str, why: str, context: str = "") -> Finding:
    return Finding(page, "gate", "not-run", f"{what} did not run ({why}), so this page was not fully checked.",
                   "Run the check again. If it happens again, report it with the page and this message.",
                   severity=VIOLATION, context=context)


def closed_shadow_roots(driver) -> list[str]:
    """The hosts of closed shadow roots: no script in the page, axe included, can look inside them,
    but the browser's own inspector can see that they are there."""
    doc = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1, "pierce": True})
    hosts = []

    def walk(node):
        name = node.get("localName") or node.get("nodeName", "").lower()
        attrs = node.get("attributes") or []
        ident = dict(zip(attrs[::2], attrs[1::2])).get("id")
        here = f"{name}#{ident}" if ident else name
        for root in node.get("shadowRoots") or []:
            if root.get("shadowRootType") == "closed":
                hosts.append(here)
            walk(root)
        for child in (node.get("children") or []) + ([node["contentDocument"]] if node.get("contentDocument") else []):
            walk(child)

    walk(doc["root"])
    return hosts


def check_in_browser(site: Path, pages: list[Path], engines: list[Engine], views=VIEWS, say=print,
                     workers: int = 1, progress=None, grid: str | None = None
                     ) -> tuple[list[Finding], dict[str, Coverage]]:
    """Every page in every view through every engine: (findings, what ran on each page).

    `workers` browsers check pages side by side, served by one local web server; the findings come
    back in page order whatever order the pages finished in. `progress` (clearinfo.progress) is
    advanced once a page.

    With `grid` (a Selenium Grid's address) the browsers are sessions on the grid, as many as it
    offers (`workers` if it does not say), and the site is served where the grid can reach it."""
    if grid:
        workers = grid_sessions(grid, fallback=workers)
    names = [path.relative_to(site).as_posix() for path in pages]
    results: dict[str, tuple[list[Finding], Coverage]] = {}
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for page in names:
        todo.put(page)
    stop, failed = threading.Event(), []

    def worker(base: str) -> None:
        try:
            with (chromium(grid=grid) if grid else chromium()) as driver:
                while not stop.is_set():
                    try:
                        page = todo.get_nowait()
                    except queue.Empty:
                        return
                    results[page] = _check_page(driver, base + page, page, engines, views)
                    if progress is not None:
                        progress.advance()
        except BaseException as e:  # noqa: BLE001 - passed on to the caller below
            failed.append(e)
            stop.set()

    with serve_directory(site, address_towards(grid) if grid else "127.0.0.1") as base:
        threads = [threading.Thread(target=worker, args=(base,), name=f"clearinfo-browser-{n}", daemon=True)
                   for n in range(max(1, min(workers, len(names))))]
        for t in threads:
            t.start()
        try:
            for t in threads:
                t.join()
        except BaseException:  # Ctrl-C: each browser finishes its page, then closes
            stop.set()
            for t in threads:
                t.join(timeout=30)
            raise
    if failed:
        raise failed[0]
    findings = [f for page in names for f in results[page][0]]
    return findings, {page: results[page][1] for page in names}


def _check_page(driver, address: str, page: str, engines: list[Engine], views) -> tuple[list[Finding], Coverage]:
    """One page, loaded once, in every view through every engine. The views are shown in the order
    that changes least between them (check_order); what they found is said in the order given."""
    from selenium.common.exceptions import WebDriverException

    findings: list[Finding] = []
    ran = Coverage()
    seen: set = set()

    def add(found: list[Finding]):
        for f in found:
            f = f if f.page else dataclasses.replace(f, page=page)
            key = (f.check, f.rule, f.selector or f.element, f.severity)
            if (f.check, f.rule) == ("gate", "not-run"):  # each check that did not run is said, view by view
                findings.append(f)
            elif key not in seen:  # the same problem in another view: say it once
                seen.add(key)
                findings.append(f)
    try:
        driver.get(address)
        driver.execute_script(_SETTLE)
        add(_not_checked("shadow-closed", f"A part of the page inside <{host}> is hidden from scripts "
                         "(a closed shadow root), so no engine could check it.",
                         "Check it by hand, or ask its maker to use an open shadow root.", host)
            for host in closed_shadow_roots(driver))
    except WebDriverException as e:
        ran.not_run.append(f"the page did not load: {_first_line(e)}")
        return [_not_run(page, "The check", f"the page did not load: {_first_line(e)}")], ran
    loaded = []
    for engine in engines:
        try:
            add(engine.load(driver))
            loaded.append(engine)
        except (WebDriverException, RuntimeError) as e:
            ran.not_run.append(f"{engine.name}: {_first_line(e)}")
            findings.append(_not_run(page, engine.name, _first_line(e)))
    results = {}
    now = None  # the view the page is shown in now; None when not known
    for view in check_order(views):
        results[view] = _check_view(driver, page, view, now, loaded)
        now = view if results[view][1] is not None else None
        if view == VIEWS[0] and now:  # the once-a-page checks, said with this view's findings
            results[view][0].extend(_once(driver, page, view, loaded, results[view][2]))
            now = None  # they may leave the window at another size
    for view in views:
        found, engines_ran, not_run = results[view]
        if engines_ran is not None:
            ran.views[view.name] = engines_ran
        ran.not_run += not_run
        add(found)
    return findings, ran


def _check_view(driver, page: str, view: View, now: View | None, engines: list[Engine]
                ) -> tuple[list[Finding], list[str] | None, list[str]]:
    """The page in one view, through every engine: (findings, the engines that ran or None if
    the page could not be shown in the view, what did not run)."""
    from selenium.common.exceptions import WebDriverException

    try:
        wrong = _apply(driver, view, now)
    except (WebDriverException, RuntimeError) as e:
        wrong = _first_line(e)
    if wrong:
        return [_not_run(page, f"The {view.name} view", wrong, view.context)], None, [f"{view.name}: {wrong}"]
    found: list[Finding] = []
    done: list[str] = []
    not_run: list[str] = []
    for engine in engines:
        if not engine.applies(view):
            continue
        try:
            found += engine.run(driver, page, view)
            done.append(engine.name)
        except (WebDriverException, RuntimeError) as e:
            not_run.append(f"{view.name}: {engine.name}: {_first_line(e)}")
            found.append(_not_run(page, f"{engine.name} at {view.name}", _first_line(e), view.context))
    return found, done, not_run


def _once(driver, page: str, view: View, engines: list[Engine], not_run: list[str]) -> list[Finding]:
    """Each engine's once-a-page checks; one that could not run is said, and kept in `not_run`."""
    from selenium.common.exceptions import WebDriverException

    found: list[Finding] = []
    for engine in engines:
        try:
            found += engine.once(driver, page)
        except (WebDriverException, RuntimeError) as e:
            not_run.append(f"{engine.name} at 200%: {_first_line(e)}")
            found.append(_not_run(page, f"{engine.name} at 200%", _first_line(e), view.context))
    return found


def _first_line(e: Exception) -> str:
    text = getattr(e, "msg", None) or str(e)
    return (text.strip().splitlines() or [type(e).__name__])[0][:200]
