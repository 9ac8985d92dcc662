"""Hard-copy packs: every page marked `print: true`, in one print-ready PDF for the council to
print and post (a title page, contents, each page on a new sheet, then the Easy Read versions
of those topics), and a large print edition of the same pack."""
from __future__ import annotations

from .easy_read import Prepared
from .large_print import PrintContext
from .templates import render, size_rule, stylesheet


def pack_html(title: str, sections: list[dict], easy_reads: list[Prepared], ctx: PrintContext,
              size: float, edition: str) -> str:
    # The Easy Read pages keep their own size: 16 point at least, even in the standard edition.
    style = "\n".join([size_rule(text_size=size, easy_read_size=max(size, 16)),
                       stylesheet("print.css", "easy_read_chunks.css", "pack.css")])
    return render("pack.html", title=title, edition=edition, sections=sections, easy_reads=easy_reads,
                  council=ctx.settings.council, fonts=ctx.fonts(), css=style, language=ctx.language)
