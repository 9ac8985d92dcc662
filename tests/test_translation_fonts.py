"""Large print PDFs of pages in Urdu, Welsh and Polish: every letter is drawn from a font that has
it (no missing glyphs, no fallback to the machine's own fonts), and the text comes back out of the
PDF as it was written, so a screen reader, search or copy and paste gets the words."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from clearinfo.content.pages import Page
from clearinfo.content.settings import Settings
from clearinfo.formats.large_print import PrintContext, large_print_html
from clearinfo.formats.pdfs import PdfJob, make_pdfs
from clearinfo.vendor import is_fetched

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / ".vendor"
WORDS = {
    # medial and initial yeh (ایک، دیکھیں): a font that draws them as a letter and its dots in two
    # glyphs leaves the dots with no text in the PDF
    "ur": "یہ صفحہ اردو میں ہے۔ ٹھیک ڈ ڑ ں ے۔ ہم آپ کی مدد کر سکتے ہیں۔ ایک بار دیکھیں۔",
    "cy": "Gŵyl ŷd â ê î ô û ï Ŵ Ŷ Â Ê Î Ô Û Ï: gofal a chymorth i oedolion.",
    "pl": "Zażółć gęślą jaźń: ą ć ę ł ń ó ś ź ż Ą Ć Ę Ł Ń Ó Ś Ź Ż.",
}
FONT_FILES = ("atkinson-hyperlegible/fonts/atkinson-hyperlegible-latin-400.woff",
              "atkinson-hyperlegible/fonts/atkinson-hyperlegible-latin-ext-400.woff",
              "atkinson-hyperlegible-next/fonts/atkinson-hyperlegible-next-latin-ext-400.woff",
              "vazirmatn/fonts/vazirmatn-400.woff")

pytestmark = pytest.mark.skipif(not all(is_fetched(VENDOR, n) for n in ("atkinson-hyperlegible",
                                                                         "atkinson-hyperlegible-next",
                                                                         "vazirmatn")),
                                reason="the fonts are not fetched (clearinfo fetch-assets)")


def page_in(code: str) -> Page:
    meta = {"title": WORDS[code].split(":")[0].split("۔")[0], "summary": WORDS[code], "owner": "Team",
            "coproduced_with": ["Carers' group"], "status": "approved", "last_reviewed": dt.date(2026, 1, 1),
            "review_due": dt.date(2027, 1, 1), "language": code}
    return Page(path=Path(f"page-{code}.md"), rel=f"page-{code}.md", meta=meta, body=WORDS[code], body_line=10)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    ctx = PrintContext(settings=Settings({"name": "Example Council"}), font_dir=VENDOR / "atkinson-hyperlegible" / "fonts",
                       site_url=None)
    jobs = [PdfJob(f"page-{code}", large_print_html(page_in(code), f"<p>{WORDS[code]}</p>", f"page-{code}/", ctx),
                   ctx.font_files()) for code in WORDS]
    made = make_pdfs(jobs, tmp_path_factory.mktemp("pdfs"), workers=2, say=lambda *_: None)
    return {code: made[f"page-{code}"][0] for code in WORDS}


def fonts_in(pdf: Path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.mark.parametrize("code", list(WORDS))
def test_every_letter_has_a_glyph_in_the_fonts_the_pdf_names(code):
    """The fonts a PDF in another language uses, in turn, have every letter of its words: none is
    missing (drawn as an empty box) or left to whatever the machine has."""
    cmaps = [TTFont(VENDOR / f).getBestCmap() for f in FONT_FILES]
    missing = [ch for ch in WORDS[code] if not ch.isspace() and not any(ord(ch) in cmap for cmap in cmaps)]
    assert missing == []


@pytest.mark.parametrize("code", list(WORDS))
def test_the_pdf_gives_back_its_words_and_uses_only_its_own_fonts(pdfs, code):
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdfs[code]).pages).split())
    assert " ".join(WORDS[code].split()) in text
    used = fonts_in(pdfs[code])
    assert not any("DejaVu" in name for name in used), used  # nothing fell back to the machine's fonts
    assert "Atkinson-Hyperlegible" in used
    if code == "ur":
        assert "Vazirmatn" in used
        root = pypdf.PdfReader(pdfs[code]).trailer["/Root"]
        assert root["/Lang"] == "ur"
    if code == "cy":
        assert "Atkinson-Hyperlegible-Next" in used  # ŵ and ŷ


def test_an_english_pdf_is_made_as_before():
    """Only a page in another language gets the extra fonts: an English page's PDF is unchanged."""
    ctx = PrintContext(settings=Settings({"name": "Example Council"}), font_dir=VENDOR / "atkinson-hyperlegible" / "fonts",
                       site_url=None)
    english = page_in("pl")
    english.meta.pop("language")
    html = large_print_html(english, "<p>Words</p>", "page/", ctx)
    assert "Vazirmatn" not in html and 'dir="rtl"' not in html
    urdu = large_print_html(page_in("ur"), "<p>Words</p>", "page/", ctx)
    assert "Vazirmatn" in urdu and '<html lang="ur" dir="rtl">' in urdu


@pytest.mark.parametrize("code", list(WORDS))
def test_the_pdf_checks_find_every_glyph_maps_back_to_text(pdfs, code):
    """PDF/UA 7.21.7: every glyph shown maps to Unicode (the gate's pdf-font-no-unicode)."""
    from clearinfo.check.pdf_checks import check_pdf
    found = [f for f in check_pdf(pdfs[code].parent, pdfs[code]) if f.rule == "pdf-font-no-unicode"]
    assert found == []
