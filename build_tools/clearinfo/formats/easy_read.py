"""Easy Read web pages and PDFs, made from the checked Easy Read sources.

Pure steps: plain data in, HTML or a PDF file out. PDFs are cached by a hash of everything
they depend on, and made two at a time on separate processes.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import html
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..content.easyread import Chunk, EasyReadDoc, Heading
from ..content.glossary import Glossary, Term
from ..content.settings import Settings, fill_placeholders
from ..pictures import OPENMOJI_CREDIT, Picture, PictureSet

HERE = Path(__file__).parent
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class EasyReadContext:
    settings: Settings
    glossary: Glossary
    pictures: PictureSet
    page_titles: dict  # standard page file -> title
    font_dir: Path | None
    font_size_pt: float = 16
    logo: Path | None = None
    language: str = "en-GB"


@dataclass
class PictureUse:
    picture: Picture
    alt: str

    @property
    def file_name(self) -> str:
        return f"{self.picture.name}{self.picture.path.suffix.lower()}"


@dataclass
class Prepared:
    """One topic, ready to render: text as HTML, pictures resolved, hard words found."""
    doc: EasyReadDoc
    blocks: list  # ("heading", text) or ("chunk", PictureUse, [sentence html])
    hard_words: list[Term]
    cover: PictureUse
    credits: list[str] = field(default_factory=list)


def sentence_html(text: str, settings: Settings) -> str:
    """Placeholders filled, text escaped, **hard words** in bold."""
    escaped = html.escape(fill_placeholders(text, settings), quote=False)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def prepare(doc: EasyReadDoc, ctx: EasyReadContext) -> Prepared:
    blocks = []
    uses = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append(("heading", html.escape(fill_placeholders(block.text, ctx.settings))))
        elif isinstance(block, Chunk):
            picture = ctx.pictures.get(block.picture)
            use = PictureUse(picture, block.alt or picture.description)
            uses.append(use)
            blocks.append(("chunk", use, [sentence_html(s.text, ctx.settings) for s in block.sentences]))
    cover_name = doc.meta.get("cover_picture")
    cover_picture = ctx.pictures.get(cover_name) if cover_name else None
    cover = PictureUse(cover_picture, cover_picture.description) if cover_picture else uses[0]
    credits = sorted({u.picture.credit for u in uses + [cover]})
    return Prepared(doc, blocks, hard_words_used(doc, ctx.glossary), cover, credits)


def hard_words_used(doc: EasyReadDoc, glossary: Glossary) -> list[Term]:
    """Glossary words in the document, A to Z: they make the Hard words page."""
    if glossary._pattern is None:
        return []
    found = {}
    for chunk in doc.chunks:
        for s in chunk.sentences:
            for m in glossary._pattern.finditer(s.text.replace("**", "")):
                term = glossary.find(m.group(1))
                if term:
                    found[term.slug] = term
    return sorted(found.values(), key=lambda t: t.term.lower())


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                              autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)


def web_page_markdown(prepared: Prepared, ctx: EasyReadContext, page_url: str, standard_url: str,
                      pdf_name: str | None, pdf_size: int | None) -> str:
    """The Markdown (front matter and raw HTML) MkDocs turns into /easy-read/<topic>/."""
    doc = prepared.doc
    body = _env().get_template("easy_read_web.html").render(
        p=prepared, doc=doc, council=ctx.settings.council,
        standard_href=posixpath.relpath(standard_url or ".", page_url.rstrip("/") or "."),
        standard_title=ctx.page_titles.get(doc.meta["page"], doc.meta["page"]),
        pictures_href="../pictures/", pdf_name=pdf_name, pdf_size=human_size(pdf_size) if pdf_size else None,
        checked_by=" and ".join(doc.meta["checked_by"]) if doc.meta["checked_by"] else None)
    title = doc.meta["title"].replace('"', "'")
    return f'---\ntitle: "{title} (Easy Read)"\n---\n\n{body}\n'


def pdf_html(prepared: Prepared, ctx: EasyReadContext) -> str:
    doc = prepared.doc
    fonts = {}
    if ctx.font_dir and (ctx.font_dir / "atkinson-hyperlegible-latin-400.woff").exists():
        fonts = {w: (ctx.font_dir / f"atkinson-hyperlegible-latin-{w}.woff").as_uri() for w in ("400", "700")}
    css = "\n".join(jinja2.Template((HERE / name).read_text(encoding="utf-8")).render(size=ctx.font_size_pt)
                    for name in ("easy_read_pdf.css", "easy_read_chunks.css"))
    return _env().get_template("easy_read_pdf.html").render(
        p=prepared, doc=doc, council=ctx.settings.council, css=css, fonts=fonts,
        font_size=ctx.font_size_pt, language=ctx.language,
        standard_title=ctx.page_titles.get(doc.meta["page"], doc.meta["page"]),
        checked_by=" and ".join(doc.meta["checked_by"]) if doc.meta["checked_by"] else None,
        logo=ctx.logo.as_uri() if ctx.logo and doc.meta["checked_by"] else None,
        openmoji_credit=OPENMOJI_CREDIT)


def human_size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


# --- PDFs: cached and parallel -----------------------------------------------------------------

def _weasyprint_version() -> str:
    import weasyprint
    return weasyprint.__version__


def pdf_key(document_html: str, extra: list[Path]) -> str:
    """A hash of everything the PDF depends on: its HTML (which names every file it uses) and the
    contents of those files, and the WeasyPrint version."""
    h = hashlib.sha256(document_html.encode())
    h.update(_weasyprint_version().encode())
    for path in sorted(set(extra)):
        h.update(path.as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.exists() else b"-")
    return h.hexdigest()[:32]


def _render_pdf(document_html: str, out: str) -> int:
    """Make one PDF (runs in a worker process). Returns its number of pages."""
    import weasyprint

    document = weasyprint.HTML(string=document_html, base_url=str(HERE)).render()
    tmp = out + ".part"
    document.write_pdf(tmp, pdf_variant="pdf/ua-1")
    os.replace(tmp, out)
    return len(document.pages)


@dataclass
class PdfJob:
    name: str
    html: str
    files: list[Path]


def make_pdfs(jobs: list[PdfJob], cache_dir: Path, workers: int = 2, say=print) -> dict[str, tuple[Path, int]]:
    """Each job's PDF in the cache, made only when its inputs changed. Returns name -> (path, pages)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    results, todo = {}, []
    for job in jobs:
        key = pdf_key(job.html, job.files)
        out = cache_dir / f"{job.name}-{key}.pdf"
        meta = out.with_suffix(".pages")
        if out.exists() and meta.exists():
            results[job.name] = (out, int(meta.read_text()))
        else:
            todo.append((job, out))
    if todo:
        say(f"  Making {len(todo)} PDF{'s' if len(todo) != 1 else ''} ({len(jobs) - len(todo)} unchanged) ...")
        if len(todo) == 1 or workers <= 1:
            done = [(job, out, _render_pdf(job.html, str(out))) for job, out in todo]
        else:
            with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
                futures = {pool.submit(_render_pdf, job.html, str(out)): (job, out) for job, out in todo}
                done = []
                for f in concurrent.futures.as_completed(futures):
                    job, out = futures[f]
                    done.append((job, out, f.result()))
                    say(f"    {job.name}: {f.result()} pages")
        for job, out, pages in done:
            out.with_suffix(".pages").write_text(str(pages))
            results[job.name] = (out, pages)
            for old in cache_dir.glob(f"{job.name}-*.pdf"):
                if old != out and re.fullmatch(rf"{re.escape(job.name)}-[0-9a-f]{{32}}\.pdf", old.name):
                    old.unlink(missing_ok=True)
                    old.with_suffix(".pages").unlink(missing_ok=True)
    return results


def copy_pictures(prepared: list[Prepared], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for p in prepared:
        for block in p.blocks:
            if block[0] == "chunk":
                shutil.copyfile(block[1].picture.path, dest / block[1].file_name)
        shutil.copyfile(p.cover.picture.path, dest / p.cover.file_name)
