"""WCAG failures that axe-core misses but a built page shows: checks on the HTML (static_checks)
and checks in the browser, once a page is loaded and settled in a view (browser_checks).

Each rule follows the WCAG success criterion it names, and the W3C ACT rule where there is one
(ids in the comments), so a page that is correct is never flagged: where a check cannot tell,
it says nothing. The in-page half is beyond_axe.js, next to this file.
"""
from __future__ import annotations

import bisect
import functools
import re
import time
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from .findings import REVIEW, VIOLATION, Finding

CHECK = "beyond-axe"
RULES = ("text-spacing-important", "empty-heading", "summary-no-name", "th-no-data", "alt-is-filename",
         "part-lang-missing", "focusable-aria-hidden", "scrollable-not-focusable", "focus-not-visible",
         "clipped-at-200")


_HAS_SELECTOR = "selector" in getattr(Finding, "__dataclass_fields__", {})


def _finding(page, rule, message, fix, element="", context="", severity=VIOLATION, selector="") -> Finding:
    extra = {"selector": selector} if _HAS_SELECTOR and selector else {}
    return Finding(page=page, check=CHECK, rule=rule, message=message, fix=fix, element=element,
                   severity=severity, context=context, **extra)


def _snippet(el) -> str:
    text = " ".join(str(el).split())
    return text if len(text) <= 160 else text[:157] + "..."


# ---------------------------------------------------------------------------------------------
# What assistive technology sees, read from the HTML (a small version of the W3C's accessible
# name computation). Styles in stylesheets are not known here, only the style attribute.

_NEVER_SHOWN = {"script", "style", "template", "noscript", "head", "title", "meta", "link"}
_INLINE_HIDDEN = re.compile(r"(^|;)\s*(display\s*:\s*none|visibility\s*:\s*(hidden|collapse))\s*(!important)?\s*(;|$)",
                            re.IGNORECASE)
_GLOBAL_ARIA = ("aria-label", "aria-labelledby", "aria-describedby", "aria-details", "aria-controls",
                "aria-owns", "aria-live", "aria-keyshortcuts", "aria-roledescription", "aria-flowto",
                "aria-errormessage", "aria-atomic", "aria-busy", "aria-relevant", "aria-dropeffect",
                "aria-grabbed", "aria-haspopup", "aria-invalid", "aria-disabled", "aria-hidden")
_ARIA_ROLES = set("""alert alertdialog application article banner blockquote button caption cell checkbox code
columnheader combobox comment complementary contentinfo definition deletion dialog directory document emphasis
feed figure form generic grid gridcell group heading img image insertion link list listbox listitem log main mark
marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter navigation none note option paragraph
presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox separator
slider spinbutton status strong subscript suggestion superscript switch tab table tablist tabpanel term textbox
time timer toolbar tooltip tree treegrid treeitem""".split())


def _role(el) -> str:
    """The first role token a browser recognises, or ''."""
    for token in (el.get("role") or "").lower().split():
        if token in _ARIA_ROLES:
            return token
    return ""


def _presentational(el) -> bool:
    """role=none/presentation that a browser honours (not with global ARIA or focusability)."""
    return _role(el) in ("none", "presentation") and not any(el.has_attr(a) for a in _GLOBAL_ARIA) \
        and not el.has_attr("tabindex")


def _hidden_self(el) -> bool:
    if el.name in _NEVER_SHOWN or el.has_attr("hidden"):
        return True
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_INLINE_HIDDEN.search(el.get("style") or ""))


def _hidden(el) -> bool:
    """Not in the accessibility tree: it, or something around it, is hidden."""
    node = el
    while isinstance(node, Tag) and node.name != "[document]":
        if _hidden_self(node):
            return True
        node = node.parent
    return False


def _clean(text: str) -> str:
    return " ".join(text.replace("\u200b", " ").replace("\u00ad", "").split())


class _Names:
    """Accessible names for the elements of one page."""

    def __init__(self, soup):
        self.ids = {}
        for el in soup.find_all(id=True):
            self.ids.setdefault(el["id"], el)

    def name(self, el, labelledby=True) -> str:
        return _clean(self._name(el, labelledby=labelledby, seen=set()))

    def _name(self, el, labelledby: bool, seen: set) -> str:
        if id(el) in seen:
            return ""
        seen = seen | {id(el)}
        if labelledby and el.get("aria-labelledby"):
            parts = [self._name(self.ids[i], labelledby=False, seen=seen)
                     for i in el["aria-labelledby"].split() if i in self.ids]
            if _clean(" ".join(parts)):
                return " ".join(parts)
        label = el.get("aria-label")
        if label and label.strip():
            return label
        if el.name in ("img", "area") or (el.name == "input" and (el.get("type") or "").lower() == "image"):
            if _presentational(el):
                return ""
            if el.has_attr("alt"):
                return el["alt"]
            return el.get("title", "")
        if el.name == "svg":
            title = el.find("title")
            text = title.get_text(" ") if title else ""
            return text or el.get("title", "")
        if el.name == "input":
            return el.get("value", "") if (el.get("type") or "").lower() in ("button", "submit", "reset") else ""
        text = self._content(el, labelledby, seen)
        if _clean(text):
            return text
        return el.get("title", "")

    def _content(self, el, labelledby: bool, seen: set) -> str:
        parts = []
        for child in el.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    parts.append(" ")
                elif not _hidden_self(child):
                    parts.append(self._name(child, labelledby=labelledby, seen=seen))
        return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Empty headings (WCAG 1.3.1, 2.4.6; ACT ffd0e9)

def _is_heading(el) -> bool:
    role = _role(el)
    if re.fullmatch(r"h[1-6]", el.name):
        return role in ("", "heading") or (role in ("none", "presentation") and not _presentational(el))
    return role == "heading"


def empty_headings(page: str, soup, names: _Names) -> list[Finding]:
    out = []
    for el in soup.find_all(True):
        if not _is_heading(el) or _hidden(el):
            continue
        if not names.name(el):
            out.append(_finding(
                page, "empty-heading",
                "A heading is empty. Screen reader users hear 'heading' with nothing after it, and people "
                "who move from heading to heading cannot tell what this part of the page is about "
                "(WCAG 1.3.1 and 2.4.6).",
                "Write the heading's words, or remove the empty heading. If a picture is the heading, give "
                "the picture alt text that says what the heading is.", _snippet(el)))
    return out


# ---------------------------------------------------------------------------------------------
# A <summary> (the button that opens a <details>) with no name (WCAG 4.1.2; ACT 2t702h)

def summaries_without_name(page: str, soup, names: _Names) -> list[Finding]:
    out = []
    for details in soup.find_all("details"):
        first = details.find("summary", recursive=False)
        if first is None or _hidden(first):
            continue
        if _role(first) not in ("", "none", "presentation"):
            continue  # another role: another rule (for example a button's name)
        if not names.name(first):
            out.append(_finding(
                page, "summary-no-name",
                "A section that opens and closes (a 'details' box) has no words on the button that opens "
                "it. Screen reader users hear only 'disclosure triangle' and do not know what it opens "
                "(WCAG 4.1.2).",
                "Put words in the <summary>, for example <summary>Opening times</summary>.", _snippet(first)))
    return out


# ---------------------------------------------------------------------------------------------
# Header cells with no cells to be a header for (WCAG 1.3.1; ACT d0f69e). The HTML table model:
# https://html.spec.whatwg.org/multipage/tables.html#forming-relationships-between-data-cells-and-header-cells

class _Cell:
    def __init__(self, el, x, y, w, h, header, scope, group):
        self.el, self.x, self.y, self.w, self.h = el, x, y, w, h
        self.header, self.scope, self.group = header, scope, group
        self.empty = not el.find(True) and not el.get_text().strip(" \t\n\r\f")
        self.column_header = self.row_header = False


def _span(el, name, default, low, high) -> int:
    try:
        value = int(str(el.get(name, default)).strip())
    except ValueError:
        return default
    return max(low, min(value, high))


def _html_table_cells(table) -> tuple[list[_Cell], dict]:
    cells, slots = [], {}
    y = 0
    groups = []
    for child in table.find_all(True, recursive=False):
        if child.name in ("thead", "tbody", "tfoot"):
            groups.append((child, child.find_all("tr", recursive=False)))
        elif child.name == "tr":
            groups.append((None, [child]))
    for group, rows in groups:
        start = y
        growing = []
        for tr in rows:
            x = 0
            for td in tr.find_all(("td", "th"), recursive=False):
                while (x, y) in slots:
                    x += 1
                w = _span(td, "colspan", 1, 1, 1000)
                rowspan = _span(td, "rowspan", 1, 0, 65534)
                h = max(rowspan, 1)
                scope = (td.get("scope") or "").strip().lower()
                cell = _Cell(td, x, y, w, h, td.name == "th", scope, (group, start) if group is not None else None)
                if rowspan == 0:
                    growing.append(cell)
                cells.append(cell)
                for dx in range(w):
                    for dy in range(h):
                        slots.setdefault((x + dx, y + dy), []).append(cell)
                x += w
            y += 1
        for cell in growing:  # rowspan=0: to the end of its row group
            for yy in range(cell.y + 1, y):
                for dx in range(cell.w):
                    slots.setdefault((cell.x + dx, yy), []).append(cell)
            cell.h = y - cell.y
    return cells, slots


_DATA_ROLES = {"cell", "gridcell"}
_HEADER_ROLES = {"columnheader", "rowheader"}


def _aria_table_cells(table) -> tuple[list[_Cell], dict]:
    """Tables made with ARIA roles: rows of cells, in order (spans from aria-colspan)."""
    cells, slots = [], {}

    def owner(el, roles):
        node = el.parent
        while isinstance(node, Tag):
            if _role(node) in roles:
                return node
            node = node.parent
        return None

    rows = [r for r in table.find_all(True) if _role(r) == "row" and owner(r, {"table", "grid", "treegrid"}) is table]
    for y, row in enumerate(rows):
        x = 0
        for el in row.find_all(True):
            role = _role(el)
            if role not in _DATA_ROLES | _HEADER_ROLES or owner(el, {"row"}) is not row:
                continue
            while (x, y) in slots:
                x += 1
            w = _span(el, "aria-colspan", 1, 1, 1000)
            scope = {"columnheader": "col", "rowheader": "row"}.get(role, "")
            cell = _Cell(el, x, y, w, 1, role in _HEADER_ROLES, scope, None)
            cells.append(cell)
            for dx in range(w):
                slots.setdefault((x + dx, y), []).append(cell)
            x += w
    return cells, slots


def _assign_headers(cells, slots, ids) -> set:
    """The header cells that the HTML table model assigns to at least one cell."""
    def data_in(xs=None, ys=None):
        return any(not c.header for c in cells
                   if (xs is None or (c.x < xs[1] and c.x + c.w > xs[0])) and
                   (ys is None or (c.y < ys[1] and c.y + c.h > ys[0])))

    for c in cells:
        if not c.header:
            continue
        c.column_header = c.scope == "col" or (c.scope not in ("row", "col", "rowgroup", "colgroup")
                                               and not data_in(ys=(c.y, c.y + c.h)))
        c.row_header = c.scope == "row" or (c.scope not in ("row", "col", "rowgroup", "colgroup")
                                            and not c.column_header and not data_in(xs=(c.x, c.x + c.w)))

    def scan(principal, x, y, dx, dy, found):
        opaque = []
        in_block = principal.header
        block = [principal] if principal.header else []
        while True:
            x, y = x + dx, y + dy
            if x < 0 or y < 0:
                return
            covering = slots.get((x, y), [])
            if len(covering) != 1:
                continue
            current = covering[0]
            if current.header:
                in_block = True
                block.append(current)
                blocked = False
                if dx == 0:
                    blocked = any(o.x == current.x and o.w == current.w for o in opaque) or not current.column_header
                else:
                    blocked = any(o.y == current.y and o.h == current.h for o in opaque) or not current.row_header
                if not blocked:
                    found.add(id(current))
            elif in_block:
                in_block = False
                opaque.extend(block)
                block = []

    assigned = set()
    by_id = {id(c.el): c for c in cells}
    empty = {id(c) for c in cells if c.empty}
    for principal in cells:
        found = set()
        headers = principal.el.get("headers")
        if headers is not None:
            for token in (headers.split() if isinstance(headers, str) else headers):
                target = ids.get(token)
                if target is not None and id(target) in by_id and target is not principal.el:
                    found.add(id(by_id[id(target)]))
        else:
            for y in range(principal.y, principal.y + principal.h):
                scan(principal, principal.x, y, -1, 0, found)
            for x in range(principal.x, principal.x + principal.w):
                scan(principal, x, principal.y, 0, -1, found)
            if principal.group is not None:
                for c in cells:
                    if c.header and c.scope == "rowgroup" and c.group == principal.group \
                            and c.x <= principal.x + principal.w - 1 and c.y <= principal.y + principal.h - 1:
                        found.add(id(c))
        found.discard(id(principal))
        assigned |= found - empty
    return assigned


def headers_without_cells(page: str, soup, names: _Names) -> list[Finding]:
    out = []
    for table in soup.find_all(True):
        role = _role(table)
        if table.name == "table":
            if role and role not in ("table", "grid", "treegrid") and not (
                    role in ("none", "presentation") and not _presentational(table)):
                continue
            cells, slots = _html_table_cells(table)
        elif role in ("table", "grid", "treegrid"):
            cells, slots = _aria_table_cells(table)
        else:
            continue
        if _hidden(table):
            continue
        assigned = _assign_headers(cells, slots, names.ids)
        for c in cells:
            if not c.header or c.empty or id(c) in assigned or _hidden(c.el):
                continue
            if c.el.name == "th" and _role(c.el) not in ("", "columnheader", "rowheader"):
                continue  # shown as another role (for example role="cell")
            if c.scope == "colgroup" or not (c.column_header or c.row_header or c.scope == "rowgroup"):
                continue  # not a header of a row or column in the browser's eyes: nothing to check
            out.append(_finding(
                page, "th-no-data",
                f"The table header '{names.name(c.el)[:60]}' is not the header of any cell: no cells sit "
                "under it or beside it. Screen readers cannot tell people which header goes with which "
                "information (WCAG 1.3.1).",
                "Put the information in the table under (or beside) its header, or, if these are not "
                "headers, make them ordinary cells (td, or '|' rows under the header row in Markdown).",
                _snippet(c.el)))
    return out


# ---------------------------------------------------------------------------------------------
# A picture's file name used as its text alternative (WCAG 1.1.1; ACT 9eb3f6)

_IMAGE_EXT = r"(?:jpe?g|jfif|png|gif|webp|avif|svg|bmp|tiff?|heic|heif|ico)"
_FILE_LIKE = re.compile(rf"^[^\s/\\]+\.{_IMAGE_EXT}$", re.IGNORECASE)
_CAMERA = re.compile(r"^(?:(?:img|dsc[nf]?|pxl|mvimg|gopr|dji|image|photo|pic|picture)[_-]?\d{3,}(?:[_-]\d+)*"
                     r"|p\d{7}|screen ?shot[ _-]?\d{4}[-\d _.:at]*(?:am|pm)?)$", re.IGNORECASE)
_HASH = re.compile(r"^(?:[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.IGNORECASE)


def _file_name(url: str) -> str:
    path = urlsplit((url or "").strip()).path
    return unquote(path.rsplit("/", 1)[-1]).strip()


def _sources(img) -> list[str]:
    urls = [img.get("src", "")]
    candidates = [img.get("srcset", "")]
    if img.parent is not None and img.parent.name == "picture":
        candidates += [s.get("srcset", "") for s in img.parent.find_all("source", recursive=False)]
    for srcset in candidates:
        urls += [part.strip().split()[0] for part in srcset.split(",") if part.strip()]
    return [n for n in map(_file_name, urls) if n]


def _machine_made(text: str) -> bool:
    """A name no person would choose: a camera's, a hash, or words joined by - or _ with digits."""
    return bool(_CAMERA.match(text) or _HASH.match(text) or
                (re.search(r"\d", text) and re.fullmatch(r"[\w.-]+", text) and re.search(r"[_.-]", text)))


def filename_alternatives(page: str, soup, names: _Names) -> list[Finding]:
    out = []
    for img in soup.find_all(["img", "input"]):
        if img.name == "input" and (img.get("type") or "").lower() != "image":
            continue
        if _presentational(img) or _role(img) not in ("", "img", "image", "none", "presentation") or _hidden(img):
            continue
        name = names.name(img).strip()
        if not name:
            continue
        lowered = name.lower()
        files = _sources(img)
        stems = {f.rsplit(".", 1)[0].lower() for f in files}
        # A name with a picture's file extension, or one no person would choose that is also the
        # file's name; not a plain word that happens to be the file's name ('Nyhavn' for nyhavn.jpg).
        named_after_file = lowered in {f.lower() for f in files} | stems and _machine_made(name)
        if not (_FILE_LIKE.match(name) or _CAMERA.match(name) or _HASH.match(name) or named_after_file):
            continue
        link = img.find_parent("a")
        if link is not None and _file_name(link.get("href", "")).lower() == lowered:
            continue  # "Download <img alt='leaflet.pdf'>": the file's name is what the link offers
        out.append(_finding(
            page, "alt-is-filename",
            f"A picture's text alternative is '{name[:60]}', which is a file name, not a description. Screen "
            "reader users hear the file name instead of what the picture shows (WCAG 1.1.1).",
            "Write alt text that says what the picture shows or does, for example 'Two carers at a "
            "group meeting'. If the picture is only decoration, use alt=\"\".", _snippet(img)))
    return out


# ---------------------------------------------------------------------------------------------
# Words in another language not marked with lang (WCAG 3.1.2). Only scripts are compared: text
# in a script the language in force is never written in (Arabic letters in English). Languages
# that share the Latin alphabet cannot be told apart reliably, so Latin text is never flagged.

_SCRIPT_RANGES = sorted([
    (0x0041, 0x005A, "Latn"), (0x0061, 0x007A, "Latn"), (0x00C0, 0x024F, "Latn"), (0x0250, 0x02AF, "Latn"),
    (0x1D00, 0x1DBF, "Latn"), (0x1E00, 0x1EFF, "Latn"), (0x2C60, 0x2C7F, "Latn"), (0xA720, 0xA7FF, "Latn"),
    (0xAB30, 0xAB6F, "Latn"), (0xFF21, 0xFF3A, "Latn"), (0xFF41, 0xFF5A, "Latn"),
    (0x0370, 0x03FF, "Grek"), (0x1F00, 0x1FFF, "Grek"),
    (0x0400, 0x052F, "Cyrl"), (0x1C80, 0x1C8F, "Cyrl"), (0x2DE0, 0x2DFF, "Cyrl"), (0xA640, 0xA69F, "Cyrl"),
    (0x0531, 0x058F, "Armn"), (0xFB13, 0xFB17, "Armn"),
    (0x0591, 0x05FF, "Hebr"), (0xFB1D, 0xFB4F, "Hebr"),
    (0x0600, 0x06FF, "Arab"), (0x0750, 0x077F, "Arab"), (0x0870, 0x08FF, "Arab"), (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0x0700, 0x074F, "Syrc"), (0x0780, 0x07BF, "Thaa"), (0x07C0, 0x07FF, "Nkoo"),
    (0x0900, 0x097F, "Deva"), (0xA8E0, 0xA8FF, "Deva"), (0x0980, 0x09FF, "Beng"), (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"), (0x0B00, 0x0B7F, "Orya"), (0x0B80, 0x0BFF, "Taml"), (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"), (0x0D00, 0x0D7F, "Mlym"), (0x0D80, 0x0DFF, "Sinh"), (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"), (0x0F00, 0x0FFF, "Tibt"), (0x1000, 0x109F, "Mymr"),
    (0x10A0, 0x10FF, "Geor"), (0x1C90, 0x1CBF, "Geor"), (0x2D00, 0x2D2F, "Geor"),
    (0x1100, 0x11FF, "Hang"), (0x3130, 0x318F, "Hang"), (0xA960, 0xA97F, "Hang"), (0xAC00, 0xD7AF, "Hang"),
    (0xD7B0, 0xD7FF, "Hang"),
    (0x1200, 0x139F, "Ethi"), (0x2D80, 0x2DDF, "Ethi"), (0x13A0, 0x13FF, "Cher"), (0x1400, 0x167F, "Cans"),
    (0x1780, 0x17FF, "Khmr"), (0x1800, 0x18AF, "Mong"), (0x2D30, 0x2D7F, "Tfng"),
    (0x3040, 0x309F, "Hira"), (0x30A0, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"), (0xFF66, 0xFF9D, "Kana"),
    (0x3100, 0x312F, "Bopo"), (0x31A0, 0x31BF, "Bopo"),
    (0x3400, 0x4DBF, "Hani"), (0x4E00, 0x9FFF, "Hani"), (0xF900, 0xFAFF, "Hani"), (0x20000, 0x3134F, "Hani"),
])
_RANGE_STARTS = [r[0] for r in _SCRIPT_RANGES]
_WRITTEN_WITHOUT_SPACES = {"Hani", "Hira", "Kana", "Hang", "Bopo", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"}
_SCRIPT_NAMES = {
    "Grek": "Greek", "Cyrl": "Cyrillic", "Armn": "Armenian", "Hebr": "Hebrew", "Arab": "Arabic", "Syrc": "Syriac",
    "Thaa": "Thaana", "Nkoo": "N'Ko", "Deva": "Devanagari", "Beng": "Bengali", "Guru": "Gurmukhi", "Gujr": "Gujarati",
    "Orya": "Odia", "Taml": "Tamil", "Telu": "Telugu", "Knda": "Kannada", "Mlym": "Malayalam", "Sinh": "Sinhala",
    "Thai": "Thai", "Laoo": "Lao", "Tibt": "Tibetan", "Mymr": "Burmese", "Geor": "Georgian", "Hang": "Korean",
    "Ethi": "Ethiopic", "Cher": "Cherokee", "Cans": "Canadian syllabic", "Khmr": "Khmer", "Mong": "Mongolian",
    "Tfng": "Tifinagh", "Hira": "Japanese", "Kana": "Japanese", "Bopo": "Bopomofo", "Hani": "Chinese or Japanese",
}
# Examples a content editor can copy: languages often written in that script in the UK.
_SCRIPT_EXAMPLE = {
    "Arab": [("ur", "Urdu"), ("ar", "Arabic"), ("fa", "Persian")], "Cyrl": [("uk", "Ukrainian"), ("ru", "Russian")],
    "Grek": [("el", "Greek")], "Hebr": [("he", "Hebrew"), ("yi", "Yiddish")],
    "Deva": [("hi", "Hindi"), ("ne", "Nepali")],
    "Beng": [("bn", "Bengali")], "Guru": [("pa", "Punjabi")], "Gujr": [("gu", "Gujarati")], "Taml": [("ta", "Tamil")],
    "Hani": [("zh", "Chinese"), ("ja", "Japanese")], "Hira": [("ja", "Japanese")], "Kana": [("ja", "Japanese")],
    "Hang": [("ko", "Korean")], "Ethi": [("am", "Amharic"), ("ti", "Tigrinya")], "Thai": [("th", "Thai")],
}

_LATIN = ("en sco cy ga gd kw gv br fr de es it pt nl eu ca gl oc co sc rm lb fy af sq hr cs sk sl pl hu ro "
          "da sv no nb nn is fo fi et lv lt mt tr so sw rw rn lg ny sn st tn ts xh zu yo ig ff wo ln kg mg id "
          "jv su tl fil ceb haw mi sm to fj la eo ia ie io vo qu ay gn ht pap om hsb dsb se smn sma nso ve "
          "ast an wa fur lld vec nap scn lij pms lmo rup ro mo ak ee tw kab")
_SCRIPTS_OF = {code: {"Latn"} for code in _LATIN.split()}
_SCRIPTS_OF.update({
    **{c: {"Cyrl"} for c in "ru uk be bg mk tg ba cv ce os ab av sah tyv udm kv mhr rue cu kbd ady".split()},
    "sr": {"Cyrl", "Latn"}, "bs": {"Latn", "Cyrl"}, "tk": {"Latn", "Cyrl"}, "tt": {"Cyrl", "Latn"},
    "kk": {"Cyrl", "Latn", "Arab"}, "ky": {"Cyrl", "Arab"}, "uz": {"Latn", "Cyrl", "Arab"},
    "az": {"Latn", "Cyrl", "Arab"}, "mn": {"Cyrl", "Mong"}, "ku": {"Latn", "Arab", "Cyrl"},
    "ha": {"Latn", "Arab"}, "ms": {"Latn", "Arab"}, "ug": {"Arab", "Cyrl", "Latn"},
    **{c: {"Arab"} for c in "ar fa prs ur ps sd ckb bal skr pnb glk mzn lrc arz apc ajp acm ary aeb".split()},
    "pa": {"Guru", "Arab"}, "ks": {"Arab", "Deva"}, "sd": {"Arab", "Deva"},
    "el": {"Grek"}, "grc": {"Grek"}, "he": {"Hebr"}, "iw": {"Hebr"}, "yi": {"Hebr"}, "lad": {"Hebr", "Latn"},
    "hy": {"Armn"}, "ka": {"Geor"}, "syr": {"Syrc"}, "dv": {"Thaa"}, "nqo": {"Nkoo"},
    **{c: {"Deva"} for c in "hi mr ne sa mai bho kok doi brx new awa mag hne raj".split()},
    "bn": {"Beng"}, "as": {"Beng"}, "mni": {"Beng"}, "gu": {"Gujr"}, "or": {"Orya"}, "ta": {"Taml"},
    "te": {"Telu"}, "kn": {"Knda"}, "tcy": {"Knda"}, "ml": {"Mlym"}, "si": {"Sinh"}, "th": {"Thai"},
    "lo": {"Laoo"}, "bo": {"Tibt"}, "dz": {"Tibt"}, "my": {"Mymr"}, "km": {"Khmr"},
    "am": {"Ethi"}, "ti": {"Ethi"}, "tig": {"Ethi"}, "gez": {"Ethi"}, "chr": {"Cher"},
    "iu": {"Cans", "Latn"}, "cr": {"Cans", "Latn"}, "zgh": {"Tfng", "Latn", "Arab"}, "tzm": {"Tfng", "Latn", "Arab"},
    "ber": {"Tfng", "Latn", "Arab"}, "shi": {"Tfng", "Latn", "Arab"},
    **{c: {"Hani", "Bopo"} for c in "zh yue cmn wuu hak nan gan hsn cdo cjy lzh".split()},
    "ja": {"Hani", "Hira", "Kana"}, "ko": {"Hang", "Hani"}, "vi": {"Latn", "Hani"},
})
_SCRIPT_SUBTAGS = {"Hans": {"Hani", "Bopo"}, "Hant": {"Hani", "Bopo"}, "Jpan": {"Hani", "Hira", "Kana"},
                   "Kore": {"Hang", "Hani"}, "Hrkt": {"Hira", "Kana"}}


def _script(ch: str) -> str:
    code = ord(ch)
    i = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if i >= 0 and _SCRIPT_RANGES[i][0] <= code <= _SCRIPT_RANGES[i][1]:
        return _SCRIPT_RANGES[i][2]
    return ""


def _scripts_for(lang: str) -> set | None:
    """The scripts a language tag is written in, or None when we cannot know (then say nothing)."""
    parts = lang.strip().replace("_", "-").split("-")
    if not parts[0]:
        return None
    for sub in parts[1:]:
        if len(sub) == 4 and sub.isalpha():
            sub = sub.title()
            return _SCRIPT_SUBTAGS.get(sub, {sub})
    return _SCRIPTS_OF.get(parts[0].lower())


def _foreign_runs(text: str, allowed: set) -> list[tuple[str, str]]:
    """Runs of words in a script the language in force is not written in: (script, words).
    Single letters and symbols (pi, mu, a Greek letter in a formula) are not words."""
    runs, current, counts = [], [], {}

    def close():
        words = "".join(current).strip()
        if counts and words:
            script = max(counts, key=counts.get)
            if script in _WRITTEN_WITHOUT_SPACES - {"Thai", "Laoo", "Khmr", "Mymr", "Tibt"}:
                enough = sum(counts.values()) >= 2
            else:
                lengths = [sum(unicodedata.category(c)[0] in "LM" for c in w) for w in words.split()]
                enough = sum(lengths) >= 4 and max(lengths) >= 3
            if enough:
                runs.append((script, words))
        current.clear()
        counts.clear()

    for ch in text:
        kind = unicodedata.category(ch)[0]
        if kind == "M":  # a combining mark belongs to the letter before it
            if current:
                current.append(ch)
        elif kind == "L":
            script = _script(ch)
            if script and script != "Latn" and script not in allowed:
                current.append(ch)
                counts[script] = counts.get(script, 0) + 1
            else:
                close()
        elif current:
            current.append(ch)  # spaces, punctuation and digits go with the words around them
    close()
    return runs


def _lang_of(el) -> str | None:
    node = el
    while isinstance(node, Tag) and node.name != "[document]":
        for attr in ("lang", "xml:lang"):
            if node.has_attr(attr):
                return node[attr]
        node = node.parent
    return None


_LANG_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def unmarked_languages(page: str, soup) -> list[Finding]:
    out, seen = [], set()

    def check(el, text):
        lang = _lang_of(el)
        if lang is None:
            return
        allowed = _scripts_for(lang)
        if allowed is None:
            return
        for script, words in _foreign_runs(text, allowed):
            key = (id(el), script)
            if key in seen:
                continue
            seen.add(key)
            examples = _SCRIPT_EXAMPLE.get(script)
            if examples:
                (code, language), more = examples[0], examples[1:]
                example = f'for example <span lang="{code}">...</span> for {language}' + "".join(
                    f', lang="{c}" for {name}' for c, name in more)
            else:
                example = 'for example <span lang="...">...</span> with the language\'s code'
            out.append(_finding(
                page, "part-lang-missing",
                f"Some words are written in {_SCRIPT_NAMES.get(script, script)} script ('{words[:40]}'), but "
                f"this part of the page is marked as language '{lang}'. Screen readers read them with the "
                "wrong voice, or skip them (WCAG 3.1.2).",
                f"Mark the words with their language: {example}.", _snippet(el)))

    for string in soup.find_all(string=True):
        if isinstance(string, (Comment, Declaration, Doctype, CData, ProcessingInstruction)):
            continue
        parent = string.parent
        if not isinstance(parent, Tag) or parent.name in ("script", "style", "template", "noscript", "[document]"):
            continue
        if parent.find_parent(["code", "kbd", "samp", "math"]) or parent.name in ("code", "kbd", "samp", "math"):
            continue  # computer code and formulas, not a human language
        if not any(ord(c) > 0x36F for c in string):
            continue
        if _hidden(parent) and parent.name != "title":
            continue
        check(parent, str(string))
    for el in soup.find_all(True):
        for attr in _LANG_ATTRIBUTES:
            value = el.get(attr)
            if isinstance(value, str) and any(ord(c) > 0x36F for c in value) and not _hidden(el):
                check(el, value)
    return out


def static_checks(page: str, soup) -> list[Finding]:
    """The beyond-axe checks that need only the page's HTML (parsed with BeautifulSoup)."""
    names = _Names(soup)
    return (empty_headings(page, soup, names) + summaries_without_name(page, soup, names) +
            headers_without_cells(page, soup, names) + filename_alternatives(page, soup, names) +
            unmarked_languages(page, soup))


# ---------------------------------------------------------------------------------------------
# In the browser

@functools.cache
def _javascript() -> str:
    return (Path(__file__).with_name("beyond_axe.js")).read_text(encoding="utf-8")


def _run(driver, call: str, *args):
    return driver.execute_script(_javascript() + "\nreturn BA." + call + ";", *args)


# Appended to beyond_axe.js for an asynchronous call: the answer once the next two frames are drawn
# and the page's own code has answered them (a task after the frames), or what went wrong.
_AFTER_FRAMES = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
  try { done({answer: %s}); } catch (e) { done({error: String(e && e.message || e)}); }
}, 0)));
"""


def _answer(driver, script: str, *args):
    """Run beyond_axe.js and then `script`, which answers {answer: ...} or {error: ...}."""
    result = driver.execute_async_script(_javascript() + script, *args)
    if not isinstance(result, dict) or "answer" not in result:
        raise RuntimeError(f"Clearinfo's checks stopped: {(result or {}).get('error', 'no answer')}")
    return result["answer"]


def _run_after_frames(driver, call: str):
    return _answer(driver, _AFTER_FRAMES % ("BA." + call))


# Appended to beyond_axe.js for a call that answers by calling `done` itself.
_ASYNC = """
const answer = arguments[arguments.length - 1];
const done = (value) => answer({answer: value});
const fail = (e) => answer({error: String(e && e.message || e)});
try { BA.%s; } catch (e) { fail(e); }
"""


def _run_async(driver, call: str, *args):
    return _answer(driver, _ASYNC % call, *args)


def _element(item: dict) -> str:
    return f"{item['selector']} {item['snippet']}".strip()


ZOOM_VIEWPORT = (640, 512)  # 1280 by 1024 at 200% (ACT 59br37; WCAG 1.4.10 names 1280 wide)


def browser_checks(driver, page: str, context: str, *, zoom: bool | None = None, focus_limit: int = 300,
                   screenshot_limit: int = 25, timings: dict | None = None) -> list[Finding]:
    """The beyond-axe checks on the page loaded in `driver`, in the view it is in now.

    zoom: also look for text cut off at 200% (1.4.4), which resizes the window to 640 by 512 for a
    moment. It depends on neither the width nor the colours of the view, so run it once a page;
    None (the default) runs it when the view is 1000px wide or more."""
    out: list[Finding] = []
    started = time.perf_counter()
    # The scan and the focus pass in one call: each call is a round trip to the browser.
    found = _run(driver, "checks(arguments[0])", focus_limit)
    for item in found["spacing"]:
        prop = item["property"]
        name = {"letter-spacing": "space between letters", "word-spacing": "space between words",
                "line-height": "space between lines"}[prop]
        out.append(_finding(
            page, "text-spacing-important",
            f"The {name} here is fixed with '!important' in a style attribute, at {item['ratio']} times the "
            f"text size. People who need more space to read cannot change it (WCAG 1.4.12 needs at least "
            f"{item['minimum']}).",
            f"Remove '!important' from the {prop} in the style, or make it at least {item['minimum']} "
            f"(for example {prop}: {item['minimum']}{'' if prop == 'line-height' else 'em'}).",
            _element(item), context, selector=item["selector"]))
    for item in found["ariaHidden"]:
        out.append(_finding(
            page, "focusable-aria-hidden",
            "Something people can reach with the Tab key is inside a part hidden from screen readers "
            "(aria-hidden=\"true\"). Keyboard users land on it, but screen readers say nothing, or the "
            "wrong thing (WCAG 4.1.2).",
            "Take aria-hidden=\"true\" off the part, or take the link or button out of it (or give it "
            "tabindex=\"-1\" if it must stay but should not be reached).", _element(item), context,
            selector=item["selector"]))
    for item in found["scrollable"]:
        out.append(_finding(
            page, "scrollable-not-focusable",
            f"A box scrolls {item['direction']}, but people using only a keyboard cannot reach it to scroll, "
            "so they cannot read what is hidden in it (WCAG 2.1.1).",
            "Let the box take keyboard focus: add tabindex=\"0\", with role=\"region\" and an aria-label "
            "that names it. Or let the content fit without scrolling.", _element(item), context,
            selector=item["selector"]))
    scanned = started + found["scanSeconds"]

    passed = found["focus"]  # the focus pass; when nothing is left for screenshots it has put the page back
    shots = 0
    groups: dict[str, list[int]] = {}  # elements off the page, by the closed box they are in
    alone = []
    for i, item in enumerate(passed["unchanged"]):
        if item["group"]:
            groups.setdefault(item["group"], []).append(i)
        else:
            alone.append(i)
    try:
        # Nothing changed in the element or around it. First the page's own code gets a frame or two
        # to answer the focus (focusLate); where still nothing changed, a screenshot before and after
        # focus decides (an indicator can be drawn anywhere, by a script). One per closed box.
        known = _unseen_focus(driver, found["loaded"])
        looked_at = alone + [members[0] for members in groups.values()]
        asked = [i for i in looked_at if passed["unchanged"][i]["selector"] not in known][:screenshot_limit]
        late = set(_run_async(driver, "focusLate(arguments[0], done, fail)", asked)) if asked else set()
        for i in looked_at:
            item = passed["unchanged"][i]
            if i in late:
                continue
            if item["selector"] not in known:  # not already seen in another view of this page
                if shots >= screenshot_limit:
                    break
                shots += 1
                if _shows_focus(driver, i) is not False:
                    continue
                known.add(item["selector"])
            members = groups.get(item["group"], [i]) if item["group"] else [i]
            if len(members) == 1:
                message = ("When this gets keyboard focus, nothing on the screen changes, so people using a "
                           "keyboard cannot see where they are on the page (WCAG 2.4.7).")
                fix = ("Give it a clear focus style, for example an outline: 3px solid, in a colour that stands "
                       "out. Do not remove the browser's own outline without putting one back.")
                element = _element(item)
            else:
                message = (f"{len(members)} links or buttons can be reached with the Tab key while they are off "
                           "the screen (in a closed menu or panel). Keyboard users press Tab and see nothing "
                           "happen, so they lose track of where they are (WCAG 2.4.7).")
                fix = ("While the menu or panel is closed, take it out of the Tab order (display: none or "
                       "visibility: hidden, or the inert attribute), or open it when something in it gets focus.")
                element = f"{item['group']} {item['group_snippet']}"
            out.append(_finding(page, "focus-not-visible", message, fix, element, context,
                                selector=item["group"] or item["selector"]))
    finally:
        if passed["unchanged"]:  # the page is not yet put back (see focusShot and focusDone)
            _run(driver, "focusDone()")
    focused = time.perf_counter()

    if zoom is None:
        zoom = found["width"] >= 1000
    if zoom:
        out += clipped_at_200(driver, page)
    if timings is not None:
        timings["scan"] = timings.get("scan", 0) + scanned - started
        timings["focus"] = timings.get("focus", 0) + focused - scanned
        timings["zoom"] = timings.get("zoom", 0) + time.perf_counter() - focused
        timings["screenshots"] = timings.get("screenshots", 0) + shots
        timings["focusable"] = timings.get("focusable", 0) + passed["total"]
    return out


_UNSEEN: dict = {}


def _unseen_focus(driver, loaded: float) -> set:
    """Selectors whose focus a screenshot showed nothing for, on the page loaded now (in an earlier
    view): nothing changed in their styles in this view either, so the answer stands. `loaded` is the
    page's performance.timeOrigin, which tells one page load from another."""
    kept = _UNSEEN.get(driver.session_id)  # one entry a browser (the gate runs several side by side)
    if kept is None or kept[0] != loaded:  # another page, or the same page loaded again
        kept = _UNSEEN[driver.session_id] = (loaded, set())
    return kept[1]


# Lossless PNG, encoded for speed rather than size: the same pixels always give the same bytes.
_SCREENSHOT = {"format": "png", "optimizeForSpeed": True}


def _shows_focus(driver, index: int) -> bool | None:
    """Whether the screen changes when the element gets keyboard focus; None if focus would not stay.
    The page is put back by the next element's 'blur' step, or by focusDone after the last one."""
    _run(driver, "focusShot(arguments[0], 'blur')", index)
    before = driver.execute_cdp_cmd("Page.captureScreenshot", _SCREENSHOT)["data"]
    if not _run(driver, "focusShot(arguments[0], 'focus')", index):
        return None
    after = driver.execute_cdp_cmd("Page.captureScreenshot", _SCREENSHOT)["data"]
    return before != after


def clipped_at_200(driver, page: str, put_back: bool = True) -> list[Finding]:
    """Text cut off at 200% (WCAG 1.4.4), looked for with the window at 640 by 512. The scroll
    position is put back afterwards; the window's size only with `put_back` (the gate shows the
    page at its next view's size anyway, so it saves a resize)."""
    width, height, x, y = _run(driver, "viewport()")
    out = []
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": ZOOM_VIEWPORT[0], "height": ZOOM_VIEWPORT[1], "deviceScaleFactor": 1,
                                "mobile": False})
        # Let the page's own resize code run (the next frames are drawn), then look: one call.
        items = _run_after_frames(driver, "clipped()")
    finally:
        if put_back:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        driver.execute_script("scrollTo(arguments[0], arguments[1])", x, y)
    zoom_context = "text at 200% (1280 by 1024 zoomed in)"
    for item in items:
        if item["kind"] == "ellipsis":
            out.append(_finding(
                page, "clipped-at-200",
                f"When text is made twice as big, the words '{item['text'][:50]}' are cut short with '...'. "
                "Check that people can read the whole text another way, such as a link to it (WCAG 1.4.4).",
                "Let the text wrap onto more lines instead of cutting it short.", _element(item),
                zoom_context, REVIEW, item["selector"]))
        else:
            out.append(_finding(
                page, "clipped-at-200",
                f"When text is made twice as big, some of it is cut off and cannot be read: "
                f"'{item['text'][:50]}' (WCAG 1.4.4).",
                "Let the box grow with its text: no fixed height or width in px on boxes that hide overflow "
                "(overflow: hidden). Use min-height, or let the text wrap.", _element(item), zoom_context,
                selector=item["selector"]))
    return out
