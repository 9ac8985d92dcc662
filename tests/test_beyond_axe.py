"""The checks beyond axe-core: each rule flags its failing page (tests/fixtures/beyond_axe/<rule>-fail.html)
and nothing else, and no check flags any of the passing twins (<rule>-pass.html). The browser half
runs in real headless Chromium, in one browser for the module, under each page's strict
Content-Security-Policy, at desktop width and at 320px."""
from __future__ import annotations

from pathlib import Path

import pytest

from clearinfo.check.beyond_axe import CHECK, RULES, browser_checks, static_checks
from clearinfo.check.findings import REVIEW, VIOLATION
from clearinfo.check.html_checks import load

FIXTURES = Path(__file__).parent / "fixtures" / "beyond_axe"
STATIC_RULES = {"empty-heading", "summary-no-name", "th-no-data", "alt-is-filename", "part-lang-missing"}
BROWSER_RULES = set(RULES) - STATIC_RULES
PAGES = sorted(p.name for p in FIXTURES.glob("*-*.html"))


def expected(name: str) -> set:
    rule, outcome = name.removesuffix(".html").rsplit("-", 1)
    return {rule} if outcome == "fail" else set()


def test_every_rule_has_a_failing_page_and_a_passing_twin():
    assert {n.removesuffix("-fail.html") for n in PAGES if n.endswith("-fail.html")} == set(RULES)
    assert {n.removesuffix("-pass.html") for n in PAGES if n.endswith("-pass.html")} == set(RULES)


@pytest.mark.parametrize("name", PAGES)
def test_static_checks(name):
    found = static_checks(name, load(FIXTURES / name))
    assert {f.rule for f in found} == expected(name) & STATIC_RULES, [(f.rule, f.element) for f in found]
    for f in found:
        assert f.check == CHECK and f.page == name and f.severity == VIOLATION
        assert "WCAG" in f.message and f.fix and f.element


def test_static_checks_name_each_problem():
    """One finding for each problem on the failing pages, not one a page."""
    count = {n: len(static_checks(n, load(FIXTURES / n))) for n in PAGES if expected(n) & STATIC_RULES}
    assert count == {"alt-is-filename-fail.html": 4, "empty-heading-fail.html": 3, "part-lang-missing-fail.html": 4,
                     "summary-no-name-fail.html": 2, "th-no-data-fail.html": 3}


def test_language_check_says_which_script_and_how_to_mark_it():
    found = static_checks("p.html", load(FIXTURES / "part-lang-missing-fail.html"))
    first = found[0]
    assert "Arabic script" in first.message and "en-GB" in first.message and "3.1.2" in first.message
    assert 'lang="ur"' in first.fix


# Cases at the edges of each rule: what must be flagged, and what a correct page does that must not be.
EDGES = [
    ("<table><tr><th></th><th>Morning</th></tr><tr><th>Monday</th><td>9am</td></tr></table>", set()),
    ("<table><tr><th>Projects</th><th>Exams</th></tr><tr><td colspan='2'>15%</td></tr></table>", set()),
    ("<table><tr><th id='a'>Country</th><th id='b'>Starts with Z</th></tr>"
     "<tr><td>Zambia</td><td headers='a'>Zimbabwe</td></tr></table>", {"th-no-data"}),
    ("<table role='presentation'><tr><th>Time</th></tr></table>", set()),
    ("<div role='grid'><div role='row'><div role='columnheader'>Room</div><div role='columnheader'>Who</div></div>"
     "<div role='row'><div role='gridcell'>1A</div></div></div>", {"th-no-data"}),
    ("<img src='nyhavn.jpg' alt='Nyhavn'>", set()),
    ("<img src='94251e110d24a4c2b6e6ce76e7203374' alt='94251e110d24a4c2b6e6ce76e7203374'>", {"alt-is-filename"}),
    ("<img src='x.png' alt='Screenshot 2024-03-01 at 10.15.32'>", {"alt-is-filename"}),
    ("<img src='DSC01234.JPG' alt='DSC01234.JPG' aria-label='Our day centre'>", set()),
    ("<input type='image' src='login.png' alt='login.png'>", {"alt-is-filename"}),
    ("<h2 aria-labelledby='n'></h2><span id='n' hidden>Opening times</span>", set()),
    ("<h2 aria-hidden='true'></h2>", set()),
    ("<h2 aria-label=''><span aria-hidden='true'>Help</span></h2>", {"empty-heading"}),
    ("<h2><img src='logo.png' alt='Help' role='presentation'></h2>", {"empty-heading"}),
    ("<div role='heading' aria-level='2'></div>", {"empty-heading"}),
    ("<details><summary>Opening times</summary><summary></summary><p>9 to 5</p></details>", set()),
    ("<details><summary role='none'></summary><p>9 to 5</p></details>", {"summary-no-name"}),
    ("<details><summary aria-label='Opening times'></summary><p>9 to 5</p></details>", set()),
    ("<p lang='ar'>\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645 at the Riverside Centre</p>", set()),
    ("<p lang='sr'>\u0414\u043e\u0431\u0440\u043e \u0434\u043e\u0448\u043b\u0438</p>", set()),
    ("<p lang='tlh'>\u0414\u043e\u0431\u0440\u043e \u0434\u043e\u0448\u043b\u0438</p>", set()),
    ("<p>\u65e5\u672c\u8a9e\u3092\u8a71\u3057\u307e\u3059</p>", {"part-lang-missing"}),
    ("<p>Sin \u03b8, 5 \u03bcg, \u0394t, \u03b1 \u03b2 \u03b3 \u03b4, \u2116 5, \u00a9 2025</p>", set()),
    ("<p>The Greek word \u03bb\u03cc\u03b3\u03bf\u03c2 means word.</p>", {"part-lang-missing"}),
    ("<p><img src='flag.png' alt='\u0627\u0631\u062f\u0648 \u0645\u06cc\u06ba'> Urdu</p>", {"part-lang-missing"}),
]


@pytest.mark.parametrize("html, rules", EDGES)
def test_static_edges(html, rules):
    page = f"<!doctype html><html lang='en-GB'><head><title>Edge</title></head><body><main>{html}</main></body></html>"
    from bs4 import BeautifulSoup
    found = static_checks("edge.html", BeautifulSoup(page, "html.parser"))
    assert {f.rule for f in found} == rules, [(f.rule, f.element) for f in found]


# ---------------------------------------------------------------------------------------------
# In the browser

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


def in_views(browser, url, name):
    """The page at desktop width (with the 200% text check) and at 320px, as the gate shows it."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280)
    browser.get(url + name)
    browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done())")
    found = browser_checks(browser, name, "desktop, light colours")
    set_viewport(browser, 320)
    found += browser_checks(browser, name, "320px wide, light colours")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_browser_checks(browser, served, name):
    found = in_views(browser, served, name)
    assert {f.rule for f in found} == expected(name) & BROWSER_RULES, [(f.rule, f.element) for f in found]
    for f in found:
        assert f.check == CHECK and f.page == name
        assert "WCAG" in f.message and f.fix and f.element and f.context


@pytest.mark.browser
def test_text_spacing_names_each_property(browser, served):
    found = in_views(browser, served, "text-spacing-important-fail.html")
    assert {"letter-spacing", "word-spacing", "line-height"} <= {w for f in found for w in f.fix.split()}
    assert len({f.element for f in found}) == 4


@pytest.mark.browser
def test_text_cut_short_with_dots_is_for_a_person_to_check(browser, served):
    found = in_views(browser, served, "clipped-at-200-fail.html")
    cut = {f.severity: f for f in found}
    assert set(cut) == {VIOLATION, REVIEW}
    assert "clip-box" in cut[VIOLATION].element and "cut-short" in cut[REVIEW].element


@pytest.mark.browser
def test_focus_check_leaves_the_page_as_it_found_it(browser, served):
    """Focus, scrolling and window size are put back, so the next view and engine see the same page."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280, 500)
    browser.get(served + "focus-not-visible-fail.html")
    browser.execute_script("scrollTo(0, 40); document.querySelector('.own-focus, a').focus({preventScroll: true})")
    state = "return [innerWidth, innerHeight, scrollY, document.activeElement.outerHTML]"
    before = browser.execute_script(state)
    assert {f.rule for f in browser_checks(browser, "f.html", "desktop", zoom=True)} == {"focus-not-visible"}
    assert browser.execute_script(state) == before
    set_viewport(browser, 1280)


@pytest.mark.browser
def test_off_screen_menu_reached_by_tab_is_one_finding(browser, served):
    """Links in a closed off-canvas menu show no focus: said once, for the menu, not once a link."""
    from clearinfo.check.browser import set_viewport
    set_viewport(browser, 1280)
    browser.get(served + "focus-not-visible-pass.html")
    browser.execute_script("""
        const nav = document.createElement('nav');
        nav.setAttribute('aria-label', 'Menu');
        Object.assign(nav.style, {position: 'fixed', top: '0', left: '-20em', width: '18em'});
        for (const words of ['Home', 'Care', 'Carers']) {
          const a = document.createElement('a'); a.href = '#top'; a.textContent = words; nav.append(a);
        }
        document.body.append(nav);""")
    found = browser_checks(browser, "f.html", "desktop", zoom=False)
    assert [f.rule for f in found] == ["focus-not-visible"]
    assert found[0].message.startswith("3 links or buttons") and "<nav" in found[0].element
