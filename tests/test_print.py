"""Large print PDFs, printing from the browser, and the hard-copy packs for people offline."""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup

from clearinfo.check.browser import chromium, serve_directory
from clearinfo.content.pages import split_front_matter
from clearinfo.formats.pdfs import human_size
from conftest import ROOT

SITE_URL = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]


def published():
    out = []
    for md in sorted((ROOT / "content").glob("*.md")):
        meta = yaml.safe_load(split_front_matter(md.read_text())[0])
        if meta["status"] != "draft":
            out.append((md.stem, meta))
    return out


PAGES = published()


def page_dir(site: Path, stem: str) -> Path:
    return site if stem == "index" else site / stem


def load_words(code: str):
    from clearinfo.theme.catalogue import load_words as load
    return load(code)[0]


def is_right_to_left(code: str) -> bool:
    from clearinfo.content.languages import is_right_to_left as rtl
    return rtl(code) if code else False


def large_print(site: Path, stem: str) -> Path:
    return page_dir(site, stem) / f"{'home' if stem == 'index' else stem}-large-print.pdf"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("stem,meta", PAGES, ids=[p[0] for p in PAGES])
def test_large_print_pdf(built_site, stem, meta):
    path = large_print(built_site, stem)
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    assert reader.metadata["/Title"] == f"{meta['title']} (large print)"
    assert root["/Lang"] == meta.get("language", "en-GB")  # a translation's PDF is in its language
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    # Bookmarks from the headings: the title, then the page's own headings.
    outline = [o.title for o in reader.outline if hasattr(o, "title")]
    assert outline[0] == meta["title"]
    html = BeautifulSoup((page_dir(built_site, stem) / "index.html").read_text(), "html.parser")
    headings = [h.get_text(strip=True) for h in html.select("article h2") if not h.find_parent(
        class_=["ci-summary", "ci-formats", "ci-feedback", "ci-player"])]
    flat = []

    def walk(items):
        for o in items:
            if isinstance(o, list):
                walk(o)
            else:
                flat.append(o.title)
    walk(reader.outline)
    for h in headings:
        assert h in flat, h
    with pdfplumber.open(path) as pdf:
        sizes = [c["size"] for p in pdf.pages for c in p.chars if c["text"].strip()]
        assert min(sizes) >= 18 - 0.01, "large print is 18pt at the smallest"
        text = words(" ".join(p.extract_text() or "" for p in pdf.pages))
        if is_right_to_left(meta.get("language") or ""):  # pdfplumber gives right-to-left lines in drawn order
            text = words(" ".join(p.extract_text() for p in reader.pages))
        # The title and the council on every page, and "Page N of M" in the page's language.
        numbers = {"cy": r"Tudalen \d+ o \d+", "ur": r"صفحہ"}.get(meta.get("language"), r"Page \d+ of \d+")
        for n, p in enumerate(pdf.pages):
            top = p.extract_text() or ""
            if is_right_to_left(meta.get("language") or ""):  # pypdf keeps the words whole
                top = reader.pages[n].extract_text()
            assert "Example Council" in top and re.search(numbers, top), top[-200:]
        links = [a.get("uri") for p in pdf.pages for a in p.annots if a.get("uri")]
    # The page's words, in the order the web page gives them.
    position = 0
    for para in html.select("article .md-typeset p, article > p, main article p"):
        if para.find_parent(class_=["ci-feedback", "ci-formats", "ci-page-info", "ci-player", "ci-exit",
                                    "ci-languages", "ci-translation"]) or \
                {"ci-exit-note", "ci-part-of"} & set(para.get("class") or []):  # the web page's own navigation
            continue
        start = " ".join(words(para.get_text()).split()[:4])
        found = text.find(start, position)
        assert found >= 0, f"{stem}: '{start}' missing or out of order"
        position = found
    assert "Contact Example Council" in text
    for uri in links:
        assert uri.startswith(("https://", "mailto:", "tel:")), uri


def test_other_formats_box_gives_type_and_size(built_site):
    for stem, meta in PAGES:
        soup = BeautifulSoup((page_dir(built_site, stem) / "index.html").read_text(), "html.parser")
        label = load_words(meta.get("language") or "en").t("Large print")  # in a translation's language
        item = next(li for li in soup.select(".ci-formats li") if li.a.get_text(strip=True) == label)
        size = human_size(large_print(built_site, stem).stat().st_size)
        assert item.get_text(" ", strip=True) == f"{label} (PDF, {size})"
        assert (page_dir(built_site, stem) / item.a["href"]).resolve() == large_print(built_site, stem).resolve()


def test_printing_a_page_gives_a_clean_handout(built_site):
    from selenium.webdriver.common.print_page_options import PrintOptions
    with serve_directory(built_site) as url, chromium() as browser:
        browser.get(url)
        pdf = base64.b64decode(browser.print_page(PrintOptions()))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = words(" ".join(p.extract_text() or "" for p in doc.pages))
    assert "Skip to main content" not in text
    assert "Was this page helpful?" not in text
    assert "Search" not in text
    assert "Accessibility statement" not in text  # the footer's links go; its contact details stay
    assert "Quick read" in text and "Last reviewed" in text
    assert "01632 960000" in text and "Opening hours" in text
    assert f"get care and support ({SITE_URL}getting-care-and-support/)" in text
    # The menu is not printed: its page names appear only where the page itself links to them.
    assert text.count("Personal budgets and direct payments") == 0


def pack_pages(kind):
    return [meta["title"] for stem, meta in sorted(PAGES, key=lambda p: (p[0] != "index", p[0]))
            if meta.get("print") and not meta.get("translation_of")]  # the pack is in English


@pytest.mark.parametrize("kind,smallest", [("hard-copies", 12), ("hard-copies-large-print", 18)])
def test_hard_copy_pack(built_site, kind, smallest):
    path = built_site / "printed-copies" / f"{kind}.pdf"
    expected = pack_pages(kind)
    assert len(expected) >= 3
    with pdfplumber.open(path) as pdf:
        contents = pdf.pages[1].extract_text()
        lines = [l for l in contents.splitlines() if "page " in l]
        listed = [re.sub(r"\s*[. ]*\.\s*page \d+$", "", l).strip() for l in lines]
        pages_part = listed[:len(expected)]
        assert pages_part == expected, "the contents lists exactly the pages marked print: true"
        assert all(l.endswith("(Easy Read)") for l in listed[len(expected):])
        sizes = [c["size"] for p in pdf.pages for c in p.chars if c["text"].strip()]
        # Each page starts on a new sheet: the first thing below the running header (the top 30mm)
        # is its title, as the page's main heading.
        for line in lines[:len(expected)]:
            n = int(line.rsplit("page ", 1)[1])
            title = re.sub(r"\s*[. ]*\.\s*page \d+$", "", line).strip()
            page = pdf.pages[n - 1]
            body = [c for c in page.chars if c["top"] > 30 / 25.4 * 72 and c["text"].strip()]
            first_top = min(c["top"] for c in body)
            assert max(c["size"] for c in body if abs(c["top"] - first_top) < 2) >= 1.5 * min(sizes)
            heading = "".join(c["text"] for c in body if c["size"] >= 1.5 * min(sizes))
            assert heading.startswith(title.replace(" ", "")), (title, heading[:60])
        assert min(sizes) >= smallest - 0.01
    reader = pypdf.PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_printed_copies_page_links_the_packs(built_site):
    soup = BeautifulSoup((built_site / "printed-copies" / "index.html").read_text(), "html.parser")
    items = {li.a["href"]: li.get_text(" ", strip=True) for li in soup.main.select("li") if li.a}
    for kind in ("hard-copies", "hard-copies-large-print"):
        text = items[f"{kind}.pdf"]
        size = human_size((built_site / "printed-copies" / f"{kind}.pdf").stat().st_size)
        assert re.search(rf"\(PDF, {re.escape(size)}, \d+ pages\)$", text), text
    assert "[[" not in soup.get_text()
    listed = [a.get_text(strip=True) for a in soup.main.select("li > a:not(.ci-term)") if not a["href"].endswith(".pdf")]
    assert listed == pack_pages("hard-copies")


def test_large_print_size_is_configurable_and_has_a_floor(project, run):
    cfg = project / "mkdocs.yml"
    text = cfg.read_text()
    cfg.write_text(text.replace("      review_months: 12\n", "      review_months: 12\n      large_print_font_size: 14\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert ("Error: mkdocs.yml: 'large_print_font_size' is 14, but large print must be 16 point or more "
            "(18 is best). Set it to 16 or a larger number.") in err
    cfg.write_text(text.replace("      review_months: 12\n", "      review_months: 12\n      large_print_font_size: 22\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    with pdfplumber.open(project / "site" / "accessibility" / "accessibility-large-print.pdf") as pdf:
        assert min(c["size"] for p in pdf.pages for c in p.chars if c["text"].strip()) >= 22 - 0.01
