"""Checks on every PDF, to the depth of PDF/UA-1 (ISO 14289-1) where a machine can decide:
tagged, every piece of page content tagged or marked as decoration, headings in order, alt text
on pictures, table headers, the language of the whole and of parts in another language, fonts
embedded and mapped to letters, links described and tagged, tab order, a title that is shown
and matches the metadata, the PDF/UA identifier, text that can be copied or read aloud, and
tags in the order the page shows them.

The PDF is read once with pikepdf: the structure tree (the tags), then each page's content
stream through a small interpreter that knows where each piece of text is and which tag it
belongs to. Rules follow the PDF/UA-1 validation profile veraPDF uses (the clause is named by
each check); where that profile leaves a question to a person (reading order, the language of
a part), the check flags only what is clearly wrong, so a finding is worth a person's time.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .findings import Finding

# --- what we say ----------------------------------------------------------------------------

FIX_TOOL = ("Make the PDF again with Clearinfo, which tags it for PDF/UA. If it is someone "
            "else's PDF, ask for a tagged (PDF/UA) version, or fix it in a PDF editor such as "
            "Acrobat Pro.")
FIX_BUILD = "Build the site again. If it keeps happening, report it with the name of this PDF."
MAX_PER_RULE = 5  # after this many findings of one kind in one PDF, one more says how many there are

# Every rule, and what it asks of a PDF (with the PDF/UA-1 clause, as veraPDF numbers its tests).
RULES = {
    "pdf-unreadable": "the file opens as a PDF, with no password",
    "pdf-untagged": "it is tagged: a structure tree, and MarkInfo says so (6.2-1, 7.1-11)",
    "pdf-content-untagged": "all page content is tagged or marked as decoration, never both (7.1-1 to 7.1-3)",
    "pdf-no-lang": "it says its language, as a language code (7.2-29, 7.2-34 and others)",
    "pdf-part-lang": "words in another script say their own language; each language is a code (7.2, WCAG 3.1.2)",
    "pdf-no-title": "it has a title in its metadata (7.1-9)",
    "pdf-title-mismatch": "the title in its document properties matches the one in its metadata",
    "pdf-title-not-shown": "the window shows the title, not the file name (7.1-10)",
    "pdf-not-ua": "its metadata says it meets PDF/UA-1 (5-1 to 5-5, 7.1-8)",
    "pdf-font-not-embedded": "every font that shows text is in the file (7.21.4.1-1)",
    "pdf-font-no-unicode": "every character shown maps to Unicode, so it reads and copies as written (7.21.7)",
    "pdf-no-text": "it has text, not only pictures (a scan)",
    "pdf-figure-no-alt": "every Figure has alt text (7.3-1)",
    "pdf-heading-order": "headings start at H1 and never skip a level (7.4.2-1)",
    "pdf-table-headers": "tables have header cells, and each data cell's headers can be found (7.5)",
    "pdf-tab-order": "pages with links or other annotations set the tab order to the tags (7.18.3-1)",
    "pdf-link-no-description": "every link has a description in /Contents (7.18.5-2)",
    "pdf-link-untagged": "every link is in a Link tag (7.18.5-1)",
    "pdf-reading-order": "tags are in the order the page shows them (a cautious check)",
}


def _fix(rest: str) -> str:
    return f"{rest} {FIX_TOOL}"


# --- PDF vocabulary -------------------------------------------------------------------------

STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 "
    "H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code "
    "Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form".split())
PATH_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
TEXT_SHOW = frozenset({"Tj", "TJ", "'", '"'})
PATH_SEGMENTS = frozenset({"l", "c", "v", "y", "re"})
OUTLINED_TEXT = 2000  # more lines and curves than this, and no text: the words may be drawn as shapes
LANG_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")  # PDF/UA-1 7.2, veraPDF 7.2-29
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_ELEMENTS = 500_000
MAX_FORM_DEPTH = 12


def _name(value) -> str:
    """A PDF name without its slash ('' when it is not a name)."""
    return str(value)[1:] if isinstance(value, pikepdf.Name) else ""


def _text(value) -> str | None:
    if isinstance(value, pikepdf.String):
        return str(value)
    return None


def _num(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _objgen(obj) -> tuple[int, int]:
    try:
        return tuple(obj.objgen)
    except Exception:
        return (0, 0)


def _mul(m, n):
    """m then n: the matrix product m × n of two PDF matrices (a b c d e f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(values) -> tuple:
    try:
        m = tuple(float(v) for v in values)
        return m if len(m) == 6 else IDENTITY
    except (TypeError, ValueError):
        return IDENTITY


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text[:limit]}{'...' if len(text) > limit else ''}'"


def _pages_phrase(pages: list[int]) -> str:
    """'page 3', 'pages 1 and 2', 'pages 1, 2, 3 and 4', 'pages 1, 2, 3, 4, 5, 6, 7, 8 and 9 more'."""
    pages = [str(p) for p in sorted(set(pages))]
    if len(pages) == 1:
        return f"page {pages[0]}"
    if len(pages) > 9:
        return f"pages {', '.join(pages[:8])} and {len(pages) - 8} more"
    return f"pages {', '.join(pages[:-1])} and {pages[-1]}"


def _links(n: int, one: str, many: str) -> str:
    return f"1 link {one}" if n == 1 else f"{n} links {many}"


# --- fonts: from character codes to letters -----------------------------------------------------

class CMap:
    """A ToUnicode CMap (or the codespace of an embedded encoding CMap): codes to text."""
    TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|[A-Za-z][A-Za-z0-9]*")

    def __init__(self, data: bytes):
        self.chars: dict[int, str] = {}
        self.ranges: list[tuple[int, int, object]] = []
        self.spaces: list[tuple[int, int, int]] = []  # (bytes, low, high)
        mode, args = None, []
        for token in self.TOKEN.findall(data):
            if token[:1] == b"<" or token in (b"[", b"]"):
                if mode:
                    args.append(token)
                continue
            word = token.decode("latin-1")
            if word in ("beginbfchar", "beginbfrange", "begincodespacerange"):
                mode, args = word, []
            elif word.startswith("end") and mode:
                self._take(mode, args)
                mode = None

    @staticmethod
    def _hex(token: bytes) -> bytes:
        digits = re.sub(rb"\s", b"", token[1:-1])
        if len(digits) % 2:
            digits += b"0"
        return bytes.fromhex(digits.decode())

    def _take(self, mode: str, args: list[bytes]) -> None:
        if mode == "begincodespacerange":
            for lo, hi in zip(args[0::2], args[1::2]):
                lo, hi = self._hex(lo), self._hex(hi)
                self.spaces.append((len(lo), int.from_bytes(lo, "big"), int.from_bytes(hi, "big")))
        elif mode == "beginbfchar":
            for src, dst in zip(args[0::2], args[1::2]):
                if src[:1] == b"<" and dst[:1] == b"<":
                    self.chars[int.from_bytes(self._hex(src), "big")] = self._hex(dst).decode("utf-16-be", "replace")
        else:
            i = 0
            while i + 2 < len(args):
                lo, hi = int.from_bytes(self._hex(args[i]), "big"), int.from_bytes(self._hex(args[i + 1]), "big")
                if args[i + 2] == b"[":
                    end = args.index(b"]", i + 3) if b"]" in args[i + 3:] else len(args)
                    values = [self._hex(t).decode("utf-16-be", "replace") for t in args[i + 3:end]]
                    self.ranges.append((lo, hi, values))
                    i = end + 1
                else:
                    self.ranges.append((lo, hi, self._hex(args[i + 2])))
                    i += 3

    def get(self, code: int) -> str | None:
        if code in self.chars:
            return self.chars[code]
        for lo, hi, value in self.ranges:
            if lo <= code <= hi:
                if isinstance(value, list):
                    return value[code - lo] if code - lo < len(value) else None
                start = int.from_bytes(value, "big") + code - lo
                size = max(len(value), (start.bit_length() + 7) // 8)
                return start.to_bytes(size, "big").decode("utf-16-be", "replace")
        return None

    def split(self, data: bytes) -> list[int]:
        """Character codes in a string shown with a font using this CMap as its encoding."""
        codes, i = [], 0
        while i < len(data):
            for size in (1, 2, 3, 4):
                code = int.from_bytes(data[i:i + size], "big")
                if any(n == size and lo <= code <= hi for n, lo, hi in self.spaces):
                    break
            else:
                size = 2 if any(n == 2 for n, _, _ in self.spaces) else 1
            codes.append(int.from_bytes(data[i:i + size], "big"))
            i += size
        return codes


def _standard_encodings() -> dict[str, list[str | None]]:
    """Code -> text for the simple fonts' standard encodings (ISO 32000-1, Annex D)."""
    from fontTools.agl import toUnicode
    from fontTools.encodings.MacRoman import MacRoman
    from fontTools.encodings.StandardEncoding import StandardEncoding

    def names(table):
        return [toUnicode(n) if n != ".notdef" else None for n in table]
    win = []
    for code in range(256):
        try:
            win.append(bytes([code]).decode("cp1252") if code >= 32 else None)
        except UnicodeDecodeError:
            win.append("\u2022")  # unused WinAnsi codes show a bullet
    return {"WinAnsiEncoding": win, "MacRomanEncoding": names(MacRoman),
            "StandardEncoding": names(StandardEncoding)}


_ENCODINGS: dict | None = None
STANDARD_14 = re.compile(r"^(Times|Helvetica|Courier|Symbol|ZapfDingbats|Arial|TimesNewRoman|CourierNew)", re.I)


class FontInfo:
    """What the checks need to know about one font: is it embedded, how its codes split and map to
    letters (None when we cannot tell, '' when they certainly do not), and how wide each glyph is."""
    def __init__(self, font):
        self.obj = font
        self.subtype = _name(font.get("/Subtype"))
        self.name = _name(font.get("/BaseFont")) or "(no name)"
        self.name = self.name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", self.name) else self.name
        self.type0 = self.subtype == "Type0"
        self.codes_used: set[int] = set()
        self.visible = False
        self.widths: dict[int, float] = {}
        self.width_ranges: list[tuple[int, int, float]] = []
        self.default_width = 0.0
        self.encoding_cmap: CMap | None = None
        self.two_byte = False
        self.to_unicode: CMap | None = None
        self.identity_to_unicode = False
        self.fallback: list | None = None      # simple fonts: code -> text from the encoding
        self.fallback_known = False            # whether codes not in ToUnicode can still be mapped
        self.differences: dict[int, str] = {}
        descendant = None
        if self.type0:
            kids = font.get("/DescendantFonts")
            if isinstance(kids, pikepdf.Array) and len(kids):
                descendant = kids[0]
        self.descendant = descendant
        descriptor = (descendant if descendant is not None else font).get("/FontDescriptor")
        self.descriptor = descriptor if isinstance(descriptor, pikepdf.Dictionary) else None
        flags = int(_num(self.descriptor.get("/Flags"), 0)) if self.descriptor is not None else 0
        self.symbolic = bool(flags & 4)

        tu = font.get("/ToUnicode")
        if isinstance(tu, pikepdf.Stream):
            try:
                self.to_unicode = CMap(tu.read_bytes())
            except Exception:
                self.to_unicode = None
        elif _name(tu).startswith("Identity"):
            self.identity_to_unicode = True

        if self.type0:
            self._type0(font, descendant)
        else:
            self._simple(font)

    @property
    def embedded(self) -> bool:
        if self.subtype == "Type3":
            return True
        d = self.descriptor
        return d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def _type0(self, font, descendant) -> None:
        encoding = font.get("/Encoding")
        name = _name(encoding)
        if isinstance(encoding, pikepdf.Stream):
            try:
                self.encoding_cmap = CMap(encoding.read_bytes())
            except Exception:
                self.encoding_cmap = None
            name = _name(encoding.get("/CMapName"))
        self.two_byte = self.encoding_cmap is None or not self.encoding_cmap.spaces
        ordering = ""
        if descendant is not None:
            info = descendant.get("/CIDSystemInfo")
            if isinstance(info, pikepdf.Dictionary):
                ordering = _text(info.get("/Ordering")) or ""
            self.default_width = _num(descendant.get("/DW"), 1000) / 1000
            w = descendant.get("/W")
            if isinstance(w, pikepdf.Array):
                items, i = list(w), 0
                while i + 1 < len(items):
                    first = int(_num(items[i]))
                    if isinstance(items[i + 1], pikepdf.Array):
                        for n, width in enumerate(items[i + 1]):
                            self.widths[first + n] = _num(width) / 1000
                        i += 2
                    elif i + 2 < len(items):
                        self.width_ranges.append((first, int(_num(items[i + 1])), _num(items[i + 2]) / 1000))
                        i += 3
                    else:
                        break
        # ISO 32000-1, 9.10.2: without ToUnicode, a composite font maps to Unicode only through
        # a predefined CMap, or a character collection Adobe publishes Unicode tables for.
        self.fallback_known = (ordering in ("GB1", "CNS1", "Japan1", "Korea1")
                               or (bool(name) and not name.startswith("Identity")
                                   and isinstance(encoding, pikepdf.Name)))

    def _simple(self, font) -> None:
        global _ENCODINGS
        # Widths in text space units per unit of font size: glyph space is 1/1000, or a Type 3 font's FontMatrix.
        scale = 0.001
        if self.subtype == "Type3":
            scale = abs(_matrix(font.get("/FontMatrix") or (0.001, 0, 0, 0.001, 0, 0))[0]) or 0.001
        first = int(_num(font.get("/FirstChar"), 0))
        widths = font.get("/Widths")
        if isinstance(widths, pikepdf.Array):
            for n, width in enumerate(widths):
                self.widths[first + n] = _num(width) * scale
        missing = _num(self.descriptor.get("/MissingWidth"), 0) if self.descriptor is not None else 0
        self.default_width = missing * scale if self.widths else 0.5
        encoding = font.get("/Encoding")
        base = _name(encoding)
        if isinstance(encoding, pikepdf.Dictionary):
            base = _name(encoding.get("/BaseEncoding"))
            diffs, code = encoding.get("/Differences"), 0
            if isinstance(diffs, pikepdf.Array):
                for item in diffs:
                    if isinstance(item, pikepdf.Name):
                        self.differences[code] = str(item)[1:]
                        code += 1
                    else:
                        code = int(_num(item))
        if _ENCODINGS is None:
            _ENCODINGS = _standard_encodings()
        if base in _ENCODINGS:
            self.fallback, self.fallback_known = _ENCODINGS[base], True
        elif not self.embedded and STANDARD_14.match(self.name):
            # A standard 14 font that is not embedded: its own encoding is known to every reader.
            self.fallback, self.fallback_known = _ENCODINGS["StandardEncoding"], True
        elif self.subtype == "Type3" or (isinstance(encoding, pikepdf.Dictionary) and self.differences):
            self.fallback, self.fallback_known = [None] * 256, True  # only the Differences give letters
        elif self.subtype == "TrueType" and self.symbolic and encoding is None:
            self.fallback, self.fallback_known = [None] * 256, True  # symbolic TrueType: glyph ids, no letters

    def split(self, data: bytes) -> list[int]:
        if not self.type0:
            return list(data)
        if self.encoding_cmap is not None and self.encoding_cmap.spaces:
            return self.encoding_cmap.split(data)
        return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]

    def unicode(self, code: int) -> str | None:
        """The text for a code: a string, '' when it certainly has none, None when we cannot tell
        (a simple font's own built-in encoding, or Adobe's tables for Chinese, Japanese and Korean)."""
        if self.identity_to_unicode:
            return chr(code) if code < 0x110000 else ""
        if self.to_unicode is not None:
            value = self.to_unicode.get(code)
            if value:  # PDF/UA-1 7.21.7-2: never U+0000, U+FEFF or U+FFFE
                return "" if any(c in value for c in "\x00\ufeff\ufffe") else value
        if self.type0:
            return None if self.fallback_known else ""
        if code in self.differences:
            from fontTools.agl import toUnicode
            return toUnicode(self.differences[code]) or ""
        if self.fallback is not None:
            return (self.fallback[code] or "") if code < 256 else ""
        return None

    def width(self, code: int) -> float:
        if code in self.widths:
            return self.widths[code]
        for lo, hi, width in self.width_ranges:
            if lo <= code <= hi:
                return width
        return self.default_width


# --- the structure tree -----------------------------------------------------------------------

@dataclass
class Element:
    obj: object
    role: str                       # the standard type, after the role map
    raw: str                        # the type as written
    parent: "Element | None"
    page: tuple | None              # the page (objgen) its content is on, inherited
    lang: str | None                # its own /Lang
    content: list = field(default_factory=list)    # (owner objgen, MCID) in order
    annots: list = field(default_factory=list)     # objgens of annotations (OBJR)
    children: list = field(default_factory=list)

    def inherited_lang(self) -> str | None:
        node = self
        while node is not None:
            if node.lang:
                return node.lang
            node = node.parent
        return None

    def inside(self, role: str) -> bool:
        node = self.parent
        while node is not None:
            if node.role == role:
                return True
            node = node.parent
        return False


class StructTree:
    def __init__(self, pdf):
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root if isinstance(root, pikepdf.Dictionary) else None
        self.elements: list[Element] = []
        self.content: dict[tuple, Element] = {}   # (owner, mcid) -> element, first reference
        self.annots: dict[tuple, Element] = {}    # annotation objgen -> element
        self.rolemap = {}
        if self.root is None:
            return
        rolemap = self.root.get("/RoleMap")
        if isinstance(rolemap, pikepdf.Dictionary):
            self.rolemap = {str(k)[1:]: _name(v) for k, v in rolemap.items()}
        self._walk()

    def standard(self, raw: str) -> str:
        seen, role = set(), raw
        while role not in STANDARD_TYPES and role in self.rolemap and role not in seen:
            seen.add(role)
            role = self.rolemap[role]
        return role

    def _walk(self) -> None:
        seen: set = set()
        stack = [(kid, None, None) for kid in reversed(self._kids(self.root))]
        while stack and len(self.elements) < MAX_ELEMENTS:
            node, parent, page = stack.pop()
            if isinstance(node, int) and not isinstance(node, bool):
                if parent is not None and page is not None:
                    self._add_content(parent, (page, int(node)))
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            kind = _name(node.get("/Type"))
            if kind == "MCR":
                owner = node.get("/Stm")
                pg = node.get("/Pg")
                key_owner = _objgen(owner) if owner is not None else (_objgen(pg) if pg is not None else page)
                if parent is not None and key_owner is not None and isinstance(node.get("/MCID"), int):
                    self._add_content(parent, (key_owner, int(node.get("/MCID"))))
                continue
            if kind == "OBJR":
                if parent is not None and node.get("/Obj") is not None:
                    ref = _objgen(node.get("/Obj"))
                    parent.annots.append(ref)
                    self.annots.setdefault(ref, parent)
                continue
            if "/S" not in node:
                continue
            og = _objgen(node)
            if og != (0, 0):
                if og in seen:
                    continue
                seen.add(og)
            pg = node.get("/Pg")
            raw = _name(node.get("/S"))
            lang = _text(node.get("/Lang"))
            element = Element(node, self.standard(raw), raw, parent,
                              _objgen(pg) if pg is not None else page, lang)
            if parent is not None:
                parent.children.append(element)
            self.elements.append(element)
            for kid in reversed(self._kids(node)):
                stack.append((kid, element, element.page))

    def _add_content(self, element: Element, key: tuple) -> None:
        element.content.append(key)
        self.content.setdefault(key, element)

    @staticmethod
    def _kids(node) -> list:
        kids = node.get("/K")
        if kids is None:
            return []
        return list(kids) if isinstance(kids, pikepdf.Array) else [kids]

    def parent_tree(self) -> dict:
        """The /ParentTree number tree, flattened: key -> value."""
        out, stack, seen = {}, [self.root.get("/ParentTree")] if self.root is not None else [], set()
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary) or _objgen(node) in seen and _objgen(node) != (0, 0):
                continue
            seen.add(_objgen(node))
            nums = node.get("/Nums")
            if isinstance(nums, pikepdf.Array):
                items = list(nums)
                for k, v in zip(items[0::2], items[1::2]):
                    if isinstance(k, int):
                        out[int(k)] = v
            kids = node.get("/Kids")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
        return out


# --- page content -------------------------------------------------------------------------------

@dataclass
class Piece:
    """The content of one marked-content sequence with an MCID: its text and where it is."""
    page: int
    text: list = field(default_factory=list)
    box: list | None = None         # x0, y0, x1, y1 in page space
    size: float = 0.0
    skewed: bool = False
    lang: str | None = None

    def add_box(self, x0, y0, x1, y1) -> None:
        if self.box is None:
            self.box = [x0, y0, x1, y1]
        else:
            b = self.box
            self.box = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]


@dataclass
class Mark:
    tag: str
    mcid: int | None
    owner: tuple
    lang: str | None


class State:
    __slots__ = ("ctm", "font", "size", "tc", "tw", "th", "tl", "rise", "mode")

    def __init__(self):
        self.ctm, self.font, self.size = IDENTITY, None, 0.0
        self.tc = self.tw = self.tl = self.rise = 0.0
        self.th, self.mode = 1.0, 0

    def copy(self) -> "State":
        s = State()
        for k in self.__slots__:
            setattr(s, k, getattr(self, k))
        return s


class ContentReader:
    """Runs each page's content stream: which content is tagged, untagged or decoration, the
    text and position of each tagged piece, and which font codes are shown."""
    def __init__(self, pdf, tree: StructTree):
        self.pdf, self.tree = pdf, tree
        self.fonts: dict[tuple, FontInfo] = {}
        self.pieces: dict[tuple, Piece] = {}
        self.untagged: dict[int, list[str]] = {}     # page -> what is untagged ('text ...', 'a picture')
        self.conflicts: dict[int, str] = {}          # page -> how tags and decoration are mixed up
        self.glyphs = 0                              # glyphs shown as real content (not decoration)
        self.pictures = 0                            # pictures painted, anywhere
        self.segments = 0                            # lines and curves drawn, anywhere
        self.langs: list[tuple[int, str]] = []       # (page, /Lang) of marked content
        self.problems: list[str] = []
        self.page_owner: tuple = (0, 0)

    def font(self, obj) -> FontInfo | None:
        if not isinstance(obj, pikepdf.Dictionary):
            return None
        key = _objgen(obj)
        if key == (0, 0):
            key = ("direct", id(obj))
        if key not in self.fonts:
            self.fonts[key] = FontInfo(obj)
        return self.fonts[key]

    def read_page(self, number: int, page) -> None:
        owner = self.page_owner = _objgen(page.obj)
        resources = page.obj.get("/Resources")
        try:
            self._run(page, resources, number, owner, [], State(), 0)
        except (pikepdf.PdfError, ValueError, TypeError, KeyError, RecursionError) as e:
            self.problems.append(f"page {number}: {e}")

    def _run(self, stream, resources, number, owner, marks, state, depth) -> None:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        properties = resources.get("/Properties") if isinstance(resources, pikepdf.Dictionary) else None
        stack: list[State] = []
        tm = tlm = IDENTITY
        base_depth = len(marks)
        for item in pikepdf.parse_content_stream(stream):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                self._paint(number, marks, "a picture", (0, 0, 1, 1), state.ctm)
                continue
            ops, op = item.operands, str(item.operator)
            if op == "BDC" or op == "BMC":
                tag = _name(ops[0]) if ops else ""
                props = ops[1] if op == "BDC" and len(ops) > 1 else None
                if isinstance(props, pikepdf.Name) and isinstance(properties, pikepdf.Dictionary):
                    props = properties.get(str(props))
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                lang = _text(props.get("/Lang")) if isinstance(props, pikepdf.Dictionary) else None
                marks.append(Mark(tag, int(mcid) if isinstance(mcid, int) else None, owner, lang))
                if lang is not None:
                    self.langs.append((number, lang))
                # PDF/UA-1 7.1-1 and 7.1-2: decoration and real content are never nested in each other.
                if marks[-1].mcid is not None and tag != "Artifact" and any(m.tag == "Artifact" for m in marks[:-1]):
                    self.conflicts.setdefault(number, "tagged content is inside content marked as decoration")
                elif tag == "Artifact" and any(m.mcid is not None and m.tag != "Artifact" for m in marks[:-1]):
                    self.conflicts.setdefault(number, "content marked as decoration is inside tagged content")
            elif op == "EMC":
                if len(marks) > base_depth:
                    marks.pop()
            elif op == "q":
                stack.append(state.copy())
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm" and len(ops) == 6:
                state.ctm = _mul(_matrix(ops), state.ctm)
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tf" and len(ops) == 2:
                state.font = self.font(fonts.get(str(ops[0]))) if isinstance(fonts, pikepdf.Dictionary) else None
                state.size = _num(ops[1])
            elif op == "Tc" and ops:
                state.tc = _num(ops[0])
            elif op == "Tw" and ops:
                state.tw = _num(ops[0])
            elif op == "Tz" and ops:
                state.th = _num(ops[0], 100) / 100
            elif op == "TL" and ops:
                state.tl = _num(ops[0])
            elif op == "Ts" and ops:
                state.rise = _num(ops[0])
            elif op == "Tr" and ops:
                state.mode = int(_num(ops[0]))
            elif op in ("Td", "TD") and len(ops) == 2:
                if op == "TD":
                    state.tl = -_num(ops[1])
                tlm = _mul((1, 0, 0, 1, _num(ops[0]), _num(ops[1])), tlm)
                tm = tlm
            elif op == "Tm" and len(ops) == 6:
                tm = tlm = _matrix(ops)
            elif op == "T*":
                tlm = _mul((1, 0, 0, 1, 0, -state.tl), tlm)
                tm = tlm
            elif op in TEXT_SHOW:
                if op in ("'", '"'):
                    if op == '"' and len(ops) == 3:
                        state.tw, state.tc = _num(ops[0]), _num(ops[1])
                    tlm = _mul((1, 0, 0, 1, 0, -state.tl), tlm)
                    tm = tlm
                parts = ops[0] if op == "TJ" and ops else (ops[-1:] if ops else [])
                tm = self._show(number, marks, state, tm, parts)
            elif op == "Do" and ops and isinstance(xobjects, pikepdf.Dictionary):
                xobj = xobjects.get(str(ops[0]))
                if not isinstance(xobj, pikepdf.Stream):
                    continue
                kind = _name(xobj.get("/Subtype"))
                if kind == "Image":
                    self._paint(number, marks, "a picture", (0, 0, 1, 1), state.ctm)
                elif kind == "Form" and depth < MAX_FORM_DEPTH:
                    inner = state.copy()
                    inner.ctm = _mul(_matrix(xobj.get("/Matrix") or IDENTITY), state.ctm)
                    self._run(xobj, xobj.get("/Resources") or resources, number, _objgen(xobj), marks, inner,
                              depth + 1)
            elif op in PATH_PAINT or op == "sh":
                self._paint(number, marks, "a line or shape", None, state.ctm)
            elif op in PATH_SEGMENTS:
                self.segments += 1
        del marks[base_depth:]

    def _where(self, marks) -> tuple[str, tuple | None]:
        """'artifact', 'tagged' (with its key) or 'untagged', for content inside these marks."""
        if any(m.tag == "Artifact" for m in marks):
            return "artifact", None
        for m in reversed(marks):
            if m.mcid is not None:
                # An MCID in a form XObject belongs to the form (MCR /Stm); some PDFs count it the page's.
                for key in ((m.owner, m.mcid), (self.page_owner, m.mcid)):
                    if key in self.tree.content:
                        return "tagged", key
                return "untagged", None
        return "untagged", None

    def _paint(self, number, marks, what, unit_box, ctm) -> None:
        where, key = self._where(marks)
        if unit_box is not None:
            self.pictures += 1
        if where == "untagged":
            self.untagged.setdefault(number, []).append(what)
        elif where == "tagged" and unit_box is not None:
            xs = [ctm[0] * x + ctm[2] * y + ctm[4] for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            ys = [ctm[1] * x + ctm[3] * y + ctm[5] for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            piece = self._piece(key, number, marks)
            piece.add_box(min(xs), min(ys), max(xs), max(ys))
            piece.skewed = piece.skewed or abs(ctm[1]) > 1e-6 or abs(ctm[2]) > 1e-6

    def _piece(self, key, number, marks) -> Piece:
        piece = self.pieces.get(key)
        if piece is None:
            piece = self.pieces[key] = Piece(number)
        for m in reversed(marks):
            if m.lang:
                piece.lang = piece.lang or m.lang
                break
        return piece

    def _show(self, number, marks, state, tm, parts):
        font = state.font
        where, key = self._where(marks)
        chars, advance = [], 0.0
        fs, th = state.size, state.th
        for part in parts:
            if isinstance(part, (pikepdf.String, bytes)):
                data = bytes(part)
                codes = font.split(data) if font else list(data)
                for code in codes:
                    if font is not None:
                        font.codes_used.add(code)
                        if state.mode != 3:
                            font.visible = True
                        text = font.unicode(code)
                        w = font.width(code)
                    else:
                        text, w = None, 0.5
                    chars.append("\ufffd" if text is None else text)
                    space = state.tw if (len(data) == len(codes) and code == 32) else 0.0
                    advance += (w * fs + state.tc + space) * th
            else:
                advance -= _num(part) / 1000 * fs * th
        if not chars:
            return _mul((1, 0, 0, 1, advance, 0), tm)
        text = "".join(chars)
        if where == "untagged":
            self.untagged.setdefault(number, []).append(f"text {_quote(text, 40)}" if text.strip() else "text")
        elif where == "tagged":
            self.glyphs += len(chars)
            m = _mul(tm, state.ctm)
            corners = [(0, state.rise - 0.2 * fs), (advance, state.rise - 0.2 * fs),
                       (0, state.rise + 0.8 * fs), (advance, state.rise + 0.8 * fs)]
            xs = [m[0] * x + m[2] * y + m[4] for x, y in corners]
            ys = [m[1] * x + m[3] * y + m[5] for x, y in corners]
            piece = self._piece(key, number, marks)
            piece.text.append(text)
            if text.strip() and state.mode != 3:
                piece.add_box(min(xs), min(ys), max(xs), max(ys))
                piece.size = max(piece.size, abs(fs * m[3]) if abs(m[1]) < 1e-6 else abs(fs))
            piece.skewed = piece.skewed or abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6 or m[0] <= 0 or m[3] <= 0
        return _mul((1, 0, 0, 1, advance, 0), tm)


# --- languages and scripts ----------------------------------------------------------------------

# The writing systems a language is written in. A language not listed here is never judged.
SCRIPTS = {
    "Latin": "af sq eu bs ca hr cs da nl en et fil fi fr gl de ht ha hu is ig id ga it lv lt lb ms mt mi "
             "no nb nn pl pt ro gd sk sl so es sw sv tl tr tk cy xh yo zu ff om rw ln lg wo sn st tn vi "
             "az uz kmr ku eo la",
    "Arabic": "ar ur fa ps sd ckb ug ks",
    "Hebrew": "he iw yi",
    "Cyrillic": "ru uk be bg mk sr kk ky tg mn",
    "Greek": "el",
    "Armenian": "hy",
    "Georgian": "ka",
    "Devanagari": "hi mr ne sa mai",
    "Bengali": "bn as",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Thai": "th",
    "Lao": "lo",
    "Khmer": "km",
    "Myanmar": "my",
    "Ethiopic": "am ti",
    "Han": "zh ja ko",
    "Hiragana": "ja",
    "Katakana": "ja",
    "Hangul": "ko",
    "Tibetan": "bo dz",
}
LANG_SCRIPTS: dict[str, set[str]] = {}
for _script, _langs in SCRIPTS.items():
    for _lang in _langs.split():
        LANG_SCRIPTS.setdefault(_lang, set()).add(_script)
SCRIPT_SUBTAGS = {"Latn": "Latin", "Arab": "Arabic", "Cyrl": "Cyrillic", "Hebr": "Hebrew", "Grek": "Greek",
                  "Deva": "Devanagari", "Guru": "Gurmukhi", "Beng": "Bengali", "Hans": "Han", "Hant": "Han",
                  "Jpan": "Han", "Kore": "Hangul", "Thaa": "Thaana", "Ethi": "Ethiopic"}
NAME_SCRIPTS = [("CJK", "Han"), ("HIRAGANA", "Hiragana"), ("KATAKANA", "Katakana"), ("HANGUL", "Hangul")] + [
    (s.upper(), s) for s in SCRIPTS if s not in ("Han", "Hiragana", "Katakana", "Hangul")] + [("THAANA", "Thaana")]


def _script(ch: str) -> str | None:
    """The writing system of a letter, from its Unicode name ('ARABIC LETTER ALEF' -> Arabic)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    name = unicodedata.name(ch, "")
    for prefix, script in NAME_SCRIPTS:
        if name.startswith(prefix):
            return script
    return "Other"


def _expected_scripts(lang: str) -> set[str] | None:
    parts = lang.replace("_", "-").split("-")
    for sub in parts[1:]:
        if len(sub) == 4 and sub.title() in SCRIPT_SUBTAGS:
            return {SCRIPT_SUBTAGS[sub.title()]}
    expected = LANG_SCRIPTS.get(parts[0].lower())
    if expected and parts[0].lower() in ("sr", "az", "uz", "ku", "kk", "mn", "tg", "pa", "sd", "ks"):
        expected = expected | {"Latin", "Cyrillic", "Arabic", "Gurmukhi"}  # written in more than one script
    return expected


def _foreign_words(text: str, expected: set[str]) -> tuple[str, str] | None:
    """The first word (2 or more letters in a row) written in a script the language does not use."""
    run, script, letters = "", None, 0
    for ch in text + " ":
        s = _script(ch)
        if s is None and run and unicodedata.category(ch) in ("Mn", "Mc", "Cf"):
            run += ch  # accents and joiners inside a word
            continue
        if s is not None and s == script:
            run, letters = run + ch, letters + 1
            continue
        if script not in (None, "Other") and script not in expected and letters >= 2:
            return run, script
        run, script, letters = (ch, s, 1) if s is not None else ("", None, 0)
    return None


# --- XMP metadata -----------------------------------------------------------------------------

@dataclass
class Xmp:
    present: bool = False
    readable: bool = False
    ua_part: str | None = None
    ua_prefix_ok: bool = True
    titles: list = field(default_factory=list)
    default_lang: bool = False   # a text in the metadata only in the document's own language


def _read_xmp(pdf) -> Xmp:
    out = Xmp()
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return out
    out.present = True
    try:
        data = stream.read_bytes()
        start = data.find(b"<x:xmpmeta")
        start = data.find(b"<rdf:RDF") if start < 0 else start
        end = max(data.rfind(b"</x:xmpmeta>") + len(b"</x:xmpmeta>"), data.rfind(b"</rdf:RDF>") + len(b"</rdf:RDF>"))
        root = ET.fromstring(data[max(start, 0):end] if end > start >= 0 else data)
    except (ET.ParseError, pikepdf.PdfError, ValueError):
        return out
    out.readable = True
    for prefix in re.findall(rb'xmlns:([\w.-]+)\s*=\s*["\']' + re.escape(PDFUA_NS.encode()), data):
        out.ua_prefix_ok = out.ua_prefix_ok and prefix == b"pdfuaid"
    part = "{%s}part" % PDFUA_NS
    for node in root.iter("{%s}Alt" % NS["rdf"]):
        langs = [li.get(XML_LANG) for li in node.iter("{%s}li" % NS["rdf"])]
        if langs and all(lang == "x-default" for lang in langs):
            out.default_lang = True  # only x-default: its language is the document's (7.2-33)
    for node in root.iter():
        if part in node.attrib:
            out.ua_part = node.attrib[part].strip()
        if node.tag == part:
            out.ua_part = (node.text or "").strip()
        if node.tag == "{%s}title" % NS["dc"]:
            for li in node.iter("{%s}li" % NS["rdf"]):
                out.titles.append(((li.text or "").strip(), li.get(XML_LANG)))
    return out


def struct_nodes(node, out, depth=0):
    """Every structure element under a pypdf structure tree node, parent first (for tests that
    read PDFs with pypdf; the checks here use StructTree)."""
    if depth > 200:
        return out
    node = node.get_object()
    if hasattr(node, "get"):
        if node.get("/S"):
            out.append(node)
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    struct_nodes(kid, out, depth + 1)
    return out


# --- the checks -------------------------------------------------------------------------------

class Report:
    def __init__(self, page: str):
        self.page, self.findings, self.counts = page, [], {}

    def add(self, rule: str, message: str, fix: str, element: str = "") -> None:
        n = self.counts[rule] = self.counts.get(rule, 0) + 1
        if n <= MAX_PER_RULE:
            self.findings.append(Finding(self.page, "pdf", rule, message, fix, element))

    def finish(self) -> list[Finding]:
        for rule, n in self.counts.items():
            if n > MAX_PER_RULE:
                first = next(f for f in self.findings if f.rule == rule)
                self.findings.append(Finding(self.page, "pdf", rule,
                                             f"There are {n - MAX_PER_RULE} more problems like this in the PDF.",
                                             first.fix, "more"))
        return self.findings


def check_pdf(site: Path, path: Path) -> list[Finding]:

    report = Report(path.relative_to(site).as_posix())
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        report.add("pdf-unreadable", "The PDF is locked with a password, so nobody can open it without one, "
                                     "and screen readers cannot read it.",
                   "Save it again without a password. " + FIX_TOOL)
        return report.finish()
    except Exception as e:
        with open(path, "rb") as f:
            start = f.read(1024)
        why = ("it is not a PDF at all (perhaps a web page or another kind of file with a .pdf name)"
               if b"%PDF-" not in start else "it is damaged or cut short")
        report.add("pdf-unreadable", f"The file cannot be opened as a PDF: {why}.", FIX_BUILD,
                   str(e).replace(str(path), path.name)[:160])
        return report.finish()
    with pdf:
        try:
            _check(pdf, report)
        except Exception as e:  # a part of the file we cannot read: say so, never pass it silently
            report.add("pdf-unreadable", "Part of the PDF cannot be read, so it could not be fully checked.",
                       FIX_BUILD, f"{type(e).__name__}: {str(e).replace(str(path), path.name)[:140]}")
    return report.finish()


def _check(pdf, report: Report) -> None:
    root = pdf.Root
    tree = StructTree(pdf)
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and mark_info.get("/Marked") is True
    tagged = tree.root is not None and marked

    reader = ContentReader(pdf, tree)
    for number, page in enumerate(pdf.pages, start=1):
        reader.read_page(number, page)
    if reader.problems:
        report.add("pdf-unreadable", "Part of a page cannot be read, so it could not be fully checked.",
                   FIX_BUILD, reader.problems[0][:160])

    # PDF/UA-1 6.2-1 and 7.1-11: tagged.
    if not tagged:
        missing = "has no tags" if tree.root is None else "does not say it is tagged (MarkInfo)"
        report.add("pdf-untagged", f"The PDF {missing}, so screen readers cannot tell its headings, lists and "
                                   "reading order.", FIX_TOOL)
    _check_metadata(pdf, root, report)
    _check_language(pdf, root, tree, reader, report)
    _check_fonts(reader, report)
    # A scan: pictures and no text at all (or words drawn as many shapes). A blank page, or a few
    # lines and boxes, is not said to be a scan.
    if not any(f.codes_used for f in reader.fonts.values()) and (reader.pictures or reader.segments > OUTLINED_TEXT):
        report.add("pdf-no-text", "The PDF has no text that can be copied or read aloud: it may be a scan, or "
                                  "a picture of text.", "Make the PDF from the words, not from a scan or a "
                                                        "picture of them. " + FIX_TOOL)
    _check_annotations(pdf, tree, tagged, report)
    if tree.root is None:
        return
    _check_untagged_content(reader, report)
    _check_headings(tree, reader, report)
    _check_figures(tree, pdf, report)
    _check_tables(tree, reader, report)
    _check_part_languages(root, tree, reader, report)
    _check_reading_order(pdf, tree, reader, report)


def _element_text(element: Element, reader: ContentReader, limit: int = 200) -> str:
    out, stack = [], [element]
    while stack and sum(map(len, out)) < limit:
        node = stack.pop()
        for key in node.content:
            piece = reader.pieces.get(key)
            if piece:
                out.append("".join(piece.text))
        stack.extend(reversed(node.children))
    return " ".join(" ".join(out).split())


def _page_of(pdf, element: Element) -> str:
    if element.page is None:
        return ""
    for n, page in enumerate(pdf.pages, start=1):
        if _objgen(page.obj) == element.page:
            return f"page {n}"
    return ""


def _check_metadata(pdf, root, report: Report) -> None:
    xmp = _read_xmp(pdf)
    info = pdf.trailer.get("/Info")
    info_title = _text(info.get("/Title")) if isinstance(info, pikepdf.Dictionary) else None
    info_title = " ".join((info_title or "").split())
    xmp_titles = [" ".join(t.split()) for t, _ in xmp.titles if t.strip()]

    # PDF/UA-1 7.1-9: the title is dc:title in the XMP metadata.
    if not xmp_titles:
        where = ("It has a title in its document properties, but not in its metadata (XMP dc:title), where "
                 "PDF/UA needs it." if info_title else "People see its file name instead.")
        report.add("pdf-no-title", f"The PDF has no title. {where}",
                   _fix("Give the PDF a title that says what it is about."))
    elif info_title and info_title not in xmp_titles:
        report.add("pdf-title-mismatch", "The PDF has two different titles: one in its document properties and "
                                         "another in its metadata (XMP), so different programs show different "
                                         "titles.", _fix("Give it one title, the same in both places."),
                   f"{_quote(info_title)} and {_quote(xmp_titles[0])}")
    # PDF/UA-1 7.1-10.
    prefs = root.get("/ViewerPreferences")
    if not (isinstance(prefs, pikepdf.Dictionary) and prefs.get("/DisplayDocTitle") is True):
        report.add("pdf-title-not-shown", "The PDF's title is not shown in the window: people see its file name "
                                          "instead.", _fix("Set the PDF to show its title (in Acrobat: "
                                                           "Document Properties, Initial View, Show: "
                                                           "Document Title)."))
    # PDF/UA-1 5-1 to 5-5 and 7.1-8.
    problem = None
    if not xmp.present:
        problem = "it has no metadata (XMP)"
    elif not xmp.readable:
        problem = "its metadata (XMP) cannot be read"
    elif xmp.ua_part is None:
        problem = "its metadata does not say it meets PDF/UA"
    elif xmp.ua_part != "1":
        problem = f"its metadata names PDF/UA part {xmp.ua_part!r}, not part 1"
    elif not xmp.ua_prefix_ok:
        problem = "its metadata writes the PDF/UA identifier with the wrong prefix (it must be 'pdfuaid')"
    if problem:
        report.add("pdf-not-ua", f"The PDF does not say it meets PDF/UA, the standard for accessible PDFs: "
                                 f"{problem}.", FIX_TOOL)


def _valid_lang(value: str | None) -> bool:
    return bool(value and LANG_TAG.match(value.strip()))


def _check_language(pdf, root, tree: StructTree, reader: ContentReader, report: Report) -> None:
    lang = _text(root.get("/Lang"))
    fix = _fix("Set the PDF's language (for example en-GB).")
    # PDF/UA-1 7.2-29: a language is a language tag (RFC 3066), on the document and on its parts.
    bad = [(f"page {n}", value) for n, value in reader.langs if not _valid_lang(value)]
    bad += [(_page_of(pdf, e), e.lang) for e in tree.elements if e.lang is not None and not _valid_lang(e.lang)]
    for where, value in bad:
        report.add("pdf-part-lang", f"Part of the PDF ({where or 'a tag'}) gives its language as {_quote(value)}, "
                                    "which is not a language code, so a screen reader may use the wrong voice.",
                   _fix("Use a code like en-GB, cy or ur."), f"{where}: {_quote(value)}")
    if lang is not None and not _valid_lang(lang):
        said = "is blank" if not lang.strip() else f"is {_quote(lang)}, which is not a language code"
        report.add("pdf-no-lang", f"The PDF's language {said}, so a screen reader may use the wrong voice.",
                   _fix("Set the PDF's language to a code like en-GB, cy or ur."))
        return
    if lang:
        return
    # PDF/UA-1 7.2-21 to 7.2-34: without a document language, every piece of text (and every
    # description and title) needs a language of its own.
    unlabelled = [key for key, piece in reader.pieces.items()
                  if "".join(piece.text).strip() and not piece.lang
                  and not (key in tree.content and tree.content[key].inherited_lang())]
    untagged_text = any(w.startswith("text") for found in reader.untagged.values() for w in found)
    described = [e for e in tree.elements if not e.inherited_lang()
                 and any(e.obj.get(k) is not None for k in ("/Alt", "/ActualText", "/E"))]
    annotated = [a for _, _, a, _ in _annotations(pdf) if a.get("/Contents") is not None
                 and not (_objgen(a) in tree.annots and tree.annots[_objgen(a)].inherited_lang())]
    xmp_default = _read_xmp(pdf).default_lang
    if unlabelled or untagged_text or described or annotated or xmp_default or not reader.pieces:
        report.add("pdf-no-lang", "The PDF does not say what language it is in, so a screen reader may use the "
                                  "wrong voice.", fix)


def _check_fonts(reader: ContentReader, report: Report) -> None:
    for font in reader.fonts.values():
        if not font.codes_used:
            continue
        # PDF/UA-1 7.21.4.1-1: fonts used to show text are embedded (invisible text excepted).
        if font.visible and not font.embedded:
            report.add("pdf-font-not-embedded", f"The font {font.name} is not in the PDF, so the text may look "
                                                "wrong, or be unreadable, on another computer.",
                       _fix("Embed all fonts when you save the PDF."), font.name)
        # PDF/UA-1 7.21.7-1 and -2: every character shown maps to Unicode.
        unmapped = [c for c in font.codes_used if font.unicode(c) == ""]
        if unmapped:
            report.add("pdf-font-no-unicode", f"Some letters in the font {font.name} cannot be turned back into "
                                              "text, so a screen reader, search or copy and paste gets them "
                                              "wrong or skips them.",
                       _fix("Save the PDF with fonts that carry their letters (a ToUnicode map), for example "
                            "by exporting it again from the original document."),
                       f"{font.name}: {len(unmapped)} character code{'s' if len(unmapped) != 1 else ''}")


def _annotations(pdf):
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        box = page.obj.get("/CropBox") or page.obj.get("/MediaBox")
        try:
            bx = [float(v) for v in box]
            crop = (min(bx[0], bx[2]), min(bx[1], bx[3]), max(bx[0], bx[2]), max(bx[1], bx[3]))
        except (TypeError, ValueError):
            crop = None
        for annot in annots:
            if isinstance(annot, pikepdf.Dictionary):
                yield number, page, annot, crop


def _shown(annot, crop) -> bool:
    """False for a hidden annotation or one outside the page (PDF/UA ignores those)."""
    if int(_num(annot.get("/F"), 0)) & 2:
        return False
    try:
        r = [float(v) for v in annot.get("/Rect")]
        x0, y0, x1, y1 = min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])
    except (TypeError, ValueError):
        return True
    return crop is None or not (x1 < crop[0] or x0 > crop[2] or y1 < crop[1] or y0 > crop[3])


def _check_annotations(pdf, tree: StructTree, tagged: bool, report: Report) -> None:
    parents = tree.parent_tree() if tree.root is not None else {}
    no_tabs, undescribed, untagged = [], [], []
    seen_pages = set()
    for number, page, annot, crop in _annotations(pdf):
        # PDF/UA-1 7.18.3-1: a page with annotations has tab order S (the structure order).
        if number not in seen_pages:
            seen_pages.add(number)
            if _name(page.obj.get("/Tabs")) != "S":
                no_tabs.append(number)
        if _name(annot.get("/Subtype")) != "Link" or not _shown(annot, crop):
            continue
        # PDF/UA-1 7.18.5-2: links have a description in /Contents.
        if not (_text(annot.get("/Contents")) or "").strip():
            undescribed.append(number)
        # PDF/UA-1 7.18.5-1: links are tagged, in a Link element.
        if tagged:
            element = tree.annots.get(_objgen(annot))
            in_tree = element is not None and element.role == "Link"
            sp = annot.get("/StructParent")
            parent = parents.get(int(sp)) if isinstance(sp, int) else None
            by_parent = isinstance(parent, pikepdf.Dictionary) and tree.standard(_name(parent.get("/S"))) == "Link"
            if not (in_tree or by_parent):
                untagged.append(number)
    if no_tabs:
        report.add("pdf-tab-order", f"On {_pages_phrase(no_tabs)}, the Tab key moves through the links in an order "
                                    "the PDF does not set, which may not follow the reading order.",
                   _fix("Set the tab order of every page to 'Use document structure'."), _pages_phrase(no_tabs))
    if undescribed:
        report.add("pdf-link-no-description",
                   f"{_links(len(undescribed), 'has', 'have')} no description (on {_pages_phrase(undescribed)}), "
                   "so a screen reader cannot say where they go.",
                   _fix("Give every link a description (its Contents) that says where it goes."),
                   _pages_phrase(undescribed))
    if untagged:
        report.add("pdf-link-untagged",
                   f"{_links(len(untagged), 'is', 'are')} not tagged as a link (on {_pages_phrase(untagged)}), so "
                   "screen reader users cannot find or follow them.",
                   _fix("Tag every link with a Link tag that holds the link and its words."),
                   _pages_phrase(untagged))


def _check_untagged_content(reader: ContentReader, report: Report) -> None:
    # PDF/UA-1 7.1-3 (and 7.1-2: tagged content must not sit inside decoration).
    if reader.untagged:
        pages = sorted(reader.untagged)
        sample = next((w for p in pages for w in reader.untagged[p] if w.startswith("text '")),
                      reader.untagged[pages[0]][0])
        report.add("pdf-content-untagged", f"On {_pages_phrase(pages)}, some content ({sample}) is neither tagged "
                                           "nor marked as decoration, so screen readers skip it or read it out of "
                                           "place.", _fix("Tag all the content, and mark page furniture (page "
                                                          "numbers, lines, backgrounds) as artifacts."),
                   _pages_phrase(pages))
    if reader.conflicts:
        pages = sorted(reader.conflicts)
        report.add("pdf-content-untagged", f"On {_pages_phrase(pages)}, {reader.conflicts[pages[0]]}, so screen "
                                           "readers may skip words or read out decoration.",
                   _fix("Mark only page furniture as decoration, and keep it apart from the tagged words."),
                   _pages_phrase(pages))


def _check_headings(tree: StructTree, reader: ContentReader, report: Report) -> None:
    # PDF/UA-1 7.4.2-1: numbered headings start at H1 and never skip a level going down.
    last = 0
    for element in tree.elements:
        m = re.fullmatch(r"H([1-6])", element.role)
        if not m:
            continue
        level = int(m.group(1))
        if level > last + 1:
            text = _element_text(element, reader)
            said = f"the heading {_quote(text)}" if text else "a heading"
            if last == 0:
                problem = f"The first heading in the PDF is level {level}, not level 1 (H1):"
            else:
                problem = f"A level {level} heading follows a level {last} heading, skipping a level:"
            report.add("pdf-heading-order", f"{problem} {said}. Screen reader users move around by headings, "
                                            "so a missing level makes it look as if something is missing.",
                       _fix("Use heading levels in order: H1, then H2, then H3, without skipping one."),
                       f"H{level}: {_quote(text)}" if text else f"H{level}")
        last = level


def _check_figures(tree: StructTree, pdf, report: Report) -> None:
    # PDF/UA-1 7.3-1: a Figure has alternative text (or ActualText).
    for element in tree.elements:
        if element.role != "Figure":
            continue
        alt = _text(element.obj.get("/Alt"))
        if (alt and alt.strip()) or element.obj.get("/ActualText") is not None:
            continue
        report.add("pdf-figure-no-alt", "A picture in the PDF has no alt text, so screen reader users do not "
                                        "know what it shows.",
                   "Give every picture alt text (in Easy Read, an 'alt:' line), or mark it as decoration. "
                   + FIX_TOOL, _page_of(pdf, element))


def _attributes(element: Element, tree: StructTree) -> list:
    """The element's attribute dictionaries: /A (a dictionary or an array with revision numbers)
    and those of its classes (/C, through the ClassMap)."""
    out = []

    def take(value):
        if isinstance(value, pikepdf.Dictionary):
            out.append(value)
        elif isinstance(value, pikepdf.Array):
            out.extend(v for v in value if isinstance(v, pikepdf.Dictionary))
    take(element.obj.get("/A"))
    classes = element.obj.get("/C")
    classmap = tree.root.get("/ClassMap") if tree.root is not None else None
    if classes is not None and isinstance(classmap, pikepdf.Dictionary):
        for c in (classes if isinstance(classes, pikepdf.Array) else [classes]):
            if isinstance(c, pikepdf.Name):
                take(classmap.get(str(c)))
    return out


def _attribute(element: Element, tree: StructTree, key: str):
    for a in _attributes(element, tree):
        if key in a and _name(a.get("/O")) in ("Table", ""):
            return a.get(key)
    return None


def _descendants(element: Element):
    stack = list(element.children)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def _rows(table: Element) -> list[Element]:
    rows = []
    for child in table.children:
        if child.role == "TR":
            rows.append(child)
        elif child.role in ("THead", "TBody", "TFoot"):
            rows.extend(c for c in child.children if c.role == "TR")
    return rows


def _check_tables(tree: StructTree, reader: ContentReader, report: Report) -> None:
    """PDF/UA-1 7.5: a table's header cells are TH, and each data cell's headers can be found:
    every TH has a Scope, or the data cells name their headers (Headers and IDs), or a TH with
    a Scope sits above or beside each data cell. The last two follow veraPDF's 7.5-1."""
    for table in tree.elements:
        if table.role != "Table":
            continue
        rows = [[c for c in row.children if c.role in ("TH", "TD")] for row in _rows(table)]
        cells = [c for row in rows for c in row]
        data = [c for c in cells if c.role == "TD"]
        headers = [c for c in cells if c.role == "TH"]
        if not data:
            continue
        text = _element_text(table, reader, 60)
        where = f"The table {_quote(text, 40)}" if text else "A table"
        fix = _fix("Tag the header cells as TH, with a Scope (Column or Row), or name each data cell's headers.")
        if not headers:
            stray = any(e.role == "TH" for e in _descendants(table))
            problem = ("has header cells outside its rows (TR)" if stray else "has no header cells (TH)")
            report.add("pdf-table-headers", f"{where} {problem}, so a screen reader cannot say what each column "
                                            "or row is about.", fix, text[:60])
            continue
        scope = {id(c): _name(_attribute(c, tree, "/Scope")) for c in headers}
        if all(scope[id(c)] in ("Row", "Column", "Both") for c in headers):
            continue
        ids = {bytes(c.obj.get("/ID")) for c in headers if c.obj.get("/ID") is not None}
        if not _all_cells_have_headers(rows, tree, scope, ids):
            report.add("pdf-table-headers", f"{where} has header cells, but a screen reader cannot tell which "
                                            "header goes with which cell: the header cells have no Scope and "
                                            "the data cells do not name their headers.", fix, text[:60])


def _all_cells_have_headers(rows, tree, scope, ids) -> bool:
    grid: dict[tuple[int, int], Element] = {}
    place: dict[int, tuple[int, int, int, int]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            rs = max(1, int(_num(_attribute(cell, tree, "/RowSpan"), 1)))
            cs = max(1, int(_num(_attribute(cell, tree, "/ColSpan"), 1)))
            place[id(cell)] = (r, c, rs, cs)
            for i in range(rs):
                for j in range(cs):
                    grid.setdefault((r + i, c + j), cell)
            c += cs
    for row in rows:
        for cell in row:
            if cell.role != "TD":
                continue
            named = _attribute(cell, tree, "/Headers")
            if isinstance(named, pikepdf.Array) and len(named) and all(
                    isinstance(h, pikepdf.String) and bytes(h) in ids for h in named):
                continue
            r, c, rs, cs = place[id(cell)]
            if not _scoped_header(grid, scope, r, c, rs, cs):
                return False
    return True


def _scoped_header(grid, scope, r, c, rs, cs) -> bool:
    for col in range(c, c + cs):
        for row in range(r - 1, -1, -1):
            other = grid.get((row, col))
            if other is not None and other.role == "TH" and scope.get(id(other)) in ("Column", "Both"):
                return True
    for row in range(r, r + rs):
        for col in range(c - 1, -1, -1):
            other = grid.get((row, col))
            if other is not None and other.role == "TH" and scope.get(id(other)) in ("Row", "Both"):
                return True
    return False


def _check_part_languages(root, tree: StructTree, reader: ContentReader, report: Report) -> None:
    """WCAG 3.1.2 (PDF/UA-1 7.2): a passage in another language says so with its own /Lang. We can
    only see a change of writing system (Arabic letters in an English document), so a word in
    French inside English is not caught; names, accents and single symbols (like a Greek mu) are
    never flagged. Latin letters inside a non-Latin document (web addresses, names) are not judged."""
    doc_lang = _text(root.get("/Lang")) or ""
    for element in tree.elements:
        if not element.content:
            continue
        for key in element.content:
            piece = reader.pieces.get(key)
            if piece is None:
                continue
            lang = piece.lang or element.inherited_lang() or doc_lang
            expected = _expected_scripts(lang) if _valid_lang(lang) else None
            if not expected:
                continue
            found = _foreign_words("".join(piece.text), expected | {"Latin"})
            if found:
                word, script = found
                if script in ("Arabic", "Hebrew", "Thaana"):
                    word = word[::-1]  # a PDF draws right-to-left words from the left: put it back
                report.add("pdf-part-lang", f"On page {piece.page}, the words {_quote(word, 30)} are in "
                                            f"{script} script, but the PDF says this part is in {_quote(lang)}. "
                                            "A screen reader will read them with the wrong voice, or not at all.",
                           _fix("Mark the words with their language (in the page, lang=\"...\"; in a PDF "
                                "editor, the Language of the tag)."), f"page {piece.page}: {_quote(word, 30)}")
                break


def _check_reading_order(pdf, tree: StructTree, reader: ContentReader, report: Report) -> None:
    """The tags' order against the page: a conservative check. On each page, a piece tagged later
    that sits wholly above a piece tagged earlier, in the same column (their widths overlap by at
    least half), is out of order. Pieces side by side (an Easy Read picture and its words, two
    columns, table cells in a row) are never compared, so reading down one column and then the
    next is fine. Pictures count by their box. Footnotes (Note), rotated text and rotated pages
    are left out, and so are pieces much narrower than the other (a sidebar or a caption).
    It cannot see a page read across two columns line by line."""
    rotated = {n for n, page in enumerate(pdf.pages, start=1) if int(_num(page.obj.get("/Rotate"), 0)) % 360}
    by_page: dict[int, list] = {}
    order = []
    for element in tree.elements:
        for key in element.content:
            if tree.content.get(key) is element:
                order.append((key, element))
    for key, element in order:
        piece = reader.pieces.get(key)
        if piece is None or piece.box is None or piece.skewed or piece.page in rotated:
            continue
        if element.role == "Note" or element.inside("Note") or element.role == "Artifact":
            continue
        by_page.setdefault(piece.page, []).append(piece)
    bad_pages, first = [], None
    for number, pieces in sorted(by_page.items()):
        for i, later in enumerate(pieces):
            lx0, ly0, lx1, ly1 = later.box
            for earlier in pieces[:i]:
                ex0, ey0, ex1, ey1 = earlier.box
                overlap = min(lx1, ex1) - max(lx0, ex0)
                wider = max(lx1 - lx0, ex1 - ex0)
                if wider <= 0 or overlap < 0.5 * wider:  # side by side, or one much narrower (a float, a caption)
                    continue
                gap = max(later.size, earlier.size, 1.0) * 0.5
                if ly0 > ey1 + gap:   # the later piece sits wholly above the earlier one
                    bad_pages.append(number)
                    if first is None:
                        first = (number, "".join(earlier.text), "".join(later.text))
                    break
            if bad_pages and bad_pages[-1] == number:
                break
    if first:
        number, before, after = first
        said = (f"{_quote(before, 40)} is read before {_quote(after, 40)}, which is above it"
                if before.strip() and after.strip() else "something lower down is read before something above it")
        report.add("pdf-reading-order", f"On {_pages_phrase(bad_pages)}, the tags are not in the order the page "
                                        f"shows: on page {number}, {said}. A screen reader reads in tag order.",
                   _fix("Put the tags in reading order (in Acrobat, the Order or Tags panel)."),
                   _pages_phrase(bad_pages))
