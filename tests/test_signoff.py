"""Sign-off (issue 14): which pages are published under each setting, who approved a page and when,
the warning when an approved page's words change after its approval (in a real git repository the
test makes), reviews as Markdown with fixed dates, 'Report a problem with this page' and the page
history."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clearinfo.content.pages import looks_like_a_name
from clearinfo.content.reviews import Due, review_markdown
from clearinfo.content.settings import Settings
from clearinfo.furniture import feedback_link, report_link
from conftest import make_project, set_option

GIT = shutil.which("git")


def page(title: str, status: str, *, approved_by: str | None = "Carers' reference group",
         approved_on: str | None = "2026-11-23", body: str = "Carers can get support from us.",
         last: str = "2026-11-23", due: str = "2027-11-23") -> str:
    approval = ""
    if approved_by is not None:
        approval += f"approved_by: {approved_by}\n"
    if approved_on is not None:
        approval += f"approved_on: {approved_on}\n"
    return (f"---\ntitle: {title}\nsummary: A page for testing sign-off.\nowner: Adult Social Care information team\n"
            f"coproduced_with:\n  - Carers' reference group\nstatus: {status}\nlast_reviewed: {last}\n"
            f"review_due: {due}\n{approval}sources:\n  - 003_8c4143861d2e16af.txt:703-711\n---\n\n"
            f"## What you can get\n\n{body}\n")


def no_audio(project: Path) -> None:
    set_option(project, "audio: false")


# --- Who may approve ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Jane Smith", "Dr Patel", "Mrs Jones", "Amira Khan-Ali"])
def test_a_persons_name_is_recognised(text):
    assert looks_like_a_name(text)


@pytest.mark.parametrize("text", ["Carers' reference group", "Head of Adult Social Care", "Healthwatch Exampletown",
                                  "Adult Social Care information team", "Learning Disability Partnership Board",
                                  "Voices", "Experts by Experience panel"])
def test_a_group_or_a_role_is_not_a_name(text):
    assert not looks_like_a_name(text)


def check(run, project: Path):
    return run("build", "--check-only", "-f", project / "mkdocs.yml")


def test_an_approved_page_must_say_who_approved_it_and_when(project, run):
    (project / "content" / "carers.md").write_text(page("Carers", "approved", approved_by=None, approved_on=None))
    code, out, err = check(run, project)
    assert code == 1
    assert ("Error: content/carers.md, line 7: this page is approved, so say who approved it and when: add "
            "'approved_by: Carers' reference group' and 'approved_on: 2026-11-23' to its details. Name a group or "
            "a role, not a person.") in err
    (project / "content" / "carers.md").write_text(page("Carers", "approved"))  # the passing twin
    code, out, err = check(run, project)
    assert code == 0, err


def test_a_persons_name_as_approver_is_refused_unless_the_council_allows_it(project, run):
    (project / "content" / "carers.md").write_text(page("Carers", "approved", approved_by="Jane Smith"))
    code, out, err = check(run, project)
    assert code == 1
    assert ("Error: content/carers.md, line 10: 'approved_by' looks like a person's name ('Jane Smith'). Record "
            "the group or role that approved the page") in err
    set_option(project, "approver_names: true")
    code, out, err = check(run, project)
    assert code == 0, err


def test_the_approvers_setting_lists_who_may_approve(project, run):
    set_option(project, "approvers:\n        - Carers' reference group\n        - Adult Social Care information team")
    (project / "content" / "carers.md").write_text(page("Carers", "approved", approved_by="Carers group"))
    code, out, err = check(run, project)
    assert code == 1
    assert ("content/carers.md, line 10: 'approved_by' is 'Carers group', which is not one of the approvers in "
            "mkdocs.yml (Carers' reference group, Adult Social Care information team). Use one of them exactly") in err
    (project / "content" / "carers.md").write_text(page("Carers", "approved"))
    code, out, err = check(run, project)
    assert code == 0, err


def test_an_approval_date_in_the_future_is_refused(project, run):
    (project / "content" / "carers.md").write_text(page("Carers", "approved", approved_on="2999-01-01"))
    code, out, err = check(run, project)
    assert code == 1
    assert "content/carers.md, line 11: 'approved_on' is 2999-01-01, which is in the future." in err


def test_a_wrong_choice_setting_names_its_line_and_the_choices(project, run):
    set_option(project, "approval_changes: shout")
    code, out, err = check(run, project)
    assert code == 1
    assert "'approval_changes' must be one of: warn, error. 'shout' is not one of them." in err


# --- What is published -------------------------------------------------------------------------------

def add_three(project: Path) -> None:
    content = project / "content"
    (content / "drafted.md").write_text(page("Drafted", "draft", approved_by=None, approved_on=None))
    (content / "reviewing.md").write_text(page("Reviewing", "in review", approved_by=None, approved_on=None))
    (content / "signed.md").write_text(page("Signed", "approved"))


@pytest.mark.slow  # two real builds
@pytest.mark.parametrize("publish_in_review", [False, True])
def test_which_pages_are_published(project, run, publish_in_review):
    add_three(project)
    no_audio(project)
    if publish_in_review:
        set_option(project, "publish_in_review: true")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    site = project / "site"
    assert (site / "signed" / "index.html").is_file()
    assert not (site / "drafted").exists()
    assert (site / "reviewing" / "index.html").is_file() == publish_in_review
    signed = (site / "signed" / "index.html").read_text()
    assert "<dt>Approved by</dt><dd>Carers&#39; reference group, <time datetime=\"2026-11-23\">23 November 2026</time>" in signed
    assert "IN REVIEW" not in signed and "ci-preview-marker" not in signed
    if publish_in_review:
        assert "ci-preview-marker" not in (site / "reviewing" / "index.html").read_text()
    sitemap = (site / "sitemap.xml").read_text()
    assert "/signed/" in sitemap and "/drafted/" not in sitemap
    assert ("/reviewing/" in sitemap) == publish_in_review


def test_a_link_from_a_published_page_to_a_page_in_review_is_a_warning(project, run):
    add_three(project)
    signed = project / "content" / "signed.md"
    signed.write_text(page("Signed", "approved", body="Read [the page in review](reviewing.md)."))
    code, out, err = check(run, project)
    assert code == 0
    assert ("Warning: content/signed.md, line 18: the link to 'reviewing.md' goes to a page that is still "
            "'in review', which is not published yet") in out + err
    set_option(project, "publish_in_review: true")  # the twin: now it is published
    code, out, err = check(run, project)
    assert "reviewing.md" not in out + err


# --- Approval and later edits (git) ------------------------------------------------------------------

def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+0000", GIT_COMMITTER_DATE=f"{date}T12:00:00+0000")
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project) -> Path:
    if GIT is None:
        pytest.fail("git is needed for the sign-off tests (Debian package git)")
    git(project, "init", "-q", "-b", "main")
    (project / "content" / "carers.md").write_text(page("Carers", "approved", approved_on="2026-11-23"))
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "Carers page approved by the group", date="2026-11-23")
    return project


DRIFT = "Warning: content/carers.md, line 11: the words of this page changed after it was approved on 2026-11-23"


def test_an_approved_page_with_no_later_change_gives_no_warning(repo, run):
    code, out, err = check(run, repo)
    assert code == 0, err
    assert "changed after it was approved" not in out + err


def test_words_changed_after_approval_give_a_warning_naming_the_change(repo, run):
    carers = repo / "content" / "carers.md"
    carers.write_text(page("Carers", "approved", approved_on="2026-11-23", body="Carers can get money from us."))
    git(repo, "commit", "-q", "-am", "Say carers get money", date="2026-11-30")
    code, out, err = check(run, repo)
    assert code == 0
    assert (DRIFT + " (in 1 change since, the latest on 2026-11-30 ('Say carers get money')). Ask Carers' "
            "reference group to check the changes, then update 'approved_on'") in out + err
    assert "git diff " in out + err
    # Re-approved: the date moves on, and the warning goes.
    carers.write_text(page("Carers", "approved", approved_on="2026-12-01", body="Carers can get money from us."))
    git(repo, "commit", "-q", "-am", "Approved again", date="2026-12-01")
    code, out, err = check(run, repo)
    assert "changed after it was approved" not in out + err


def test_changes_to_the_details_only_are_not_a_change_of_words(repo, run):
    carers = repo / "content" / "carers.md"
    carers.write_text(page("Carers", "approved", approved_on="2026-11-23", due="2028-01-01"))
    git(repo, "commit", "-q", "-am", "Move the review date", date="2026-11-30")
    code, out, err = check(run, repo)
    assert code == 0, err
    assert "changed after it was approved" not in out + err


def test_words_changed_and_not_yet_committed_give_a_warning(repo, run):
    (repo / "content" / "carers.md").write_text(page("Carers", "approved", body="Carers can get a break."))
    code, out, err = check(run, repo)
    assert DRIFT + " (in changes not yet committed)" in out + err


def test_the_approval_changes_setting_makes_it_an_error(repo, run):
    set_option(repo, "approval_changes: error")
    (repo / "content" / "carers.md").write_text(page("Carers", "approved", body="Carers can get a break."))
    code, out, err = check(run, repo)
    assert code == 1
    assert DRIFT.replace("Warning:", "Error:") in err


def test_a_project_with_no_git_history_builds(project, run):
    """A tarball: no repository at all. And a shallow clone: only the last commit."""
    (project / "content" / "carers.md").write_text(page("Carers", "approved"))
    code, out, err = check(run, project)
    assert code == 0, err


def test_a_shallow_clone_compares_with_the_oldest_version_it_has(repo, run, tmp_path):
    carers = repo / "content" / "carers.md"
    carers.write_text(page("Carers", "approved", body="Carers can get money from us."))
    git(repo, "commit", "-q", "-am", "Say carers get money", date="2026-11-30")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    code, out, err = check(run, shallow)
    assert code == 0, err
    assert "changed after it was approved" not in out + err  # nothing older to compare with


# --- Page history ------------------------------------------------------------------------------------

@pytest.mark.slow  # real builds
def test_page_history_shows_each_change_from_git_when_switched_on(repo, run):
    no_audio(repo)
    nav = repo / "mkdocs.yml"
    nav.write_text(nav.read_text().replace("  - index.md\n", "  - index.md\n  - carers.md\n", 1))
    code, out, err = run("build", "-f", repo / "mkdocs.yml")
    assert code == 0, err
    assert "Page history" not in (repo / "site" / "carers" / "index.html").read_text()  # off by default
    set_option(repo, "page_history: true")
    code, out, err = run("build", "-f", repo / "mkdocs.yml")
    assert code == 0, err
    html = (repo / "site" / "carers" / "index.html").read_text()
    assert '<h2 class="ci-history__title" id="page-history">Page history</h2>' in html
    assert '<li><time datetime="2026-11-23">23 November 2026</time>: Carers page approved by the group</li>' in html
    shutil.rmtree(repo / ".git")  # the same project from a tarball: no history, no error
    code, out, err = run("build", "-f", repo / "mkdocs.yml")
    assert code == 0, err
    assert "ci-history" not in (repo / "site" / "carers" / "index.html").read_text()


# --- Reviews as Markdown -----------------------------------------------------------------------------

def test_reviews_as_markdown_with_fixed_dates():
    today = dt.date(2026, 12, 3)
    items = [Due("content/a.md", "Overdue | page", "Team A", dt.date(2026, 11, 1)),
             Due("content/b.md", "Soon page", "Team B", dt.date(2026, 12, 20)),
             Due("content/c.md", "Far page", "Team C", dt.date(2027, 12, 1))]
    text = review_markdown(items, today, 60, False)
    assert text.splitlines()[:6] == [
        "## Pages due for review (2026-12-03)", "",
        "3 files: **1 overdue** for review, 1 due in the next 60 days.", "",
        "| Review due | When | Page | File | Owner |", "|---|---|---|---|---|"]
    assert "| 2026-11-01 | **overdue by 32 days** | Overdue \\| page | `content/a.md` | Team A |" in text
    assert "| 2026-12-20 | due in 17 days | Soon page | `content/b.md` | Team B |" in text
    assert "Far page" not in text
    assert "Far page" in review_markdown(items, today, 60, True)


def test_reviews_command_writes_markdown_and_fails_on_overdue_when_set(project, run):
    (project / "content" / "old.md").write_text(page("Old page", "approved", last="2020-01-01", due="2021-01-01",
                                                     approved_on="2020-01-01"))
    code, out, err = run("reviews", "--markdown", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert out.startswith("## Pages due for review (")
    assert "| 2021-01-01 | **overdue by " in out and "| Old page | `content/old.md` |" in out
    set_option(project, "overdue_reviews: error")
    code, out, err = run("reviews", "-f", project / "mkdocs.yml")
    assert code == 1
    assert "content/old.md" in out  # still listed, not refused
    assert "1 page overdue for review, and 'overdue_reviews' is 'error'" in err
    code, out, err = check(run, project)  # and a build stops on it
    assert code == 1
    assert "Error: content/old.md, line 9: this page was due for review on 2021-01-01." in err


# --- Feedback and reporting ----------------------------------------------------------------------------

def test_report_a_problem_goes_to_the_configured_form_with_title_and_address():
    settings = Settings(council={"email": "care@example.org", "feedback": {"email": "fb@example.org"},
                                 "report_problem": {"url": "https://forms.example.org/report?t={title}&u={url}"}})
    assert report_link(settings, "Carers & you", "https://care.example.org/carers/") == (
        "https://forms.example.org/report?t=Carers%20%26%20you&u=https%3A%2F%2Fcare.example.org%2Fcarers%2F")
    plain = Settings(council={"email": "care@example.org", "feedback": {"email": "fb@example.org"}})
    href = report_link(plain, "Carers", "https://care.example.org/carers/")
    assert href.startswith("mailto:care@example.org?subject=A%20problem%20with%20the%20page%3A%20Carers&body=")
    assert "https%3A//care.example.org/carers/" in href
    feedback = feedback_link(plain, "Carers", "https://care.example.org/carers/")
    assert "Page%3A%20Carers" in feedback and "https%3A//care.example.org/carers/" in feedback


def test_a_wrong_report_problem_setting_is_explained(project, run):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("    feedback:\n", "    report_problem:\n      phone: 123\n    feedback:\n", 1))
    code, out, err = check(run, project)
    assert code == 1
    assert "'report_problem' must have a 'url' (a form for reporting problems) or an 'email'." in err
