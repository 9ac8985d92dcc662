"""The clearinfo command: help, exit codes, new pages, and builds that fail safely."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clearinfo.content.newpage import add_months
from conftest import ROOT


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["serve", "--help"], ["new", "page", "--help"],
                                  ["fetch-assets", "--help"]])
def test_help(run, args):
    code, out, err = run(*args)
    assert code == 0
    assert out.startswith("usage: clearinfo")


def test_no_command_is_a_usage_error(run):
    code, out, err = run()
    assert code == 2
    assert "COMMAND" in out


def test_unknown_option_is_a_usage_error(run):
    code, out, err = run("build", "--colour")
    assert code == 2
    assert "unrecognized arguments: --colour" in err


def test_missing_settings_file(run, tmp_path):
    code, out, err = run("build", "-f", tmp_path / "mkdocs.yml")
    assert code == 2
    assert err == (f"Error: I cannot find mkdocs.yml in {tmp_path}. Run Clearinfo in the project folder "
                   "(the one with mkdocs.yml), or say where it is with --config-file.\n")


def test_real_exit_code_from_the_installed_command(project):
    (project / "content" / "broken.md").write_text("no front matter\n")
    result = subprocess.run([sys.executable, "-m", "clearinfo", "build", "-f", str(project / "mkdocs.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Error: content/broken.md, line 1: the page has no details at the top" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_page_is_a_valid_draft_added_to_the_menu(project, run):
    code, out, err = run("new", "page", "Help with money", "-f", project / "mkdocs.yml")
    assert code == 0, err
    page = project / "content" / "help-with-money.md"
    assert "Made content/help-with-money.md as a draft." in out
    text = page.read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "Help with money"
    assert meta["status"] == "draft"
    assert meta["owner"] == "Adult Social Care information team"
    today = dt.date.today()
    assert meta["last_reviewed"] == today
    assert meta["review_due"] == add_months(today, 12)
    assert meta["audio"] is True and meta["print"] is False
    nav = yaml.load((project / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"]
    assert {"Help with money": "help-with-money.md"} in nav
    # It builds, and as a draft it is not published.
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert not (project / "site" / "help-with-money").exists()
    assert (project / "site" / "index.html").exists()


def test_new_page_will_not_overwrite(project, run):
    code, out, err = run("new", "page", "Words we use", "-f", project / "mkdocs.yml")
    assert code == 2
    assert err == "Error: content/words-we-use.md already exists. Choose another title, or edit that page.\n"


def test_new_page_needs_a_title_with_words(project, run):
    code, out, err = run("new", "page", "???", "-f", project / "mkdocs.yml")
    assert code == 2
    assert err == ("Error: '???' has no words in it. Give the page a title that says what it is about, for "
                   "example: clearinfo new page \"Support for carers\"\n")
    assert sorted(p.name for p in (project / "content").glob("*.md")) == [
        "accessibility.md", "getting-care-and-support.md", "index.md", "words-we-use.md"]


def test_new_without_what(run):
    code, out, err = run("new")
    assert code == 2
    assert 'clearinfo new page "Support for carers"' in err


def test_add_months_keeps_to_real_dates():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 11, 23), 12) == dt.date(2027, 11, 23)


def test_failed_build_leaves_the_old_site_alone(project, run):
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    marker = project / "site" / "index.html"
    before = marker.read_text()
    (project / "content" / "bad.md").write_text("---\ntitle: x\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert marker.read_text() == before
    assert not list(project.glob(".site.*"))


def test_failure_inside_the_site_build_cleans_up(project, run):
    """A failure after the content checks (here a Markdown extension that does not exist) still
    leaves the old site as it was and no temporary folder behind."""
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    before = sorted(p.relative_to(project) for p in (project / "site").rglob("*"))
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - admonition\n", "  - admonition\n  - no_such_extension\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert "Error: the website build stopped:" in err
    assert "Nothing in the site folder was changed." in err
    assert sorted(p.relative_to(project) for p in (project / "site").rglob("*")) == before
    assert not list(project.glob(".site.*"))


def test_build_twice_gives_the_same_site(project, run):
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    first = {p.relative_to(project): p.read_bytes() for p in (project / "site").rglob("*.html")}
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    second = {p.relative_to(project): p.read_bytes() for p in (project / "site").rglob("*.html")}
    assert first == second


def test_cache_goes_where_the_setting_or_the_environment_says(project, run, tmp_path, monkeypatch):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n", "      review_months: 12\n"
                                           "      cache_dir: build-cache\n"))
    monkeypatch.delenv("CLEARINFO_CACHE_DIR")
    assert run("build", "-f", cfg)[0] == 0
    assert len(list((project / "build-cache" / "large-print").glob("home-large-print-*.pdf"))) == 1
    assert len(list((project / "build-cache" / "audio").glob("*.mp3"))) == 5
    assert not (project / ".cache").exists()
    monkeypatch.setenv("CLEARINFO_CACHE_DIR", str(tmp_path / "ci-cache"))
    assert run("build", "-f", cfg)[0] == 0
    assert len(list((tmp_path / "ci-cache" / "large-print").glob("home-large-print-*.pdf"))) == 1


def test_build_reports_progress(project, run):
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    assert "Checking the pages in content/ ..." in out
    assert "4 pages are fine." in out
    assert "Building the website ..." in out
    assert "The site is in" in out


def set_review(page: Path, last: dt.date, due: dt.date) -> None:
    text = re.sub(r"last_reviewed: .*", f"last_reviewed: {last.isoformat()}", page.read_text())
    page.write_text(re.sub(r"review_due: .*", f"review_due: {due.isoformat()}", text))


def test_reviews_lists_what_is_overdue_or_due_soon(project, run):
    today = dt.date.today()
    set_review(project / "content" / "accessibility.md", today - dt.timedelta(days=400), today - dt.timedelta(days=3))
    set_review(project / "content" / "index.md", today - dt.timedelta(days=300), today + dt.timedelta(days=10))
    code, out, err = run("reviews", "-f", project / "mkdocs.yml")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"{today - dt.timedelta(days=3)}  overdue by 3 days")
    assert "content/accessibility.md" in lines[0] and "Adult Social Care information team" in lines[0]
    assert lines[1].startswith(f"{today + dt.timedelta(days=10)}  due in 10 days")
    assert "content/index.md" in lines[1]
    assert lines[2] == ""
    assert lines[3] == "4 files: 1 overdue for review, 1 due in the next 60 days."
    assert lines[4].startswith("To review a page:")
    code, out, err = run("reviews", "-f", project / "mkdocs.yml", "--within", "5")
    assert "content/index.md" not in out
    code, out, err = run("reviews", "-f", project / "mkdocs.yml", "--all")
    assert len([line for line in out.splitlines() if "content/" in line]) == 4


def test_check_only_checks_like_a_build_and_makes_nothing(project, run, own_cache):
    """`clearinfo build --check-only` (the pre-commit hook): the same errors as a build, and no site and
    no formats, whether it passes or not (the cache keeps only the plain-language check's answers)."""
    config = project / "mkdocs.yml"

    def made_nothing():
        kept = [p.relative_to(project / ".cache") for p in (project / ".cache").rglob("*") if p.is_file()]
        return not (project / "site").exists() and all(p.parts[-2] == "checks" for p in kept)

    code, out, err = run("build", "--check-only", "-f", config)
    assert code == 0, err
    assert "pages are fine" in out
    assert made_nothing()
    (project / "content" / "broken.md").write_text("no front matter\n")
    code, out, err = run("build", "--check-only", "-f", config)
    assert code == 1
    assert "Error: content/broken.md, line 1: the page has no details at the top" in err
    assert made_nothing()
