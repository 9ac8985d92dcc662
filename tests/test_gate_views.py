"""The gate says what really ran: every page in every view (width x colour scheme) with every
engine, a view that did not run fails, axe looks inside same-origin frames, and a closed shadow
root is reported as not checked. Each with a failing page and a passing twin."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clearinfo.check import browser_checks
from clearinfo.check.browser_checks import VIEWS, check_in_browser, default_engines
from clearinfo.check.gate import run_gate
from conftest import ROOT

VENDOR = ROOT / ".vendor"
FIXTURE = Path(__file__).parent / "fixtures" / "gate_views"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("views") / "site"
    shutil.copytree(FIXTURE, dest)
    (dest / "README.md").unlink()
    return dest


@pytest.fixture(scope="module")
def checked(site):
    pages = sorted(site.glob("*.html"))
    return check_in_browser(site, pages, default_engines(VENDOR), say=lambda *_: None)


def rules(findings, page):
    return {(f.check, f.rule) for f in findings if f.page == page}


def test_every_page_records_every_view_and_its_engines(checked):
    findings, coverage = checked
    plain = coverage["plain.html"]
    assert list(plain.views) == ["1280×900 light", "1280×900 dark", "320×900 light", "320×900 dark"]
    assert plain.views["1280×900 dark"] == ["axe-core 4.14.1", "HTML_CodeSniffer 2.5.1", "Clearinfo beyond axe"]
    assert plain.views["320×900 dark"] == ["axe-core 4.14.1", "HTML_CodeSniffer 2.5.1", "Clearinfo beyond axe",
                                           "Clearinfo reflow"]
    assert plain.not_run == []
    assert rules(findings, "plain.html") == set()


def test_axe_looks_inside_a_frame_of_the_same_site(checked):
    findings, _ = checked
    inside = [f for f in findings if f.page == "frame-fail.html" and f.rule == "image-alt"]
    assert inside and inside[0].selector.startswith("iframe >> "), inside
    assert ("axe", "image-alt") not in rules(findings, "frame-pass.html")


def test_a_closed_shadow_root_is_reported_as_not_checked(checked):
    findings, _ = checked
    closed = [f for f in findings if f.page == "shadow-closed.html" and f.rule == "shadow-closed"]
    assert len(closed) == 1 and closed[0].severity == "review" and "div#widget" in closed[0].element
    # The open twin is checked: axe finds the picture inside it, and nothing is "not checked".
    assert ("axe", "image-alt") in rules(findings, "shadow-open.html")
    assert ("gate", "shadow-closed") not in rules(findings, "shadow-open.html")


def test_a_view_that_did_not_run_fails_the_gate(site, monkeypatch, tmp_path):
    real = browser_checks.emulate_colour_scheme

    def light_only(driver, scheme):  # as if the reader's dark setting never reached the page
        real(driver, "light")
    monkeypatch.setattr(browser_checks, "emulate_colour_scheme", light_only)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(site / "plain.html", one / "index.html")
    result = run_gate(one, VENDOR, report_dir=tmp_path / "r", say=lambda *_: None)
    assert not result.passed
    not_run = [f for f in result.failing if f.rule == "not-run"]
    assert {f.context for f in not_run} == {"desktop, dark colours", "320px wide, dark colours"}
    assert "did not take the reader's dark setting" in not_run[0].message
    data = json.loads((tmp_path / "r" / "accessibility.json").read_text())
    assert list(data["coverage"]["index.html"]["views"]) == ["1280×900 light", "320×900 light"]
    assert len(data["coverage"]["index.html"]["not_run"]) == 2


def test_the_report_lists_views_and_engines_per_page(site, tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(site / "plain.html", one / "index.html")
    result = run_gate(one, VENDOR, report_dir=tmp_path / "r", say=lambda *_: None)
    assert result.passed, [(f.rule, f.message) for f in result.failing]
    data = json.loads((tmp_path / "r" / "accessibility.json").read_text())
    assert data["views"] == [v.name for v in VIEWS]
    assert set(data["coverage"]["index.html"]["views"]) == set(data["views"])
    html = (tmp_path / "r" / "accessibility-report.html").read_text()
    assert "What was checked on each page" in html and "320×900 dark: axe-core 4.14.1, HTML_CodeSniffer 2.5.1, Clearinfo beyond axe, Clearinfo reflow" in html
    assert "every view: Nu HTML Checker 26.9.27, Clearinfo structure, links and safety" in \
        (tmp_path / "r" / "accessibility-junit.xml").read_text()
    junit = (tmp_path / "r" / "accessibility-junit.xml").read_text()
    assert "What ran: 1280×900 light: axe-core 4.14.1" in junit


def test_views_are_shown_changing_one_thing_at_a_time():
    """The views are shown so that each changes only the size or only the colours from the one
    before, and the first of VIEWS (after which the 200% check leaves the window zoomed) ends the
    views of its size; every view is shown once. The report keeps the order given (above)."""
    from clearinfo.check.browser_checks import View, _changes, check_order
    order = check_order(VIEWS)
    assert sorted(order, key=VIEWS.index) == list(VIEWS)
    assert all(_changes(a, b) == 1 for a, b in zip(order, order[1:])), [v.name for v in order]
    wide = [v for v in order if v.width == VIEWS[0].width]
    assert wide[-1] == VIEWS[0] and order.index(VIEWS[0]) == len(wide) - 1
    # A shorter list, and one without VIEWS[0], are kept whole too.
    assert check_order(VIEWS[2:]) == list(VIEWS[2:])
    extra = [View(800, "dark"), *VIEWS]
    assert sorted(check_order(extra), key=extra.index) == extra
