"""The urgent notice (issue 15): from the settings, at the top of every page, in the large print PDFs
and at the start of the audio while it is live; gone after its end date; mistakes named with their line."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from clearinfo.content.notice import check_notice, live_notice
from clearinfo.content.yamlnodes import read_nodes
from conftest import set_option

TEXT = "Our phone lines are closed on 25 December."


def notice_at(yaml_text: str, tmp_path: Path):
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml_text)
    return check_notice(read_nodes(path, "mkdocs.yml").value.items["notice"], "mkdocs.yml")


def test_a_notice_shows_from_its_start_to_its_end():
    notice = {"text": TEXT, "starts": dt.date(2026, 12, 1), "ends": dt.date(2026, 12, 26)}
    assert live_notice(notice, dt.date(2026, 11, 30)) is None
    assert live_notice(notice, dt.date(2026, 12, 1)) == TEXT
    assert live_notice(notice, dt.date(2026, 12, 26)) == TEXT  # its last day
    assert live_notice(notice, dt.date(2026, 12, 27)) is None
    assert live_notice(None, dt.date(2026, 12, 1)) is None


@pytest.mark.parametrize("yaml_text, message", [
    ("notice:\n  ends: 2026-12-26\n", "mkdocs.yml, line 1: the notice has no 'text'."),
    ("notice:\n  text: Closed\n", "mkdocs.yml, line 1: the notice has no 'ends' date, so it would never go away."),
    ("notice:\n  text: Closed\n  ends: 26/12/2026\n",
     "mkdocs.yml, line 3: the notice's 'ends' must be a date that exists, like 2026-12-26 (year-month-day), not '26/12/2026'."),
    ("notice:\n  text: Closed\n  ends: 2026-02-30\n", "mkdocs.yml, line 3: the notice's 'ends' must be a date that exists"),
    ("notice:\n  text: <b>Closed</b>\n  ends: 2026-12-26\n", "mkdocs.yml, line 2: the notice's 'text' must be plain words"),
    ("notice:\n  text: Phone {{ council.phone }}\n  ends: 2026-12-26\n", "mkdocs.yml, line 2: the notice's 'text' must be plain words"),
    ("notice:\n  text: Closed\n  ends: 2026-12-26\n  colour: red\n", "mkdocs.yml, line 4: 'colour' is not part of a notice."),
    ("notice:\n  text: Closed\n  ends: 2026-12-26\n  starts: 2026-12-27\n", "mkdocs.yml, line 4: the notice 'starts' after it 'ends'."),
    ("notice: Closed on Christmas Day\n", "mkdocs.yml, line 1: 'notice' must have a 'text' and an 'ends' date"),
])
def test_a_wrong_notice_is_explained_with_its_line(yaml_text, message, tmp_path):
    notice, problems = notice_at(yaml_text, tmp_path)
    assert notice is None
    assert any(str(p).startswith(message) for p in problems), [str(p) for p in problems]


def test_a_right_notice_has_no_problems(tmp_path):
    notice, problems = notice_at(f"notice:\n  text: {TEXT}\n  ends: 2026-12-26\n  starts: 2026-12-01\n", tmp_path)
    assert problems == [] and notice == {"text": TEXT, "ends": dt.date(2026, 12, 26), "starts": dt.date(2026, 12, 1)}


@pytest.mark.slow  # two real builds with PDFs and audio
def test_a_live_notice_is_on_every_page_in_print_and_in_the_audio_and_an_ended_one_is_gone(project, run):
    set_option(project, f"notice:\n        text: {TEXT}\n        ends: 2999-12-31")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    site = project / "site"
    for page in ("index.html", "getting-care-and-support/index.html", "words-we-use/index.html", "404.html"):
        html = (site / page).read_text()
        assert f'<p data-ci-read="9998"><strong>Important:</strong> {TEXT}</p>' in html, page
    with pdfplumber.open(site / "getting-care-and-support" / "getting-care-and-support-large-print.pdf") as pdf:
        first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert f"Important: {TEXT}" in first
    transcript = (site / "getting-care-and-support" / "getting-care-and-support-transcript.txt").read_text()
    assert f"Important: {TEXT}" in transcript.split("\n\n")[0] + transcript.split("\n\n")[1]
    # The twin: the same notice after its end date is gone from every page, PDF and transcript.
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("ends: 2999-12-31", "ends: 2020-01-01"))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert "the notice ended on 2020-01-01, so it is no longer shown." in out + err
    assert not [p for p in site.rglob("*.html") if "ci-notice" in p.read_text()]
    assert TEXT not in (site / "getting-care-and-support" / "getting-care-and-support-transcript.txt").read_text()
    with pdfplumber.open(site / "getting-care-and-support" / "getting-care-and-support-large-print.pdf") as pdf:
        assert "Important:" not in (pdf.pages[0].extract_text() or "")
