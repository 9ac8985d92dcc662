"""The print step of the build: a large print PDF of every standard page,
made (cached, `concurrency` at a time) once every page's HTML exists and before any page is written,
so each page's Other formats box can give the file's size."""
from __future__ import annotations

from pathlib import Path

from ..cache import place
from ..clock import build_date
from ..formats.pdfs import PdfJob, human_size, make_pdfs
from ..formats.hard_copies import pack_html
from ..formats.large_print import PrintContext, large_print_html, page_section
from ..theme.catalogue import ENGLISH

SKIP = ("coverage.md", "printed-copies.md")
PACK_DIR = "printed-copies"
PACK_TITLE = "Care and support: printed information"


def pdf_name(rel: str, kind: str) -> str:
    stem = rel[:-3].replace("/", "-")
    return f"{'home' if stem == 'index' else stem}-{kind}.pdf"


class PrintStep:
    def __init__(self, project, site_url: str | None, info):
        self.project, self.info = project, info
        opts = project.options
        self.ctx = PrintContext(settings=project.settings,
                                font_dir=project.vendor_dir / "atkinson-hyperlegible" / "fonts",
                                site_url=site_url or None,
                                font_size_pt=float(opts["large_print_font_size"]),
                                notice=project.notice(build_date()))
        self.html: dict[str, tuple[object, str, str]] = {}  # rel -> (Page data, content html, url)
        self.formats: dict[str, list[dict]] = {}
        self.tally: dict = {}  # how many PDFs were made, and how many reused from the cache
        self.outputs: dict[str, Path] = {}  # path in the site -> cached file
        self.pack_sizes: dict[str, tuple[str, int]] = {}
        self.pack_pages: list[str] = []

    def keep(self, page, content_html: str, url: str) -> None:
        if page.rel not in SKIP:
            self.html[page.rel] = (page, content_html, url)

    def run(self, easy_reads=(), words: dict | None = None) -> None:
        """Every large print PDF and the packs. `words`: language code -> the theme's words in it
        (theme/catalogue.py), so a page in another language is printed with its words around it."""
        jobs, targets = [], {}
        for rel, (page, content, url) in sorted(self.html.items()):
            name = pdf_name(rel, "large-print")
            in_words = (words or {}).get(page.meta.get("language") or "", ENGLISH)
            jobs.append(PdfJob(name[:-4], large_print_html(page, content, url, self.ctx, in_words),
                               self.ctx.font_files()))
            targets[name[:-4]] = (rel, url + name)
        jobs += self._pack_jobs(list(easy_reads), targets)
        if not jobs:
            return
        self.info(f"Large print and printed copies: {len(jobs)} PDFs")
        made = make_pdfs(jobs, self.project.cache_dir / "large-print", self.project.concurrency, say=self.info,
                         label="Large print PDFs made", tally=self.tally, shard=self.project.shard)
        for job_name, (path, pages) in made.items():
            rel, site_path = targets[job_name]
            self.outputs[site_path] = path
            size = human_size(path.stat().st_size)
            if job_name.startswith("hard-copies"):
                self.pack_sizes[job_name] = (size, pages)
                continue
            self.formats.setdefault(rel, []).append({"label": "Large print", "href": site_path,
                                                     "detail": f"PDF, {size}"})

    def _pack_jobs(self, easy_reads, targets) -> list[PdfJob]:
        """The hard-copy pack and its large print edition: every page with `print: true`."""
        chosen = [(page, content, url) for rel, (page, content, url) in sorted(self.html.items())
                  if page.meta.get("print") and not page.meta.get("translation_of")]  # the pack is in English
        if not chosen:
            return []
        chosen.sort(key=lambda x: (x[0].rel != "index.md", x[0].rel))  # the home page first
        topics = {page.rel for page, _, _ in chosen}
        er = [p for p in easy_reads if p.doc.meta["page"] in topics]
        self.pack_pages = [page.meta["title"] for page, _, _ in chosen]
        jobs = []
        for kind, size, edition in (("hard-copies", 12, ""), ("hard-copies-large-print", self.ctx.font_size_pt,
                                                                 "large print")):
            sections = [page_section(page, content, url, self.ctx) for page, content, url in chosen]
            document = pack_html(PACK_TITLE, sections, er, self.ctx, size, edition)
            files = self.ctx.font_files() + [path for p in er for path in p.picture_paths()]
            jobs.append(PdfJob(kind, document, files))
            targets[kind] = (PACK_DIR + ".md", f"{PACK_DIR}/{kind}.pdf")
        return jobs

    def write(self, site_dir: Path) -> None:
        for rel, source in self.outputs.items():
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            place(source, target)
