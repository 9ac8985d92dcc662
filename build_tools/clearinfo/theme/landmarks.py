"""Give every page one <main> landmark around the page content, and a skip link to it.

Material for MkDocs wraps the navigation sidebars inside its <main> and points its
skip link at the first heading. A keyboard user who skips would then tab through the
whole menu again. Our main.html puts <main id="main-content"> around the article;
here the theme's outer <main> becomes a <div> and the skip link targets our main.
"""
from __future__ import annotations

import re

MAIN_ID = "main-content"
SKIP_TEXT = "Skip to main content"

_SKIP_DIV = re.compile(r'(<div data-md-component="skip">).*?(</div>)', re.S)
_OUTER_MAIN = '<main class="md-main" data-md-component="main">'


class ThemeChanged(Exception):
    """The theme's HTML is not what this module expects (a Material upgrade?)."""


def fix_landmarks(html: str, skip_text: str = SKIP_TEXT) -> str:
    """`skip_text`: the skip link's words, in the page's language on a translation."""
    if f'<main id="{MAIN_ID}"' not in html:
        return html  # not a page built from our main.html (e.g. the 404 page keeps Material's own)
    if _OUTER_MAIN not in html or not _SKIP_DIV.search(html):
        raise ThemeChanged("Material's page layout has changed: update clearinfo/theme/landmarks.py.")
    skip = f'<a href="#{MAIN_ID}" class="md-skip">{skip_text}</a>'
    html = _SKIP_DIV.sub(lambda m: m.group(1) + skip + m.group(2), html, count=1)
    html = html.replace(_OUTER_MAIN, '<div class="md-main" data-md-component="main">', 1)
    head, sep, tail = html.rpartition("</main>")
    return head + "</div>" + tail


_PRIMARY_SIDEBAR = '<div class="md-sidebar md-sidebar--primary"'


def mark_english_parts(html: str) -> str:
    """On a page marked with another language (a translation), the menu is still the English pages'
    titles: mark it English (WCAG 3.1.2), written left to right, so a screen reader reads it with an
    English voice."""
    return html.replace(_PRIMARY_SIDEBAR, _PRIMARY_SIDEBAR + ' lang="en-GB" dir="ltr"', 1)
