"""The print stylesheets are plain CSS: text sizes are custom properties set by one generated rule,
and the council's name reaches the running header from the page, never written into CSS. Large
print PDFs are made here from one page, without building a site."""
from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pdfplumber
import pytest
import weasyprint

from clearinfo.check.pdf_checks import check_pdf
from clearinfo.content.pages import Page
from clearinfo.content.settings import Settings
from clearinfo.formats import templates
from clearinfo.formats.large_print import PrintContext, large_print_html
from clearinfo.formats.pdf_finish import finish_pdf
from conftest import ROOT

STYLESHEETS = ("print.css", "easy_read_pdf.css", "easy_read_chunks.css", "pack.css")
SIZES = {"--text-size", "--easy-read-size"}  # what size_rule is given by large_print, easy_read and hard_copies
FONTS = ROOT / ".vendor" / "atkinson-hyperlegible" / "fonts"
MM = 72 / 25.4
TOP_MARGIN_PT = 30 * MM  # print.css: @page margin-top 30mm; the running header is above it
RIGHT_HEADER_PT = (20 + 0.6 * 170) * MM  # the council's name, right of the page title (60% of the 170mm)

COUNCIL = {"name": "Example Council", "phone": "01632 960000", "email": "adult.care@example.org",
           "address": ["Town Hall", "EX1 1AA"], "opening_hours": "Monday to Friday, 9am to 5pm"}


def weasyprint_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


# (a) Plain CSS --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", STYLESHEETS)
def test_print_stylesheets_are_plain_css_with_variables(name, caplog):
    text = (templates.HERE / name).read_text(encoding="utf-8")
    assert not re.search(r"\{\{|\{%|\{#", text), f"{name} still has Jinja syntax"
    used = set(re.findall(r"var\((--[a-z-]+)\)", text))
    assert used, f"{name} sets no size from a custom property"
    assert used <= SIZES, f"{name} uses {sorted(used - SIZES)}, which no generated rule sets"
    caplog.set_level(logging.WARNING, logger="weasyprint")
    weasyprint.CSS(string=text)
    assert weasyprint_warnings(caplog) == [], f"WeasyPrint ignores part of {name}"


def test_the_generated_rule_holds_only_numbers():
    assert templates.size_rule(text_size=18, easy_read_size=16.5) == ":root { --text-size: 18pt; --easy-read-size: 16.5pt; }"
    with pytest.raises((TypeError, ValueError)):
        templates.size_rule(text_size='18pt; } body { display: none')


# (b) and (c): a large print PDF of one page ------------------------------------------------------

def page_pdf(tmp_path: Path, caplog, council_name: str, size: float) -> Path:
    """One standard page as a large print PDF, made as the build makes it (WeasyPrint for PDF/UA-1,
    then pdf_finish). Fails if WeasyPrint ignores any of the CSS."""
    page = Page(path=tmp_path / "carers.md", rel="carers.md", body="", body_line=1, meta={
        "title": "Help for carers", "summary": "What help you can get if you look after someone.",
        "last_reviewed": dt.date(2026, 1, 5), "review_due": dt.date(2027, 1, 5),
        "coproduced_with": ["Carers group"]})
    content = "<h2>Who is a carer</h2>" + "<p>Plain body words for the measure.</p>" * 40
    ctx = PrintContext(settings=Settings(council={**COUNCIL, "name": council_name}),
                       font_dir=FONTS if FONTS.is_dir() else None, site_url=None, font_size_pt=size)
    document = large_print_html(page, content, "carers/", ctx)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    raw, pdf = tmp_path / "raw.pdf", tmp_path / "site" / "carers-large-print.pdf"
    pdf.parent.mkdir()
    weasyprint.HTML(string=document, base_url=str(templates.HERE)).write_pdf(raw, pdf_variant="pdf/ua-1")
    finish_pdf(str(raw), str(pdf))
    assert [w for w in weasyprint_warnings(caplog) if "Ignored" in w] == []
    return pdf


def sizes_of(page, text: str, below: float) -> set[float]:
    """The sizes, in points, of the words `text` in the page body (below the running header)."""
    words = page.crop((0, below, page.width, page.height)).extract_words(extra_attrs=["size"], keep_blank_chars=True)
    return {round(w["size"], 2) for w in words if w["text"].strip() == text}


def test_large_print_text_sizes_follow_the_setting(tmp_path, caplog):
    with pdfplumber.open(page_pdf(tmp_path, caplog, "Example Council", 20)) as pdf:
        first = pdf.pages[0]
        assert sizes_of(first, "Plain body words for the measure.", TOP_MARGIN_PT) == {20.0}
        assert sizes_of(first, "Help for carers", TOP_MARGIN_PT) == {32.0}  # h1: 1.6 times the text
        assert sizes_of(first, "Who is a carer", TOP_MARGIN_PT) == {26.0}  # h2: 1.3 times
        # The page margins get the size too (custom properties reach @page from the root element).
        footer = first.crop((0, first.height - TOP_MARGIN_PT, first.width, first.height))
        assert {round(c["size"], 2) for c in footer.chars if c["text"].strip()} == {20.0}


@pytest.mark.parametrize("name", ['Example Council', 'The "Quoted" Council \\ Backslash Borough'])
def test_the_running_header_shows_any_council_name(tmp_path, caplog, name):
    path = page_pdf(tmp_path, caplog, name, 18)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            header = " ".join(page.crop((RIGHT_HEADER_PT, 0, page.width, TOP_MARGIN_PT)).extract_text().split())
            assert header == name, f"page {page.page_number}'s header is {header!r}"
            body = page.crop((0, TOP_MARGIN_PT, page.width, page.height)).extract_text()
            assert name not in body.replace(f"Contact {name}", ""), "the name is shown only where it should be"
    # The name comes from an attribute, not text: nothing new to read, and the header stays decoration.
    assert [(f.rule, f.message) for f in check_pdf(path.parent, path)] == []
