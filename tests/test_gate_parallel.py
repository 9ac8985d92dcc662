"""The gate checks pages in several browsers side by side and says how far it has got: the answer
is the same, in the same order, as with one browser; a browser that cannot start stops the gate
plainly; progress shows as a bar on a terminal and as plain lines in a log."""
from __future__ import annotations

import io
import threading

import pytest

from clearinfo.check import browser_checks
from clearinfo.check.gate import stage_table
from clearinfo.errors import EnvironmentProblem
from clearinfo.progress import Progress
from conftest import ROOT
from test_gate import make_broken_site

VENDOR = ROOT / ".vendor"
PAGES = ["index.html", "missing-alt.html", "low-contrast.html", "reflow.html", "empty-link.html",
         "unlabelled-field.html"]


def _said(findings) -> list[tuple]:
    return [(f.page, f.check, f.rule, f.selector or f.element, f.severity, f.context) for f in findings]


@pytest.mark.browser
def test_browsers_side_by_side_find_what_one_browser_finds_in_the_same_order(tmp_path):
    site = make_broken_site(tmp_path / "broken")
    pages = [site / p for p in PAGES]
    engines = browser_checks.default_engines(VENDOR)
    alone, alone_ran = browser_checks.check_in_browser(site, pages, engines, workers=1)
    stream = io.StringIO()
    with Progress("Pages checked", len(pages), stream=stream) as progress:
        together, together_ran = browser_checks.check_in_browser(site, pages, engines, workers=3, progress=progress)
    assert {f.page for f in alone} >= {"missing-alt.html", "low-contrast.html", "reflow.html"}  # it found things
    assert _said(together) == _said(alone)
    assert {p: c.as_dict() for p, c in together_ran.items()} == {p: c.as_dict() for p, c in alone_ran.items()}
    assert list(together_ran) == PAGES and all(len(c.views) == 4 and not c.not_run for c in together_ran.values())
    assert progress.done == len(pages) and "6 of 6 pages" in stream.getvalue()


def test_a_browser_that_cannot_start_stops_the_gate_plainly(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<!doctype html><title>A</title>")

    class NoBrowser:
        def __enter__(self):
            raise EnvironmentProblem("Chromium is not installed, and the accessibility checks need a real browser.")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(browser_checks, "chromium", NoBrowser)
    with pytest.raises(EnvironmentProblem, match="Chromium is not installed"):
        browser_checks.check_in_browser(tmp_path, [tmp_path / "index.html"], [], workers=2)


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_log_gets_a_line_every_tenth_and_every_30_seconds_and_one_at_the_end():
    stream, clock = io.StringIO(), _Clock()
    with Progress("Pages checked", 40, stream=stream, clock=clock) as p:
        for n in range(1, 41):
            clock.now = n * 0.5
            p.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10  # at 4, 8, ... 36 pages, then the end
    assert lines[0] == "  Pages checked: 4 of 40 pages (10 %), 2 s gone, about 18 s left"
    assert lines[-1] == "  Pages checked: 40 of 40 pages in 20 s"

    stream, clock = io.StringIO(), _Clock()
    with Progress("Pages checked", 1000, stream=stream, clock=clock) as p:
        for n in range(1, 4):
            clock.now = n * 31
            p.advance()
    assert [line.split(":")[1].split("(")[0].strip() for line in stream.getvalue().splitlines()] == \
        ["1 of 1000 pages", "2 of 1000 pages", "3 of 1000 pages", "3 of 1000 pages in 1 min 33 s"]


def test_a_terminal_gets_a_bar_with_the_count_and_the_time_left():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with Progress("Pages checked", 5, stream=stream) as p:
        for _ in range(5):
            p.advance()
    shown = stream.getvalue()
    assert "\r" in shown and "Pages checked" in shown and "5/5 pages" in shown and "left" in shown


def test_progress_counts_right_when_browsers_advance_it_together():
    stream = io.StringIO()
    with Progress("Pages checked", 4000, stream=stream) as p:
        threads = [threading.Thread(target=lambda: [p.advance() for _ in range(1000)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert p.done == 4000 and stream.getvalue().splitlines()[-1].startswith("  Pages checked: 4000 of 4000")


def test_the_time_table_names_each_stage_and_the_total():
    table = stage_table({"pages in Chromium": 30.04, "Nu HTML Checker": 2.5})
    assert table.splitlines() == ["Time taken:", "  pages in Chromium     30.0 s",
                                  "  Nu HTML Checker        2.5 s", "  all                   32.5 s"]
