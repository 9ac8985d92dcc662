"""A cold build makes the longest PDFs first (issue 13, item 4): the printed packs lay out every
print page again and take many seconds each, so when they came last (they are listed last) one core
made a pack while the other had nothing left to do. Longest first, the short PDFs fill in around them."""
from __future__ import annotations

import os
from pathlib import Path

from clearinfo.formats import pdfs
from clearinfo.formats.pdfs import PdfJob, make_pdfs

ORDER_FILE = "CLEARINFO_TEST_PDF_ORDER"


def _note_and_make(document_html: str, part: str) -> int:
    """Stands in for WeasyPrint in the worker process: notes which PDF it was given, and makes a file."""
    with open(os.environ[ORDER_FILE], "a", encoding="utf-8") as order:
        order.write(document_html.split("<title>")[1].split("</title>")[0] + "\n")
    Path(part).write_bytes(b"%PDF-1.7\n" + document_html.encode())
    return 1


def _job(name: str, paragraphs: int) -> PdfJob:
    return PdfJob(name, f"<title>{name}</title>" + "<p>Words.</p>" * paragraphs, [])


def test_the_longest_pdfs_are_made_first(tmp_path, monkeypatch):
    order = tmp_path / "order.txt"
    monkeypatch.setenv(ORDER_FILE, str(order))
    monkeypatch.setattr(pdfs, "_render_pdf", _note_and_make)  # the workers are forked: they see it too
    # As the print step lists them: the pages A to Z, then the two packs.
    jobs = [_job("advocacy", 30), _job("complaints", 20), _job("words-we-use", 60),
            _job("hard-copies", 900), _job("hard-copies-large-print", 1000)]
    made = make_pdfs(jobs, tmp_path / "cache", workers=1, say=lambda *_: None)
    assert sorted(made) == sorted(job.name for job in jobs)
    assert order.read_text().split() == ["hard-copies-large-print", "hard-copies", "words-we-use",
                                         "advocacy", "complaints"]
    # What is made does not depend on the order: each PDF is its own HTML.
    for job in jobs:
        assert made[job.name][0].read_bytes() == b"%PDF-1.7\n" + job.html.encode()
