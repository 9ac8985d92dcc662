"""The Easy Read PDFs and web pages a resident gets, read back from the built site."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from bs4 import BeautifulSoup

from clearinfo.check.pdf_checks import struct_nodes
from clearinfo.content.easyread import load_easy_reads
from clearinfo.content.pages import PageRules
from clearinfo.content.settings import fill_placeholders
from clearinfo.project import Project
from conftest import ROOT


def docs():
    project = Project.load(ROOT / "mkdocs.yml")
    found, problems = load_easy_reads(project.easy_read_dir, project.root, project.settings,
                                      PageRules(today=dt.date.today()))
    assert found, "the bundled content has Easy Read documents"
    return found


DOCS = docs()


def pdf_path(site: Path, topic: str) -> Path:
    return site / "easy-read" / topic / f"{topic}-easy-read.pdf"


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.topic)
def test_pdf_is_tagged_with_title_and_language(built_site, doc):
    reader = pypdf.PdfReader(pdf_path(built_site, doc.topic))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata["/Title"] == f"{doc.meta['title']} (Easy Read)"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp), "the PDF/UA-1 identifier is in the metadata"
    nodes = struct_nodes(root["/StructTreeRoot"], [])
    figures = [n for n in nodes if n["/S"] == "/Figure"]
    # The cover picture and one picture per chunk, each with alt text.
    assert len(figures) == len(doc.chunks) + 1
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    assert len(reader.pages) <= 24


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.topic)
def test_pdf_text_is_large_and_in_reading_order(built_site, doc):
    with pdfplumber.open(pdf_path(built_site, doc.topic)) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars if c["text"].strip()]
        assert min(sizes) >= 16 - 0.01, "Easy Read text is at least 16pt"
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        assert fonts <= {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"}, fonts
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    settings = Project.load(ROOT / "mkdocs.yml").settings
    position = 0
    for chunk in doc.chunks:
        for sentence in chunk.sentences:
            words = fill_placeholders(sentence.text.replace("**", ""), settings).split()
            start = " ".join(words[:3])
            found = text.find(start, position)
            assert found >= 0, f"'{start}' missing or out of order"
            position = found
    assert "Hard words" in text and "Page 2 of" in text
    assert ("Checked by" in text) == bool(doc.meta["checked_by"]) and "OpenMoji" in text and "CC BY-SA 4.0" in text


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.topic)
def test_every_picture_is_left_of_its_words(built_site, doc):
    """On every page after the cover, each picture's drawing ends before the words beside it begin."""
    checked = 0
    with pdfplumber.open(pdf_path(built_site, doc.topic)) as pdf:
        for page in pdf.pages[1:]:
            graphics = page.curves + page.rects + page.images
            for g in graphics:
                beside = [c for c in page.chars if c["text"].strip()
                          and g["top"] - 2 <= (c["top"] + c["bottom"]) / 2 <= g["bottom"] + 2]
                if not beside:
                    continue
                checked += 1
                assert g["x1"] < min(c["x0"] for c in beside), (page.page_number, g["x1"])
    assert checked >= len(doc.chunks)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.topic)
def test_web_page_has_pictures_left_and_links_both_ways(built_site, doc):
    page = built_site / "easy-read" / doc.topic / "index.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    assert soup.h1.get_text(strip=True) == f"{doc.meta['title']} (Easy Read)"
    chunks = soup.select(".ci-er-chunk")
    assert len(chunks) == len(doc.chunks)
    for chunk in chunks:
        first = chunk.find(True)
        assert first.name == "img" and first["alt"].strip()
        assert (page.parent / first["src"]).resolve().exists()
    standard = doc.meta["page"][:-3]
    back = soup.select_one(".ci-er-intro a")
    assert back["href"].rstrip("/").endswith(f"../{standard}")
    assert soup.select_one(".ci-formats a")["href"] == f"{doc.topic}-easy-read.pdf"
    std = BeautifulSoup((built_site / standard / "index.html").read_text(), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in std.select(".ci-formats a")}
    assert links["Easy Read version"] == f"../easy-read/{doc.topic}/"
    assert links["Easy Read to print"] == f"../easy-read/{doc.topic}/{doc.topic}-easy-read.pdf"
    detail = std.select(".ci-formats__detail")[1].get_text()
    assert re.fullmatch(r"\(PDF, \d+ KB\)", detail)


def test_easy_read_index_lists_every_topic(built_site):
    soup = BeautifulSoup((built_site / "easy-read" / "index.html").read_text(), "html.parser")
    hrefs = {a["href"] for a in soup.main.select("li a")}
    assert hrefs == {f"{d.topic}/" for d in DOCS}


def build(run, project):
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err


def test_pdfs_are_cached(project, run, tmp_path, own_cache):
    """A second build remakes no PDF; changing one document remakes only that one."""
    import shutil
    shutil.copytree(ROOT / "easyread", project / "easyread")
    for doc in DOCS:
        shutil.copy(ROOT / "content" / doc.meta["page"], project / "content" / doc.meta["page"])
    cache = project / ".cache" / "clearinfo" / "easy-read"
    build(run, project)
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert len(first) == len(DOCS)
    build(run, project)
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == first
    changed = project / "easyread" / f"{DOCS[0].topic}.md"
    changed.write_text(changed.read_text() + "\npicture: phone\nPhone us.\n")
    build(run, project)
    second = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert len(second) == len(DOCS)
    assert len(set(second.items()) - set(first.items())) == 1


def with_logo(project: Path, logo: str) -> None:
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n",
                                           f"      review_months: 12\n      easy_read_logo: {logo}\n"))


def test_the_easy_read_logo_goes_on_documents_with_named_checkers(project, run):
    import shutil
    from PIL import Image
    doc = next(d for d in DOCS if d.meta["checked_by"])
    (project / "easyread").mkdir()
    shutil.copy(doc.path, project / "easyread" / doc.path.name)
    shutil.copy(ROOT / "content" / doc.meta["page"], project / "content" / doc.meta["page"])
    Image.new("RGB", (60, 60), "navy").save(project / "easyread" / "logo.png")
    with_logo(project, "easyread/logo.png")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    root = pypdf.PdfReader(pdf_path(project / "site", doc.topic)).trailer["/Root"]
    alts = [str(n.get("/Alt", "")) for n in struct_nodes(root["/StructTreeRoot"], []) if n["/S"] == "/Figure"]
    assert len(alts) == len(doc.chunks) + 2
    assert "European Easy-to-Read logo. This document was checked by people with learning disabilities." in alts
    # With no checkers named, the logo is left off, and the build says why.
    copy = project / "easyread" / doc.path.name
    copy.write_text(re.sub(r"checked_by:\n(  - .*\n)+", "checked_by: []\n", copy.read_text()))
    line = copy.read_text().splitlines().index("checked_by: []") + 1
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert (f"Warning: easyread/{doc.path.name}, line {line}: the Easy Read logo is left off this document because "
            "'checked_by' names no one. The logo may only be used on documents checked by people with learning "
            "disabilities: name the group that checked it.") in out
    root = pypdf.PdfReader(pdf_path(project / "site", doc.topic)).trailer["/Root"]
    alts = [str(n.get("/Alt", "")) for n in struct_nodes(root["/StructTreeRoot"], []) if n["/S"] == "/Figure"]
    assert len(alts) == len(doc.chunks) + 1


def test_a_missing_easy_read_logo_is_explained(project, run):
    with_logo(project, "easyread/logo.png")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: mkdocs.yml: 'easy_read_logo' is 'easyread/logo.png', but there is no such file. Put the "
            "logo there, or remove the 'easy_read_logo' setting.") in err
