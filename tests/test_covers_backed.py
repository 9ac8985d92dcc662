"""Every duty a page claims under 'covers' is backed: the claim names the part of the page that meets
it (a heading), the build checks that part is there, and the coverage page links to it.

The co-production groups a page names come from the council's settings, so the bundled site shows
only the example groups mkdocs.yml marks as examples, never a group that did not write or check it."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from clearinfo.content.duties import coverage, load_duties
from clearinfo.project import Project
from conftest import ROOT

PAGE = """---
title: Support for carers
summary: What carers can get from us.
owner: Adult Social Care information team
coproduced_with:
  - carers
status: approved
last_reviewed: 2026-03-01
review_due: 2027-03-01
approved_by: Adult Social Care information team
approved_on: 2026-03-01
covers:
  - carers-services: Your carer's assessment
print: false
audio: true
sources:
  - 003_8c4143861d2e16af.txt:703-711
---

## Your carer's assessment

A carer's assessment is a talk with us about your life as a carer.
"""


@pytest.fixture(scope="module")
def bundled():
    project = Project.load(ROOT / "mkdocs.yml")
    pages, problems = project.check_content()
    assert [str(p) for p in problems if p.is_error] == []
    return project, pages


def test_every_bundled_claim_names_the_part_that_meets_it(bundled):
    """No bare claim: each duty a bundled page covers points at one or more of its headings."""
    project, pages = bundled
    claims = [(p.rel, d) for p in pages for d in p.meta["covers"]]
    assert len(claims) >= 30
    for page in pages:
        for duty_id in page.meta["covers"]:
            places = page.covers_at.get(duty_id)
            assert places, f"{page.rel}: 'covers' names {duty_id} but not where the page meets it"
            lines = page.body.splitlines()
            for place in places:
                heading = lines[place.line - page.body_line]
                assert heading.startswith("## ") and place.heading in heading, (page.rel, duty_id, heading)


def test_every_must_duty_is_met_somewhere_named(bundled):
    project, pages = bundled
    duties = load_duties(project.content_dir / "duties.yml")
    covered = coverage(pages, duties)
    ids = {d.id for d in duties}
    assert {"safeguarding-board", "carers-information", "charging", "types-of-care"} <= ids
    for d in duties:
        assert any(p.covers_at.get(d.id) for p in covered[d.id]), d.id


def test_the_claims_the_content_check_found_wanting_are_met_where_they_say(bundled):
    """Charging, the choice of providers and the Safeguarding Adults Board are met by real words."""
    _, pages = bundled
    by = {p.rel: p for p in pages}

    def section(rel, duty_id):
        page = by[rel]
        text = page.body.splitlines()
        out = []
        for place in page.covers_at[duty_id]:
            start = place.line - page.body_line + 1
            end = next((i for i in range(start, len(text)) if text[i].startswith("## ")), len(text))
            out.append("\n".join(text[start:end]))
        return "\n".join(out)

    charging = section("paying-for-care.md", "charging")
    assert "financial assessment" in charging and "free" in charging and "not charge more" in charging
    choice = section("getting-care-and-support.md", "types-of-care")
    assert "choice of care providers" in choice and "likely to cost" in choice
    board = section("safeguarding.md", "safeguarding-board")
    assert "{{ council.safeguarding_board }}" in board and "Who to tell" not in board
    assert "{{ council.phone }}" in board


def test_a_claim_naming_a_heading_the_page_does_not_have_stops_the_build(project, run):
    (project / "content" / "carers.md").write_text(
        PAGE.replace("  - carers-services: Your carer's assessment", "  - carers-services: Taking a break"),
        encoding="utf-8")
    code, out, err = run("build", "--check-only", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/carers.md, line 13: 'covers' says the page meets 'carers-services' under a heading "
            "'Taking a break', but the page has no such heading. Its headings are: Your carer's assessment. Write "
            "the heading as it is in the page (without the '## '), or add that part to the page.\n") in err
    assert "Traceback" not in err


def test_an_anchor_the_page_does_not_have_stops_the_build(project, run):
    (project / "content" / "carers.md").write_text(
        PAGE.replace("  - carers-services: Your carer's assessment", "  - carers-services#taking-a-break"),
        encoding="utf-8")
    code, out, err = run("build", "--check-only", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/carers.md, line 13: 'covers' says the page meets 'carers-services' under an anchor "
            "'#taking-a-break', but the page has no such heading.") in err


def test_a_claim_in_the_wrong_form_is_explained(project, run):
    (project / "content" / "carers.md").write_text(
        PAGE.replace("  - carers-services: Your carer's assessment", "  - carers-services: []"), encoding="utf-8")
    code, out, err = run("build", "--check-only", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/carers.md, line 13: each item in 'covers' must be a duty id and the heading in this "
            "page that meets it, like '- charging: How our charges work', or just the duty id, like "
            "'- charging'. After 'carers-services:' write the heading as it is in the page.\n") in err


@pytest.mark.parametrize("claim", [
    "  - carers-services: Your carer's assessment",           # the heading as written
    "  - carers-services: your  CARER'S assessment",          # spaces and capitals do not matter
    "  - carers-services#your-carers-assessment",             # the anchor, after a #
    "  - carers-services: '#your-carers-assessment'",          # the anchor, as the place
    "  - carers-services: [Your carer's assessment]",         # a list of places
    "  - carers-services",                                    # a bare id still parses (the page as a whole)
])
def test_the_passing_twin_each_way_of_naming_the_place(project, run, claim):
    (project / "content" / "carers.md").write_text(
        PAGE.replace("  - carers-services: Your carer's assessment", claim), encoding="utf-8")
    code, out, err = run("build", "--check-only", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert "carers.md" not in err
    page = next(p for p in Project.load(project / "mkdocs.yml").check_content()[0] if p.rel == "carers.md")
    assert page.meta["covers"] == ["carers-services"]
    expected = [] if claim.endswith("carers-services") else [("Your carer's assessment", "your-carers-assessment")]
    assert [(p.heading, p.anchor) for p in page.covers_at["carers-services"]] == expected


def test_the_coverage_page_links_to_the_exact_place(built_site, bundled):
    """Each link on the coverage page goes to a page and a heading id that is there in the built page."""
    project, pages = bundled
    soup = BeautifulSoup((built_site / "coverage" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a for a in soup.select("main table a")]
    assert links
    seen = set()
    for a in links:
        href = a["href"]
        path, _, anchor = href.partition("#")
        assert anchor, f"{a.get_text()} links to a whole page, not the part that meets the duty"
        target = (built_site / "coverage" / path).resolve()
        target = target / "index.html" if target.is_dir() else target
        page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        heading = page.find(id=unquote(anchor))
        assert heading is not None and heading.name in ("h2", "h3"), href
        assert heading.get_text(" ", strip=True) in a.get_text(" ", strip=True), (href, a.get_text())
        seen.add(anchor)
    assert {"how-our-charges-work", "choosing-who-gives-your-care", "our-safeguarding-adults-board"} <= seen


def test_the_bundled_pages_name_only_example_groups(bundled):
    """No bundled page or Easy Read document claims that a real group wrote or checked it: every group
    named is a short name from 'groups' in mkdocs.yml, and every one there says it is an example."""
    project, pages = bundled
    groups = project.settings.council["groups"]
    assert groups and all(name.startswith("Example ") and "(replace with your own)" in name
                          for name in groups.values())
    for page in pages:
        raw = re.search(r"(?m)^coproduced_with:\n((?:  - .*\n)+)", page.path.read_text(encoding="utf-8"))
        assert raw, page.rel
        # A short name from the settings, or the council's own team that owns the page (not a group).
        allowed = set(groups) | {page.meta["owner"]}
        assert all(line[4:] in allowed for line in raw.group(1).splitlines()), page.rel
        assert page.meta["coproduced_with"], page.rel
        assert set(page.meta["coproduced_with"]) <= set(groups.values()) | {page.meta["owner"]}, page.rel
    named = [p for p in pages if set(p.meta["coproduced_with"]) & set(groups.values())]
    assert len(named) >= 18
    docs = project.check_all().easy_reads
    assert len([d for d in docs if d.meta["checked_by"]]) >= 8
    for doc in docs:
        assert doc.meta["checked_by"] in ([groups["easy_read"]], []), doc.shown


def test_the_about_page_says_no_group_has_checked_the_bundled_pages():
    text = (ROOT / "content" / "about-this-information.md").read_text(encoding="utf-8")
    assert "No local group has written or checked them yet." in text
    for claim in ("helped us write", "We wrote it together", "We wrote this information together"):
        assert claim not in text


def test_a_short_name_shows_the_groups_name_and_other_names_show_as_written(project, run):
    (project / "content" / "carers.md").write_text(
        PAGE.replace("  - carers\n", "  - carers\n  - Exampletown Young Carers\n"), encoding="utf-8")
    page = next(p for p in Project.load(project / "mkdocs.yml").check_content()[0] if p.rel == "carers.md")
    assert page.meta["coproduced_with"] == ["Example carers' group (replace with your own)", "Exampletown Young Carers"]


@pytest.mark.parametrize("setting, message", [
    ("    groups: Carers' forum\n",
     "'groups' must be your co-production groups, one per line under it: a short name, a colon, then the "
     "group's name. For example: people: Exampletown People's Panel"),
    ("    groups:\n      Carers Forum: Exampletown Carers' Forum\n",
     "'Carers Forum' is not a short name Clearinfo can use for a group. Use small letters, numbers, - and _ only, "
     "starting with a letter, like 'carers'."),
    ("    groups:\n      carers:\n",
     "the group 'carers' needs its name as text after the colon. For example: people: Exampletown People's Panel"),
])
def test_a_wrong_groups_setting_is_explained(project, run, setting, message):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^    groups:\n(?:      .*\n)+", setting, text)
    config.write_text(text, encoding="utf-8")
    code, out, err = run("build", "--check-only", "-f", config)
    assert code == 1
    assert message in err and "Error: mkdocs.yml, line " in err
