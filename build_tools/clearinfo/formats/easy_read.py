"""Easy Read web pages and PDFs, made from the checked Easy Read sources.

Pure steps: plain data in, HTML or a PDF file out. PDFs are cached by a hash of everything
they depend on, and made two at a time on separate processes.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..content.easyread import Chunk, EasyReadDoc, Heading
from ..content.glossary import Glossary, Term
from ..content.settings import Settings, fill_placeholders
from ..options import DEFAULT_CONCURRENCY
from ..pictures import OPENMOJI_CREDIT, Picture, PictureSet
from .pdf_finish import VERSION as FINISH_VERSION, finish_pdf

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
    """A hash of everything the PDF depends on: its HTML and the contents of the files it uses, the
    WeasyPrint version and the version of the repairs made after it. A file is known by its
    contents, not where it is, so a copy of the project (or a CI runner's fresh checkout) finds the
    PDFs the last build made."""
    h = hashlib.sha256()
    h.update(_weasyprint_version().encode())
    h.update(f"finish {FINISH_VERSION}".encode())
    for path in sorted(set(extra), key=lambda p: len(p.as_posix()), reverse=True):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"
        for written in (path.as_uri(), path.as_posix()):
            document_html = document_html.replace(written, f"sha256:{digest}")
    h.update(document_html.encode())
    return h.hexdigest()[:32]


def _render_pdf(document_html: str, out: str, part: str) -> int:
    """Make one PDF (runs in a worker process). Returns its number of pages. WeasyPrint writes
    into the worker's temporary folder, pdf_finish repairs that into `part`, which is renamed, so
    the cache never holds half a file under the real name."""
    import weasyprint

    document = weasyprint.HTML(string=document_html, base_url=str(HERE)).render()
    handle, raw = tempfile.mkstemp(suffix=".pdf")  # in the folder the build removes, however it ends
    os.close(handle)
    try:
        document.write_pdf(raw, pdf_variant="pdf/ua-1")
        finish_pdf(raw, part)
    finally:
        os.unlink(raw)
    os.replace(part, out)
    return len(document.pages)


@dataclass
class PdfJob:
    name: str
    html: str
    files: list[Path]


def make_pdfs(jobs: list[PdfJob], cache_dir: Path, workers: int = DEFAULT_CONCURRENCY, say=print) -> dict[str, tuple[Path, int]]:
    """Each job's PDF in the cache, made only when its inputs changed. Returns name -> (path, pages)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    results, todo = {}, []
    for job in jobs:
        out = cache_dir / f"{job.name}-{pdf_key(job.html, job.files)}.pdf"
        pages = _cached_pages(out)
        if pages is None:
            todo.append((job, out))
        else:
            results[job.name] = (out, pages)
    if todo:
        say(f"  Making {len(todo)} PDF{'s' if len(todo) != 1 else ''} ({len(jobs) - len(todo)} unchanged) ...")
        for job, out, pages in _render_all(todo, workers, say):
            _remember(out, pages)
            results[job.name] = (out, pages)
            _forget_older(cache_dir, job.name, out)
    return results


# A cached PDF is used only if it is exactly the file that was made: its sha256 is kept beside it.
# A file cut short (a full disk, a build killed while copying a cache) is made again, never published.

def _cached_pages(out: Path) -> int | None:
    """The cached PDF's number of pages, or None when it must be made (again)."""
    try:
        made = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        if hashlib.sha256(out.read_bytes()).hexdigest() == made["sha256"]:
            return int(made["pages"])
    except (OSError, ValueError, KeyError, TypeError):  # missing, unreadable or from an older Clearinfo
        pass
    return None


def _remember(out: Path, pages: int) -> None:
    meta = out.with_suffix(".json")
    part = meta.with_name(meta.name + f".{os.getpid()}.part")
    part.write_text(json.dumps({"pages": pages, "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}),
                    encoding="utf-8")
    os.replace(part, meta)


def _forget_older(cache_dir: Path, name: str, keep: Path) -> None:
    """Earlier versions of this PDF, made from inputs that have since changed."""
    for old in cache_dir.glob(f"{name}-*.pdf"):
        if old != keep and re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{32}}\.pdf", old.name):
            old.unlink(missing_ok=True)
            for suffix in (".json", ".pages"):  # .pages: how older versions kept the number of pages
                old.with_suffix(suffix).unlink(missing_ok=True)


def _render_all(todo: list[tuple[PdfJob, Path]], workers: int, say) -> list[tuple[PdfJob, Path, int]]:
    """Make the PDFs, `workers` at a time, each in its own process. However this ends (done, a
    failure, Ctrl-C or SIGTERM), the workers are stopped and nothing temporary is left behind."""
    temp_root = tempfile.mkdtemp(prefix=f"clearinfo-pdfs-{os.getpid()}-")
    parts = {out: f"{out}.{os.getpid()}.part" for _, out in todo}
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo))),
                                                  initializer=_start_worker, initargs=(temp_root,))
    try:
        futures = {pool.submit(_render_pdf, job.html, str(out), parts[out]): (job, out) for job, out in todo}
        done = []
        for f in concurrent.futures.as_completed(futures):
            job, out = futures[f]
            done.append((job, out, f.result()))
            say(f"    {job.name}: {done[-1][2]} pages")
        pool.shutdown()
        return done
    except BaseException:
        _stop_workers(pool)
        for part in parts.values():
            Path(part).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(temp_root, ignore_errors=True)


def _start_worker(temp_root: str) -> None:
    """Set up one PDF worker process. WeasyPrint copies fonts into a temporary folder and removes
    it only when Python collects the document, which a worker never does before it ends: pointing
    the temporary folder into temp_root lets the build remove them all. The build decides when to
    stop: SIGTERM ends a worker at once and quietly, and Ctrl-C (which a terminal sends to every
    process) is left to the build, which then stops the workers itself."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = temp_root


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop at once, not after the PDFs still queued. Python 3.14 names this terminate_workers();
    before it, the executor keeps its worker processes in _processes."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def copy_pictures(prepared: list[Prepared], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for p in prepared:
        for block in p.blocks:
            if block[0] == "chunk":
                shutil.copyfile(block[1].picture.path, dest / block[1].file_name)
        shutil.copyfile(p.cover.picture.path, dest / p.cover.file_name)
