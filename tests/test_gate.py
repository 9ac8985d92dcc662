"""The accessibility gate: it finds each deliberate problem in a broken site, with the right page
and rule; the bundled site passes with zero violations; reports parse and are accessible."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clearinfo.check import browser_checks
from clearinfo.check.exceptions import apply_exceptions, load_exceptions
from clearinfo.check.findings import Finding
from clearinfo.check.gate import run_gate
from clearinfo.options import DEFAULT_CONCURRENCY
from conftest import ROOT

VENDOR = ROOT / ".vendor"
FIXTURE = Path(__file__).parent / "fixtures" / "broken_site"

EXPECTED = [
    ("missing-alt.html", "image-alt"), ("missing-alt.html", "img-alt"),
    ("low-contrast.html", "color-contrast"),
    ("unlabelled-field.html", "label"),
    ("empty-link.html", "link-name"),
    ("skipped-heading.html", "heading-skip"),
    ("missing-lang.html", "html-has-lang"),
    ("duplicate-id.html", "duplicate-id"),
    ("reflow.html", "reflow-320"),
    ("broken-link.html", "broken-link"),
    ("broken-anchor.html", "broken-anchor"),
    ("click-here.html", "vague-link"),
    ("two-h1.html", "one-h1"),
    ("no-title.html", "document-title"),
    ("no-policy.html", "csp-missing"),
    ("event-handler.html", "inline-handler"),
    ("untagged.pdf", "pdf-untagged"), ("untagged.pdf", "pdf-not-ua"),
    ("no-lang.pdf", "pdf-no-lang"),
    ("silent.mp3", "audio-silent"),
    ("broken.mp3", "audio-broken"),
]


def make_broken_site(dest: Path) -> Path:
    import weasyprint
    shutil.copytree(FIXTURE, dest)
    (dest / "README.md").unlink()
    doc = "<html{lang}><head><title>Leaflet</title></head><body><h1>Leaflet</h1><p>Some words to read.</p></body></html>"
    weasyprint.HTML(string=doc.format(lang=' lang="en-GB"')).write_pdf(dest / "untagged.pdf")
    weasyprint.HTML(string=doc.format(lang="")).write_pdf(dest / "no-lang.pdf", pdf_variant="pdf/ua-1")
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "3",
                    "-codec:a", "libmp3lame", str(dest / "silent.mp3")], check=True)
    (dest / "broken.mp3").write_bytes(b"this is not an mp3 file " * 100)
    return dest


@pytest.fixture(scope="module")
def broken_result(tmp_path_factory):
    site = make_broken_site(tmp_path_factory.mktemp("gate") / "broken")
    reports = site.parent / "reports"
    return run_gate(site, VENDOR, report_dir=reports, say=lambda *_: None), reports


@pytest.mark.parametrize("page,rule", EXPECTED, ids=[f"{p}:{r}" for p, r in EXPECTED])
def test_each_deliberate_problem_is_found(broken_result, page, rule):
    result, _ = broken_result
    found = [f for f in result.failing if f.page == page and f.rule == rule]
    assert found, f"{rule} not reported on {page}: {[(f.page, f.rule) for f in result.failing]}"
    for f in found:
        assert f.message and f.fix  # says what is wrong and how to fix it


def test_the_good_page_has_no_problems(broken_result):
    result, _ = broken_result
    assert [f for f in result.failing if f.page == "index.html"] == []
    assert not result.passed


def test_reports_parse(broken_result):
    result, reports = broken_result
    suite = ET.parse(reports / "accessibility-junit.xml").getroot().find("testsuite")
    failures = {case.get("name") for case in suite if case.find("failure") is not None}
    assert {p for p, _ in EXPECTED} <= failures
    data = json.loads((reports / "accessibility.json").read_text())
    assert data["passed"] is False and data["axe_core"] == "4.14.1"
    assert {(v["page"], v["rule"]) for v in data["violations"]} >= set(EXPECTED)


def test_html_report_passes_the_gate_itself(broken_result, tmp_path):
    _, reports = broken_result
    site = tmp_path / "report"
    site.mkdir()
    shutil.copy(reports / "accessibility-report.html", site / "index.html")
    result = run_gate(site, VENDOR, say=lambda *_: None)
    assert [(f.rule, f.element[:80]) for f in result.failing] == []


def test_bundled_site_passes_with_zero_violations(built_site, tmp_path, monkeypatch):
    """The whole bundled site, every page at desktop and 320px, light and dark, in one browser a worker
    (the `concurrency` setting, default one a CPU), not one a page."""
    opened = []
    real = browser_checks.chromium

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(browser_checks, "chromium", counting)
    result = run_gate(built_site, VENDOR, report_dir=tmp_path, say=lambda *_: None)
    assert [(f.page, f.rule, f.message[:100]) for f in result.failing] == []
    # Nothing left for a person either, so the statement can honestly say "fully compliant".
    assert [(f.page, f.rule, f.selector) for f in result.review] == []
    assert result.passed and result.files["html"] >= 25 and result.files["pdf"] >= 25 and result.files["mp3"] >= 20
    assert len(opened) == min(DEFAULT_CONCURRENCY, result.files["html"]), "one browser a worker, not one a page"


def test_exceptions_need_a_reason_and_expire(tmp_path):
    f = Finding("a/index.html", "axe", "color-contrast", "Low contrast.", "Darken it.")
    path = tmp_path / "accessibility-exceptions.yml"
    path.write_text("exceptions:\n"
                    "  - rule: color-contrast\n    page: a/*\n    reason: The supplier's map; replaced in March.\n"
                    "    expires: 2027-03-01\n"
                    "  - rule: image-alt\n    page: b/index.html\n    reason: Old.\n    expires: 2026-01-01\n"
                    "  - rule: label\n    page: c.html\n    expires: 2027-01-01\n")
    entries, problems = load_exceptions(path)
    assert problems == ["accessibility-exceptions.yml, line 10: this exception has no reason. Every exception "
                        "needs the rule, the page, the reason it is accepted and the date it expires."]
    failing, excepted, problems = apply_exceptions([f], entries, path, dt.date(2026, 11, 23))
    assert failing == [] and excepted == [f]
    assert problems == ["accessibility-exceptions.yml, line 6: the exception for 'image-alt' on 'b/index.html' "
                        "expired on 2026-01-01. Fix the problem, or agree a new date and say why."]
    failing, excepted, problems = apply_exceptions([], entries, path, dt.date(2026, 11, 23))
    assert any("the exception for 'color-contrast' on 'a/*' matches nothing now. Delete it." in p for p in problems)
    failing, excepted, problems = apply_exceptions([f], entries, path, dt.date(2027, 3, 2))
    assert failing == [f], "an expired exception no longer hides the problem"


def test_an_exceptions_file_laid_out_wrongly_is_explained(tmp_path):
    path = tmp_path / "accessibility-exceptions.yml"
    for text in ("- rule: image-alt\n", "exceptions:\n  rule: image-alt\n"):
        path.write_text(text)
        assert load_exceptions(path) == ([], [
            "accessibility-exceptions.yml: the file must start with 'exceptions:', then one entry per exception, "
            "each starting with '- rule:' (see the example in the README)."])


def test_check_command_exit_codes(run, project, tmp_path):
    site = make_broken_site(tmp_path / "broken")
    code, out, err = run("check", str(site), "-f", project / "mkdocs.yml", "--report-dir", tmp_path / "r")
    assert code == 1
    assert "problems found:" in out and "How to fix it:" in out
    code, out, err = run("check", str(tmp_path / "nothing"), "-f", project / "mkdocs.yml")
    assert code == 2
    assert "There is no built site in" in err


def test_the_same_review_item_on_many_pages_is_listed_once(tmp_path):
    from clearinfo.check.report import GateResult, grouped, write_html
    same = dict(check="axe", rule="color-contrast", message="Check the contrast.", fix="Look at it.",
                element=".md-nav__link", severity="review", context="desktop, light colours")
    items = [Finding(page=f"p{n}/index.html", **same) for n in range(3)] + [
        Finding(page="p0/index.html", **{**same, "element": ".other"})]
    rows = grouped(items)
    assert [r.page for r in rows] == ["3 pages: p0/index.html, p1/index.html, p2/index.html", "p0/index.html"]
    result = GateResult(site=tmp_path, pages=["p0/index.html"], files={"html": 3}, failing=[], review=items,
                        excepted=[], exception_problems=[], seconds=1.0, axe_version="4.14.1")
    write_html(result, tmp_path / "report.html")
    assert (tmp_path / "report.html").read_text().count("Check the contrast.") == 2
