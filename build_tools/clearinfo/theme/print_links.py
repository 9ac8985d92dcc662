"""Printed web pages show each link's address after its words (WCAG needs nothing here, but
paper does: a reader cannot follow an underline). The address goes in a data attribute the
print stylesheet shows; words from "Words we use" are left alone, or every page would fill up."""
from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urljoin

from ..content.safe_html import TAG_INSIDE

_A = re.compile(rf"""<a\b({TAG_INSIDE}*)>""", re.I)  # a '>' inside a quoted value does not end it
_HREF = re.compile(r'\shref="([^"]*)"', re.I)


def add_print_urls(page_html: str, page_url: str, site_url: str | None) -> str:
    base = urljoin(site_url.rstrip("/") + "/", page_url) if site_url else None

    def mark(m):
        attrs = m.group(1)
        href = _HREF.search(attrs)
        if not href or "ci-term" in attrs or "data-print-url" in attrs:
            return m.group(0)
        url = htmllib.unescape(href.group(1))
        if url.startswith(("#", "mailto:", "tel:")):
            return m.group(0)
        if not url.startswith(("http://", "https://")):
            if not base:
                return m.group(0)
            url = urljoin(base, url)
        return f'<a{attrs} data-print-url="{htmllib.escape(url)}">'
    return _A.sub(mark, page_html)
