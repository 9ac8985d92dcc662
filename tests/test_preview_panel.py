"""The author preview panel (clearinfo/preview_panel.py): each page's check results in plain English,
long sentences marked in place without breaking the page, and a box that is itself accessible."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from clearinfo.content.easyread import load_easy_read
from clearinfo.content.glossary import Glossary, Term, link_first_uses
from clearinfo.content.pages import Page, PageRules, load_page
from clearinfo.content.settings import Settings, fill_placeholders
from clearinfo.errors import Problem
from clearinfo.lint.easy_read import EasyReadRules
from clearinfo.options import defaults
from clearinfo.pictures import PictureSet
from clearinfo.preview_panel import (LABEL, MARK_CLASS, PANEL_CLASS, STYLESHEET, add_panel, highlight_long_sentences,
                                     page_findings, panel_html)

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)
SETTINGS = Settings(council={"name": "Example Council", "phone": "01632 960000"})
GLOSSARY = Glossary([Term(term="carer", meaning="Someone who looks after a person without being paid.",
                          slug="carer", line=1, also=["carers"]),
                     Term(term="statutory", meaning="Set down in law.", slug="statutory", line=2)])
OPTIONS = defaults()

HEAD = """---
title: Support for carers
summary: What carers can get from us.
owner: Adult Social Care information team
coproduced_with:
  - Carers' reference group
status: draft
last_reviewed: {last}
review_due: {due}
sources:
  - 003_8c4143861d2e16af.txt:703-711
---

"""
LONG = ("If you look after someone who could not manage without you, you can ask us for a carer's "
        "assessment, and we will talk with you about what would make your life easier and what help you need.")
LONG_WITH_TAGS = ("You can ask for a [carer's assessment](assessment.md) at any time, and **we will** talk "
                  "with you about what would make your life easier, even if you already get some help from us.")
SHORT = "Carers can get support. Phone us on {{ council.phone }}."


def page_from(tmp_path: Path, body: str, *, last="2026-03-01", due="2027-03-01", head=None) -> Page:
    path = tmp_path / "content" / "carers.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((head or HEAD.format(last=last, due=due)) + body, encoding="utf-8")
    page, problems = load_page(path, path.parent, "content/carers.md", SETTINGS, PageRules(today=TODAY))
    assert page is not None, problems
    return page


def findings(page: Page, today=TODAY, **kwargs):
    return page_findings(page, "content/carers.md", GLOSSARY, OPTIONS, today, settings=SETTINGS,
                         rules=PageRules(today=today), **kwargs)


def rendered(page: Page) -> str:
    """The page's HTML much as the build makes it: placeholders filled, Markdown, the glossary's links."""
    html = markdown.markdown(fill_placeholders(page.body, SETTINGS, for_html=True),
                             extensions=["attr_list", "tables", "def_list"])
    return link_first_uses(html, GLOSSARY, "../words-we-use/")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


class Balance(HTMLParser):
    """Every element that is opened is closed, in order (void elements aside)."""
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def balanced(html: str) -> bool:
    b = Balance()
    b.feed(html)
    b.close()
    return not b.errors and not b.stack


def without_marks(html: str) -> str:
    return re.sub(rf'<mark class="{MARK_CLASS}"[^>]*>|</mark>', "", html)


# --- What the panel finds ------------------------------------------------------------------------

def test_a_long_sentence_is_found_and_marked_in_place(tmp_path):
    page = page_from(tmp_path, f"## Help for you\n\n{SHORT}\n\n{LONG}\n\nWe reply in 5 days.\n")
    f = findings(page)
    assert [(s.line, s.text) for s in f.long_sentences] == [(page.body_line + 5, LONG)]
    html = rendered(page)
    marked = highlight_long_sentences(html, [s.text for s in f.long_sentences])
    marks = soup(marked).find_all("mark", class_=MARK_CLASS)
    assert marks, marked
    assert words(" ".join(m.get_text() for m in marks)) == words(LONG)
    assert all(m.find_parent("p") is not None for m in marks)
    assert without_marks(marked) == html and balanced(marked)
    panel = soup(panel_html(f)).get_text(" ")
    assert "1 sentence is longer than 25 words. It is highlighted in yellow." in panel
    assert f"Line {page.body_line + 5}" in panel


def test_a_page_without_long_sentences_gets_nothing_marked(tmp_path):
    page = page_from(tmp_path, f"## Help for you\n\n{SHORT}\n\nWe reply in 5 days.\n")
    f = findings(page)
    assert f.long_sentences == []
    html = rendered(page)
    assert highlight_long_sentences(html, [s.text for s in f.long_sentences]) == html
    assert "No sentence is longer than 25 words: good." in soup(panel_html(f)).get_text(" ")


def test_a_long_sentence_with_a_placeholder_is_found_with_the_council_details_filled_in(tmp_path):
    sentence = ("You can phone us on {{ council.phone }} from Monday to Friday to ask about a carer's assessment, "
                "and we will talk with you about the help you need and when it can start.")
    page = page_from(tmp_path, f"## Phone us\n\n{sentence}\n")
    f = findings(page)
    assert [s.text for s in f.long_sentences] == [sentence]
    marked = highlight_long_sentences(rendered(page), [sentence])
    text = " ".join(m.get_text() for m in soup(marked).find_all("mark", class_=MARK_CLASS))
    assert "01632 960000" in text and text.endswith("start.")


def test_jargon_with_no_glossary_entry_is_listed(tmp_path):
    page = page_from(tmp_path, "## Help\n\nWe utilise your views prior to any change. This is a statutory duty.\n")
    f = findings(page)
    assert sorted(f.jargon_words) == ["prior to", "utilise"]  # 'statutory' is in Words we use
    panel = soup(panel_html(f)).get_text(" ")
    assert "2 words may be jargon that Words we use does not explain." in panel
    assert "'utilise' is jargon. Say 'use' instead" in panel


def test_jargon_set_in_the_settings_is_listed_too(tmp_path):
    page = page_from(tmp_path, "## Help\n\nWe will triage your request.\n")
    f = page_findings(page, "content/carers.md", GLOSSARY, {**OPTIONS, "jargon": {"triage": "sort"}}, TODAY)
    assert f.jargon_words == ["triage"]


def test_a_missing_detail_is_listed(tmp_path):
    good = page_from(tmp_path, "## Help\n\nCarers can get support.\n")
    page_file = tmp_path / "content" / "carers.md"
    page_file.write_text(page_file.read_text().replace("owner: Adult Social Care information team\n", ""))
    meta = {k: v for k, v in good.meta.items() if k != "owner"}
    page = Page(good.path, good.rel, meta, good.body, good.body_line - 1, good.lines)
    f = findings(page)
    assert any("have no 'owner'" in p.message for p in f.details), f.details
    panel = soup(panel_html(f))
    details = panel.find("h3", string="Page details").find_next("ul").get_text(" ")
    assert "Must fix:" in details and "no 'owner'" in details


def test_a_page_with_all_its_details_says_so(tmp_path):
    f = findings(page_from(tmp_path, "## Help\n\nCarers can get support.\n"))
    assert f.details == []
    assert "The page has all its details: good." in panel_html(f)


def test_an_overdue_review_is_shown_as_overdue(tmp_path):
    page = page_from(tmp_path, "## Help\n\nCarers can get support.\n", last="2025-01-10", due="2026-01-10")
    f = findings(page, today=dt.date(2026, 3, 1))
    assert f.review_state == "overdue" and f.review_status == "overdue by 50 days"
    reviews = " ".join(soup(panel_html(f)).find("h3", string="Review dates").find_next("ul").get_text(" ").split())
    assert "Last reviewed: 10 January 2025." in reviews
    assert "Next review: 10 January 2026. The review is overdue by 50 days." in reviews


def test_a_review_due_soon_and_one_far_off(tmp_path):
    page = page_from(tmp_path, "## Help\n\nCarers can get support.\n", last="2026-01-10", due="2026-12-01")
    assert findings(page).review_state == "soon"
    assert "due in 8 days" in panel_html(findings(page))
    page = page_from(tmp_path, "## Help\n\nCarers can get support.\n", last="2026-01-10", due="2027-12-01")
    assert findings(page).review_state == "ok"


def test_reading_ease_with_its_target(tmp_path):
    easy = " ".join(["We can help you. You can phone us. We will talk with you."] * 6)
    f = findings(page_from(tmp_path, f"## Help\n\n{easy}\n"))
    assert f.reading_ease >= 60 and not f.ease_below_target
    assert f"Reading ease: {f.reading_ease:.0f}. The aim is 60 or more: good." in panel_html(f)
    hard = " ".join(["Comprehensive intergenerational considerations necessitate individualised "
                     "multidisciplinary documentation."] * 6)
    f = findings(page_from(tmp_path, f"## Help\n\n{hard}\n"))
    assert f.ease_below_target
    assert "harder to read than the aim" in panel_html(f)


def test_easy_read_rule_breaks_are_listed(tmp_path):
    page = page_from(tmp_path, "## Help\n\nCarers can get support.\n")
    source = tmp_path / "easyread" / "carers.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: Help for carers\npage: carers.md\nwritten_by: Us\nchecked_by:\n  - People who "
                      "use services\nlast_reviewed: 2026-03-01\nreview_due: 2027-03-01\n---\n\npicture: phone\n"
                      "Phone us TODAY.\n", encoding="utf-8")
    doc, problems = load_easy_read(source, "easyread/carers.md", SETTINGS, PageRules(today=TODAY))
    assert doc is not None, problems
    rules = EasyReadRules(GLOSSARY, PictureSet(tmp_path / "easyread" / "pictures"), levels={"no-picture": "off"})
    f = findings(page, easy_reads=[doc], easy_read_rules=rules)
    assert f.easy_read == "easyread/carers.md"
    assert [p.message for p in f.easy_read_problems] == [
        "'TODAY' is in capital letters. Capitals are hard to read: write it in small letters, with a capital only "
        "at the start of a name. (Easy Read rule: all-caps)"]
    assert "The Easy Read version (easyread/carers.md) has 1 thing to change:" in panel_html(f)
    assert "This page has no Easy Read version." in panel_html(findings(page))


def test_other_problems_the_build_found_are_listed_once(tmp_path):
    page = page_from(tmp_path, "## Help\n\nWe utilise your views.\n")
    f = findings(page)
    jargon = f.jargon[0]
    other = Problem("content/carers.md", 12, "this links to a draft page. Publish that page first.", "warning")
    elsewhere = Problem("content/other.md", 3, "not this page.", "warning")
    f = findings(page, problems=[jargon, other, elsewhere])
    assert f.other == [other]
    assert panel_html(f).count("is jargon") == 1


def test_a_page_in_another_language_is_not_measured(tmp_path):
    head = HEAD.format(last="2026-03-01", due="2027-03-01").replace("status: draft\n", "status: draft\nlanguage: pl\n")
    f = findings(page_from(tmp_path, "## Pomoc\n\nMożemy pomóc.\n", head=head))
    assert not f.in_english and f.reading_ease is None and f.long_sentences == []
    assert "only pages in English" in panel_html(f)


# --- The panel's HTML ----------------------------------------------------------------------------

def test_the_panel_is_an_accessible_aside_with_no_style_or_script(tmp_path):
    page = page_from(tmp_path, f"## Help\n\n{LONG}\n\nWe utilise your views.\n", last="2025-01-10", due="2026-01-10")
    html = panel_html(findings(page))
    assert balanced(html)
    parsed = soup(html)
    aside = parsed.find("aside")
    assert aside is not None and aside["class"] == [PANEL_CLASS] and aside["aria-label"] == LABEL
    assert len(parsed.find_all("aside")) == 1 and parsed.contents[0] is aside  # nothing outside the box
    headings = [h.name for h in aside.find_all(re.compile(r"^h\d$"))]
    assert headings[0] == "h2" and set(headings[1:]) == {"h3"}  # in order after the page's h1
    assert all(h.find_next_sibling().name == "ul" for h in aside.find_all("h3"))
    assert "style=" not in html.lower() and "<script" not in html.lower()
    assert not [a for tag in aside.find_all(True) for a in tag.attrs if a == "style" or a.startswith("on")]
    assert "never published" in aside.get_text(" ")


def test_the_panel_escapes_what_the_page_says(tmp_path):
    sentence = ("If you look after someone who could not manage without you, you can ask us for a carer's "
                "assessment &amp; <b>we</b> will talk with you about what would make your life easier and what help.")
    page = page_from(tmp_path, f"## Help\n\n{sentence}\n")
    html = panel_html(findings(page))
    assert balanced(html) and "<b>" not in html and "&lt;b&gt;" in html


def test_add_panel_puts_the_box_before_main_and_marks_the_sentences(tmp_path):
    page = page_from(tmp_path, f"## Help\n\n{LONG}\n")
    content = rendered(page)
    whole = (f'<!doctype html><html><head><title>{LONG}</title></head><body><nav><p>{LONG}</p></nav>'
             f'<div class="md-content"><main id="main-content"><article><h1>Support</h1>{content}</article></main>'
             '</div></body></html>')
    out = soup(add_panel(whole, findings(page)))
    content_div = out.find("div", class_="md-content")
    assert content_div.find("aside", recursive=False).find_next_sibling().name == "main"
    marks = out.find_all("mark", class_=MARK_CLASS)
    assert marks and all(m.find_parent("main") for m in marks)  # only the page's own words
    assert out.title.find("mark") is None and out.nav.find("mark") is None


# --- Marking long sentences ----------------------------------------------------------------------

def test_marking_a_sentence_through_links_and_bold_keeps_the_html_whole(tmp_path):
    page = page_from(tmp_path, f"## Help\n\n- Carers can get support.\n- {LONG_WITH_TAGS}\n- We reply in 5 days.\n")
    f = findings(page)
    assert len(f.long_sentences) == 1
    html = rendered(page)
    assert "<a " in html and "<strong>" in html
    marked = highlight_long_sentences(html, [s.text for s in f.long_sentences])
    assert balanced(html) and balanced(marked)
    assert without_marks(marked) == html  # nothing changed but the marks
    assert soup(marked).get_text() == soup(html).get_text()
    marks = soup(marked).find_all("mark", class_=MARK_CLASS)
    assert len(marks) > 1  # one piece between each pair of tags
    assert words(" ".join(m.get_text() for m in marks)) == words(re.sub(r"\(assessment\.md\)", "", LONG_WITH_TAGS))
    for m in marks:
        assert m.find(True) is None  # a mark holds only text: it never cuts an element in two
        assert m.find_parent("li").get_text().startswith("You can ask")


def test_a_sentence_is_never_marked_across_2_list_items():
    first, second = LONG.split(", and ")
    html = f"<ul>\n<li>{first},</li>\n<li>and {second}</li>\n</ul>"
    assert highlight_long_sentences(html, [LONG]) == html


def test_character_references_and_smart_quotes_are_marked_whole():
    sentence = "Don't worry if you can't fill in the form & send it back by the date we asked for it, because we can help."
    html = ("<p>Don&rsquo;t worry if you can&#8217;t fill in the form &amp; send it back by the date we asked for it, "
            "because we can help. Then we talk.</p>")
    marked = highlight_long_sentences(html, [sentence])
    assert balanced(marked) and without_marks(marked) == html
    mark = soup(marked).find("mark")
    assert mark.get_text() == soup(html).p.get_text().removesuffix(" Then we talk.")
    assert "&amp; send" in marked and "&rsquo;t" in marked


def test_text_in_scripts_styles_code_blocks_and_the_panel_is_left_alone():
    html = (f"<script>var s = '{LONG}';</script><style>/* {LONG} */</style><pre>{LONG}</pre>"
            f'<aside class="{PANEL_CLASS}"><ul><li><q>{LONG}</q></li></ul></aside><p>{LONG}</p>')
    marked = highlight_long_sentences(html, [LONG])
    parsed = soup(marked)
    assert len(parsed.find_all("mark")) == 1 and parsed.find("mark").parent.name == "p"


def test_a_line_break_inside_a_sentence_splits_the_mark():
    first, second = LONG.split(", and ")
    html = f"<p>{first},<br>and {second}</p>"
    marked = highlight_long_sentences(html, [LONG])
    assert balanced(marked) and without_marks(marked) == html
    assert [m.get_text() for m in soup(marked).find_all("mark")] == [f"{first},", f"and {second}"]


def test_a_sentence_that_is_not_on_the_page_changes_nothing():
    html = "<p>Something else entirely.</p>"
    assert highlight_long_sentences(html, [LONG]) == html
    assert highlight_long_sentences(html, []) == html


def test_broken_html_is_not_made_worse():
    html = f"<p>{LONG}<p>a < b and <em>c</em></div>"
    marked = highlight_long_sentences(html, [LONG])
    assert without_marks(marked) == html
    assert soup(marked).find("mark").get_text() == LONG


# --- Its stylesheet ------------------------------------------------------------------------------

def _scheme(css: str, name: str) -> dict:
    block = re.search(rf'\[data-md-color-scheme="{name}"\]\s*{{(.*?)}}', css, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def _luminance(hex_colour: str) -> float:
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(hex_colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_panel_colours_pass_wcag_aa_in_light_and_dark():
    theme = (ROOT / "site_overrides" / "assets" / "stylesheets" / "clearinfo.css").read_text()
    css = STYLESHEET.read_text()
    box = re.search(r"\.clearinfo-author-panel\s*{(.*?)}", css, re.S).group(1)
    text = re.search(r"(?<![-\w])color:\s*var\((--[\w-]+)", box).group(1)
    background = re.search(r"background-color:\s*var\((--[\w-]+)", box).group(1)
    border = re.search(r"border:.*?var\((--[\w-]+)", box).group(1)
    for scheme in ("default", "slate"):
        colours = _scheme(theme, scheme)
        assert contrast(colours[text], colours[background]) >= 4.5, scheme
        assert contrast(colours[border], colours["--md-default-bg-color"]) >= 3, scheme  # the box's edge
    mark = re.search(r"mark\.clearinfo-long-sentence\s*{(.*?)}", css, re.S).group(1)
    fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", mark).group(1)
    bg = re.search(r"background-color:\s*(#[0-9a-fA-F]{6})", mark).group(1)
    assert contrast(fg, bg) >= 4.5  # the same in both schemes: the mark sets both colours


def test_the_stylesheet_keeps_the_panel_narrow_enough_for_320px():
    css = STYLESHEET.read_text()
    box = re.search(r"\.clearinfo-author-panel\s*{(.*?)}", css, re.S).group(1)
    assert "max-width: 100%" in box and "box-sizing: border-box" in box and "overflow-wrap: anywhere" in box
    # Beside the page only on wide screens; fixed widths appear nowhere else.
    outside = re.sub(r"@media screen and \(min-width: 60em\)\s*{.*?\n}", "", css, flags=re.S)
    assert not re.search(r"(?<![-\w])(width|flex):[^;]*\d+(rem|px|em)", outside)


@pytest.mark.browser
def test_in_a_browser_the_panel_sits_beside_the_page_and_above_it_at_320px(built_site, tmp_path):
    """The bundled site's page with the panel added, in real Chromium: above the words with no sideways
    scrolling at 320px, beside them on a wide screen, and axe finds nothing in either colour scheme."""
    import shutil
    from clearinfo.check.browser import chromium, run_axe, serve_directory, set_colour_scheme, set_viewport
    from clearinfo.check.axe import GATE_TAGS

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page_file = site / "support-for-carers" / "index.html"
    page = page_from(tmp_path, f"## Help\n\n{LONG}\n\nWe utilise your views.\n", last="2025-01-10", due="2026-01-10")
    html = add_panel(page_file.read_text(encoding="utf-8"), findings(page))
    # A sentence of the page's own, through the glossary's link: marked, so axe checks the marks too.
    html = highlight_long_sentences(html, ["A carer is someone who gives unpaid help to a partner, relative, "
                                           "friend or neighbour."])
    (site / "assets" / "stylesheets" / "preview_panel.css").write_text(STYLESHEET.read_text())
    html = html.replace("</head>", '<link rel="stylesheet" href="../assets/stylesheets/preview_panel.css"></head>', 1)
    page_file.write_text(html, encoding="utf-8")
    with serve_directory(site) as url, chromium() as browser:
        for width in (320, 1280):
            set_viewport(browser, width)
            browser.get(url + "support-for-carers/")
            box = browser.execute_script(
                "const a = document.querySelector('.clearinfo-author-panel').getBoundingClientRect();"
                "const m = document.querySelector('main').getBoundingClientRect();"
                "return [a.left, a.right, a.bottom, m.left, m.right, m.top,"
                " document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            a_left, a_right, a_bottom, m_left, m_right, m_top, scroll, client = box
            assert scroll <= client, f"sideways scrolling at {width}px"
            assert browser.execute_script(f"return document.querySelectorAll('main mark.{MARK_CLASS}').length") > 1
            if width == 320:
                assert a_bottom <= m_top + 1
            else:
                assert a_left >= m_right - 1
            for scheme in ("light", "dark"):
                set_colour_scheme(browser, scheme)
                results = run_axe(browser, ROOT / ".vendor", GATE_TAGS)
                assert results["violations"] == [], (width, scheme, [v["id"] for v in results["violations"]])
