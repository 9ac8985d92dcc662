"""Checks on every PDF: tagged, language and title set and shown, PDF/UA identifier, fonts
embedded, text that can be copied or read aloud, and alt text on every figure."""
from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding


def struct_nodes(node, out, depth=0):
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


def _fonts(reader) -> dict:
    fonts = {}
    for page in reader.pages:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else {}
        for name, ref in (res.get("/Font") or {}).items():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and font.get("/DescendantFonts"):
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            fonts[str(font.get("/BaseFont"))] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def check_pdf(site: Path, path: Path) -> list[Finding]:
    import pypdf

    page = path.relative_to(site).as_posix()
    out = []

    def bad(rule, message, fix, element=""):
        out.append(Finding(page, "pdf", rule, message, fix, element))

    try:
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
    except Exception as e:
        bad("pdf-unreadable", f"The PDF cannot be opened ({e}).", "Build it again; if it keeps happening, report it.")
        return out
    fix_build = "Make PDFs with Clearinfo, which tags them (PDF/UA-1), or export a tagged PDF from your editor."
    if "/StructTreeRoot" not in root or not bool((root.get("/MarkInfo") or {}).get("/Marked")):
        bad("pdf-untagged", "The PDF is not tagged, so screen readers cannot tell its headings, lists and "
                            "reading order.", fix_build)
    if not str(root.get("/Lang") or "").strip():
        bad("pdf-no-lang", "The PDF does not say what language it is in, so a screen reader may use the wrong "
                           "voice.", fix_build + " Set the language (en-GB).")
    title = (reader.metadata or {}).get("/Title")
    if not title or not str(title).strip():
        bad("pdf-no-title", "The PDF has no title, so people see its file name instead.", fix_build)
    elif not bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")):
        bad("pdf-title-not-shown", "The PDF's title is not shown in the window: people see its file name.",
            fix_build)
    xmp = root.get("/Metadata")
    xmp_text = xmp.get_object().get_data().decode("utf-8", "replace") if xmp is not None else ""
    if not re.search(r'pdfuaid:part(="1"|>1<)', xmp_text):
        bad("pdf-not-ua", "The PDF does not say it meets PDF/UA, the standard for accessible PDFs.", fix_build)
    for font, embedded in _fonts(reader).items():
        if not embedded:
            bad("pdf-font-not-embedded", f"The font {font} is not in the PDF, so it may look wrong or be "
                                          "unreadable on another computer.", fix_build, font)
    text = "".join((p.extract_text() or "") for p in reader.pages[:3])
    if len(text.strip()) < 20:
        bad("pdf-no-text", "The PDF has no text that can be copied or read aloud (it may be a scan).",
            "Make the PDF from text, not a scan or a picture of text.")
    if "/StructTreeRoot" in root:
        for node in struct_nodes(root["/StructTreeRoot"], []):
            if node.get("/S") == "/Figure" and not str(node.get("/Alt") or node.get("/ActualText") or "").strip():
                bad("pdf-figure-no-alt", "A picture in the PDF has no alt text.",
                    "Give every picture alt text (in Easy Read, an 'alt:' line), or mark it as decoration.")
    return out
