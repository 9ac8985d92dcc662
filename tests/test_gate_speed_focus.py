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
