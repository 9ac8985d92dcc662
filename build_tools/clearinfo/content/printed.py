"""The "Printed copies" page: how to get information on paper, and the hard-copy packs.

The sizes of the packs are only known once they are made, after this page's words are turned
into HTML, so the page carries markers ([[size:NAME]], [[pages:NAME]]) filled in at the end."""
from __future__ import annotations

import datetime as dt
import re

from .newpage import generated_front_matter

PAGE = "printed-copies.md"
MARKER = re.compile(r"\[\[(size|pages):([a-z-]+)\]\]")


def printed_copies_page(print_pages: list, easy_read_titles: list[str], owner: str, today: dt.date) -> str:
    lines = [
        *generated_front_matter(
            "Printed copies",
            "Not everyone uses the internet. You can get our information on paper. Ask us to send you a "
            "copy, or print it yourself.", owner, today,
            ["002_fbc976b473192b74.txt:64", "002_fbc976b473192b74.txt:90", "003_8c4143861d2e16af.txt:792"]),
        "Not everyone uses the internet. You can still get our information on paper.",
        "",
        "## Ask us for a printed copy",
        "",
        "Phone us on {{ council.phone }}, or email {{ council.email }}.",
        "Tell us which information you want.",
        "You can ask for large print or Easy Read too.",
        "",
        "## Print it yourself",
        "",
        # Raw HTML: the packs are made after MkDocs checks Markdown links, so it would call them missing.
        "<ul>",
        '<li><a href="hard-copies.pdf">All our printed information</a> '
        "(PDF, [[size:hard-copies]], [[pages:hard-copies]] pages)</li>",
        '<li><a href="hard-copies-large-print.pdf">All our printed information in large print</a> '
        "(PDF, [[size:hard-copies-large-print]], [[pages:hard-copies-large-print]] pages)</li>",
        "</ul>",
        "",
        "Each has these pages:",
        "",
        *[f"- [{page.meta['title']}]({page.rel})" for page in print_pages],
        "",
    ]
    if easy_read_titles:
        lines += ["It also has the Easy Read versions of:", "", *[f"- {t}" for t in easy_read_titles], ""]
    return "\n".join(lines) + "\n"


def fill_markers(html: str, sizes: dict[str, tuple[str, int]]) -> str:
    def sub(m):
        size, pages = sizes.get(m.group(2), ("", 0))
        return size if m.group(1) == "size" else str(pages)
    return MARKER.sub(sub, html)
