"""The theme in real headless Chromium: axe-core 4.x finds nothing in either colour scheme or at
320px, the skip link and menu work from the keyboard, text is large, and pages work without JavaScript."""
from __future__ import annotations


import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from clearinfo.check.browser import chromium, run_axe, serve_directory, set_colour_scheme, set_viewport
from conftest import ROOT, wait_until

pytestmark = pytest.mark.browser
VENDOR = ROOT / ".vendor"


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def site_pages(built_site):
    return sorted(str(p.relative_to(built_site).parent).replace(".", "") for p in built_site.rglob("index.html"))


def load(browser, url, width=1280, scheme="light"):
    set_viewport(browser, width)
    browser.get(url)
    set_colour_scheme(browser, scheme)  # the theme remembers the last scheme: start each test known
    browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done())")


def describe(violations):
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_axe_does_catch_low_contrast(browser, site_url):
    """Guard for the test above: the same run reports a real contrast failure."""
    load(browser, site_url)
    browser.execute_script("document.querySelector('.md-typeset p').style.color = '#bbbbbb'")
    ids = [v["id"] for v in run_axe(browser, VENDOR)["violations"]]
    assert "color-contrast" in ids


def test_dark_scheme_is_really_dark(browser, site_url):
    load(browser, site_url)
    set_colour_scheme(browser, "dark")
    bg = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(18, 20, 23)"
    set_colour_scheme(browser, "light")
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_skip_link_moves_focus_to_main(browser, site_url):
    load(browser, site_url + "getting-care-and-support/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("textContent").strip() == "Skip to main content"
    # The link slides into view: it must end up visible on screen.
    wait_until(browser, "const e = document.activeElement, r = e.getBoundingClientRect();"
                        "return r.top >= 0 && r.height > 10 && r.bottom <= innerHeight"
                        " && getComputedStyle(e).opacity === '1'")
    assert active.is_displayed()
    active.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "main-content"
    # The next Tab goes into the page content, not back through the menu.
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.execute_script("return !!document.activeElement.closest('main')")


def test_focus_is_strong_and_links_are_underlined(browser, site_url):
    load(browser, site_url)
    link = browser.find_element(By.CSS_SELECTOR, "main .md-typeset a, main a")
    style = browser.execute_script("const s = getComputedStyle(arguments[0]); return s.textDecorationLine", link)
    assert "underline" in style
    browser.execute_script("arguments[0].focus()", link)
    # Focus by keyboard to trigger :focus-visible.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(40):
        if browser.execute_script("return !!document.activeElement.closest('main') && "
                                  "document.activeElement.tagName === 'A'"):
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    bg = browser.execute_script("return getComputedStyle(document.activeElement).backgroundColor")
    assert bg == "rgb(255, 221, 0)", "focused links get the yellow focus background"


def test_body_text_is_at_least_19px_in_the_legible_font(browser, site_url):
    load(browser, site_url + "getting-care-and-support/")
    size, family = browser.execute_script(
        "const s = getComputedStyle(document.querySelector('main p')); return [s.fontSize, s.fontFamily]")
    assert float(size.rstrip("px")) >= 19
    assert family.startswith('"Atkinson Hyperlegible"')
    assert browser.execute_script("return document.fonts.check('20px \"Atkinson Hyperlegible\"')")


def test_nothing_is_requested_from_another_site(browser, site_url):
    load(browser, site_url)
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert origins and set(origins) == {site_url.rstrip("/")}


def test_reflows_at_320px_without_sideways_scrolling(browser, site_url, built_site):
    for page in site_pages(built_site):
        load(browser, site_url + (page + "/" if page else ""), width=320)
        scroll, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, page


def test_menu_button_works_from_the_keyboard_on_a_small_screen(browser, site_url):
    load(browser, site_url, width=320)
    # A real button when JavaScript runs (the no-JavaScript label is hidden), saying if the menu is open.
    button = browser.find_element(By.CSS_SELECTOR, "button.ci-menu-button[data-ci-toggle='__drawer']")
    assert button.accessible_name == "Menu" and button.get_attribute("aria-expanded") == "false"
    assert not browser.find_element(By.CSS_SELECTOR, "label.ci-menu-label").is_displayed()
    drawer_open = "return document.getElementById('__drawer').checked"
    browser.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)
    assert browser.execute_script(drawer_open)
    assert button.get_attribute("aria-expanded") == "true"
    # The menu slides in: it must end up on screen.
    wait_until(browser, "const r = document.querySelector('nav.md-nav--primary').getBoundingClientRect();"
                        "return r.left >= 0 && r.width > 0")
    assert browser.find_element(By.CSS_SELECTOR, "nav.md-nav--primary").is_displayed()
    button.send_keys(Keys.ENTER)
    assert not browser.execute_script(drawer_open)
    button.send_keys(Keys.SPACE)
    assert browser.execute_script(drawer_open)


def test_reading_and_navigating_without_javascript(built_site):
    with serve_directory(built_site) as url, chromium(javascript=False) as browser:
        browser.get(url)
        assert browser.execute_script is not None
        assert "no-js" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
        links = browser.find_elements(By.CSS_SELECTOR, "nav.md-nav--primary a.md-nav__link")
        assert any(a.is_displayed() and a.text.strip() == "Getting care and support" for a in links)
        # Search needs JavaScript, so it is not offered.
        assert not browser.find_element(By.CSS_SELECTOR, ".ci-search-button").is_displayed()
        next(a for a in links if a.text.strip() == "Getting care and support").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == "Getting care and support"
        assert browser.find_element(By.CSS_SELECTOR, ".ci-summary").is_displayed()


def test_easy_read_pictures_sit_left_of_the_words_and_stack_when_narrow(browser, site_url, built_site):
    topic = sorted(p.parent.name for p in (built_site / "easy-read").glob("*/index.html"))[0]
    positions = ("const c = document.querySelector('.ci-er-chunk');"
                 "const i = c.querySelector('img').getBoundingClientRect();"
                 "const w = c.querySelector('.ci-er-words').getBoundingClientRect();"
                 "return [i.right, i.bottom, w.left, w.top]")
    load(browser, site_url + f"easy-read/{topic}/")
    img_right, img_bottom, words_left, words_top = browser.execute_script(positions)
    assert img_right <= words_left, "picture on the left, words on the right"
    size = browser.execute_script("return parseFloat(getComputedStyle(document.querySelector('.ci-er-words p')).fontSize)")
    assert size >= 23, "Easy Read web text is larger than the standard pages"
    load(browser, site_url + f"easy-read/{topic}/", width=320)
    img_right, img_bottom, words_left, words_top = browser.execute_script(positions)
    assert img_bottom <= words_top, "one column on a narrow screen: the picture above its words"


def test_every_menu_link_can_be_reached_by_scrolling_the_page(browser, site_url):
    """On a wide screen the menu is part of the page, not a box that scrolls on its own: Material
    would scroll such a box to the page's own link and hide the links above it, from people and from
    axe (which then cannot check their contrast). The last page in the menu shows it best."""
    load(browser, site_url + "accessibility/")
    hidden = browser.execute_script("""
        const box = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
        const links = [...box.querySelectorAll('.md-nav__link')].filter(a => a.offsetParent !== null);
        const edge = box.getBoundingClientRect();
        return {overflow: getComputedStyle(box).overflowY, scrolled: box.scrollTop, count: links.length,
                above: links.filter(a => a.getBoundingClientRect().bottom <= edge.top).map(a => a.textContent.trim())};""")
    assert hidden["count"] >= 20
    assert hidden["overflow"] == "visible" and hidden["scrolled"] == 0 and hidden["above"] == [], hidden
