"""The corpus of bad inputs (tests/fixtures/bad/cases.yml): each one stops `clearinfo build` with its
exact message and exit code 1, never a traceback, and leaves the published site exactly as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from clearinfo import cli
from conftest import make_project, set_option
from test_easy_read_rules import HEAD

pytestmark = pytest.mark.slow  # real builds (make test-fast leaves them out)

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "bad" / "cases.yml").read_text(encoding="utf-8"))

PAGE_DETAILS = """---
title: A page to break
summary: A page for testing what the build refuses.
owner: Adult Social Care information team
coproduced_with:
  - People who use services
status: in review
last_reviewed: 2026-11-23
review_due: 2027-11-23
print: true
audio: true
sources:
  - 000_1c3cb1366f171e8d.txt:294-300
---
"""
PAGE = PAGE_DETAILS + "\n## About this\n\n{body}\n"  # the body starts on line 18
# An Easy Read version of the one bundled page that has none yet; the first chunk starts on line 11.
EASY_READ = HEAD.replace("title: Making a complaint", "title: Getting care and support").replace(
    "page: complaints.md", "page: getting-care-and-support.md") + "{chunks}"


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A small project, built once: every case starts from a copy, with its site already there."""
    project = make_project(tmp_path_factory.mktemp("good") / "project")
    # The page under test is 'in review' (it has no approval to give); publishing pages in review
    # makes the build render it, so what Markdown makes of it is checked too.
    set_option(project, "publish_in_review: true")
    assert cli.main(["build", "-f", str(project / "mkdocs.yml")]) == 0
    return project


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _apply(case: dict, project: Path, outside: Path) -> None:
    content = project / "content"
    bad = content / "bad.md"
    if "body" in case:
        bad.write_text(PAGE.format(body=case["body"]) if case["body"] else PAGE_DETAILS, encoding="utf-8")
    if "page" in case:
        bad.write_text(case["page"], encoding="utf-8")
    for key in ("replace_title", "replace_summary"):
        if key in case:
            field = key.split("_")[1]
            text = PAGE.format(body="Some words.").splitlines(keepends=True)
            text = [f"{field}: {case[key]}\n" if line.startswith(field + ":") else line for line in text]
            bad.write_text("".join(text), encoding="utf-8")
    if "replace" in case:
        if not bad.exists():
            bad.write_text(PAGE.format(body="Some words."), encoding="utf-8")
        for path, (old, new) in case["replace"].items():
            target = project / path
            text = target.read_text(encoding="utf-8")
            assert old in text, (path, old)
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
    for path, text in (case.get("write") or {}).items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")
    for path, text in (case.get("append") or {}).items():
        with open(project / path, "a", encoding="utf-8") as f:
            f.write(text)
    for path, text in (case.get("bytes") or {}).items():
        (project / path).write_bytes(text.encode("latin-1"))
    if case.get("symlink"):
        secret = outside / "secret.md"
        secret.write_text(PAGE.format(body="Private notes."), encoding="utf-8")
        bad.symlink_to(secret)
    if "easy_read" in case:
        (project / "easyread").mkdir(exist_ok=True)
        (project / "easyread" / "getting-care-and-support.md").write_text(
            EASY_READ.format(chunks=case["easy_read"]), encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_its_message(name, built_project, tmp_path, capsys):
    case = CASES[name]
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    before = _tree(project / "site")
    _apply(case, project, tmp_path)
    code = cli.main(["build", "-f", str(project / "mkdocs.yml")])
    err = capsys.readouterr().err
    errors = [line[len("Error: "):] for line in err.splitlines() if line.startswith("Error: ")]
    assert code == 1, err
    assert "Traceback" not in err
    if "error" in case:
        assert case["error"] in errors, err
    else:
        assert any(e.startswith(case["error_starts"]) and e.endswith(case["error_ends"]) for e in errors), err
    assert _tree(project / "site") == before, "the site folder changed"
    assert not list(project.glob(".site.*")), "a temporary folder was left behind"
