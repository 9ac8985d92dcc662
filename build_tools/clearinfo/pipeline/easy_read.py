"""The Easy Read step of the build: PDFs first (so the pages can give their sizes), then a web
page per topic and an index, handed to the engine as generated pages, then files copied into the
site."""
from __future__ import annotations

from pathlib import Path

from ..cache import place
from ..errors import ContentErrors, errors_only
from ..formats.easy_read import EasyReadContext, copy_pictures, pdf_html, prepare, web_page_markdown
from ..content.easyread import other_language
from ..content.languages import is_right_to_left, language_name
from ..formats.pdfs import PdfJob, human_size, language_font_files, make_pdfs
from ..theme.catalogue import ENGLISH

BASE = "easy-read"


class EasyReadStep:
    def __init__(self, project, checked, files, warn, info, words: dict | None = None):
        """`files` is the engine's list of pages (see pipeline.SiteFiles); `words`: the theme's words
        in each language (language code -> theme/catalogue.Words), for documents in other languages."""
        self.project, self.checked, self.files = project, checked, files
        self.words = words or {}
        self.warn, self.info = warn, info
        self.formats: dict[str, list[dict]] = {}
        self.tally: dict = {}  # how many PDFs were made, and how many reused from the cache
        self.pdfs: dict[str, Path] = {}
        self.prepared = []

    def context(self) -> EasyReadContext:
        opts = self.project.options
        logo = self.project.root / opts["easy_read_logo"] if opts.get("easy_read_logo") else None
        return EasyReadContext(settings=self.project.settings, glossary=self.checked.glossary,
                               pictures=self.project.pictures(),
                               page_titles={p.rel: p.meta["title"] for p in self.checked.pages},
                               font_dir=self.project.vendor_dir / "atkinson-hyperlegible" / "fonts",
                               font_size_pt=float(opts["easy_read_font_size"]),
                               logo=logo if logo and logo.is_file() else None)

    def run(self) -> None:
        docs = self.checked.easy_reads
        if not docs:
            return
        ctx = self.context()
        self.prepared = [prepare(doc, ctx) for doc in docs]
        jobs = []
        for p in self.prepared:
            document = pdf_html(p, ctx, self.words_for(p.doc))
            used = p.picture_paths()
            fonts = sorted(ctx.font_dir.glob("*.woff")) if ctx.font_dir and ctx.font_dir.is_dir() else []
            if other_language(p.doc.meta) and ctx.font_dir:  # the fonts with its letters (formats/pdfs.py)
                fonts += [f for f in language_font_files(self.project.vendor_dir) if f not in fonts]
            jobs.append(PdfJob(p.doc.topic, document, used + fonts + ([ctx.logo] if ctx.logo else [])))
        self.info(f"Easy Read: {len(jobs)} documents")
        made = make_pdfs(jobs, self.project.cache_dir / "easy-read", self.project.concurrency, say=self.info,
                         label="Easy Read PDFs made", tally=self.tally, shard=self.project.shard)
        rules = self.project.easy_read_rules(self.checked.glossary)
        problems = []
        for p in self.prepared:
            if p.doc.topic in made:  # a shard build (--shard) makes only its share
                problems += rules.check_pages(p.doc, made[p.doc.topic][1])
        for w in [x for x in problems if not x.is_error]:
            self.warn(str(w))
        if errors_only(problems):
            raise ContentErrors(errors_only(problems))

        index_lines = ["---", "title: Easy Read", "---", "",
                       "Easy Read is information with short sentences and pictures.", "",
                       "These pages are in Easy Read:", ""]
        status = {page.rel: page.meta["status"] for page in self.checked.pages}
        for p in self.prepared:
            topic = p.doc.topic
            if not self.project.published(status.get(p.doc.meta["page"], "approved")):
                # The Easy Read version of a draft or a page in review: in the preview only, like its page.
                self.files.add(f"{BASE}/{topic}.md", web_page_markdown(p, ctx, f"{BASE}/{topic}/",
                                                                       self.files.url_of(p.doc.meta["page"]) or "",
                                                                       None, None, self.words_for(p.doc)))
                self.files.preview_only(f"{BASE}/{topic}.md")
                continue
            pdf_name = f"{topic}-easy-read.pdf"
            page_url = f"{BASE}/{topic}/"
            formats = [{"label": "Easy Read version", "href": page_url, "detail": "web page"}]
            size = None
            if topic in made:  # always, except in a shard build (--shard), whose site is not kept
                pdf_path, _ = made[topic]
                self.pdfs[f"{BASE}/{topic}/{pdf_name}"] = pdf_path
                size = pdf_path.stat().st_size
                formats.append({"label": "Easy Read to print", "href": f"{page_url}{pdf_name}",
                                "detail": f"PDF, {human_size(size)}"})
            text = web_page_markdown(p, ctx, page_url, self.files.url_of(p.doc.meta["page"]) or "",
                                     pdf_name if size else None, size, self.words_for(p.doc))
            self.files.add(f"{BASE}/{topic}.md", text)
            index_lines.append(self._index_line(p.doc, topic))
            self.formats.setdefault(p.doc.meta["page"], []).extend(formats)
        if self.files.url_of(f"{BASE}/index.md") is None:
            self.files.add(f"{BASE}/index.md", "\n".join(index_lines) + "\n")

    def words_for(self, doc):
        """The theme's words in the document's language (English for an English document)."""
        return self.words.get(doc.meta.get("language") or "", ENGLISH)

    @staticmethod
    def _index_line(doc, topic: str) -> str:
        """The document in the Easy Read list; one in another language is marked with it (WCAG 3.1.2)
        and says which it is, in English (the list is English)."""
        code = other_language(doc.meta)
        if not code:
            return f"- [{doc.meta['title']}]({topic}.md)"
        direction = ' dir="rtl"' if is_right_to_left(code) else ""
        return f'- [{doc.meta["title"]}]({topic}.md){{: lang="{code}" hreflang="{code}"{direction} }} ({language_name(code)[0]})'

    def write(self, site_dir: Path) -> None:
        if not self.prepared:
            return
        copy_pictures(self.prepared, site_dir / BASE / "pictures")
        for rel, source in self.pdfs.items():
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            place(source, target)
