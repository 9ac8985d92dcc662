"""The council's files beside the gate: exceptions that may name one element, expire within 12
months and, for every page, are listed in the statement; and reviews, where a person records what
they found on a "needs review" item. The statement's wording follows both."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from clearinfo.check.exceptions import apply_exceptions, load_exceptions
from clearinfo.check.findings import Finding
from clearinfo.check.reviews import apply_reviews, read_reviews
from clearinfo.content.statement import statement_markdown
from clearinfo.errors import ContentErrors

TODAY = dt.date(2026, 12, 2)


def finding(page="a/index.html", rule="color-contrast", selector=".map", severity="violation"):
    return Finding(page, "axe", rule, "Elements must meet minimum color contrast ratio thresholds.", "Darken it.",
                   f"{selector} <div>", severity, "desktop, light colours", selector)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- Exceptions -------------------------------------------------------------------------------------

def test_an_exception_naming_an_element_accepts_that_element_only(tmp_path):
    path = write(tmp_path, "accessibility-exceptions.yml",
                 "exceptions:\n  - rule: color-contrast\n    page: a/*\n    element: .map\n"
                 "    reason: The supplier's map.\n    expires: 2027-03-01\n")
    entries, problems = load_exceptions(path, TODAY)
    assert problems == []
    mine, other = finding(selector=".map"), finding(selector=".md-nav__link")
    failing, excepted, problems = apply_exceptions([mine, other], entries, path, TODAY)
    assert excepted == [mine] and failing == [other] and problems == []


def test_an_exception_for_an_element_that_is_not_there_matches_nothing(tmp_path):
    path = write(tmp_path, "accessibility-exceptions.yml",
                 "exceptions:\n  - rule: color-contrast\n    page: a/*\n    element: .old-map\n"
                 "    reason: The supplier's map.\n    expires: 2027-03-01\n")
    entries, _ = load_exceptions(path, TODAY)
    failing, excepted, problems = apply_exceptions([finding()], entries, path, TODAY)
    assert failing == [finding()]
    assert problems == ["accessibility-exceptions.yml, line 2: the exception for 'color-contrast' on 'a/*' at "
                        "'.old-map' matches nothing now. Delete it."]


@pytest.mark.parametrize("expires,ok", [("2027-12-02", True), ("2027-12-03", False), ("2030-01-01", False)])
def test_an_expiry_more_than_12_months_ahead_is_refused(tmp_path, expires, ok):
    path = write(tmp_path, "accessibility-exceptions.yml",
                 f"exceptions:\n  - rule: color-contrast\n    page: '*'\n    reason: The map.\n    expires: {expires}\n")
    entries, problems = load_exceptions(path, TODAY)
    if ok:
        assert problems == [] and len(entries) == 1
    else:
        assert problems == [f"accessibility-exceptions.yml, line 5: 'expires' is {expires}, more than 12 months "
                            "after today (2026-12-02). Choose a date by 2027-12-02: it must be looked at again "
                            "at least once a year."]


def test_an_exception_for_every_page_is_in_the_statement(tmp_path):
    report = {"checked_on": "2026-12-02", "violations": [], "excepted": [finding(page=f"p{n}.html").as_dict()
                                                                        for n in range(3)],
              "site_wide_exceptions": [{"rule": "color-contrast", "reason": "The supplier's map.",
                                        "expires": "2027-03-01"}], "needs_review": []}
    text = statement_markdown(report)
    assert "partially compliant" in text
    assert "We accept these on every page for now:" in text
    assert "- Text without enough contrast with its background: The supplier's map. We will fix this by " \
           "1 March 2027." in text
    twin = statement_markdown({**report, "site_wide_exceptions": []})
    assert "every page for now" not in twin


# --- Reviews ----------------------------------------------------------------------------------------

REVIEW = ("reviews:\n  - rule: color-contrast\n    page: '*'\n    element: .hero\n    checked_by: Access group\n"
          "    checked_on: 2026-11-30\n    outcome: {outcome}\n    expires: 2027-11-30\n")


def test_a_review_that_passes_moves_the_item_to_checked(tmp_path):
    path = write(tmp_path, "accessibility-reviews.yml", REVIEW.format(outcome="passes"))
    item, other = finding(selector=".hero", severity="review"), finding(selector=".other", severity="review")
    out = apply_reviews([item, other], read_reviews(path, TODAY), path, TODAY)
    assert out.unchecked == [other] and out.confirmed == [] and out.notes == []
    assert len(out.checked) == 1 and "checked by Access group on 2026-11-30: passes" in out.checked[0].context


def test_a_review_that_fails_fails_the_gate(tmp_path):
    path = write(tmp_path, "accessibility-reviews.yml", REVIEW.format(outcome="fails"))
    out = apply_reviews([finding(selector=".hero", severity="review")], read_reviews(path, TODAY), path, TODAY)
    assert out.checked == [] and out.unchecked == []
    (confirmed,) = out.confirmed
    assert confirmed.severity == "violation"
    assert confirmed.message.endswith("A person checked this (Access group on 2026-11-30) and found it fails.")


def test_an_expired_review_counts_as_not_checked(tmp_path):
    path = write(tmp_path, "accessibility-reviews.yml", REVIEW.format(outcome="passes"))
    later = dt.date(2027, 12, 1)
    item = finding(selector=".hero", severity="review")
    out = apply_reviews([item], read_reviews(path, later), path, later)
    assert out.unchecked == [item]
    assert out.notes == ["accessibility-reviews.yml, line 2: the check of 'color-contrast' on '*' at '.hero' "
                         "expired on 2027-11-30, so it counts as not yet checked. Look again and write the new date."]


@pytest.mark.parametrize("change,message", [
    (("passes", "looks fine"), "line 7: 'outcome' must be passes or fails, not 'looks fine'."),
    (("    checked_by: Access group\n", ""), "line 2: this review has no checked_by. Every review needs the rule, "
                                              "the page, who checked it, when, what they found and the date it expires."),
    (("2026-11-30\n    outcome", "2026-12-25\n    outcome"),
     "line 6: 'checked_on' is 2026-12-25, which is in the future. Write the day the check was done."),
    (("expires: 2027-11-30", "expires: 2028-01-01"),
     "line 8: 'expires' is 2028-01-01, more than 12 months after the check (2026-11-30). Choose a date by "
     "2027-11-30: it must be looked at again at least once a year."),
    (("    outcome", "    outcom"), "line 7: 'outcom' is not part of a review. Did you mean 'outcome'?"),
], ids=["outcome", "who", "future", "too far", "misspelt"])
def test_each_mistake_in_the_reviews_file_has_its_line(tmp_path, change, message):
    path = write(tmp_path, "accessibility-reviews.yml", REVIEW.format(outcome="passes").replace(*change))
    with pytest.raises(ContentErrors) as e:
        read_reviews(path, TODAY)
    assert any(str(p) == f"accessibility-reviews.yml, {message}" for p in e.value.problems), e.value.problems


# --- The statement's wording ------------------------------------------------------------------------

def base_report(**more):
    views = ["1280×900 light", "1280×900 dark", "320×900 light", "320×900 dark"]
    return {"checked_on": "2026-12-02", "violations": [], "excepted": [], "needs_review": [], "reviewed": [],
            "views": views, "engines": ["axe-core 4.14.1", "HTML_CodeSniffer 2.5.1"],
            "coverage": {"index.html": {"views": {v: ["axe-core 4.14.1"] for v in views}, "not_run": []}},
            "files": {"html": 1}, **more}


def test_fully_compliant_only_when_a_person_checked_everything():
    assert "is fully compliant" in statement_markdown(base_report())
    item = finding(severity="review").as_dict()
    text = statement_markdown(base_report(needs_review=[item]))
    assert "is partially compliant" in text and "the things not yet checked by a person" in text
    assert "## Not yet checked by a person" in text
    assert "- Elements must meet minimum color contrast ratio thresholds, on 1 page." in text
    checked = statement_markdown(base_report(reviewed=[item]))
    assert "is fully compliant" in checked and "1 thing was marked for a person to check: 1 of them has been" in checked


def test_the_statement_names_only_the_views_that_ran():
    text = statement_markdown(base_report())
    assert "Every page was seen in 4 views: 1280×900 light, 1280×900 dark, 320×900 light and 320×900 dark" in text
    assert "with axe-core 4.14.1 and HTML_CodeSniffer 2.5.1" in text
    light_only = base_report(coverage={"index.html": {"views": {"1280×900 light": ["axe-core 4.14.1"]},
                                                      "not_run": ["1280×900 dark: the page stayed light"]}})
    text = statement_markdown(light_only)
    assert "dark" not in text.split("## How we tested")[1].split("Automated checks")[0]
    assert "is partially compliant" in text and "## Pages not fully checked" in text


def test_an_old_report_makes_no_claim_about_views():
    text = statement_markdown(json.loads(json.dumps({"checked_on": "2026-12-02", "violations": [], "excepted": [],
                                                     "needs_review": [], "axe_core": "4.14.1"})))
    assert "light and dark" not in text and "views" not in text
