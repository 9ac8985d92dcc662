"""The council's phone number as a `tel:` link wherever a page says it, so a resident on a phone can
call with one tap. Only text outside links, code and headings' anchors is changed, and only the
number exactly as the settings give it (a page writes it with {{ council.phone }})."""
from __future__ import annotations

import html
import re

from ..content.safe_html import TAG_INSIDE

# A tag whole (TAG_INSIDE), or a comment: the number is never linked inside either. A tag with a
# quote that never closes ends at its first '>'.
_TAG = re.compile(rf"""<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b{TAG_INSIDE}*>|<[a-zA-Z/][^>]*>""", re.S)
SKIP = {"a", "code", "pre", "script", "style", "textarea", "title", "button", "select", "option", "label"}


def tel_href(number: str) -> str:
    """`tel:` followed by the digits (and a leading +): 01632 960000 -> tel:01632960000."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


def link_phone_number(page_html: str, number: str | None) -> str:
    """`page_html` with each `number` in its text (not already in a link, code or a form control)
    made a link that calls it."""
    if not number or not re.search(r"\d", number):
        return page_html
    shown = html.escape(number)
    if shown not in page_html:
        return page_html
    link = f'<a href="{tel_href(number)}">{shown}</a>'
    out, depth, at = [], 0, 0
    for m in _TAG.finditer(page_html):
        text = page_html[at:m.start()]
        out.append(text if depth else _in_text(text, shown, link))
        name = (m.group(2) or "").lower()  # a comment has no name
        if name in SKIP:
            depth += -1 if m.group(1) else (0 if m.group(0).endswith("/>") else 1)
            depth = max(depth, 0)
        out.append(m.group(0))
        at = m.end()
    tail = page_html[at:]
    out.append(tail if depth else _in_text(tail, shown, link))
    return "".join(out)


def _in_text(text: str, shown: str, link: str) -> str:
    """Only whole numbers: 01632 960000 inside 18001 01632 960000 (the textphone) is left alone."""
    return re.sub(rf"(?<!\d)(?<!\d ){re.escape(shown)}(?! ?\d)", link, text)
