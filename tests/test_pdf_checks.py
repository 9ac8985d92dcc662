"""The PDF checks: each broken PDF (tests/fixtures/pdf/cases.py) gives exactly its rule, its good
twin none; layouts that are easy to misjudge (two columns, Easy Read's picture beside its words,
names with accents) give none; and the bundled PDFs give none."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from clearinfo.check.pdf_checks import RULES, check_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
_spec = importlib.util.spec_from_file_location("pdf_cases", FIXTURES / "cases.py")
cases = sys.modules["pdf_cases"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("good-pdfs")
    return {source: cases.make_good(source, folder / f"good-{source}.pdf") for source in cases.SOURCES}


def rules_of(findings) -> list[str]:
    return sorted({f.rule for f in findings})


def test_every_rule_has_a_broken_example():
    assert {c.rule for c in cases.CASES} == set(RULES)


@pytest.mark.parametrize("source", list(cases.SOURCES))
def test_the_good_twin_has_no_problems(good, source):
    findings = check_pdf(good[source].parent, good[source])
    assert [(f.rule, f.message) for f in findings] == []


@pytest.mark.parametrize("case", cases.CASES, ids=[f"{c.rule}:{c.name}" for c in cases.CASES])
def test_each_broken_pdf_gives_exactly_its_rule(good, case, tmp_path):
    path = cases.make_broken(case, good[case.source], tmp_path / f"{case.name}.pdf")
    findings = check_pdf(tmp_path, path)
    assert rules_of(findings) == [case.rule], f"{case.about}: {[(f.rule, f.message) for f in findings]}"
    for f in findings:
        assert f.page == f"{case.name}.pdf" and f.check == "pdf"
        assert f.message.endswith(".") and f.fix.endswith(".")  # says what is wrong, and what to do
        assert "/" not in f.message.replace("PDF/UA", "")  # no PDF jargon like /Lang in what people read


LAYOUTS = {
    # Easy Read: each picture on the left, its words on the right, row after row.
    "easy-read": "".join(f"<div style='display:flex;align-items:center;margin:4mm 0'><img src='{{picture}}' "
                         f"alt='Picture {n}'><div style='margin-left:5mm'><p>Sentence {n}, the first.</p>"
                         f"<p>Sentence {n}, the second.</p></div></div>" for n in range(5)),
    "two-columns": f"<div style='columns:2'>{cases.LONGER * 4}</div>",
    "side-by-side": f"<div style='display:flex;gap:5mm'><div>{cases.LONGER}</div><div>{cases.LONGER}</div></div>",
    "float-sidebar": f"<aside style='float:right;width:35%'><p>Key phone numbers.</p></aside>{cases.LONGER * 3}",
    "picture-beside-text": f"<img src='{{picture}}' alt='A picture' style='float:left'>{cases.LONGER * 2}",
    "long-table": "<table><tr><th scope='col'>Help</th><th scope='col'>What it is</th></tr>"
                  + "".join(f"<tr><td>Item {n}</td><td>{'A longer description that wraps. ' * 3}</td></tr>"
                            for n in range(6)) + "</table>",
    "names-and-symbols": "<p>Zoë, José, Łukasz, Siân, Ngũgĩ and Đặng met at the café in Ærøskøbing. "
                         "Take 10 µg at 5 °C; π is about 3.14; 2 Ω.</p>",
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_layouts_that_are_easy_to_misjudge_pass(layout, tmp_path, monkeypatch):
    monkeypatch.setitem(cases.SOURCES, layout, (LAYOUTS[layout].replace("{picture}", cases.picture_uri()), None))
    path = cases.make_good(layout, tmp_path / f"{layout}.pdf")
    assert [(f.rule, f.message) for f in check_pdf(tmp_path, path)] == []


def test_a_document_in_urdu_may_name_things_in_english(tmp_path, monkeypatch):
    """Latin letters in a non-Latin document (names, web addresses) are not judged."""
    page = "<p>ہم آپ کی مدد کر سکتے ہیں۔ Example Council, care.example.org</p>"
    monkeypatch.setitem(cases.SOURCES, "urdu", (page, None))
    path = cases.make_good("urdu", tmp_path / "urdu.pdf")
    import pikepdf
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.Lang = pikepdf.String("ur")
        pdf.save(path)
    assert [(f.rule, f.message) for f in check_pdf(tmp_path, path) if f.rule == "pdf-part-lang"] == []


def test_the_bundled_pdfs_pass(built_site):
    pdfs = sorted(built_site.rglob("*.pdf"))
    assert len(pdfs) >= 25
    found = [(f.page, f.rule, f.message[:100]) for pdf in pdfs for f in check_pdf(built_site, pdf)]
    assert found == []
