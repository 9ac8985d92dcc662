"""Easy Read documents in other languages: a Welsh and an Urdu document go with the Welsh and Urdu
pages, are marked with their language (and direction) on the web and in the PDF, use fonts with
their letters, are read in their language's voice, and are checked only by the Easy Read rules that
are not about English words. Mistakes in tying a document to its page are explained."""
from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from clearinfo import cli
from clearinfo.content.easyread import load_easy_read
from clearinfo.content.glossary import Glossary
from clearinfo.content.pages import PageRules
from clearinfo.content.settings import Settings
from clearinfo.lint.easy_read import ENGLISH_ONLY, EasyReadRules
from clearinfo.pictures import PictureSet
from clearinfo.vendor import is_fetched
from conftest import BASE_PAGES, make_project

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / ".vendor"
PAGES = BASE_PAGES + ("getting-care-and-support-cy.md", "getting-care-and-support-ur.md")
FONTS_FETCHED = all(is_fetched(VENDOR, n) for n in ("atkinson-hyperlegible", "atkinson-hyperlegible-next", "vazirmatn"))

DETAILS = """---
title: {title}
page: {page}
{language}written_by: {written_by}
checked_by:
  - easy_read
last_reviewed: 2026-11-23
review_due: 2027-11-23
---

"""
# Welsh words the English-only rules would stop: GIG (the Welsh for NHS) looks like an acronym the
# glossary does not explain, and Seven Sisters (a village in Wales) starts with a number word.
WELSH_BODY = """## Gofal a chymorth

picture: help
alt: Llaw yn helpu
Gall y GIG eich helpu chi gartref.
Mae ein swyddfa yn Seven Sisters.

picture: phone
alt: Ffôn
Ffoniwch ni ar {{ council.phone }}.
Gŵyl ŷd: gofal a chymorth i oedolion.
"""
URDU_WORDS = ["ہم آپ کی مدد کر سکتے ہیں۔", "ایک بار دیکھیں۔", "ٹھیک ڈ ڑ ں ے۔"]
URDU_BODY = f"""## مدد حاصل کریں

picture: help
alt: مدد کرتا ہوا ہاتھ
{URDU_WORDS[0]}
{URDU_WORDS[1]}

picture: phone
alt: ٹیلی فون
{URDU_WORDS[2]}
"""


def easy_read(title: str, page: str, body: str, language: str | None = None,
              written_by: str = "Adult Social Care information team") -> str:
    return DETAILS.format(title=title, page=page, written_by=written_by,
                          language=f"language: {language}\n" if language else "") + body


def write(project: Path, name: str, text: str) -> Path:
    (project / "easyread").mkdir(exist_ok=True)
    path = project / "easyread" / name
    path.write_text(text, encoding="utf-8")
    return path


def quiet_pages(project: Path) -> None:
    """No audio for the standard pages: only the Easy Read documents are spoken (quicker)."""
    for page in (project / "content").glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8").replace("audio: true", "audio: false"), encoding="utf-8")


@pytest.fixture(scope="module")
def easy_read_site(tmp_path_factory, shared_cache) -> Path:
    project = make_project(tmp_path_factory.mktemp("easy-read-languages") / "project", pages=PAGES)
    quiet_pages(project)
    write(project, "getting-care-and-support-cy.md",
          easy_read("Cael gofal a chymorth", "getting-care-and-support-cy.md", WELSH_BODY, "cy",
                    "Tîm gwybodaeth Gofal Cymdeithasol Oedolion"))
    write(project, "getting-care-and-support-ur.md",
          easy_read("دیکھ بھال اور مدد", "getting-care-and-support-ur.md", URDU_BODY, "ur",
                    "بالغوں کی سماجی دیکھ بھال کی ٹیم"))
    with pytest.MonkeyPatch.context() as mp:
        from clearinfo.project import CACHE_ENV
        mp.setenv(CACHE_ENV, str(shared_cache))
        code = cli.main(["build", "-f", str(project / "mkdocs.yml")])
    assert code == 0, "a site with Welsh and Urdu Easy Read documents must build"
    return project / "site"


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def pdf_of(site: Path, topic: str) -> Path:
    return site / "easy-read" / topic / f"{topic}-easy-read.pdf"


def pdf_text(pdf: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())


# --- The web pages --------------------------------------------------------------------------------

def test_a_welsh_document_is_a_welsh_web_page(easy_read_site):
    page = soup(easy_read_site, "easy-read/getting-care-and-support-cy")
    assert page.html["lang"] == "cy" and page.html.get("dir", "ltr") == "ltr"
    body = page.select_one(".ci-easy-read")
    assert body["lang"] == "cy"
    text = body.get_text(" ")
    assert "Gall y GIG eich helpu chi gartref." in text
    # The words around it are Welsh (theme/words/cy.yml); the council's details stay English, marked so.
    assert "Dyma'r fersiwn Hawdd ei Ddeall o" in text and "Cysylltu â ni" in text and "Pwy wnaeth hwn" in text
    assert "Contact us" not in text and "Who made this" not in text
    assert page.select_one(".ci-report").get_text() == "Rhoi gwybod am broblem gyda'r dudalen hon"
    hours = [s for s in body.select('span[lang="en-GB"]') if "9am" in s.get_text() or "Monday" in s.get_text()]
    assert hours, "the opening hours are English, and marked so"
    assert not body.select(".ci-er-hard-words")  # the glossary is English: no Hard words page in Welsh
    assert page.select_one("title").get_text().startswith("Cael gofal a chymorth (Hawdd ei Ddeall)")


def test_an_urdu_document_is_right_to_left(easy_read_site):
    page = soup(easy_read_site, "easy-read/getting-care-and-support-ur")
    assert (page.html["lang"], page.body["dir"]) == ("ur", "rtl")  # Material puts dir on the body
    body = page.select_one(".ci-easy-read")
    assert body["lang"] == "ur" and body["dir"] == "rtl"
    assert URDU_WORDS[0] in body.get_text(" ") and "ہم سے رابطہ کریں" in body.get_text(" ")


def test_the_translated_page_links_its_own_easy_read_version(easy_read_site):
    for code in ("cy", "ur"):
        formats = soup(easy_read_site, f"getting-care-and-support-{code}").select_one(".ci-formats")
        hrefs = [a["href"] for a in formats.select("a")]
        assert any(f"easy-read/getting-care-and-support-{code}/" in h for h in hrefs), hrefs
        assert any(h.endswith(f"getting-care-and-support-{code}-easy-read.pdf") for h in hrefs), hrefs
    english = soup(easy_read_site, "getting-care-and-support").select_one(".ci-formats")
    assert english is None or "easy-read/" not in str(english)  # it has no Easy Read version of its own
    welsh = soup(easy_read_site, "getting-care-and-support-cy").select_one(".ci-formats").get_text(" ")
    assert "Fersiwn Hawdd ei Ddeall" in welsh  # the box's words in the page's language


def test_the_easy_read_list_marks_each_language(easy_read_site):
    link = next(a for a in soup(easy_read_site, "easy-read").select("main a")
                if "getting-care-and-support-ur" in a["href"])
    assert link["lang"] == "ur" and link["hreflang"] == "ur" and link["dir"] == "rtl"


def test_the_audio_is_in_the_documents_language(easy_read_site):
    for code in ("cy", "ur"):
        mp3 = next((easy_read_site / "easy-read" / f"getting-care-and-support-{code}").glob("*.mp3"))
        data = mp3.read_bytes()
        tag = data.find(b"TLAN")  # the language ffmpeg writes from the voice (formats/audio.py)
        assert tag != -1 and code.encode() in data[tag:tag + 24]


# --- The PDFs ---------------------------------------------------------------------------------------

def test_the_welsh_pdf_is_welsh_and_gives_back_its_words(easy_read_site):
    pdf = pdf_of(easy_read_site, "getting-care-and-support-cy")
    assert pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"] == "cy"
    text = pdf_text(pdf)
    for words in ("Gall y GIG eich helpu chi gartref.", "Gŵyl ŷd: gofal a chymorth i oedolion.",
                  "Hawdd ei Ddeall", "Cysylltu â ni", "Tudalen 1 o"):
        assert words in text, words
    assert "Contact us" not in text and "Page 1 of" not in text


@pytest.mark.skipif(not FONTS_FETCHED, reason="the fonts are not fetched (clearinfo fetch-assets)")
def test_the_urdu_pdf_has_every_letter_and_maps_each_glyph_to_text(easy_read_site):
    from clearinfo.check.pdf_checks import check_pdf
    pdf = pdf_of(easy_read_site, "getting-care-and-support-ur")
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "ur"
    used = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            used.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "Vazirmatn" in used and not any("DejaVu" in name for name in used), used
    cmaps = [TTFont(f).getBestCmap() for f in (VENDOR / "vazirmatn" / "fonts").glob("vazirmatn-*.woff")]
    letters = "".join(URDU_WORDS) + "ہم سے رابطہ کریں"
    assert [c for c in letters if not c.isspace() and not any(ord(c) in m for m in cmaps)] == []
    assert [f for f in check_pdf(pdf.parent, pdf) if f.rule == "pdf-font-no-unicode"] == []
    text = pdf_text(pdf)
    assert all(" ".join(w.split()) in text for w in URDU_WORDS[:2]), text


# --- The rules: English words are checked in English only ---------------------------------------

def checked(tmp_path: Path, name: str, text: str) -> list:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    settings = Settings({"name": "Example Council", "phone": "01632 960000"})
    doc, problems = load_easy_read(path, f"easyread/{name}", settings, PageRules())
    assert doc is not None, problems
    rules = EasyReadRules(Glossary([]), PictureSet(tmp_path / "pictures"))
    return [p for p in rules.check(doc) if p.is_error]


def test_the_english_only_rules_do_not_fire_on_welsh_words(tmp_path):
    assert set(ENGLISH_ONLY) == {"hard-word", "number-as-word"}
    welsh = checked(tmp_path, "cy.md", easy_read("Gofal", "a-cy.md", WELSH_BODY, "cy"))
    assert welsh == []
    # The English twin, with the same words where the rules look: both rules still work on English.
    english_body = WELSH_BODY.replace("Gall y GIG eich helpu chi gartref.", "The GIG can help you at home.") \
                             .replace("Mae ein swyddfa yn Seven Sisters.", "We have seven offices.")
    english = checked(tmp_path, "en.md", easy_read("Care", "a.md", english_body))
    rules = {p.message.rsplit("(Easy Read rule: ", 1)[1].rstrip(")") for p in english}
    assert rules == {"hard-word", "number-as-word"}, english


def test_the_layout_rules_still_fire_on_welsh(tmp_path):
    body = """picture: help
Un. Dau. Tri. Pedwar.

Mae hwn yn frawddeg hir iawn iawn iawn gyda mwy na phymtheg gair ynddi hi heddiw yma ar y dudalen.

picture: phone
Mae hyn yn *bwysig*.
"""
    found = checked(tmp_path, "cy.md", easy_read("Gofal", "a-cy.md", body, "cy"))
    rules = {p.message.rsplit("(Easy Read rule: ", 1)[1].rstrip(")") for p in found}
    assert {"too-many-sentences", "no-picture", "sentence-too-long", "italics"} <= rules, found


# --- Mistakes in tying a document to its page ---------------------------------------------------

WELSH = easy_read("Cael gofal a chymorth", "{page}", "picture: help\nGall y GIG eich helpu.\n", "{language}")
MISTAKES = {
    "welsh document for the english page": (
        {"language": "cy", "page": "getting-care-and-support.md"}, "language: cy",
        "this Easy Read document is in Welsh ('language: cy'), but getting-care-and-support.md is in English. A "
        "translated Easy Read document goes with the translated page. Write 'page: getting-care-and-support-cy.md', "
        "its Welsh translation."),
    "document without a language for the welsh page": (
        {"language": "", "page": "getting-care-and-support-cy.md"}, "page: getting-care-and-support-cy.md",
        "getting-care-and-support-cy.md is in Welsh ('language: cy'), so its Easy Read version must be in Welsh "
        "too. If this document is in Welsh, add the line 'language: cy' to its details; if it is in English, write "
        "'page: getting-care-and-support.md'."),
    "urdu document for the welsh page": (
        {"language": "ur", "page": "getting-care-and-support-cy.md"}, "language: ur",
        "this Easy Read document is in Urdu ('language: ur'), but getting-care-and-support-cy.md is in Welsh "
        "('language: cy'). Name the page in the document's language, or make 'language' agree."),
}


@pytest.mark.parametrize("case", MISTAKES, ids=list(MISTAKES))
def test_a_document_in_the_wrong_language_is_explained(project, run, case):
    for name in PAGES[len(BASE_PAGES):]:
        (project / "content" / name).write_text((ROOT / "content" / name).read_text(encoding="utf-8"), encoding="utf-8")
    values, line_text, message = MISTAKES[case]
    text = WELSH.replace("{page}", values["page"]).replace("language: {language}\n",
                                                           f"language: {values['language']}\n" if values["language"] else "")
    path = write(project, "getting-care-and-support-cy.md", text)
    line = path.read_text().splitlines().index(line_text) + 1
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: easyread/getting-care-and-support-cy.md, line {line}: {message}" in err


def test_two_documents_for_one_page_and_a_translation_naming_the_english_document(project, run):
    for name in PAGES[len(BASE_PAGES):]:
        (project / "content" / name).write_text((ROOT / "content" / name).read_text(encoding="utf-8"), encoding="utf-8")
    first = WELSH.replace("{page}", "getting-care-and-support-cy.md").replace("{language}", "cy")
    write(project, "gofal-a.md", first)
    second = write(project, "gofal-b.md", first)
    english = write(project, "care.md", easy_read("Getting care", "getting-care-and-support.md",
                                                  "picture: help\nWe can help you.\n"))
    assert english.exists()
    welsh_page = project / "content" / "getting-care-and-support-ur.md"
    welsh_page.write_text(welsh_page.read_text(encoding="utf-8").replace("language: ur", "easy_read: care\nlanguage: ur"),
                          encoding="utf-8")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    line = second.read_text().splitlines().index("page: getting-care-and-support-cy.md") + 1
    assert (f"Error: easyread/gofal-b.md, line {line}: easyread/gofal-a.md is already the Easy Read version of "
            "getting-care-and-support-cy.md, and a page has one. Keep one of them") in err
    line = welsh_page.read_text(encoding="utf-8").splitlines().index("easy_read: care") + 1
    assert (f"Error: content/getting-care-and-support-ur.md, line {line}: 'easy_read' names 'care', but "
            "easyread/care.md is the Easy Read version of getting-care-and-support.md, the page this translates. "
            "Remove this line, or write this page's own Easy Read version (with "
            "'page: getting-care-and-support-ur.md') and name it here.") in err
