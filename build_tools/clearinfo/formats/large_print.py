"""Large print PDFs of the standard pages, following the UK Association for Accessible Formats'
clear and large print guidance (G003) and RNIB's clear print: 18 point by default (16 at least),
a clear sans-serif font, left aligned and never justified, line spacing about 1.5, bold headings,
black on white, no text over pictures, page numbers as "Page 2 of 5"."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..content.pages import Page
from ..content.settings import Settings, fill_placeholders
from ..furniture import join_words
from ..content.languages import is_right_to_left
from ..theme.catalogue import ENGLISH, Words
from .links import absolute_links
from .pdfs import font_stack, language_faces, language_font_files
from .templates import page_numbers_rule, render, size_rule, stylesheet


@dataclass
class PrintContext:
    settings: Settings
    font_dir: Path | None
    site_url: str | None
    font_size_pt: float = 18
    language: str = "en-GB"
    notice: str | None = None  # the urgent notice while it is live (content/notice.py)

    def fonts(self) -> dict:
        if self.font_dir and (self.font_dir / "atkinson-hyperlegible-latin-400.woff").exists():
            return {w: (self.font_dir / f"atkinson-hyperlegible-latin-{w}.woff").as_uri() for w in ("400", "700")}
        return {}

    def font_files(self) -> list[Path]:
        """Every font a PDF may use (the extra ones are used by pages in other languages)."""
        own = sorted(self.font_dir.glob("*.woff")) if self.font_dir and self.font_dir.is_dir() else []
        return own + [p for p in (language_font_files(self.font_dir.parent.parent) if self.font_dir else [])
                      if p not in own]


def page_section(page: Page, content_html: str, page_url: str, ctx: PrintContext, words: Words = ENGLISH) -> dict:
    """What a printed page shows: title, quick read, the page, review dates and credits. `words`: the
    theme's words in the page's language (theme/catalogue.py), for the words around the page and the
    months' names; what stays English then (the notice, the names of groups) is marked English."""
    meta = page.meta
    def long_date(day) -> Markup:  # 1 March 2027, the month in the page's language (already safe HTML)
        return Markup(words.date(day))
    return {
        "title": fill_placeholders(meta["title"], ctx.settings),
        "summary": fill_placeholders(meta["summary"], ctx.settings),
        "content": absolute_links(content_html, page_url, ctx.site_url),
        "last_reviewed": long_date(meta["last_reviewed"]),
        "review_due": long_date(meta["review_due"]),
        "written_with": join_words(meta["coproduced_with"]),
        "approved_by": meta.get("approved_by") if meta.get("status") == "approved" and meta.get("approved_on") else None,
        "approved_on": long_date(meta["approved_on"]) if meta.get("status") == "approved" and meta.get("approved_on") else None,
        "web_address": (ctx.site_url.rstrip("/") + "/" + page_url) if ctx.site_url else None,
        "slug": page.rel[:-3].replace("/", "-"),
        "language": meta.get("language"),
        "notice": ctx.notice,
        "t": lambda english: Markup(words.t(english)),
        "en": Markup(' lang="en-GB" dir="ltr"') if words.translated else Markup(""),
    }


def large_print_html(page: Page, content_html: str, page_url: str, ctx: PrintContext, words: Words = ENGLISH) -> str:
    section = page_section(page, content_html, page_url, ctx, words)
    language = page.meta.get("language")
    faces = language_faces(ctx.font_dir.parent.parent) if language and ctx.font_dir else []  # its letters' fonts
    return render(
        # WeasyPrint tags one language for the whole PDF: a page in another language is mostly that language.
        "large_print.html", s=section, council=ctx.settings.council,
        language=language or ctx.language, fonts=ctx.fonts(),
        direction="rtl" if language and is_right_to_left(language) else None,
        language_faces=faces, font_stack=font_stack(faces), en=section["en"],
        css=size_rule(text_size=ctx.font_size_pt) + "\n" + stylesheet("print.css")
        + ("\n" + page_numbers_rule(words) if words.translated else ""))
