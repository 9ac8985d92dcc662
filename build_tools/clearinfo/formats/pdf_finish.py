"""The last step of every PDF: repairs to WeasyPrint's tagged (PDF/UA-1) output, made with pikepdf.

WeasyPrint tags the page margins (the running title, the council's name, "Page 2 of 5") with
marked-content IDs, but never links their tags into the structure tree (its own comment: they
could be artifacts only in PDF 2.0). So that text is neither in the reading order nor marked as
decoration: PDF/UA-1 7.1 forbids that. Page furniture is decoration a screen reader should skip,
so it becomes a pagination artifact here, and leaves the parent tree.

The same HTML always makes the same PDF, byte for byte (issue 13: reproducible builds):
- fontTools stamps each font subset it makes with the time (the 'head' table's modified date,
  SOURCE_DATE_EPOCH when that is set). Here that date becomes the font's own created date, so no
  subset holds the time it was made;
- with SOURCE_DATE_EPOCH set (clearinfo/clock.py), the PDF says it was made and changed on that
  date (at 00:00 UTC), in its document information and its XMP metadata alike. Without it the
  PDF carries no date, as WeasyPrint made it: a date would make every cached PDF again each day;
- the file's /ID is a hash of its content (pikepdf's deterministic_id).

Bump VERSION when this step changes what it writes: it is part of each cached PDF's key, with `dated()`.
"""
from __future__ import annotations

import datetime as dt
import struct

import pikepdf

from ..clock import source_date

VERSION = "2"
FONT_FILES = ("/FontFile2", "/FontFile3")  # TrueType and OpenType font programs (Type 1 has no 'head')
SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true")  # how a single TrueType or OpenType font starts


def dated() -> str | None:
    """The date every PDF says it was made and changed, like "2023-11-14": SOURCE_DATE_EPOCH's, or
    None when it is not set (the PDFs then carry no date). Part of each PDF's cache key."""
    date = source_date()
    return date.isoformat() if date else None


def finish_pdf(source: str, target: str) -> None:
    """Read WeasyPrint's PDF at `source`, write the repaired PDF to `target` (a different path)."""
    with pikepdf.open(source) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if isinstance(tree, pikepdf.Dictionary):
            _untagged_content_to_artifacts(pdf, tree)
        _fonts_without_times(pdf)
        date = dated()
        if date:
            _set_dates(pdf, dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc))
        pdf.save(target, deterministic_id=True)


def _set_dates(pdf: pikepdf.Pdf, when: dt.datetime) -> None:
    """Made and changed `when`: in the XMP metadata, and (pikepdf keeps them the same) the document
    information's /CreationDate and /ModDate. PDF/UA asks that the two agree."""
    stamp = when.isoformat()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:  # as editor, pikepdf would add today's date
        for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[name] = stamp


def _fonts_without_times(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        for name in FONT_FILES:
            stream = obj.get(name)
            if isinstance(stream, pikepdf.Stream):
                font = font_modified_as_created(stream.read_bytes())
                if font is not None:
                    stream.write(font)  # the same length, so /Length1 still holds; compressed when saved


def font_modified_as_created(font: bytes) -> bytes | None:
    """A TrueType or OpenType font with its 'head' table's modified date set to its created date,
    and its checksums mended; None when it is no such font or the dates are the same already."""
    if len(font) < 12 or font[:4] not in SFNT_TAGS:
        return None
    tables = struct.unpack_from(">H", font, 4)[0]
    for entry in range(12, min(12 + 16 * tables, len(font) - 15), 16):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, entry)
        if tag == b"head" and length >= 36 and offset + length <= len(font):
            break
    else:
        return None
    created, modified = slice(offset + 20, offset + 28), slice(offset + 28, offset + 36)
    if font[created] == font[modified]:
        return None
    out = bytearray(font)
    out[modified] = font[created]
    # The OpenType way: the checksums are worked out with checkSumAdjustment as 0, then it is set so
    # that the whole font sums to 0xB1B0AFBA.
    struct.pack_into(">I", out, offset + 8, 0)
    struct.pack_into(">I", out, entry + 4, _checksum(out[offset:offset + length]))
    struct.pack_into(">I", out, offset + 8, (0xB1B0AFBA - _checksum(out)) & 0xFFFFFFFF)
    return bytes(out)


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\x00" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _in_tree(tree: pikepdf.Dictionary) -> set[tuple]:
    """(page, MCID) for every piece of content the structure tree reaches from its root."""
    found, seen = set(), set()
    stack = [(kid, None) for kid in _kids(tree)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, int) and not isinstance(node, bool):
            if page is not None:
                found.add((page, int(node)))
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/Type") == "/MCR" and isinstance(node.get("/MCID"), int):
                pg = node.get("/Pg")
                found.add((pg.objgen if pg is not None else page, int(node.MCID)))
            elif "/S" in node and node.objgen not in seen:
                if node.objgen != (0, 0):
                    seen.add(node.objgen)
                pg = node.get("/Pg")
                stack.extend((kid, pg.objgen if pg is not None else page) for kid in _kids(node))
    return found


def _kids(node: pikepdf.Dictionary) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _untagged_content_to_artifacts(pdf: pikepdf.Pdf, tree: pikepdf.Dictionary) -> None:
    in_tree = _in_tree(tree)
    nums = tree.get("/ParentTree", {}).get("/Nums")
    parents = {int(k): v for k, v in zip(list(nums)[0::2], list(nums)[1::2])} if isinstance(nums, pikepdf.Array) else {}
    for page in pdf.pages:
        loose = []
        instructions = list(pikepdf.parse_content_stream(page))
        for n, item in enumerate(instructions):
            if isinstance(item, pikepdf.ContentStreamInlineImage) or str(item.operator) != "BDC":
                continue
            props = item.operands[1] if len(item.operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            if isinstance(mcid, int) and (page.obj.objgen, int(mcid)) not in in_tree:
                loose.append(int(mcid))
                instructions[n] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], pikepdf.Operator("BDC"))
        if not loose:
            continue
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        entries = parents.get(int(page.obj.get("/StructParents", -1)))
        if isinstance(entries, pikepdf.Array):
            for mcid in loose:
                if mcid < len(entries):
                    entries[mcid] = None  # nothing in the tree owns it now
