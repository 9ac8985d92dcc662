"""The gate remembers: a page, PDF or MP3 unchanged since it was last checked, by the same checkers,
gives the findings it gave then without being checked again; the problems it had are still
reported; a change to the file, to a style sheet every page loads or to the checkers means a new
check; --fresh checks everything."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from clearinfo.check.findings import Finding
from clearinfo.check.gate import _Recall, run_gate
from clearinfo.check.memory import site_files_id
from conftest import ROOT
from test_gate import make_broken_site

VENDOR = ROOT / ".vendor"
KEPT = ["missing-alt.html", "low-contrast.html", "index.html", "fixture.css", "picture.svg", "untagged.pdf",
        "silent.mp3"]


def _small_broken_site(dest: Path) -> Path:
    """Two pages with real problems, a page without, a PDF and an MP3 with problems."""
    whole = make_broken_site(dest.parent / "whole")
    dest.mkdir()
    for name in KEPT:
        shutil.copy(whole / name, dest / name)
    # The index links to every fixture; most are not copied, so its links are made plain words.
    (dest / "index.html").write_text((dest / "index.html").read_text().replace('href="', 'data-x="'))
    return dest


def _gate(site: Path, memory: Path | None, reports: Path):
    result = run_gate(site, VENDOR, report_dir=reports, say=lambda *_: None, workers=2, memory=memory)
    return result, json.loads((reports / "accessibility.json").read_text())


def _problems(result) -> set:
    return {(f.page, f.rule) for f in result.failing}


def test_unchanged_files_are_remembered_with_their_problems_and_a_change_is_checked_again(tmp_path):
    site = _small_broken_site(tmp_path / "site")
    memory = tmp_path / "memory"
    first, report = _gate(site, memory, tmp_path / "r1")
    assert report["remembered"] == []
    expected = {("missing-alt.html", "image-alt"), ("low-contrast.html", "color-contrast"),
                ("untagged.pdf", "pdf-untagged"), ("silent.mp3", "audio-silent")}
    assert expected <= _problems(first)

    again, report = _gate(site, memory, tmp_path / "r2")
    assert sorted(report["remembered"]) == sorted(["index.html", "low-contrast.html", "missing-alt.html",
                                                   "silent.mp3", "untagged.pdf"])
    assert _problems(again) == _problems(first)  # remembered problems are still problems
    assert again.coverage == first.coverage  # and it still says what ran on each page
    assert not again.passed

    # One page changed: only it is checked again, and its new problem is found.
    page = site / "index.html"
    page.write_text(page.read_text().replace("</body>", '<img src="picture.svg"></body>'))
    third, report = _gate(site, memory, tmp_path / "r3")
    assert "index.html" not in report["remembered"] and "missing-alt.html" in report["remembered"]
    assert ("index.html", "image-alt") in _problems(third)

    # A style sheet every page may load changed: every page is checked again; the PDF and MP3 are not.
    css = site / "fixture.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    _, report = _gate(site, memory, tmp_path / "r4")
    assert sorted(report["remembered"]) == ["silent.mp3", "untagged.pdf"]

    # Without a memory (clearinfo check --fresh) nothing is remembered.
    _, report = _gate(site, None, tmp_path / "r5")
    assert report["remembered"] == []


def test_a_file_is_checked_again_when_its_bytes_or_the_checkers_change(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.pdf").write_bytes(b"one")
    calls = []

    def check_pdf(site_dir, path):
        calls.append(path.name)
        return [Finding(path.name, "pdf", "pdf-untagged", "untagged", "tag it")]

    def recall():
        return _Recall(site, tmp_path / "memory", [], [], None)

    assert recall().file(check_pdf, site / "a.pdf")[0].rule == "pdf-untagged"
    assert recall().file(check_pdf, site / "a.pdf")[0].rule == "pdf-untagged"
    assert calls == ["a.pdf"]  # the second time it was remembered, with its problem
    (site / "a.pdf").write_bytes(b"two")
    recall().file(check_pdf, site / "a.pdf")
    assert calls == ["a.pdf", "a.pdf"]
    from clearinfo.check import memory
    real = memory.checkers_id
    monkeypatch.setattr(memory, "checkers_id", lambda extra: real(extra + ["a newer checker"]))
    recall().file(check_pdf, site / "a.pdf")
    assert calls == ["a.pdf"] * 3


def test_a_check_that_could_not_run_is_not_remembered(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.mp3").write_bytes(b"x")
    calls = []

    def check_mp3(site_dir, path):
        calls.append(1)
        return [Finding(path.name, "gate", "not-run", "ffmpeg stopped", "run it again")]

    for _ in range(2):
        _Recall(site, tmp_path / "memory", [], [], None).file(check_mp3, site / "a.mp3")
    assert len(calls) == 2


def test_the_files_a_page_loads_count_and_the_formats_do_not(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "style.css").write_text("p {}")
    (site / "a" / "index.html").write_text("<p>")
    first = site_files_id(site)
    for name in ("a/index.html", "a/a.pdf", "a/a.mp3", "a/a-transcript.txt", "a/a-audio.json", "sitemap.xml",
                 "search_index.json"):
        (site / name).write_text("changed")
    assert site_files_id(site) == first
    (site / "style.css").write_text("p { color: red }")
    assert site_files_id(site) != first
