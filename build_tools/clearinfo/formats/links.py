"""Links in a page's HTML, made to work outside the website (in a PDF or on paper)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

_A = re.compile(r"<a\b([^>]*)>", re.I)
_HREF = re.compile(r'\shref="([^"]*)"', re.I)


def absolute_links(page_html: str, page_url: str, site_url: str | None) -> str:
    """Relative links become full web addresses (when the site's address is known), or plain
    text (when it is not), so no link in a PDF points nowhere. Anchors, web, email and phone
    links are kept."""
    base = urljoin(site_url.rstrip("/") + "/", page_url) if site_url else None

    def fix(m):
        attrs = m.group(1)
        href = _HREF.search(attrs)
        if not href:
            return m.group(0)
        url = href.group(1)
        if url.startswith(("#", "http://", "https://", "mailto:", "tel:")):
            return m.group(0)
        if base:
            return "<a" + attrs.replace(href.group(0), f' href="{urljoin(base, url)}"') + ">"
        return "<a" + attrs.replace(href.group(0), "") + ">"
    return _A.sub(fix, page_html)
