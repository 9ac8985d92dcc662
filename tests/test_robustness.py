"""No traceback for any input (issue 10): a fault inside Clearinfo is one plain sentence and a log
file; each mistake that used to crash is said with its file and line; a cached PDF that is not
whole is made again, never published."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from mkdocs.exceptions import MkDocsException
from pypdf import PdfReader

from clearinfo.check.exceptions import load_exceptions
from clearinfo.project import CACHE_ENV
from conftest import ROOT
from test_serve import fetch, free_port, wait_for

FAULT = "Something went wrong inside Clearinfo that is not your fault. The details are in "


# --- The last resort: a fault in Clearinfo ------------------------------------------------------

def test_a_fault_inside_clearinfo_is_one_sentence_and_a_log_file(project, run, monkeypatch, tmp_path):
    from clearinfo.content import reviews

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a deliberate fault")
    monkeypatch.setattr(reviews, "due_list", broken)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    code, out, err = run("reviews", "-f", project / "mkdocs.yml")
    assert code == 2
    assert "Traceback" not in err + out
    assert err.startswith(FAULT) and err.count("\n") == 1
    logs = list((tmp_path / "cache").glob("clearinfo-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    details = logs[0].read_text()
    assert "Traceback" in details and "ZeroDivisionError: a deliberate fault" in details
    assert "Command: clearinfo reviews -f" in details


def test_a_fault_before_the_project_is_read_is_logged_in_the_temporary_folder(project, run, monkeypatch, tmp_path):
    import tempfile

    from clearinfo.project import Project

    def broken(*args, **kwargs):
        raise RuntimeError("a deliberate fault")
    monkeypatch.setattr(Project, "load", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 2
    assert err.startswith(FAULT) and "Traceback" not in err
    assert len(list((tmp_path / "tmp").glob("clearinfo-error-*.log"))) == 1


# --- a. A broken duties.yml under clearinfo serve -----------------------------------------------

BAD_DUTIES = "duties:\n  how-system-works: [unclosed\n"
BAD_DUTIES_ERROR = ("Error: content/duties.yml, line 3: this file could not be read (expected ',' or ']', but got "
                    "'<stream end>'). Check the indentation, and put text that has a colon in quotes.")


def test_serve_with_a_broken_duties_file_says_where(project, run):
    (project / "content" / "duties.yml").write_text(BAD_DUTIES)
    code, out, err = run("serve", "-f", project / "mkdocs.yml", "-a", f"127.0.0.1:{free_port()}")
    assert code == 1
    assert BAD_DUTIES_ERROR in err
    assert "The preview did not start: 1 problem to fix." in err
    assert "Traceback" not in err


def test_breaking_duties_while_the_preview_runs_is_said_plainly(project):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = project / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "clearinfo", "serve", "-f", str(project / "mkdocs.yml"),
                                 "-a", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: fetch(url), "the preview to start")
            duties = project / "content" / "duties.yml"
            good = duties.read_text()
            duties.write_text(BAD_DUTIES)
            wait_for(lambda: BAD_DUTIES_ERROR in log_path.read_text(), "the mistake to be reported")
            assert "The preview will update when you fix this and save the file." in log_path.read_text()
            assert "An error happened during the rebuild" not in log_path.read_text(), "said once, plainly"
            duties.write_text(good)
            wait_for(lambda: log_path.read_text().count("Reloading browsers") >= 1, "the preview to rebuild")
            assert proc.poll() is None, "the preview keeps running"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert "Traceback" not in log_path.read_text()


@pytest.mark.parametrize("old,new,message", [
    ("    level: must\n", "    level: maybe\n", "'level' must be must or should, not 'maybe'."),
    ("    sources: [003_8c4143861d2e16af.txt:729]\n", "    sources: 5\n",
     "'sources' must be a list of reference documents and their lines, like [003_8c4143861d2e16af.txt:729]."),
    ("    what: How the care", "    what: [one, two]\n    #",
     "the duty 'how-system-works' needs 'what': one sentence saying what people must be told, not a list."),
    ("    level: must\n", "    levle: must\n", "'levle' is not a detail of a duty. A duty has level, what, sources."),
    ("    level: must\n", "    level: must\n    level: should\n", "'level' is here twice (lines 10 and 11). Keep one of them."),
], ids=["level", "sources", "what", "unknown detail", "twice"])
def test_wrong_details_in_duties_are_said_with_their_line(project, run, old, new, message):
    """The first duty (how-system-works, line 7) spoilt in one way; its details start on line 8."""
    duties = project / "content" / "duties.yml"
    text = duties.read_text().replace(old, new, 1)
    duties.write_text(text)
    line = text.splitlines().index(new.splitlines()[-1 if "twice" in message else 0]) + 1
    code, out, err = run("build", "-f", duties.parent.parent / "mkdocs.yml")
    assert code == 1
    assert f"Error: content/duties.yml, line {line}: {message}" in err
    assert "Traceback" not in err


def test_references_go_through_the_same_reader(project, run):
    """A date that does not exist used to crash PyYAML's reader; a name given twice was kept quietly."""
    refs = project / "content" / "references.yml"
    text = refs.read_text()
    refs.write_text(text.replace("documents:\n", "checked: 2026-02-30\ndocuments:\n", 1))
    code, out, err = run("reviews", "-f", project / "mkdocs.yml")
    assert code == 0, err
    first = text.split("documents:\n", 1)[1].split("\n", 1)[0]  # the first document's name line
    refs.write_text(text + first + "\n    title: Again\n    lines: 1\n")
    code, out, err = run("reviews", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: content/references.yml, line {len(text.splitlines()) + 1}: '{first.strip()[:-1]}' is here twice" in err


# --- b. The exceptions file, read before the browser starts -------------------------------------

ENTRY = "  - rule: color-contrast\n    page: a/*\n    reason: The supplier's map.\n    expires: 2027-03-01\n"


@pytest.mark.parametrize("entry,message", [
    (ENTRY.replace("2027-03-01", "2027-02-30"),
     "line 5: 'expires' is 2027-02-30, but that date does not exist. Check the day and the month."),
    (ENTRY.replace("2027-03-01", "next spring"),
     "line 5: 'expires' must be a date like 2027-03-01 (year-month-day), not 'next spring'."),
    (ENTRY + "    expiry: 2027-03-01\n", "line 6: 'expiry' is not part of an exception. Did you mean 'expires'?"),
    (ENTRY.replace("page: a/*", "page: [a, b]"), "line 3: 'page' must be one piece of text, not a list."),
    (ENTRY.replace("    reason: The supplier's map.\n", ""),
     "line 2: this exception has no reason. Every exception needs the rule, the page, the reason it is "
     "accepted and the date it expires."),
    (ENTRY.replace("    expires: 2027-03-01\n", ""), "line 2: this exception has no expires."),
    (ENTRY + "    page: b/*\n", "line 6: 'page' is here twice (lines 3 and 6). Keep one of them."),
    ("  - just a rule\n", "line 2: each exception needs rule, page, reason and expires."),
    (ENTRY.replace("expires: 2027-03-01", "expires: [unclosed"), "line 6: this file could not be read"),
], ids=["impossible date", "not a date", "unknown key", "wrong type", "no reason", "no expiry", "twice",
        "not an entry", "not YAML"])
def test_each_mistake_in_the_exceptions_file_has_its_line(tmp_path, entry, message):
    path = tmp_path / "accessibility-exceptions.yml"
    path.write_text("exceptions:\n" + entry)
    entries, problems = load_exceptions(path)
    assert entries == []
    assert any(p.startswith(f"accessibility-exceptions.yml, {message}") for p in problems), problems


def test_a_good_exceptions_file_still_reads(tmp_path):
    path = tmp_path / "accessibility-exceptions.yml"
    for text in ("", "exceptions:\n", "# nothing accepted\nexceptions: []\n"):
        path.write_text(text)
        assert load_exceptions(path) == ([], [])
    path.write_text("exceptions:\n" + ENTRY)
    (entry,), problems = load_exceptions(path)
    assert problems == [] and (entry.rule, entry.page, entry.expires.isoformat(), entry.line) == (
        "color-contrast", "a/*", "2027-03-01", 2)


def test_check_stops_before_the_browser_on_a_wrong_exceptions_file(project, run, monkeypatch, tmp_path):
    from clearinfo.check import gate

    def no_browser(*args, **kwargs):
        pytest.fail("the browser started before the exceptions file was checked")
    monkeypatch.setattr(gate, "check_in_browser", no_browser)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><html lang=en><title>x</title><h1>x</h1></html>")
    (project / "accessibility-exceptions.yml").write_text("exceptions:\n" + ENTRY.replace("03-01", "02-30"))
    code, out, err = run("check", site, "-f", project / "mkdocs.yml", "--report-dir", tmp_path / "r")
    assert code == 1
    assert err == ("Error: accessibility-exceptions.yml, line 5: 'expires' is 2027-02-30, but that date does not "
                   "exist. Check the day and the month.\n\nThe check did not start: 1 problem to fix.\n")
    code, out, err = run("check", site, "-f", project / "mkdocs.yml", "--exceptions", tmp_path / "nothing.yml")
    assert code == 2
    assert "There is no exceptions file" in err


# --- c. Whatever the engine raises --------------------------------------------------------------

def test_any_engine_exception_is_an_engine_failure(project, run, monkeypatch):
    """Material or a plugin may add its own MkDocsException (a theme-changed error, say)."""
    from clearinfo.plugin import engine

    class ThemeChanged(MkDocsException):
        pass

    def stops(config):
        raise ThemeChanged("The theme changed while the site was being built.")
    monkeypatch.setattr(engine, "mkdocs_build", stops)
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert err.endswith("Error: the website build stopped: The theme changed while the site was being built.\n"
                        "Nothing in the site folder was changed.\n")
    assert "Traceback" not in err


def test_a_mistake_in_a_theme_template_names_the_file_and_line(project, run):
    overrides = project / "site_overrides"
    overrides.unlink()
    shutil.copytree(ROOT / "site_overrides", overrides)
    main = overrides / "main.html"
    main.write_text(main.read_text() + "{% if %}\n")
    line = len(main.read_text().splitlines())
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert (f"site_overrides/main.html, line {line}: this page template has a mistake (Expected an expression, "
            "got 'end of statement block'). Fix it, or undo the last change to the theme.") in err
    assert "Traceback" not in err
    assert not list(project.glob(".site.*"))


def test_a_template_that_stops_while_running_names_its_line(tmp_path):
    from clearinfo.plugin.engine import _engine_message
    (tmp_path / "page.html").write_text("<p>\n{{ nothing.at.all }}\n</p>\n")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    with pytest.raises(jinja2.TemplateError) as e:
        env.get_template("page.html").render()
    assert _engine_message(e.value).endswith("page.html, line 2: a page template stopped: 'nothing' is undefined. "
                                             "Fix the template, or undo the last change to it.")


# --- d. clearinfo serve on an address already in use --------------------------------------------

def test_serve_on_an_address_in_use_says_so_at_once(project, tmp_path):
    port = free_port()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run([sys.executable, "-m", "clearinfo", "serve", "-f", str(project / "mkdocs.yml"),
                                 "-a", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=120,
                                env={**os.environ, "TMPDIR": str(tmp)})
    assert result.returncode == 2
    assert result.stderr == (f"Error: The address 127.0.0.1:{port} is already in use: another preview may be "
                             f"running. Stop it, or choose another port: clearinfo serve -a 127.0.0.1:{port + 1}\n")
    assert "Building documentation" not in result.stdout + result.stderr, "said before the first build"
    assert list(tmp.iterdir()) == [], "MkDocs' temporary folder is removed"


# --- 5. A cached PDF that is not whole ----------------------------------------------------------

def whole_pdf(path: Path) -> int:
    data = path.read_bytes()
    assert data.rstrip().endswith(b"%%EOF"), f"{path.name} is cut short"
    return len(PdfReader(path).pages)


def test_a_cut_short_cached_pdf_is_made_again(project, run, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    cached = next((cache / "large-print").glob("home-large-print-*.pdf"))
    site_pdf = next(p for p in (project / "site").rglob("*large-print.pdf") if p.read_bytes() == cached.read_bytes())
    pages = whole_pdf(site_pdf)
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 2])
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert whole_pdf(site_pdf) == pages
    assert whole_pdf(cached) == pages and site_pdf.read_bytes() == cached.read_bytes()


def test_a_changed_cached_pdf_of_the_same_size_is_made_again(tmp_path, monkeypatch):
    from clearinfo.formats.pdfs import PdfJob, make_pdfs
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    jobs = [PdfJob("one", "<html lang=en><title>One</title><h1>One</h1><p>Words.</p></html>", [])]
    (path, pages), = make_pdfs(jobs, tmp_path / "cache", say=lambda *_: None).values()
    good = path.read_bytes()
    spoilt = good[:100] + bytes(b ^ 0xFF for b in good[100:110]) + good[110:]
    path.write_bytes(spoilt)
    made = []
    (again, pages_again), = make_pdfs(jobs, tmp_path / "cache", say=made.append).values()
    assert made and "Making 1 PDF" in made[0]
    assert again.read_bytes() != spoilt and whole_pdf(again) == pages_again == pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"], "no temporary folders left behind"
