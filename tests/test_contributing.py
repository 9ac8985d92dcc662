"""The contributing guide for co-production group members, the pull and merge request templates,
and the pre-commit hook.

- CONTRIBUTING.md stays easy to read: Flesch reading ease 70 or more (textstat), measured on its
  words alone: no Markdown, no code, no HTML comments;
- it explains the page statuses and how an approval is recorded (approved_by, approved_on);
- both request templates carry the same co-production checklist;
- .pre-commit-config.yaml is a local hook that runs `clearinfo build --check-only` on content changes.

Run this file with Python to see the reading ease figures:
    .venv/bin/python tests/test_contributing.py
"""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml

from clearinfo.lint.readability import plain_text

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
PAGE = ROOT / "content" / "suggest-a-change.md"
TEMPLATES = (ROOT / ".github" / "pull_request_template.md",
             ROOT / ".gitlab" / "merge_request_templates" / "Default.md")
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
TARGET = 70

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+\.\s|>|\|)")
_WORD = re.compile(r"[A-Za-z]+")
STATUSES = ("draft", "in review", "approved")


def _unwrap(text: str) -> str:
    """Join the lines of each paragraph or list item, so a sentence wrapped over 2 lines counts as 1."""
    out: list[str] = []
    for line in text.splitlines():
        if line.strip() and out and out[-1].strip() and not _BLOCK_START.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _code(m: re.Match) -> str:
    """Code in a line: a word a reader meets (a status such as `in review`, a folder such as `content`)
    is kept; anything else (a command, a file name) is left out."""
    inner = m.group(0).strip("`").strip()
    return inner if inner in STATUSES or _WORD.fullmatch(inner) else " "


def readable_text(markdown: str) -> str:
    """The words a reader meets: no front matter, HTML comments, code blocks or commands; then the
    build's own plain-text step (clearinfo.lint.readability), which ends a sentence at each heading
    and list item, keeps only a link's words and reads placeholders as words."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _COMMENT.sub(" ", text)
    text = _FENCE.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _CODE.sub(_code, text)
    return re.sub(r"\s+", " ", plain_text(_unwrap(text))).strip()


def reading_ease(path: Path) -> float:
    import textstat
    return textstat.flesch_reading_ease(readable_text(path.read_text(encoding="utf-8")))


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


# --- The guide -------------------------------------------------------------------------------------

def test_the_guide_is_easy_to_read():
    ease = reading_ease(GUIDE)
    assert ease >= TARGET, (f"CONTRIBUTING.md's reading ease is {ease:.1f}; the target is {TARGET} or more. "
                            "Use shorter sentences and shorter words.")


def test_the_measurement_leaves_out_code_and_markdown():
    text = readable_text("# Title\n\n<!-- a note -->\n\n- run `make test`, or ask\n- a `draft` page\n\n"
                         "```yaml\nstatus: draft\n```\nSee [the page](page.md). A sentence\nover 2 lines. **Bold** words.\n")
    assert text == "Title. run , or ask. a draft page. See the page. A sentence over 2 lines. Bold words."


def test_the_guide_says_what_each_status_means_and_how_approval_is_recorded():
    text = guide()
    for status in STATUSES:
        assert f"`{status}`" in text, f"CONTRIBUTING.md does not explain the status '{status}'"
    assert "approved_by:" in text and "approved_on:" in text
    assert "not on the public website" in text  # drafts and pages in review are not published


def test_the_guide_covers_what_a_group_member_needs():
    text = guide()
    headings = re.findall(r"^##+ (.+)$", text, re.M)
    for wanted in ("Small tasks to start with", "If you would rather not use the website", "What the checks mean",
                   "When a check fails", "What happens next", "How long it takes", "Who to ask",
                   "For maintainers"):
        assert wanted in headings, f"CONTRIBUTING.md has no '{wanted}' part"
    assert "GitHub" in text and "GitLab" in text
    assert "information team" in text
    # How long it takes is the council's to say: the guide invents no service times of its own.
    part = text.split("## How long it takes", 1)[1].split("\n## ", 1)[0]
    assert "council decides" in part
    assert not re.search(r"\b\d+\s*(working\s+)?(days?|weeks?|months?)\b", _COMMENT.sub("", part))
    # No git commands for group members: commands only in the part for maintainers.
    members = text.split("## For maintainers", 1)[0]
    assert not re.search(r"\bgit (clone|add|commit|push|pull|checkout)\b", members)


def test_the_guide_cites_its_sources():
    text = guide()
    for line in ("604-605", "1032", "1070"):
        assert f"001_feebb59dc358c25b.txt:{line}" in text


# --- The request templates -------------------------------------------------------------------------

CHECKLIST = (
    "who was involved",
    "plain english",
    "easy read version",
    "last_reviewed",
    "review_due",
    "approved_by",
    "approved_on",
    "personal details",
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_request_template_has_the_co_production_checklist(path):
    text = path.read_text(encoding="utf-8")
    boxes = re.findall(r"^\s*- \[ \] (.+)$", text, re.M)
    assert len(boxes) >= 6, f"{path.name} has {len(boxes)} checklist items"
    lowered = text.lower()
    for item in CHECKLIST:
        assert item in lowered, f"{path.name} does not mention '{item}'"


def test_the_two_templates_ask_the_same_questions():
    github, gitlab = (re.findall(r"^\s*- \[ \] (.+)$", p.read_text(encoding="utf-8"), re.M) for p in TEMPLATES)
    assert github == [item.replace("merge request", "pull request") for item in gitlab]


# --- The pre-commit hook ---------------------------------------------------------------------------

def test_the_pre_commit_hook_runs_the_content_checks():
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    assert isinstance(config, dict) and isinstance(config.get("repos"), list)
    local = [r for r in config["repos"] if r.get("repo") == "local"]
    assert len(local) == 1
    hooks = local[0]["hooks"]
    assert len(hooks) == 1
    hook = hooks[0]
    for key in ("id", "name", "entry", "language"):  # what pre-commit requires of a local hook
        assert isinstance(hook.get(key), str) and hook[key], f"the hook has no '{key}'"
    assert shlex.split(hook["entry"]) == ["clearinfo", "build", "--check-only"]
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False  # the check reads the whole project, not one file
    files = re.compile(hook["files"])
    for changed in ("content/carers.md", "content/glossary.yml", "easyread/complaints.md", "mkdocs.yml"):
        assert files.search(changed), f"the hook does not run when {changed} changes"
    for unchanged in ("README.md", "build_tools/clearinfo/cli.py", "content/pictures/bus.png", "tests/x.yml"):
        assert not files.search(unchanged), f"the hook runs when {unchanged} changes"


def test_the_check_only_option_exists():
    from clearinfo import cli
    args = cli._parser().parse_args(["build", "--check-only"])
    assert args.check_only is True


if __name__ == "__main__":
    for path in (GUIDE, PAGE):
        if path.exists():
            import textstat
            text = readable_text(path.read_text(encoding="utf-8"))
            print(f"{path.relative_to(ROOT)}: Flesch reading ease {textstat.flesch_reading_ease(text):.1f}, "
                  f"{textstat.lexicon_count(text)} words, {textstat.sentence_count(text)} sentences")
    sys.exit(0)
