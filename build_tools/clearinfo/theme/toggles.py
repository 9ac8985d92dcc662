"""Material's hidden checkboxes (the menu, search and "on this page" toggles), made valid HTML.

Material for MkDocs writes them in base.html, outside any block a theme can override, so they are
changed here, in the page as written, rather than by copying the whole of base.html:

- The menu and search checkboxes carry autocomplete="off", which HTML allows only on text-like
  inputs (the Nu HTML Checker reports it). Material adds it so Firefox does not reopen the menu
  after a reload; clearinfo.js closes both on every page load instead.
- Material writes the current page's "on this page" checkbox even when the page has no headings
  and so no label for it: an unnamed control that nothing can tick. Checkers report it, and a
  screen reader could land on it, so it goes.
"""
from __future__ import annotations

import re

# Exactly what Material 9.x writes; if an upgrade changes it, these simply stop matching.
_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" '
                           r'id="__(?:drawer|search)") autocomplete="off">')
_TOC_BOX = re.compile(r'\s*<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">')


def fix_toggles(html: str) -> str:
    html = _AUTOCOMPLETE.sub(r"\1>", html)
    if 'for="__toc"' not in html:
        html = _TOC_BOX.sub("", html, count=1)
    return html
