"""The accessibility statement is written from the latest check; plain-language hints in the build."""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from test_front_matter import GOOD


def write_report(project, violations, excepted=(), needs_review=()):
    reports = project / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "accessibility.json").write_text(json.dumps({
        "passed": not violations, "checked_on": "2026-11-20", "axe_core": "4.14.1",
        "files": {"html": 30, "pdf": 27, "mp3": 26}, "violations": list(violations),
        "needs_review": list(needs_review), "excepted": list(excepted), "exception_problems": []}))


def statement(project):
    soup = BeautifulSoup((project / "site" / "accessibility" / "index.html").read_text(), "html.parser")
    return " ".join(soup.main.get_text(" ").split()), [h.get_text(strip=True) for h in soup.main.find_all("h2")]


def test_statement_before_any_check(project, run):
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    text, headings = statement(project)
    assert "This website has not been checked yet" in text


def test_statement_from_a_clean_check(project, run):
    write_report(project, [])
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    text, headings = statement(project)
    assert "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2, level AA" in text
    for h in ("How accessible this website is", "Enforcement procedure", "How we tested this website",
              "Ask for information in another format", "Tell us about a problem with this website",
              "Preparation of this accessibility statement"):
        assert h in headings
    assert "We last checked this website on 20 November 2026" in text
    assert "every page (30 pages), every PDF (27) and every audio file (26)" in text
    assert "axe-core 4.14.1" in text


def test_statement_with_items_nobody_has_checked(project, run):
    write_report(project, [], needs_review=[{"page": "index.html", "rule": "color-contrast",
                                             "message": "Elements must meet minimum color contrast ratio thresholds."}])
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    text, headings = statement(project)
    assert "partially compliant" in text and "Not yet checked by a person" in headings
    assert "Elements must meet minimum color contrast ratio thresholds, on 1 page." in text


def test_statement_lists_what_is_not_accessible(project, run):
    write_report(project, [{"page": "complaints/index.html", "rule": "color-contrast", "message": "Low contrast."}],
                 excepted=[{"page": "map/index.html", "rule": "image-alt", "message": "No alt."}])
    assert run("build", "-f", project / "mkdocs.yml")[0] == 0
    text, headings = statement(project)
    assert "partially compliant" in text and "Content that is not accessible" in headings
    assert "Text without enough contrast with its background, on: complaints/index.html ." in text
    assert "Pictures without alt text, on: map/index.html ." in text


def test_plain_language_hints(project, run):
    body = GOOD.replace("Carers can get support.",
                        "We will utilise the budget that is allocated by the team in order to make sure that "
                        "everyone who needs help gets help quickly and fairly and without any delay at all.")
    (project / "content" / "hints.md").write_text(body)
    n = body.splitlines().index(next(x for x in body.splitlines() if x.startswith("We will utilise"))) + 1
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    assert f"Warning: content/hints.md, line {n}: this sentence has 32 words. Aim for 25 or fewer: split it into 2." in out
    assert (f"Warning: content/hints.md, line {n}: 'utilise' is jargon. Say 'use' instead, or explain it in "
            "Words we use.") in out
    assert f"Warning: content/hints.md, line {n}: 'in order to' is jargon. Say 'to' instead" in out
    assert (f"Warning: content/hints.md, line {n}: 'is allocated' may be passive voice. Say who does it, "
            "for example 'we will ...'.") in out
    code, out, err = run("build", "-f", project / "mkdocs.yml", "--strict")
    assert code == 1


def test_hard_page_gets_a_reading_ease_warning(project, run):
    hard = ("Notwithstanding the aforementioned considerations, individuals experiencing multifaceted "
            "circumstances necessitating comprehensive interdisciplinary assessment should communicate "
            "expeditiously with appropriate organisational representatives. ") * 4
    (project / "content" / "hard.md").write_text(GOOD.replace("Carers can get support.", hard))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0
    assert "Warning: content/hard.md: the page is harder to read than our target: its reading ease is" in out
