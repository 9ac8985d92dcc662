"""The theme's markup as auditors' checkers read it (the Nu HTML Checker, HTML_CodeSniffer), and three
things people see: no unnamed status icon in the menu, no glossary links inside addresses or headings,
and a Speed list that stays inside the audio player on a phone."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from clearinfo.content.glossary import Glossary, Term, link_first_uses
from conftest import ROOT, words_for


def soups(site: Path):
    for page in sorted(site.rglob("*.html")):
        yield page, BeautifulSoup(page.read_text(), "html.parser")


def council() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["extra"]["council"]


def test_labels_are_labels_and_checkboxes_are_valid(built_site):
    for page, soup in soups(built_site):
        ids = {el["id"] for el in soup.find_all(id=True)}
        for label in soup.find_all("label"):
            # A label is not the control: role or aria-label on it is invalid HTML.
            assert not label.has_attr("role") and not label.has_attr("aria-label"), (page, str(label)[:120])
            assert not label.has_attr("for") or label["for"] in ids, (page, str(label)[:120])
        for box in soup.select("input[type=checkbox]"):
            assert not box.has_attr("autocomplete"), (page, str(box))
            # Every checkbox has a name: a label points at it, wraps it, or it has aria-label.
            named = box.has_attr("aria-label") or box.find_parent("label") or soup.select_one(f"label[for='{box.get('id')}']")
            assert named, (page, str(box))


def test_menu_is_a_real_button_with_a_label_for_no_javascript(built_site):
    for page, soup in soups(built_site):
        button = soup.select_one("header button.ci-menu-button[data-ci-toggle='__drawer']")
        assert button is not None and button["type"] == "button", page
        menu = words_for(soup)("Menu")
        assert button["aria-expanded"] == "false" and button.get_text(strip=True) == menu, page
        label = soup.select_one("header label.ci-menu-label[for='__drawer']")
        assert label is not None and label.get_text(strip=True) == menu, page
        assert soup.find(id="__drawer").name == "input"


def test_every_search_form_has_a_search_button_and_no_other_forms(built_site):
    for page, soup in soups(built_site):
        forms = soup.find_all("form")
        assert forms and all(f.select_one("button[type=submit], input[type=submit]") for f in forms), page
        submit = soup.select_one("form.md-search__form button[type=submit]")
        assert submit.get_text(strip=True) == words_for(soup)("Search"), page


def test_menu_has_no_status_icons(built_site):
    # Clearinfo's 'status' (draft, in review, approved) is its own; Material must not draw it. Drafts
    # staying out of the site and marked in the preview: test_cli.py and test_serve.py.
    for page, soup in soups(built_site):
        assert not soup.select(".md-status"), page


def test_no_glossary_links_in_addresses_headings_links_or_the_footer(built_site):
    address = ", ".join(council()["address"])
    found_address = False
    for page, soup in soups(built_site):
        for term in soup.select("a.ci-term"):
            assert not term.find_parent(["address", "h1", "h2", "h3", "h4", "h5", "h6", "footer", "a"]), (page, term)
        for el in soup.find_all(["p", "li"]):
            if address in el.get_text():
                found_address = True
                assert not el.select("a.ci-term"), (page, str(el)[:200])
    assert found_address, "the bundled pages write the address with {{ council.address }}"


def test_glossary_still_links_words_in_paragraphs(built_site):
    """Twin of the test above: the linker is not simply switched off."""
    soup = BeautifulSoup((built_site / "complaints" / "index.html").read_text(), "html.parser")
    assert any(t.find_parent("p") for t in soup.select("main a.ci-term"))


def _glossary(*terms):
    return Glossary([Term(term=t, meaning="m", slug=t.lower().replace(" ", "-"), line=1) for t in terms])


def test_linker_skips_addresses_headings_and_text_left_alone():
    g = _glossary("Adult Social Care", "Carer")
    html = ("<h2>Adult Social Care</h2><address>Adult Social Care, Town Hall</address>"
            "<p>Write to Example Council Adult Social Care, Town Hall.</p>"
            "<p>A carer can ask Adult Social Care for help.</p>")
    out = link_first_uses(html, g, "../words/", leave_alone=["Example Council Adult Social Care, Town Hall", None])
    soup = BeautifulSoup(out, "html.parser")
    linked = [(a.parent.name, a.get_text()) for a in soup.select("a.ci-term")]
    assert linked == [("p", "carer"), ("p", "Adult Social Care")]
    assert "Write to Example Council Adult Social Care, Town Hall." in out


def test_linker_survives_a_stray_closing_tag():
    out = link_first_uses("</h2><p>A carer.</p>", _glossary("Carer"), "../words/")
    assert 'class="ci-term"' in out


@pytest.mark.browser
def test_speed_list_stays_inside_the_player_at_320px(built_site):
    from clearinfo.check.browser import chromium, serve_directory, set_viewport
    from conftest import wait_until
    with serve_directory(built_site) as url, chromium(width=320) as browser:
        set_viewport(browser, 320)
        browser.get(url + "complaints/")
        wait_until(browser, "return !document.querySelector('.ci-player__controls').hidden")
        player, select = browser.execute_script(
            "const r = s => document.querySelector(s).getBoundingClientRect();"
            "return [r('.ci-player'), r('.ci-player__speed select')].map(b => [b.left, b.right])")
        assert player[0] <= select[0] and select[1] <= player[1], (player, select)


@pytest.mark.browser
def test_theme_greys_are_readable_in_the_dark_scheme(built_site):
    """HTML_CodeSniffer checks text the reader has not opened yet (axe does not): the search's
    "Getting search ready" line and the small-screen menu's "On this page" bar, in dark colours."""
    from clearinfo.check.browser import chromium, serve_directory, set_colour_scheme, set_viewport
    ratio = """
    const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => { v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const s = getComputedStyle(document.querySelector(arguments[0]));
    const [a, b] = [lum(s.color), lum(s.backgroundColor)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);"""
    with serve_directory(built_site) as url, chromium(width=320) as browser:
        set_viewport(browser, 320)
        browser.get(url + "complaints/")
        set_colour_scheme(browser, "dark")
        browser.execute_script("return new Promise(done => setTimeout(done, 400))")  # colour transitions end
        for part in (".md-search-result__meta", ".md-nav--primary label.md-nav__title[for='__toc']"):
            assert browser.execute_script(ratio, part) >= 4.5, part


@pytest.mark.browser
def test_menu_opens_from_its_label_without_javascript(built_site):
    from selenium.webdriver.common.by import By

    from clearinfo.check.browser import chromium, serve_directory, set_viewport
    from conftest import wait_until
    with serve_directory(built_site) as url, chromium(width=320, javascript=False) as browser:
        set_viewport(browser, 320)
        browser.get(url + "complaints/")
        assert not browser.find_element(By.CSS_SELECTOR, ".ci-menu-button").is_displayed()
        browser.find_element(By.CSS_SELECTOR, "label.ci-menu-label").click()
        wait_until(browser, "const r = document.querySelector('nav.md-nav--primary').getBoundingClientRect();"
                            "return document.getElementById('__drawer').checked && r.left >= 0 && r.width > 0")


@pytest.mark.browser
def test_search_button_shows_the_results_and_sends_nothing(built_site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from clearinfo.check.browser import chromium, serve_directory
    from conftest import wait_until
    with serve_directory(built_site) as url, chromium() as browser:
        browser.get(url + "complaints/")
        box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
        box.click()
        box.send_keys("carer")
        wait_until(browser, "return document.querySelectorAll('.md-search-result__item').length > 0")
        box.send_keys(Keys.TAB)  # Material closes the results on Tab; the next stop is the Search button
        button = browser.switch_to.active_element
        assert button.get_attribute("type") == "submit" and button.text == "Search"
        button.send_keys(Keys.ENTER)
        wait_until(browser, "return document.getElementById('__search').checked && "
                            "document.activeElement.matches('.md-search-result__list [href]')")
        assert browser.current_url == url + "complaints/"  # the form was not sent anywhere
