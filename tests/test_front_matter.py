"""Each kind of broken front matter gives its own plain-English message, with file and line,
and the build stops with exit code 1 without touching the site."""
import pytest

GOOD = """---
title: Support for carers
summary: What carers can get from us.
owner: Adult Social Care information team
coproduced_with:
  - Carers' reference group
status: approved
last_reviewed: 2026-03-01
review_due: 2027-03-01
covers:
  - carers-services
print: false
audio: true
sources:
  - 003_8c4143861d2e16af.txt:703-711
approved_by: Carers' reference group
approved_on: 2026-03-01
---

## What you can get

Carers can get support.
"""


def with_line(old, new):
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


CASES = {
    "no front matter": (
        "## Just a page\n\nNo details.\n",
        "line 1: the page has no details at the top (front matter). Start the file with a line '---', "
        "then lines like 'title: Support for carers', then another '---'. "
        "'clearinfo new page \"Title\"' makes a page with every detail filled in."),
    "front matter never ends": (
        "---\ntitle: Support for carers\nsummary: x\n",
        "line 1: the page details start with '---' on line 1 but never end. "
        "Add a line with just '---' after the last detail."),
    "unreadable YAML": (
        with_line("title: Support for carers", "title: Support: for carers"),
        "line 2: the page details could not be read (mapping values are not allowed here). Check the "
        "indentation, that each detail is written 'name: value', and that text containing a colon is in quotes."),
    "tab indentation": (
        with_line("  - Carers' reference group", "\t- Carers' reference group"),
        "line 6: this line is indented with a tab. Use spaces to indent the page details."),
    "missing required field": (
        with_line("summary: What carers can get from us.\n", ""),
        "line 1: the page details have no 'summary'. Add it between the two '---' lines, for example: "
        "summary: One or two short sentences saying what this page is about."),
    "unknown key with a likely typo": (
        with_line("audio: true", "audio: true\nprnt: true"),
        "line 14: 'prnt' is not a page detail Clearinfo knows. Did you mean 'print'?"),
    "unknown key": (
        with_line("audio: true", "audio: true\ncolour: blue"),
        "line 14: 'colour' is not a page detail Clearinfo knows. The details a page can have are: title, "
        "summary, owner, coproduced_with, status, last_reviewed, review_due, approved_by, approved_on, covers, easy_read, "
        "print, audio, language, translation_of, translated_from, translation_status, exit_this_page, step_by_step, "
        "sources."),
    "key given twice": (
        with_line("owner:", "title: Carers\nowner:"),
        "line 4: 'title' is given twice (also on line 2). Keep one and delete the other."),
    "text field given a list": (
        with_line("title: Support for carers", "title:\n  - Support\n  - for carers"),
        "line 3: 'title' must be text, for example 'title: Support for carers', not a list."),
    "empty title": (
        with_line("title: Support for carers", "title:"),
        "line 2: 'title' is empty. Write it after 'title:', for example: title: Support for carers"),
    "true or false field given words": (
        with_line("print: false", "print: maybe"),
        "line 12: 'print' must be true or false, not 'maybe'."),
    "list field given text": (
        with_line("coproduced_with:\n  - Carers' reference group", "coproduced_with: Carers group"),
        "line 5: 'coproduced_with' must be a list of groups, each on its own line starting with '- ', "
        "not 'Carers group'."),
    "unknown status": (
        with_line("status: approved", "status: finished"),
        "line 7: 'status' must be one of: draft, in review, approved. 'finished' is not one of them."),
    "date in words": (
        with_line("review_due: 2027-03-01", "review_due: next spring"),
        "line 9: 'review_due' must be a date like 2027-03-01 (year-month-day), not 'next spring'."),
    "date that does not exist": (
        with_line("last_reviewed: 2026-03-01", "last_reviewed: 2026-02-30"),
        "line 8: 'last_reviewed' is 2026-02-30, but that date does not exist. Check the day and the month."),
    "review due before last review": (
        with_line("review_due: 2027-03-01", "review_due: 2025-12-01"),
        "line 9: 'review_due' (2025-12-01) is not after 'last_reviewed' (2026-03-01). "
        "The next review must come after the last one."),
    "last reviewed in the future": (
        with_line("last_reviewed: 2026-03-01", "last_reviewed: 2999-03-01").replace(
            "review_due: 2027-03-01", "review_due: 3000-03-01"),
        "line 8: 'last_reviewed' is 2999-03-01, which is in the future. Use the date the page was last checked."),
    "approved page with no co-production group": (
        with_line("coproduced_with:\n  - Carers' reference group", "coproduced_with: []"),
        "line 5: 'coproduced_with' is empty, but the page's status is 'approved'. "
        "Name the groups who wrote or checked it, or set the status to draft."),
    "source not in the right form": (
        with_line("  - 003_8c4143861d2e16af.txt:703-711", "  - the procedures manual"),
        "line 15: Source 'the procedures manual' must name a reference document and its lines, like "
        "000_1c3cb1366f171e8d.txt:725-751, or be a web address starting with https://."),
    "source past the end of its document": (
        with_line("003_8c4143861d2e16af.txt:703-711", "003_8c4143861d2e16af.txt:1200-1300"),
        "line 15: Source '003_8c4143861d2e16af.txt:1200-1300' goes past the end of "
        "003_8c4143861d2e16af.txt, which has 1242 lines."),
    "source names an unknown document": (
        with_line("003_8c4143861d2e16af.txt:703-711", "care-act.txt:1-5"),
        "line 15: Source 'care-act.txt:1-5' names 'care-act.txt', which is not in content/references.yml. "
        "The documents listed there are: 000_1c3cb1366f171e8d.txt, 001_feebb59dc358c25b.txt, "
        "002_fbc976b473192b74.txt, 003_8c4143861d2e16af.txt, 004_86358c0ba65c9004.txt, digest.md."),
    "covers an unknown duty": (
        with_line("  - carers-services", "  - carers-service"),
        "line 11: 'covers' names 'carers-service', which is not a duty id Clearinfo knows. "
        "Did you mean 'carers-services'?"),
    "summary too long": (
        with_line("summary: What carers can get from us.", "summary: " + "word " * 51),
        "line 3: 'summary' has 51 words. A quick read must be short: 50 words at most. "
        "Move the detail into the page."),
    "second main heading": (
        with_line("## What you can get", "# What you can get"),
        "line 20: '# What you can get' makes a second main heading. The page's main heading comes from "
        "'title'. Use '## ' for headings inside the page."),
    "placeholder with no setting": (
        with_line("Carers can get support.", "Carers can get support.\nFax us on {{ council.fax }}."),
        "line 23: '{{ council.fax }}' needs the setting 'council.fax', which is not set. Add 'fax:' under "
        "'extra:' then 'council:' in mkdocs.yml, or remove the placeholder."),
    "placeholder not written as a setting": (
        with_line("Carers can get support.", "Phone {{ phone }}."),
        "line 22: '{{ phone }}' is not a setting Clearinfo knows. Settings are written like "
        "{{ council.phone }}: the word council, a full stop, then the setting's name."),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_front_matter_is_explained(case, project, run):
    text, message = CASES[case]
    (project / "content" / "bad.md").write_text(text, encoding="utf-8")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: content/bad.md, {message}\n" in err
    assert "Traceback" not in err
    assert not (project / "site").exists()
    assert not list(project.glob(".site.*")), "a failed build must not leave a half-written site"


def test_the_good_example_builds(project, run):
    (project / "content" / "good.md").write_text(GOOD, encoding="utf-8")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert (project / "site" / "good" / "index.html").exists()


def test_file_that_is_not_utf8(project, run):
    (project / "content" / "bad.md").write_bytes(GOOD.replace("carers", "carers \xe9").encode("latin-1"))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/bad.md: the file is not saved as UTF-8 text. Save it again as UTF-8 "
            "(most editors offer this).\n") in err


def test_every_problem_is_reported_at_once(project, run):
    text = with_line("status: approved", "status: finished").replace("print: false", "print: maybe")
    (project / "content" / "bad.md").write_text(text, encoding="utf-8")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert "line 7: 'status'" in err and "line 12: 'print'" in err
    assert "The build stopped: 2 problems to fix. Nothing in the site folder was changed." in err


def test_overdue_review_is_a_warning_not_an_error(project, run):
    text = with_line("last_reviewed: 2026-03-01", "last_reviewed: 2024-03-01").replace(
        "review_due: 2027-03-01", "review_due: 2025-03-01")
    (project / "content" / "old.md").write_text(text, encoding="utf-8")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    assert ("Warning: content/old.md, line 9: this page was due for review on 2025-03-01. Review it with "
            "your group and update 'last_reviewed' and 'review_due'.") in out
    code, out, err = run("build", "-f", project / "mkdocs.yml", "--strict")
    assert code == 1


def test_links_to_missing_or_draft_pages_are_warned_about_with_their_line(project, run):
    page = project / "content" / "accessibility.md"
    page.write_text(page.read_text() + "\nRead about [getting care](getting-care-and-suport.md).\n"
                    "Read about [money](help-with-money.md#costs).\n"
                    "```\n[not a link](inside-code.md)\n```\n"
                    "Email [us](mailto:care@example.org) or see [the menu](#top).\n")
    assert run("new", "page", "Help with money", "-f", project / "mkdocs.yml")[0] == 0
    lines = page.read_text().splitlines()
    typo = lines.index("Read about [getting care](getting-care-and-suport.md).") + 1
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    found = [line for line in out.splitlines() if line.startswith("Warning: content/accessibility.md") and "link" in line]
    assert found == [
        f"Warning: content/accessibility.md, line {typo}: the link to 'getting-care-and-suport.md' goes to a page "
        "that is not in content/. Did you mean 'getting-care-and-support.md'? Check the file name, or remove the link.",
        f"Warning: content/accessibility.md, line {typo + 1}: the link to 'help-with-money.md#costs' goes to a page "
        "that is still 'draft', which is not published yet, so the link will not work on the site. Publish that "
        "page first, or remove the link for now."]
