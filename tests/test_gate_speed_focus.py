"""The focus check does its work in fewer calls to the browser (the scan and the focus pass in one
call; each screenshot step puts back the one before it; the page put back at once when nothing needs
a screenshot). These pin down that it still finds every element, and leaves the page as it found it."""
from __future__ import annotations

from pathlib import Path

import pytest

from clearinfo.check.beyond_axe import browser_checks

FIXTURES = Path(__file__).parent / "fixtures" / "beyond_axe"

pytestmark = pytest.mark.browser

STATE = "return [innerWidth, innerHeight, scrollX, scrollY, document.activeElement.outerHTML]"

# A closed off-canvas menu of three links, added by a script (the pages' policy allows no <style>).
OFF_CANVAS_MENU = """
const nav = document.createElement('nav');
nav.setAttribute('aria-label', 'Menu');
Object.assign(nav.style, {position: 'fixed', top: '0', left: '-20em', width: '18em'});
for (const words of ['Home', 'Care', 'Carers']) {
  const a = document.createElement('a'); a.href = '#top'; a.textContent = words; nav.append(a);
}
document.body.append(nav);
"""


@pytest.fixture(scope="module")
def served():
    from clearinfo.check.browser import serve_directory
    with serve_directory(FIXTURES) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from clearinfo.check.browser import chromium
    with chromium() as driver:
        yield driver


def test_several_screenshots_in_a_row_each_find_their_element(browser, served):
    """A link and a button with no focus style, and a closed menu: three screenshot pairs one after
    another, three findings, and the page as it was (scroll and focus)."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280, 500)
    browser.get(served + "focus-not-visible-fail.html")
    browser.execute_script(OFF_CANVAS_MENU + "scrollTo(0, 20); document.querySelector('h1').setAttribute('tabindex', '-1');"
                           "document.querySelector('h1').focus({preventScroll: true});")
    before = browser.execute_script(STATE)
    timings: dict = {}
    found = browser_checks(browser, "f.html", "desktop", zoom=False, timings=timings)
    assert [f.rule for f in found] == ["focus-not-visible"] * 3, [(f.rule, f.element) for f in found]
    elements = " ".join(f.element for f in found)
    assert "a.no-focus" in elements and "button.no-focus" in elements and "<nav" in elements
    assert timings["screenshots"] == 3
    assert browser.execute_script(STATE) == before
    assert browser.execute_script("return window.__clearinfoBeyondAxe === undefined")
    set_viewport(browser, 1280)


def test_nothing_for_screenshots_puts_the_page_back_at_once(browser, served):
    """Every element shows its focus: no screenshot, no further call, and the page as it was."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280, 500)
    browser.get(served + "focus-not-visible-pass.html")
    browser.execute_script("scrollTo(0, 10); document.querySelector('.own-focus').focus({preventScroll: true})")
    before = browser.execute_script(STATE)
    timings: dict = {}
    assert browser_checks(browser, "f.html", "desktop", zoom=False, timings=timings) == []
    assert timings["screenshots"] == 0 and timings["focusable"] == 3
    assert browser.execute_script(STATE) == before
    assert browser.execute_script("return window.__clearinfoBeyondAxe === undefined")
    set_viewport(browser, 1280)


def test_the_same_page_in_a_second_view_does_not_repeat_screenshots_that_showed_nothing(browser, served):
    """What a screenshot showed nothing for is remembered for the page loaded now, as before."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280)
    browser.get(served + "focus-not-visible-fail.html")
    first, second = {}, {}
    assert len(browser_checks(browser, "f.html", "desktop", zoom=False, timings=first)) == 2
    assert len(browser_checks(browser, "f.html", "desktop, dark", zoom=False, timings=second)) == 2
    assert first["screenshots"] == 2 and second["screenshots"] == 0


# A focus style a script gives a frame after focus, if the button still has focus then (as a theme
# opens its search box): on the button.
# The 'elsewhere' twin draws its mark in a new box at the foot of the page, which is neither the
# button nor around it, so only a screenshot sees it; the 'nothing' twin changes nothing anyone sees.
LATE = {
    "late": "b.addEventListener('focus', () => requestAnimationFrame(() => {"
            "  if (document.activeElement === b) b.style.outline = '3px solid red'; }));"
            "b.addEventListener('blur', () => { b.style.outline = ''; });",
    "elsewhere": "const m = document.createElement('p'); m.textContent = 'You are on the button';"
                 "m.style.visibility = 'hidden'; document.body.append(m);"
                 "b.addEventListener('focus', () => requestAnimationFrame(() => {"
                 "  if (document.activeElement === b) m.style.visibility = 'visible'; }));"
                 "b.addEventListener('blur', () => { m.style.visibility = 'hidden'; });",
    "nothing": "b.addEventListener('focus', () => requestAnimationFrame(() => { b.dataset.seen = 'yes'; }));",
}


@pytest.mark.parametrize("script, findings, screenshots", [("late", 0, 0), ("elsewhere", 0, 1), ("nothing", 1, 1)])
def test_focus_shown_a_frame_late_needs_no_screenshot(browser, served, script, findings, screenshots):
    """The page gets a frame or two to answer focus before any screenshot: a late focus style is
    seen without one; a mark drawn elsewhere still needs (and gets) its screenshot; and nothing at
    all is still a finding. The page is left as it was."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280)
    browser.get(served + "focus-not-visible-fail.html")
    browser.execute_script("document.querySelector('a.no-focus').remove();"
                           "const b = document.querySelector('button.no-focus');" + LATE[script])
    before = browser.execute_script(STATE)
    timings: dict = {}
    found = browser_checks(browser, "f.html", "desktop", zoom=False, timings=timings)
    assert [f.rule for f in found] == ["focus-not-visible"] * findings, [(f.rule, f.element) for f in found]
    assert timings["screenshots"] == screenshots
    after = browser.execute_script(STATE)  # (the page's own blur handler leaves style="" behind)
    assert after[:4] == before[:4] and after[4].startswith("<body")
    assert browser.execute_script("return window.__clearinfoBeyondAxe === undefined")
