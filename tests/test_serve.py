"""The editors' preview, `clearinfo serve`, run for real: drafts shown and marked, Easy Read edits
picked up, and a mistake reported with its file and line without stopping the preview."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode()
    except (urllib.error.URLError, OSError):
        return None


def wait_for(condition, what: str, timeout: float = 90):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"waited {timeout} s for {what}")


@pytest.fixture
def preview(project, run):
    """A project with a draft page and an Easy Read document, served on a free port."""
    (project / "easyread").mkdir()
    shutil.copy(ROOT / "easyread" / "complaints.md", project / "easyread" / "complaints.md")
    shutil.copy(ROOT / "content" / "complaints.md", project / "content" / "complaints.md")
    assert run("new", "page", "Help with money", "-f", project / "mkdocs.yml")[0] == 0
    port = free_port()
    log = open(project / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "clearinfo", "serve", "-f", str(project / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ))
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: fetch(url), "the preview to start")
        yield project, url, project / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_preview_shows_drafts_and_follows_edits(preview):
    project, url, log = preview
    draft = fetch(url + "help-with-money/")
    assert draft and ">DRAFT<" in draft
    # An Easy Read edit shows in the preview.
    doc = project / "easyread" / "complaints.md"
    doc.write_text(doc.read_text() + "\npicture: phone\nWe will phone you back soon.\n")
    wait_for(lambda: "We will phone you back soon." in (fetch(url + "easy-read/complaints/") or ""),
             "the Easy Read edit to show")
    # A mistake is reported with its file and line, and the preview carries on once it is fixed.
    page = project / "content" / "complaints.md"
    good = page.read_text()
    page.write_text(re.sub(r"review_due: .*", "review_due: next spring", good))
    line = page.read_text().splitlines().index("review_due: next spring") + 1
    wait_for(lambda: f"content/complaints.md, line {line}: 'review_due' must be a date" in log.read_text(),
             "the mistake to be reported")
    page.write_text(good + "\nChanged: this sentence is new.\n")  # (its headings are named by 'covers')
    wait_for(lambda: "Changed: " in (fetch(url + "complaints/") or ""), "the fixed page to show")


LONG = ("People who look after a family member or a friend can ask us for an assessment of their own needs, "
        "and we will talk with them about what matters to them and what support could help them keep going.")
PREVIEW_ONLY = ("clearinfo-author-panel", "clearinfo-long-sentence", "ci-preview-marker", "clearinfo-preview-panel.css",
                "only in the preview")


def test_the_preview_shows_each_pages_checks_and_marks_pages_in_review(preview, run):
    """The author panel (reading ease, long sentences marked in place, review date) and the IN REVIEW
    mark are in the preview; the twin: a build of the same project has none of it, in any file."""
    project, url, log = preview
    page = project / "content" / "complaints.md"
    text = page.read_text().replace("status: approved", "status: in review", 1)
    page.write_text(text.replace("\n## ", f"\n{LONG}\n\n## ", 1))
    shown = wait_for(lambda: (lambda h: h if h and "IN REVIEW" in h else None)(fetch(url + "complaints/")),
                     "the page in review to show, marked")
    assert '<p class="ci-preview-marker"><strong>IN REVIEW</strong>: this page is not published yet.' in shown
    assert 'class="clearinfo-author-panel"' in shown and "Reading ease" in shown
    assert '<mark class="clearinfo-long-sentence"' in shown
    assert "clearinfo-preview-panel.css" in shown
    assert fetch(url + "assets/stylesheets/clearinfo-preview-panel.css")
    # A build of the same project: nothing of the preview, and the page in review is not published.
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    site = project / "site"
    assert not (site / "complaints").exists() and not (site / "help-with-money").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".json", ".txt", ".xml"):
            words = path.read_text(errors="replace")
            assert not [w for w in PREVIEW_ONLY if w in words], path
    assert not (site / "assets" / "stylesheets" / "clearinfo-preview-panel.css").exists()
