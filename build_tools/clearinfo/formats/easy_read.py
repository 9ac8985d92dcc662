"""Easy Read web pages and PDFs, made from the checked Easy Read sources.

Pure steps: plain data in, HTML out. The PDFs are made from that HTML by pdfs.py.
"""
from __future__ import annotations

import html
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from ..content.easyread import Chunk, EasyReadDoc, Heading, other_language
from ..content.glossary import Glossary, Term
from ..content.languages import is_right_to_left
from ..content.settings import Settings, fill_placeholders
from ..furniture import language_attributes
from ..pictures import OPENMOJI_CREDIT, Picture, PictureSet
from ..theme.catalogue import ENGLISH, Words
from .pdfs import font_stack, human_size, language_faces
from .templates import page_numbers_rule, render, size_rule, stylesheet

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
class HeadingBlock:
    """A heading between chunks, as HTML (placeholders filled, text escaped)."""
    text_html: str


@dataclass
class ChunkBlock:
    """A picture and the 1 to 3 sentences beside it, each sentence as HTML."""
    picture: PictureUse
    sentences: list[str]


@dataclass
class Prepared:
    """One topic, ready to render: text as HTML, pictures resolved, hard words found."""
    doc: EasyReadDoc
    blocks: list[HeadingBlock | ChunkBlock]
    hard_words: list[Term]
    cover: PictureUse
    credits: list[str] = field(default_factory=list)

    def picture_uses(self) -> list[PictureUse]:
        """Each chunk's picture in order, then the cover."""
        return [b.picture for b in self.blocks if isinstance(b, ChunkBlock)] + [self.cover]

    def picture_paths(self) -> list[Path]:
        """The file of every picture the document uses (the chunks' in order, then the cover), each once."""
        return list(dict.fromkeys(use.picture.path for use in self.picture_uses()))


def sentence_html(text: str, settings: Settings) -> str:
    """Placeholders filled, text escaped, **hard words** in bold."""
    escaped = html.escape(fill_placeholders(text, settings), quote=False)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def prepare(doc: EasyReadDoc, ctx: EasyReadContext) -> Prepared:
    blocks = []
    uses = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append(HeadingBlock(html.escape(fill_placeholders(block.text, ctx.settings))))
        elif isinstance(block, Chunk):
            picture = ctx.pictures.get(block.picture)
            use = PictureUse(picture, block.alt or picture.description)
            uses.append(use)
            blocks.append(ChunkBlock(use, [sentence_html(s.text, ctx.settings) for s in block.sentences]))
    cover_name = doc.meta.get("cover_picture")
    cover_picture = ctx.pictures.get(cover_name) if cover_name else None
    cover = PictureUse(cover_picture, cover_picture.description) if cover_picture else uses[0]
    credits = sorted({u.picture.credit for u in uses + [cover]})
    return Prepared(doc, blocks, hard_words_used(doc, ctx.glossary), cover, credits)


def hard_words_used(doc: EasyReadDoc, glossary: Glossary) -> list[Term]:
    """Glossary words in the document, A to Z: they make the Hard words page. None in a document in
    another language: the glossary's words and meanings are English."""
    if glossary._pattern is None or other_language(doc.meta):
        return []
    found = {}
    for chunk in doc.chunks:
        for s in chunk.sentences:
            for m in glossary._pattern.finditer(s.text.replace("**", "")):
                term = glossary.find(m.group(1))
                if term:
                    found[term.slug] = term
    return sorted(found.values(), key=lambda t: t.term.lower())


def in_words(doc: EasyReadDoc, words: Words = ENGLISH) -> dict:
    """What the templates need to say the words around the document in its language (theme/catalogue.py):
    t("Contact us") and fill("Written by {name}.", name=...) as safe HTML, dates with the month's
    name in the language, and the lang attributes. When the theme has the language's words (Welsh,
    Urdu), the whole document is marked with the language (`lang_attrs`) and the council's details,
    which stay English, are marked English (`en`); when it has not, the words around stay English and
    only the document's own words are marked with its language (`own_attrs`). English: all empty,
    so an English document is what it was before translations."""
    language = other_language(doc.meta)
    attrs = Markup(language_attributes(language))
    whole = bool(language) and words.translated

    def t(english: str) -> Markup:
        return Markup(words.t(english))

    def fill(english: str, **values) -> Markup:
        return Markup(words.fill(english, **{k: str(escape(v)) for k, v in values.items()}))
    return {"t": t, "fill": fill, "date": words.date, "lang_attrs": attrs if whole else Markup(""),
            "own_attrs": attrs if language and not whole else Markup(""),
            "en": Markup(' lang="en-GB" dir="ltr"') if whole else Markup("")}


def web_page_markdown(prepared: Prepared, ctx: EasyReadContext, page_url: str, standard_url: str,
                      pdf_name: str | None, pdf_size: int | None, words: Words = ENGLISH) -> str:
    """The Markdown (front matter and raw HTML) MkDocs turns into /easy-read/<topic>/. `words`: the
    theme's words in the document's language (theme/catalogue.py)."""
    doc = prepared.doc
    body = render(
        "easy_read_web.html", p=prepared, doc=doc, council=ctx.settings.council, **in_words(doc, words),
        standard_href=posixpath.relpath(standard_url or ".", page_url.rstrip("/") or "."),
        standard_title=ctx.page_titles.get(doc.meta["page"], doc.meta["page"]),
        pictures_href="../pictures/", pdf_name=pdf_name, pdf_size=human_size(pdf_size) if pdf_size else None,
        checked_by=" and ".join(doc.meta["checked_by"]) if doc.meta["checked_by"] else None)
    title = f'{doc.meta["title"]} ({words.plain("Easy Read")})'.replace('"', "'").replace("\\", "/")
    return f'---\ntitle: "{title}"\n---\n\n{body}\n'


def pdf_html(prepared: Prepared, ctx: EasyReadContext, words: Words = ENGLISH) -> str:
    """The HTML WeasyPrint makes the PDF from. A document in another language is marked with it (the
    PDF's /Lang), right to left where the language is, with the fonts that have its letters
    (formats/pdfs.py) and the words around it in its language (`words`)."""
    doc = prepared.doc
    fonts = {}
    if ctx.font_dir and (ctx.font_dir / "atkinson-hyperlegible-latin-400.woff").exists():
        fonts = {w: (ctx.font_dir / f"atkinson-hyperlegible-latin-{w}.woff").as_uri() for w in ("400", "700")}
    css = size_rule(easy_read_size=ctx.font_size_pt) + "\n" + stylesheet("easy_read_pdf.css", "easy_read_chunks.css")
    language = other_language(doc.meta)
    if language and words.translated:
        css += "\n" + page_numbers_rule(words)
    faces = language_faces(ctx.font_dir.parent.parent) if language and ctx.font_dir else []  # its letters' fonts
    return render(
        # WeasyPrint tags one language for the whole PDF: the document's.
        "easy_read_pdf.html", p=prepared, doc=doc, council=ctx.settings.council, css=css, fonts=fonts,
        **in_words(doc, words), language=language or ctx.language,
        direction="rtl" if language and is_right_to_left(language) else None,
        language_faces=faces, font_stack=font_stack(faces),
        standard_title=ctx.page_titles.get(doc.meta["page"], doc.meta["page"]),
        checked_by=" and ".join(doc.meta["checked_by"]) if doc.meta["checked_by"] else None,
        logo=ctx.logo.as_uri() if ctx.logo and doc.meta["checked_by"] else None,
        openmoji_credit=OPENMOJI_CREDIT)


def copy_pictures(prepared: list[Prepared], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for p in prepared:
        for use in p.picture_uses():
            shutil.copyfile(use.picture.path, dest / use.file_name)
