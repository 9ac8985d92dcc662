"""Hard-copy packs: every page marked `print: true`, in one print-ready PDF for the council to
print and post (a title page, contents, each page on a new sheet, then the Easy Read versions
of those topics), and a large print edition of the same pack."""
from __future__ import annotations

from .easy_read import Prepared
from .large_print import PrintContext, css, env


def pack_html(title: str, sections: list[dict], easy_reads: list[Prepared], ctx: PrintContext,
              size: float, edition: str) -> str:
    council = ctx.settings.council
    style = "\n".join([css("print.css", size, council_name=council.get("name", "")),
                       css("easy_read_chunks.css", max(size, 16)),
                       css("pack.css", size)])
    return env().get_template("pack.html").render(
        title=title, edition=edition, sections=sections, easy_reads=easy_reads, council=council,
        fonts=ctx.fonts(), css=style, language=ctx.language)
