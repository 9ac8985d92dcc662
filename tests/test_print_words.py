"""A large print PDF of a page in another language has the words around the page in that language
("Quick read", the review dates with the month's name, "Page 2 of 5") where the theme has its
words (Welsh, Urdu), and marks what stays English (the council's details, the names of groups).
A page in a language the theme has no words for, and an English page, are printed as before."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf
import pytest

from clearinfo.content.pages import Page
from clearinfo.content.settings import Settings
from clearinfo.formats.large_print import PrintContext, large_print_html
from clearinfo.formats.pdfs import PdfJob, make_pdfs
from clearinfo.theme.catalogue import ENGLISH, load_words
from clearinfo.vendor import is_fetched

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / ".vendor"


def page(language: str | None) -> Page:
    meta = {"title": "Gofal a chymorth", "summary": "Sut i gael help.", "owner": "Team",
            "coproduced_with": ["Carers' group"], "status": "approved", "last_reviewed": dt.date(2026, 3, 1),
            "review_due": dt.date(2027, 3, 1), "approved_by": "Care team", "approved_on": dt.date(2026, 3, 1)}
    if language:
        meta["language"] = language
    return Page(path=Path("page.md"), rel="page.md", meta=meta, body="Geiriau.", body_line=10)


def context() -> PrintContext:
    return PrintContext(settings=Settings({"name": "Example Council", "phone": "01632 960000"}),
                        font_dir=VENDOR / "atkinson-hyperlegible" / "fonts", site_url="https://care.example.org/")


def test_a_welsh_page_is_printed_with_welsh_words_around_it():
    welsh, _ = load_words("cy")
    html = large_print_html(page("cy"), "<p>Geiriau.</p>", "page/", context(), welsh)
    for words in ("<h2>Darllen cyflym</h2>", "Adolygwyd ddiwethaf:", "1 Mawrth 2026", "Adolygiad nesaf:",
                  "Ysgrifennwyd gyda:", "Cymeradwywyd gan:", "Mae'r dudalen hon ar ein gwefan yn"):
        assert words in html, words
    for english in ("Quick read", "Last reviewed", "March", "This page is on our website"):
        assert english not in html, english
    # What stays English is marked English: the groups, the approver and the council's details.
    assert '<span lang="en-GB" dir="ltr">Carers&#39; group</span>' in html
    assert '<section class="contact" lang="en-GB" dir="ltr">' in html
    assert '"Tudalen " counter(page) " o " counter(pages)' in html


@pytest.mark.parametrize("language", [None, "pl"])
def test_english_and_a_language_without_theme_words_are_printed_as_before(language):
    """English words around the page, nothing marked English, English page numbers (print.css)."""
    words, _ = load_words(language) if language else (ENGLISH, [])
    html = large_print_html(page(language), "<p>Geiriau.</p>", "page/", context(), words)
    assert html == large_print_html(page(language), "<p>Geiriau.</p>", "page/", context())
    assert "<h2>Quick read</h2>" in html and "Last reviewed:</strong> 1 March 2026" in html
    assert 'lang="en-GB" dir="ltr"' not in html and "counter(page) \" o \"" not in html
    assert '<section class="contact">' in html


@pytest.mark.skipif(not all(is_fetched(VENDOR, n) for n in ("atkinson-hyperlegible", "atkinson-hyperlegible-next")),
                    reason="the fonts are not fetched (clearinfo fetch-assets)")
def test_the_welsh_pdf_says_its_page_numbers_in_welsh(tmp_path):
    welsh, _ = load_words("cy")
    ctx = context()
    job = PdfJob("page-cy", large_print_html(page("cy"), "<p>Geiriau.</p>", "page/", ctx, welsh), ctx.font_files())
    pdf = make_pdfs([job], tmp_path, workers=1, say=lambda *_: None)["page-cy"][0]
    reader = pypdf.PdfReader(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert f"Tudalen 1 o {len(reader.pages)}" in text and "Darllen cyflym" in text
    assert "Page 1" not in text
