"""The last step of every PDF: repairs to WeasyPrint's tagged (PDF/UA-1) output, made with pikepdf.

WeasyPrint tags the page margins (the running title, the council's name, "Page 2 of 5") with
marked-content IDs, but never links their tags into the structure tree (its own comment: they
could be artifacts only in PDF 2.0). So that text is neither in the reading order nor marked as
decoration: PDF/UA-1 7.1 forbids that. Page furniture is decoration a screen reader should skip,
so it becomes a pagination artifact here, and leaves the parent tree.

Bump VERSION when this step changes what it writes: it is part of each cached PDF's key.
"""
from __future__ import annotations

import pikepdf

VERSION = "1"


def finish_pdf(source: str, target: str) -> None:
    """Read WeasyPrint's PDF at `source`, write the repaired PDF to `target` (a different path)."""
    with pikepdf.open(source) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if isinstance(tree, pikepdf.Dictionary):
            _untagged_content_to_artifacts(pdf, tree)
        pdf.save(target, deterministic_id=True)


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
