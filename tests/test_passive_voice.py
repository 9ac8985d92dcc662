"""The passive-voice check flags a passive only when it hides a doer who matters to the reader
(lint/passive_voice.py has the rules and their sources). Each flagged sentence has a twin in good
plain English that passes: the active rewrite, or a passive that GOV.UK-style guidance allows
(the doer is unknown or unimportant, a state, a condition)."""
from __future__ import annotations

from pathlib import Path

import pytest

from clearinfo.content.glossary import Glossary
from clearinfo.content.pages import Page
from clearinfo.lint.passive_voice import flagged, passives
from clearinfo.lint.plain_language import check_plain_language

# (sentence, the words quoted, why, a rewrite that passes)
FLAGGED = [
    # A promise or a duty with no one named: who will do it?
    ("You will be assessed.", "will be assessed", "duty", "We will assess you."),
    ("Your receipt will be sent.", "will be sent", "duty", "We will email you a receipt."),  # Defra's example
    ("A decision will be made within 28 days.", "will be made", "duty", "We will decide within 28 days."),
    ("Your care and support plan will be reviewed every year.", "will be reviewed", "duty",
     "We will review your care and support plan every year."),
    ("Information must be given in accessible formats.", "must be given", "duty",
     "We must give you information in a format you can use."),
    ("The form needs to be signed.", "needs to be signed", "duty", "You need to sign the form."),
    ("The form must be returned by 1 April.", "must be returned", "duty", "Send the form back by 1 April."),
    ("Your information will not be shared without your permission.", "will not be shared", "duty",
     "We will not share your information without your permission."),
    ("You'll be sent a letter.", "will be sent", "duty", "We'll send you a letter."),
    ("You won't be charged for advice.", "will not be charged", "duty", "We do not charge for advice."),
    ("You have to be assessed first.", "have to be assessed", "duty", "We have to assess you first."),
    ("You should be offered an IMHA early.", "should be offered", "duty",
     "Hospital staff should offer you an IMHA early."),
    ("If you ask, you will be told the result.", "will be told", "duty", "If you ask, we will tell you the result."),
    ("We will explain what happens and you will be visited at home.", "will be visited", "duty",
     "We will explain what happens and visit you at home."),
    ("You asked for help, so you will be assessed.", "will be assessed", "duty",
     "You asked for help, so we will assess you."),
    # Something done to the reader, with no one named.
    ("You may be offered an advocate.", "may be offered", "reader", "We may offer you an advocate."),
    ("You are charged for care at home.", "are charged", "reader", "We charge for care at home."),
    ("Your personal budget has been cut.", "has been cut", "reader", "We have cut your personal budget."),
    ("The money is paid to you every 4 weeks.", "is paid", "reader", "We pay you the money every 4 weeks."),
    ("You're sometimes asked to pay towards your care.", "are sometimes asked", "reader",
     "We sometimes ask you to pay towards your care."),
    # The doer is named after "by": put them first.
    ("The form was filled in by the team.", "was filled", "by", "The team filled in the form."),
    ("An Individual Service Fund is run by a care provider.", "is run", "by",
     "A care provider runs an Individual Service Fund."),
    ("The recommendation was adopted by the government.", "was adopted", "by",  # Australian Style Manual
     "The government adopted the recommendation."),
    ("Your needs are checked by a social worker.", "are checked", "by", "A social worker checks your needs."),
]

# Good plain English that a "be + participle" rule wrongly flags: each must pass.
PASSES = [
    # A state, not an action (adjectival participles).
    "Are you worried about a carer?",
    "If you are disabled, we should make reasonable adjustments.",
    "Our offices are closed on 25 December.",
    "You are entitled to a carer's assessment.",
    "You must be aged 18 or over.",
    "This is called a needs assessment.",
    "You will be able to choose who helps you.",
    "You may want to get married.",
    "It lasts for as long as we think it is needed.",
    "You can be involved in planning services.",
    "There is limited help at weekends.",
    # Harm by someone unknown: the person harmed is rightly the subject.
    "Are you worried that you or another adult is being abused or neglected?",
    "If you are being hurt by someone you know, call 999.",
    "You may have been exploited.",
    # A condition or an embedded question: a situation, not an action.
    "You can have one if you are detained under the Mental Health Act 1983.",
    "When you are discharged from hospital, we will check you have the help you need.",
    "Carers look after someone without being paid.",
    "You also choose how you are supported, and what happens in your home.",
    "It says what your needs are and how they will be met.",
    "You have choices about how your budget is managed.",
    "You can help us decide how services are planned and run.",
    # The one who makes it happen is named.
    "They make sure your rights are respected.",
    "We must make sure your needs are met.",
    "A provider must plan it, so your care is not interrupted.",
    # A general fact: the doer is unknown or unimportant.
    "Care workers are paid.",
    "Care can also be disrupted in other ways.",
    "An official called an administrator may be put in charge.",
    "The first time a word from this list is used, it links here.",
    "The letter is sent by post.",
    "Most care is arranged by the end of the month.",
]


@pytest.mark.parametrize("sentence, words, why, rewrite", FLAGGED, ids=[f[0] for f in FLAGGED])
def test_a_passive_that_hides_who_does_it_is_flagged(sentence, words, why, rewrite):
    assert flagged(sentence) == [(words, why)]
    assert flagged(rewrite) == [], f"the rewrite {rewrite!r} should pass"


@pytest.mark.parametrize("sentence", PASSES)
def test_good_plain_english_passes(sentence):
    assert flagged(sentence) == []


def test_the_allowed_passives_are_still_found():
    """Allowed is a decision, not a blind spot: the check sees these and lets them be."""
    assert passives("Care workers are paid.") == [("are paid", None)]
    assert passives("If you are detained, you can have an IMHA.") == [("are detained", None)]


def test_a_list_item_that_starts_with_be_continues_a_duty():
    # "Our direct payment process should:" then "- be checked now and then"
    assert flagged("be checked now and then", list_item=True) == [("be checked", "duty")]
    assert flagged("be simple to use", list_item=True) == []
    assert flagged("be checked now and then") == []  # not a list item: no stem to continue


def _page(body: str) -> Page:
    return Page(path=Path("content/example.md"), rel="example.md", meta={"title": "Example"}, body=body,
                body_line=10)


def _passive_warnings(body: str) -> list[str]:
    found = check_plain_language(_page(body), "content/example.md", Glossary([]), 0, 40)
    return [str(p) for p in found if "passive voice" in p.message]


def test_the_warning_says_where_what_and_why():
    body = "We can help.\n\nYou will be assessed.\n\n- be checked every year\n\nCare workers are paid.\n"
    warnings = _passive_warnings(body)
    assert len(warnings) == 2
    assert "content/example.md, line 12: 'will be assessed' may be passive voice. Say who does it, for " \
           "example 'we will ...'. (It is a promise or a duty, so the reader needs to know who.)" in warnings[0]
    assert "line 14: 'be checked'" in warnings[1]


def test_the_bundled_warnings_that_were_noise_now_pass():
    """Passives the bundled content was warned about before these rules: each is good plain English."""
    body = "\n".join([
        "You can have one if you are detained under the Mental Health Act 1983.",
        "Are you worried that you or another adult is being abused or neglected?",
        "It is also for carers: people who look after someone without being paid.",
        "A care worker is different, because care workers are paid.",
        "You can help us decide how services are planned and run.",
        "They make sure your rights are respected.",
        "Care can also be disrupted in other ways. For example:",
        "A provider that closes a service is expected to plan it, so your care is not interrupted.",
        "On other pages, the first time a word from this list is used, it links here.",
    ])
    assert _passive_warnings(body) == []
