"""Exit this page (partials/exit-this-page.html, javascripts/exit-this-page.js), the GOV.UK Design
System pattern, in real headless Chromium: the button and Shift pressed 3 times replace the page
with a neutral one and leave it out of the tab's Back history; each press is said to screen
readers; a pause starts the count again; it works from the keyboard and without JavaScript; and
the page passes the accessibility gate with nothing found."""
from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from clearinfo import cli
from clearinfo.check.browser import chromium, run_axe, serve_directory, set_colour_scheme, set_viewport
from clearinfo.check.gate import run_gate
from clearinfo.project import CACHE_ENV
from conftest import ROOT, make_project, set_option, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VENDOR = ROOT / ".vendor"
PAGE = "leave-quickly"      # the test page that asks for the button
STATUS = "[data-ci-exit-status]"
SAYS = "return document.querySelector('[data-ci-exit-status]').textContent"
LIT = "return document.querySelectorAll('.ci-exit__light--lit').length"

SECTION = """## {n}. Who can help

You can talk to us about anything that worries you.
We listen, and we help you stay safe.
You choose what happens next.

You can also talk to someone you trust.
This could be a friend, a doctor or a support worker.

"""


def drop_missing_from_menu(project: Path) -> None:
    """The menu lists only the pages this small copy of the project has (no links to missing pages)."""
    cfg = project / "mkdocs.yml"
    lines = [line for line in cfg.read_text().splitlines(keepends=True)
             if not (line.startswith("  - ") and line.strip().endswith(".md")
                     and not (project / "content" / line.strip()[2:]).exists())]
    cfg.write_text("".join(lines))


def write_page(project: Path) -> None:
    """A page that asks for the button (front matter `exit_this_page: true`), long enough to scroll."""
    text = (project / "content" / "getting-care-and-support.md").read_text()
    head = text.split("\n---\n", 1)[0]
    lines, keep = [], True
    for line in head.splitlines():
        if line.startswith("covers:"):
            keep = False  # another page's duties: not this one's
            continue
        if not keep and line.startswith(("  ", "-")):
            continue
        keep = True
        lines.append(line)
    head = "\n".join(lines).replace("title: Getting care and support", "title: Staying safe at home")
    head = head.replace("print: true", "print: false") + "\nexit_this_page: true"
    body = "".join(SECTION.format(n=n) for n in range(1, 9))
    (project / "content" / f"{PAGE}.md").write_text(head + "\n---\n\n" + body, encoding="utf-8")


@pytest.fixture(scope="module")
def neutral(tmp_path_factory):
    """The neutral website, on another address than the site (as a search engine's would be). It
    shows what it was told of the page before it (document.referrer)."""
    folder = tmp_path_factory.mktemp("neutral")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><title>Weather</title><h1>Weather today</h1>', encoding="utf-8")
    with serve_directory(folder) as url:
        yield url


@pytest.fixture(scope="module")
def exit_site(tmp_path_factory, neutral, shared_cache) -> Path:
    project = make_project(tmp_path_factory.mktemp("exit") / "project")
    set_option(project, "audio: false")  # not needed here, and the slowest part of a build
    set_option(project, f"exit_this_page_url: {neutral}")
    write_page(project)
    drop_missing_from_menu(project)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(shared_cache))
        assert cli.main(["build", "-f", str(project / "mkdocs.yml")]) == 0
    return project / "site"


@pytest.fixture(scope="module")
def site_url(exit_site):
    with serve_directory(exit_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def load(browser, url, width=1280, scheme="light"):
    set_viewport(browser, width)
    browser.get(url)
    set_colour_scheme(browser, scheme)
    browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done())")


def press_shift(browser, times=1):
    for _ in range(times):
        ActionChains(browser).key_down(Keys.SHIFT).key_up(Keys.SHIFT).perform()


def arrive(browser, site_url):
    """The home page, then the page with the button, as a person would come to it. Returns how
    long the tab's history is on the page with the button."""
    load(browser, site_url)
    load(browser, site_url + PAGE + "/")
    return browser.execute_script("return history.length")


def assert_replaced(browser, site_url, neutral, length_before):
    """The neutral website is showing, the tab's history did not grow, it was not told which page the
    person was on, and Back goes to the page before (the home page), not the one they left."""
    wait_until(browser, "return location.href === arguments[0] && document.readyState === 'complete'", neutral)
    assert browser.execute_script("return history.length") == length_before
    assert browser.execute_script("return document.referrer") == ""
    browser.back()
    wait_until(browser, "return location.href === arguments[0]", site_url)


# --- The page ------------------------------------------------------------------------------------


def test_only_the_page_that_asks_has_the_button(exit_site, neutral):
    page = (exit_site / PAGE / "index.html").read_text()
    home = (exit_site / "index.html").read_text()
    assert 'data-ci-exit-button' in page and f'href="{neutral}"' in page
    assert "How to leave this page quickly" in page
    # Before the title: the first thing a reader reaches in the page's own content.
    assert page.index("data-ci-exit-button") < page.index('id="page-title"')
    assert "data-ci-exit" not in home
    # Every page loads the script and the stylesheet (they do nothing where there is no button).
    for html in (page, home):
        assert "assets/javascripts/exit-this-page.js" in html and "assets/stylesheets/exit-this-page.css" in html


def test_the_safeguarding_page_has_the_button(built_site):
    assert "data-ci-exit-button" in (built_site / "safeguarding" / "index.html").read_text()


def test_the_page_passes_the_gate_with_nothing_found(exit_site, tmp_path):
    """The gate the project runs on every build, at 1280px and 320px, light and dark. Only the page
    with the button is asked about: the bundled home page links to pages this small copy leaves out."""
    result = run_gate(exit_site, VENDOR, report_dir=tmp_path, say=lambda *_: None)
    mine = [f for f in result.failing + result.review if f.page.startswith(PAGE + "/")]
    assert [(f.rule, f.message[:100], f.selector) for f in mine] == []
    assert f"{PAGE}/index.html" in result.coverage, "the page with the button was checked"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_while_the_shift_count_shows(browser, site_url, width, scheme):
    """The states the gate does not see: the lights lit and the status speaking, in both colour schemes."""
    load(browser, site_url + PAGE + "/", width, scheme)
    press_shift(browser)
    wait_until(browser, LIT + " === 1")
    found = run_axe(browser, VENDOR)["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []


@pytest.mark.parametrize("width", [1280, 320])
def test_the_button_is_big_stays_in_view_and_fits(browser, site_url, width):
    load(browser, site_url + PAGE + "/", width)
    size = browser.execute_script("const r = document.querySelector('.ci-exit__button').getBoundingClientRect();"
                                  "return [r.width, r.height]")
    assert size[0] >= 44 and size[1] >= 44, "a target of at least 44 by 44 pixels"
    assert browser.execute_script("return document.documentElement.scrollWidth <= "
                                  "document.documentElement.clientWidth"), "no sideways scrolling"
    # Scrolled far down, the button is still on screen, under the header, and nothing covers it.
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight / 2)")
    wait_until(browser, "return scrollY > 300")
    wait_until(browser, """
        const b = document.querySelector('.ci-exit__button').getBoundingClientRect();
        const h = document.querySelector('.md-header').getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + 2);
        return b.top >= h.bottom - 0.5 && b.bottom <= innerHeight && !!hit && !!hit.closest('.ci-exit__button');""")


def test_the_note_says_how_to_leave_quickly(browser, site_url):
    load(browser, site_url + PAGE + "/")
    note = browser.find_element(By.CSS_SELECTOR, ".ci-exit-note")
    assert "press the Shift key 3 times" in note.text
    assert "browsing history" in note.text


# --- Leaving -------------------------------------------------------------------------------------


def test_the_button_replaces_the_page(browser, site_url, neutral):
    before = arrive(browser, site_url)
    # "On this page" links move within the page's one history entry, so Back cannot find it either.
    browser.find_element(By.CSS_SELECTOR, ".md-nav--secondary a[href^='#']").click()
    wait_until(browser, "return location.hash !== ''")
    assert browser.execute_script("return history.length") == before
    browser.find_element(By.CSS_SELECTOR, ".ci-exit__button").click()
    assert_replaced(browser, site_url, neutral, before)


def test_shift_3_times_replaces_the_page_and_each_press_is_said(browser, site_url, neutral):
    before = arrive(browser, site_url)
    status = browser.find_element(By.CSS_SELECTOR, STATUS)
    assert status.get_attribute("role") == "status" and status.text == ""
    press_shift(browser)
    wait_until(browser, SAYS + " === 'Shift, press 2 more times to exit.'")
    assert browser.execute_script(LIT) == 1
    press_shift(browser)
    wait_until(browser, SAYS + " === 'Shift, press 1 more time to exit.'")
    assert browser.execute_script(LIT) == 2
    press_shift(browser)
    assert_replaced(browser, site_url, neutral, before)


def test_a_pause_after_2_presses_starts_the_count_again(browser, site_url):
    load(browser, site_url + PAGE + "/")
    press_shift(browser, 2)
    wait_until(browser, SAYS + " === 'Shift, press 1 more time to exit.'")
    # The pattern allows 5 seconds between presses: wait for it to say so, not a fixed time.
    wait_until(browser, SAYS + " === 'Exit this page expired.'", timeout=10)
    assert browser.execute_script(LIT) == 0
    press_shift(browser)
    wait_until(browser, SAYS + " === 'Shift, press 2 more times to exit.'")
    assert browser.execute_script("return location.pathname") == f"/{PAGE}/"


def test_shift_with_another_key_is_not_a_press(browser, site_url):
    """Shift held for a capital letter or Shift+Tab is typing, not the shortcut; another key starts again."""
    load(browser, site_url + PAGE + "/")
    ActionChains(browser).key_down(Keys.SHIFT).send_keys("a").key_up(Keys.SHIFT).perform()
    assert browser.execute_script(SAYS) == "" and browser.execute_script(LIT) == 0
    press_shift(browser)
    wait_until(browser, SAYS + " === 'Shift, press 2 more times to exit.'")
    ActionChains(browser).send_keys("b").perform()
    wait_until(browser, SAYS + " === 'Exit this page expired.'")
    press_shift(browser, 2)
    wait_until(browser, SAYS + " === 'Shift, press 1 more time to exit.'")
    assert browser.execute_script("return location.pathname") == f"/{PAGE}/"


def test_the_page_is_blanked_while_the_next_one_loads_and_usable_again_after_back(browser, site_url):
    """The cover hides the page (and takes it from screen readers and the Tab key) at once. A page
    shown again from the back-forward cache is usable, not blank."""
    load(browser, site_url + PAGE + "/")
    # Leave for a place on this same page, so the blank cover can be looked at (GOV.UK's tests do this).
    browser.execute_script("document.querySelector('.ci-exit__button').href = '#leaving'")
    browser.find_element(By.CSS_SELECTOR, ".ci-exit__button").click()
    wait_until(browser, "return location.hash === '#leaving'")
    cover = browser.find_element(By.CSS_SELECTOR, ".ci-exit-cover")
    assert cover.get_attribute("role") == "alert" and cover.text == "Loading."
    assert browser.execute_script("""
        const r = document.querySelector('.ci-exit-cover').getBoundingClientRect();
        return r.left <= 0 && r.top <= 0 && r.right >= innerWidth && r.bottom >= innerHeight""")
    assert not browser.find_element(By.CSS_SELECTOR, "main").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".md-header").is_displayed()
    browser.execute_script("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert browser.find_elements(By.CSS_SELECTOR, ".ci-exit-cover") == []
    assert browser.find_element(By.CSS_SELECTOR, "main").is_displayed()
    assert browser.execute_script(SAYS) == ""


def test_pages_without_the_button_ignore_shift(browser, site_url):
    load(browser, site_url)
    assert browser.find_elements(By.CSS_SELECTOR, "script[src$='exit-this-page.js']")
    press_shift(browser, 3)
    assert browser.execute_script("return location.href") == site_url
    assert browser.find_elements(By.CSS_SELECTOR, ".ci-exit-cover") == []


def test_keyboard_only(browser, site_url, neutral):
    """The skip link, then Tab: the button is the first thing in the page. Its focus is the site's
    yellow, and Enter leaves. The skip link does not add the page to the history again."""
    before = arrive(browser, site_url)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("textContent").strip() == "Skip to main content"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "main-content"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    button = browser.switch_to.active_element
    assert button.accessible_name == "Emergency Exit this page"
    assert browser.execute_script("return getComputedStyle(document.activeElement).backgroundColor") == \
        "rgb(255, 221, 0)"
    button.send_keys(Keys.ENTER)
    assert_replaced(browser, site_url, neutral, before)


def test_without_javascript_the_link_still_leaves(site_url, neutral):
    """A plain link: it goes to the neutral website (the browser keeps the page in its history then).
    The note does not offer the Shift shortcut, which needs JavaScript."""
    from selenium.webdriver.support.ui import WebDriverWait
    with chromium(javascript=False) as plain:
        plain.get(site_url + PAGE + "/")
        assert "no-js" in plain.find_element(By.TAG_NAME, "html").get_attribute("class")
        note = plain.find_element(By.CSS_SELECTOR, ".ci-exit-note").text
        assert "Exit this page" in note and "Shift" not in note
        plain.find_element(By.CSS_SELECTOR, ".ci-exit__button").click()
        WebDriverWait(plain, 15).until(lambda d: d.current_url == neutral)
        assert plain.find_element(By.TAG_NAME, "h1").text == "Weather today"
