"""Safe by construction: only the allowed HTML reaches a page, every page carries its policy, and the
site works under that policy in a real browser."""
from __future__ import annotations

import hashlib
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from clearinfo.check.safety_checks import check_safety, check_stylesheets
from clearinfo.content.safe_html import check_rendered, check_source
from clearinfo.theme.policy import apply_policy, inline_script_hashes

REFUSED = [
    ("<script>alert(1)</script>", "the HTML tag <script> is not allowed, because it would run a program"),
    ("<ScRiPt src=//evil.example/x.js>", "the HTML tag <script> is not allowed"),
    ("[Help](javascript:alert(1))", "the address 'javascript:alert(1)' starts with 'javascript:'"),
    ('<a href="jav&#x09;ascript:alert(1)">Help</a>', "starts with 'javascript:'"),
    ('<a href=" JaVaScRiPt:alert(1)">Help</a>', "starts with 'javascript:'"),
    ("[Help]: javascript:alert(1)", "starts with 'javascript:'"),
    ("<img src=x.png alt='' onerror=alert(1)>", "'onerror' on <img> is not allowed"),
    ("<svg onload=alert(1)>", "the HTML tag <svg> is not allowed, because a picture written as code"),
    ("<iframe src=https://elsewhere.example/></iframe>", "the HTML tag <iframe> is not allowed"),
    ("<object data=x.swf></object>", "the HTML tag <object> is not allowed"),
    ("<embed src=x.swf>", "the HTML tag <embed> is not allowed"),
    ('<form action="https://elsewhere.example/">', "the HTML tag <form> is not allowed, because a form"),
    ('<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">', "the HTML tag <meta>"),
    ("[Open](data:text/html;base64,PHNjcmlwdD4=)", "starts with 'data:'"),
    ('<p style="background:url(https://elsewhere.example/t.png)">Hi</p>', "'style' on <p> is not allowed"),
    ("<style>@import url(https://elsewhere.example/x.css)</style>", "the HTML tag <style> is not allowed"),
    ("![A picture](https://elsewhere.example/t.png)", "the picture address 'https://elsewhere.example/t.png'"),
    ("<javascript:alert(1)>", "starts with 'javascript:'"),
    ('<a href="https://example.org/" target="_blank">x</a>', "'target' on <a> is not allowed"),
]

ALLOWED = [
    '<abbr title="National Health Service">NHS</abbr>',
    '<span lang="cy">Croeso</span>',
    "<details><summary>More about this</summary>The words.</details>",
    '<a href="https://www.example.org/">The council</a>',
    "[Complaints](complaints.md)",
    "<https://www.example.org/>",
    "`<script>` is shown as code",
    "```\n<script>alert(1)</script>\n```",
    '<table><tr><th scope="col">Day</th></tr><tr><td colspan="1">Monday</td></tr></table>',
    '<div markdown="1">Words</div>',
    "ages <18, and 3 < 5",
    "[Call us](tel:01632960000) or [email us](mailto:a@example.org)",
    '![A day centre](pictures/day-centre.png)',
    "<!-- a note for editors -->",
]


@pytest.mark.parametrize("markdown, message", REFUSED)
def test_unsafe_html_is_refused_with_its_line(markdown, message):
    problems = check_source("Some words.\n\n" + markdown + "\n", "content/x.md", 20)
    assert problems, markdown
    assert message in problems[0].message
    assert problems[0].line == 22 and problems[0].path == "content/x.md"


@pytest.mark.parametrize("markdown", ALLOWED)
def test_the_allowed_html_passes(markdown):
    assert check_source(markdown, "content/x.md", 1) == []


def test_what_markdown_makes_is_checked_too():
    """attr_list can add an attribute the Markdown check cannot see: the page's HTML is checked too."""
    markdown = "Some words.\n\nCall us {: onclick=\"alert(1)\" }\n"
    problems = check_rendered('<p>Some words.</p><p onclick="alert(1)">Call us</p>', "content/x.md", markdown, 8)
    assert [(p.line, p.message[:34]) for p in problems] == [(10, "'onclick' on <p> is not allowed, b")]
    assert check_rendered('<p>Some words.</p><p class="lead">Call us</p>', "content/x.md", markdown, 8) == []


def _page(body: str, extra_head: str = "") -> str:
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">{extra_head}<title>T</title>'
            f"</head><body>{body}</body></html>")


def test_policy_allows_the_inline_scripts_by_hash():
    html, hashes = apply_policy(_page("<script>var a=1</script><script type='application/json'>{}</script>"),
                                {"email": "x@example.org"})
    digest = hashlib.sha256(b"var a=1").digest()
    import base64
    assert hashes == [f"'sha256-{base64.b64encode(digest).decode()}'"]
    soup = BeautifulSoup(html, "html.parser")
    assert check_safety("p.html", soup) == []
    assert "form-action 'none'" in soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def test_links_to_other_sites_get_noopener():
    html, _ = apply_policy(_page('<a href="https://www.example.org/">C</a><a href="https://care.example.org/x/">S</a>'
                                 '<a href="../x/">R</a>'), None, "https://care.example.org/")
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get("rel") for a in soup.find_all("a")] == [["noopener", "noreferrer"], None, None]


@pytest.mark.parametrize("link, rel", [
    ('<a title="Out of hours > help" href="https://www.example.org/">C</a>', ["noopener", "noreferrer"]),  # '>' in a value
    ('<a href="https:&#x2F;&#x2F;www.example.org/">C</a>', ["noopener", "noreferrer"]),  # '//' as references
    ('<a rel="external" href=\'https://www.example.org/\'>C</a>', ["external", "noopener", "noreferrer"]),
    # Twins left alone: an href only inside another attribute's words, and a link on the site itself.
    ('<a title=\'see href="https://www.example.org/"\' href="../x/">R</a>', None),
    ('<a title="a > b" href="https://care.example.org/x/">S</a>', None),
])
def test_every_link_to_another_site_gets_noopener_however_its_tag_is_written(link, rel):
    html, _ = apply_policy(_page(link), None, "https://care.example.org/")
    assert BeautifulSoup(html, "html.parser").find("a").get("rel") == rel


TAMPERED = [
    (_page("<p>Hi</p>"), "csp-missing"),
    ("unlisted", "csp-unlisted-script"),
    ('<p onclick="x()">Hi</p>', "inline-handler"),
    ('<a href="javascript:x()">Hi</a>', "script-address"),
    ('<script src="https://elsewhere.example/x.js"></script>', "loads-from-elsewhere"),
    ('<img src="//elsewhere.example/t.png" alt="">', "loads-from-elsewhere"),
    ("<style>@import url(https://fonts.example/css)</style>", "loads-from-elsewhere"),
    ('<p style="background:url(https://elsewhere.example/t.png)">Hi</p>', "loads-from-elsewhere"),
]


@pytest.mark.parametrize("body, rule", TAMPERED)
def test_the_gate_catches_an_unsafe_built_page(body, rule):
    if rule == "csp-missing":
        html = body
    else:
        html, _ = apply_policy(_page(""), None)
        insert = "<script>stolen()</script>" if body == "unlisted" else body
        html = html.replace("<body>", "<body>" + insert)
    findings = check_safety("p.html", BeautifulSoup(html, "html.parser"))
    assert rule in [f.rule for f in findings]


def test_the_gate_sees_past_a_comment_that_browsers_end_early(tmp_path):
    from clearinfo.check.html_checks import load
    html, _ = apply_policy(_page("<!--><img src=x.png alt='' onerror=alert(1)><!-- -->"), None)
    (tmp_path / "p.html").write_text(html)
    assert "inline-handler" in [f.rule for f in check_safety("p.html", load(tmp_path / "p.html"))]


def test_the_gate_catches_a_weak_policy():
    html, _ = apply_policy(_page(""), None)
    html = html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    assert "csp-weak" in [f.rule for f in check_safety("p.html", BeautifulSoup(html, "html.parser"))]


def test_the_gate_catches_a_font_from_elsewhere(tmp_path):
    (tmp_path / "ok.css").write_text("@font-face { src: url(../fonts/a.woff2) }")
    assert check_stylesheets(tmp_path) == []
    (tmp_path / "bad.css").write_text("@import url('https://fonts.googleapis.com/css?family=Roboto');")
    assert [f.rule for f in check_stylesheets(tmp_path)] == ["loads-from-elsewhere"]


def test_every_built_page_is_safe(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert check_safety(path.relative_to(built_site).as_posix(), soup) == [], path
        assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}), path
    assert check_stylesheets(built_site) == []
    headers = (built_site / "_headers").read_text()
    assert "frame-ancestors 'none'" in headers and "X-Content-Type-Options: nosniff" in headers
    for token in inline_script_hashes((built_site / "index.html").read_text()):
        assert token in headers


def _write_page(project, name, body, title="A test page"):
    text = (project / "content" / "getting-care-and-support.md").read_text()
    head, _, _ = text.partition("\n---\n")
    head = head.replace("title: Getting care and support", f"title: {title}")
    # Its 'covers' name that page's own headings, which this page does not have.
    head = re.sub(r"^covers:\n(?:  .*\n)*", "covers: []\n", head + "\n", flags=re.M).rstrip("\n")
    (project / "content" / name).write_text(head + "\n---\n\n## About this\n\n" + body + "\n")


def test_a_hostile_page_stops_the_build_and_the_site_is_unchanged(project, run):
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    before = sorted((p.relative_to(project), p.read_bytes()) for p in (project / "site").rglob("*") if p.is_file())
    _write_page(project, "hostile.md", "Words.\n\n<img src=x.png alt='' onerror=alert(1)>\n\n[Help](jav&#x09;ascript:x())")
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    lines = (project / "content" / "hostile.md").read_text().splitlines()
    at = next(n for n, line in enumerate(lines, 1) if "onerror" in line)
    assert f"content/hostile.md, line {at}: 'onerror' on <img> is not allowed" in err
    assert f"content/hostile.md, line {at + 2}: the address 'javascript:x()'" in err
    after = sorted((p.relative_to(project), p.read_bytes()) for p in (project / "site").rglob("*") if p.is_file())
    assert after == before


def test_an_attribute_added_by_attr_list_is_refused(project, run):
    _write_page(project, "attrs.md", "Words.\n\nCall us today.\n{: onmouseover=\"alert(1)\" }")
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    lines = (project / "content" / "attrs.md").read_text().splitlines()
    at = next(n for n, line in enumerate(lines, 1) if "onmouseover" in line)
    assert code == 1 and f"content/attrs.md, line {at}: 'onmouseover' on <p> is not allowed" in err


def test_html_in_a_title_is_refused(project, run):
    _write_page(project, "title.md", "Words.", title="Help <b>now</b>")
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1 and "content/title.md, line 2: 'title' is plain text, so HTML such as <b>" in err


def test_a_council_name_with_html_characters_shows_as_written(project, run):
    import pdfplumber
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("name: Example Council", "name: 'Smith & \"Jones\" <Council>'"))
    (project / "content" / "index.md").write_text(
        (project / "content" / "index.md").read_text() + "\n\nWe are {{ council.name }}.\n")
    assert run("build", "-f", config)[0] == 0
    soup = BeautifulSoup((project / "site" / "index.html").read_text(), "html.parser")
    name = 'Smith & "Jones" <Council>'
    assert soup.select_one(".ci-header__council").get_text() == name
    assert soup.select_one(".ci-footer__title").get_text() == "Contact " + name
    assert f"We are {name}." in soup.select_one("main").get_text()
    assert not soup.find("council")
    pdf = next((project / "site").rglob("*large-print.pdf"))
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()  # the page header (it may wrap beside the title)
    assert 'Smith & "Jones"' in text and "<Council>" in text
    import subprocess
    mp3 = project / "site" / "home-audio.mp3"
    artist = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format_tags=artist", "-of",
                             "default=nw=1:nk=1", str(mp3)], capture_output=True, text=True, check=True).stdout
    assert artist.strip() == name


def test_a_page_linked_from_outside_the_content_folder_is_refused(project, run, tmp_path):
    secret = tmp_path / "secret.md"
    shutil.copy(project / "content" / "index.md", secret)
    (project / "content" / "secret.md").symlink_to(secret)
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1 and "content/secret.md: this is a link to" in err and "outside the content/ folder" in err


# In a real browser, with the policy enforced: every violation the page reports is collected from the
# very start of the page (a listener added after load would miss the early ones).
_LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""


@pytest.fixture(scope="module")
def policed_browser():
    from clearinfo.check.browser import chromium
    with chromium() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _LISTEN})
        yield driver


def _violations(browser):
    return browser.execute_script("return window.__violations")


@pytest.mark.browser
def test_every_kind_of_page_works_under_its_policy(policed_browser, built_site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from clearinfo.check.browser import serve_directory, set_viewport
    from conftest import wait_until
    browser = policed_browser
    kinds = ["", "complaints/", "easy-read/complaints/", "words-we-use/", "coverage/", "printed-copies/",
             "accessibility/", "404.html"]
    with serve_directory(built_site) as url:
        for kind in kinds:
            set_viewport(browser, 1280)
            browser.get(url + kind)
            wait_until(browser, "return document.readyState === 'complete'")
            assert browser.execute_script("return typeof __md_get") == "function", kind  # inline scripts ran
            assert _violations(browser) == [], kind
        # The player, the colour switch, search and (on a small screen) the menu.
        browser.get(url + "complaints/")
        play = browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=play]")
        wait_until(browser, "return !document.querySelector('.ci-player__controls').hidden")
        browser.execute_script("document.querySelector('.ci-player audio').muted = true")
        play.click()
        wait_until(browser, "return document.querySelector('.ci-player audio').currentTime > 0")
        browser.find_element(By.CSS_SELECTOR, "[data-md-component=palette] label:not([hidden])").click()
        box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
        box.click()
        box.send_keys("carer")
        wait_until(browser, "return document.querySelectorAll('.md-search-result__item').length > 0")
        box.send_keys(Keys.ENTER)
        set_viewport(browser, 320)
        browser.get(url + "complaints/")
        browser.find_element(By.CSS_SELECTOR, "button.ci-menu-button").click()
        wait_until(browser, "return document.getElementById('__drawer').checked")
        assert _violations(browser) == []


@pytest.mark.browser
def test_the_browser_reports_what_the_policy_blocks(policed_browser, built_site, tmp_path):
    """Guard for the test above: the same listener does see a script the policy does not allow."""
    from clearinfo.check.browser import serve_directory
    from conftest import wait_until
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "complaints" / "index.html"
    page.write_text(page.read_text().replace("</body>", "<script>window.ran = 1</script></body>"))
    with serve_directory(site) as url:
        policed_browser.get(url + "complaints/")
        wait_until(policed_browser, "return window.__violations.length > 0")
        assert policed_browser.execute_script("return window.ran") is None
        assert any(v.startswith("script-src") for v in _violations(policed_browser))
