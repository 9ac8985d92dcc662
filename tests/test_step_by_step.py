"""Step by step (issue 15): a page that walks people through a journey, each step linking to the page
that explains it, and each of those pages saying "Part of ... step N of M". No JavaScript needed."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from clearinfo.content.steps import read_steps

JOURNEY = """---
title: Getting care step by step
summary: The steps to getting care and support from us.
owner: Adult Social Care information team
coproduced_with: [Adult Social Care information team]
status: approved
last_reviewed: 2026-11-23
review_due: 2027-11-23
approved_by: Adult Social Care information team
approved_on: 2026-11-23
sources:
  - 003_8c4143861d2e16af.txt:703-711
step_by_step:
  - title: Ask us for help
    page: getting-care-and-support.md
    text: Phone us or email us.
  - title: Read what the words mean
    page: words-we-use.md
---

These are the steps.
"""


def problems_of(value):
    found = []
    steps = read_steps(value, 12, lambda line, message: found.append((line, message)))
    return steps, found


@pytest.mark.parametrize("value, message", [
    ("one step", "'step_by_step' must be a list of steps, each with a 'title' and a 'page'"),
    ([{"title": "Ask"}], "step 1 of 'step_by_step' has no 'page'."),
    ([{"page": "a.md"}], "step 1 of 'step_by_step' has no 'title'."),
    ([{"title": "Ask", "page": "a.md", "colour": "red"}], "step 1 of 'step_by_step' has 'colour', which a step cannot have."),
    ([{"title": "Ask", "page": "a"}], "step 1 of 'step_by_step': 'page' must be the file name of a page, like needs-assessment.md"),
    ([{"title": "<b>Ask</b>", "page": "a.md"}], "step 1 of 'step_by_step': 'title' must be plain words, with no HTML."),
    (["Ask"], "step 1 of 'step_by_step' must have a 'title' and a 'page' indented under it"),
])
def test_a_wrong_step_is_explained(value, message):
    steps, found = problems_of(value)
    assert steps is None
    assert any(line == 12 and text.startswith(message) for line, text in found), found


def test_right_steps_are_read():
    steps, found = problems_of([{"title": "Ask us", "page": "a.md", "text": "Phone us."}, {"title": "Wait", "page": "b.md"}])
    assert found == [] and [(s.title, s.page, s.text) for s in steps] == [("Ask us", "a.md", "Phone us."), ("Wait", "b.md", "")]


def test_a_step_naming_a_missing_page_is_a_warning_with_its_line(project, run):
    (project / "content" / "journey.md").write_text(JOURNEY.replace("page: words-we-use.md", "page: no-such-page.md"))
    code, out, err = run("build", "--check-only", "-f", project / "mkdocs.yml")
    assert code == 0
    assert ("Warning: content/journey.md, line 14: step 2 of 'step_by_step' links to 'no-such-page.md', which is not a "
            "page in the content folder. Check the file name.") in out


@pytest.mark.slow  # a real build
def test_the_step_by_step_page_and_its_steps_link_both_ways(project, run):
    (project / "content" / "journey.md").write_text(JOURNEY)
    # A second journey in which one page explains two steps: "steps 1 and 2".
    (project / "content" / "journey-2.md").write_text(
        JOURNEY.replace("title: Getting care step by step", "title: Asking for help step by step")
        .replace("page: words-we-use.md", "page: getting-care-and-support.md"))
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - index.md\n", "  - index.md\n  - journey.md\n  - journey-2.md\n", 1)
                   .replace("      review_months: 12\n", "      review_months: 12\n      audio: false\n", 1))
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    site = project / "site"
    soup = BeautifulSoup((site / "journey" / "index.html").read_text(), "html.parser")
    steps = soup.select("ol.ci-steps > li.ci-steps__step")
    assert [li.h2.get_text() for li in steps] == ["Step 1: Ask us for help", "Step 2: Read what the words mean"]
    assert steps[0].select_one("a")["href"] == "../getting-care-and-support/"
    assert steps[0].select_one("a").get_text() == "Getting care and support"
    assert "Phone us or email us." in steps[0].get_text()
    step_page = BeautifulSoup((site / "getting-care-and-support" / "index.html").read_text(), "html.parser")
    said = {p.a["href"]: p.get_text(" ", strip=True) for p in step_page.select(".ci-part-of")}
    assert said == {"../journey/": "Part of Getting care step by step : step 1 of 2",
                    "../journey-2/": "Part of Asking for help step by step : steps 1 and 2 of 2"}
    # The print form carries the steps too.
    import pdfplumber
    with pdfplumber.open(site / "journey" / "journey-large-print.pdf") as pdf:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Step 1: Ask us for help" in text and "Step 2: Read what the words mean" in text
