"""The one sentence splitter (clearinfo.text) and the one placeholder pattern (content.settings)."""
from __future__ import annotations

import pytest

from clearinfo.content.easyread import split_sentences as easy_read_sentences
from clearinfo.content.settings import PLACEHOLDER, Settings, fill_placeholders, find_placeholders
from clearinfo.formats.speech import split_sentences as speech_sentences
from clearinfo.text import sentence_spans, split_sentences


@pytest.mark.parametrize("text, sentences", [
    ("Phone us. We will help.", ["Phone us.", "We will help."]),
    ("(On Monday.) Come in.", ["(On Monday.)", "Come in."]),
    ('He said "Stop." Then go.', ['He said "Stop."', "Then go."]),
    ("He said “Stop.” Then go.", ["He said “Stop.”", "Then go."]),
    ("Is it free? ‘Yes,’ we said. [See page 2.] Thank you!", ["Is it free?", "‘Yes,’ we said.", "[See page 2.]",
                                                             "Thank you!"]),
    ("Bring something, e.g. a bill. Then sit down.", ["Bring something, e.g. a bill.", "Then sit down."]),
    ("Bring a letter, e.g. From the bank.", ["Bring a letter, e.g. From the bank."]),
    ("That is, i.e. The council.", ["That is, i.e. The council."]),
    ("It costs 1.5 times as much. Ask us.", ["It costs 1.5 times as much.", "Ask us."]),
    ("Ask Mr. Patel or Mrs. Shah. Or Dr. Jones.", ["Ask Mr. Patel or Mrs. Shah.", "Or Dr. Jones."]),
    ("Go to Room No. 2 today.", ["Go to Room No. 2 today."]),
    ("Is it free? No. You pay.", ["Is it free?", "No.", "You pay."]),
    ("Wait... then go.", ["Wait... then go."]),
    ("Wait... Then go.", ["Wait...", "Then go."]),
    ("Wait… Then go.", ["Wait…", "Then go."]),
    ("Call us. 0800 123 is free.", ["Call us.", "0800 123 is free."]),
    ("Call us. {{ council.phone }} is free.", ["Call us.", "{{ council.phone }} is free."]),
    ("  Phone us.   ", ["Phone us."]),
    ("no full stop", ["no full stop"]),
    ("", []),
    ("   ", []),
])
def test_sentences(text, sentences):
    assert split_sentences(text) == sentences
    assert speech_sentences(text) == [" ".join(s.split()) for s in sentences]


def test_a_line_ending_in_a_full_stop_ends_its_sentence():
    assert split_sentences("Phone us.\nwe will help") == ["Phone us.", "we will help"]
    assert split_sentences("Bring a bill, e.g.\na gas bill.") == ["Bring a bill, e.g.\na gas bill."]


def test_spans_point_at_the_sentences():
    text = " (On Monday.)  Come in. "
    assert [text[a:b] for a, b in sentence_spans(text)] == ["(On Monday.)", "Come in."]


def test_easy_read_sentences_keep_their_brackets_and_lines():
    s = easy_read_sentences([("Phone us (on Monday.)", 3), ('He said "Stop." Then', 4), ("go.", 5)])
    assert [(x.text, x.line) for x in s] == [("Phone us (on Monday.)", 3), ('He said "Stop."', 4), ("Then go.", 4)]


COUNCIL = Settings(council={"phone": "01632 960000"})


@pytest.mark.parametrize("text, line", [
    ("Fax us on {{ council.fax\u2028}}.", 1),
    ("Fax us on {{\u2029council.fax }}.", 1),
    ("Fax us on {{\tcouncil.fax\x0c}}.", 1),
    ("Hello.\nFax us on {{\ncouncil.fax\n}}.", 2),
    ("Hello.\r\n\u2028Fax us on {{ council.fax }}.", 3),
    ("{{ council.Phone }}", 1),
])
def test_every_placeholder_left_unfilled_is_reported_on_its_first_line(text, line):
    assert PLACEHOLDER.search(fill_placeholders(text, COUNCIL))
    assert [p.line for p in find_placeholders(text, COUNCIL, "content/x.md", 1)] == [line]


@pytest.mark.parametrize("text", ["{{ council.phone\u2028}}", "{{\tcouncil.phone }}", "{{\ncouncil.phone\n}}"])
def test_a_placeholder_with_odd_spaces_is_filled_and_not_reported(text):
    assert fill_placeholders(text, COUNCIL) == "01632 960000"
    assert find_placeholders(text, COUNCIL, "content/x.md", 1) == []


@pytest.mark.parametrize("text, expected", [
    # Urdu: the full stop '۔' and the question mark '؟'; Arabic letters have no small letters
    ("ہم آپ کی مدد کریں گے۔ ہمیں فون کریں۔", ["ہم آپ کی مدد کریں گے۔", "ہمیں فون کریں۔"]),
    ("کیا آپ کو مدد چاہیے؟ ہم سے پوچھیں۔", ["کیا آپ کو مدد چاہیے؟", "ہم سے پوچھیں۔"]),
    # Hindi's danda
    ("हम आपकी मदद करेंगे। हमें फ़ोन करें।", ["हम आपकी मदद करेंगे।", "हमें फ़ोन करें।"]),
    # Welsh ends sentences as English does
    ("Gallwn ni helpu. Ffoniwch ni.", ["Gallwn ni helpu.", "Ffoniwch ni."]),
])
def test_sentences_in_other_scripts_end_at_their_own_marks(text, expected):
    assert split_sentences(text) == expected


def test_an_urdu_full_stop_with_nothing_after_it_is_one_sentence():
    assert split_sentences("ہم آپ کی مدد کریں گے۔") == ["ہم آپ کی مدد کریں گے۔"]
