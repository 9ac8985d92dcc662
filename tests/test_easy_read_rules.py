"""Each Easy Read rule catches a bad example, with its exact message, and passes a good one."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from clearinfo.content.easyread import load_easy_read, split_sentences
from clearinfo.content.glossary import Glossary, Term
from clearinfo.content.pages import PageRules
from clearinfo.content.settings import Settings
from clearinfo.lint.easy_read import EasyReadRules
from clearinfo.pictures import PictureSet

HEAD = """---
title: Making a complaint
page: complaints.md
written_by: Adult Social Care information team
checked_by:
  - People who use services
last_reviewed: 2026-11-23
review_due: 2027-11-23
---

"""
FIRST_LINE = HEAD.count("\n") + 1  # the line the first chunk starts on


def check(tmp_path: Path, body: str, levels=None, head=HEAD, pictures=None):
    path = tmp_path / "topic.md"
    path.write_text(head + body, encoding="utf-8")
    settings = Settings(council={"phone": "01632 960000", "name": "Example Council"})
    doc, problems = load_easy_read(path, "easyread/topic.md", settings, PageRules(today=dt.date(2026, 11, 23)))
    assert doc is not None, problems
    glossary = Glossary([Term(term="Advocate", meaning="Someone who speaks up for you.", slug="advocate",
                              line=1, also=["advocates"]),
                         Term(term="Care Quality Commission", meaning="Checks care services.",
                              slug="care-quality-commission", line=2, abbreviation="CQC")])
    return [str(p) for p in EasyReadRules(glossary, pictures or PictureSet(), levels=levels).check(doc)]


GOOD = "picture: phone\nPhone us on {{ council.phone }}.\nWe will listen to you.\n"

CASES = {
    "sentence-too-long": (
        "picture: phone\nYou can phone us on any day of the week when you want to talk to us.\n",
        "line {L+1}: this sentence has 17 words. Easy Read sentences have 15 words at most: "
        "split it into 2 sentences. (Easy Read rule: sentence-too-long)"),
    "no-picture": (
        "Phone us.\n",
        "line {L}: this chunk has no picture. Start it with a line like 'picture: phone'. "
        "'clearinfo pictures find WORD' lists the pictures. (Easy Read rule: no-picture)"),
    "unknown picture": (
        "picture: telephone-reciever\nPhone us.\n",
        "line {L}: there is no picture called 'telephone-reciever'. Did you mean 'telephone-receiver', 'telephone'? "
        "'clearinfo pictures find WORD' lists the pictures. (Easy Read rule: no-picture)"),
    "too-many-sentences": (
        "picture: phone\nPhone us.\nWe will listen.\nWe will help.\nWe will write to you.\n",
        "line {L+4}: this chunk has 4 sentences. A chunk has 3 at most: start a new chunk, with its own "
        "picture, for the rest. (Easy Read rule: too-many-sentences)"),
    "chunk with no words": (
        "picture: phone\n\npicture: house\nCome and see us.\n",
        "line {L}: this chunk has a picture but no words. Write 1 to 3 short sentences under the picture. "
        "(Easy Read rule: too-many-sentences)"),
    "hard word not explained": (
        "picture: speak-up\nAn advocate can help you.\n",
        "line {L+1}: 'advocate' is a hard word (it is in Words we use). The first time you use it, make it "
        "bold, like **advocate**, so it is explained on the Hard words page. (Easy Read rule: hard-word)"),
    "acronym not explained": (
        "picture: phone\nPhone the DWP.\n",
        "line {L+1}: 'DWP' looks like an acronym, and it is not explained. Write it out in full, or add it "
        "to content/glossary.yml with its meaning. (Easy Read rule: hard-word)"),
    "all-caps": (
        "picture: phone\nPlease PHONE us.\n",
        "line {L+1}: 'PHONE' is in capital letters. Capitals are hard to read: write it in small letters, "
        "with a capital only at the start of a name. (Easy Read rule: all-caps)"),
    "italics": (
        "picture: phone\nPlease *phone* us.\n",
        "line {L+1}: this sentence has words in italics. Italics are hard to read: use bold for the 1 or 2 "
        "words that matter most. (Easy Read rule: italics)"),
    "underline": (
        "picture: phone\nPlease <u>phone</u> us.\n",
        "line {L+1}: this sentence has underlined words. Underlining looks like a link: use bold instead. "
        "(Easy Read rule: underline)"),
    "number-as-word": (
        "picture: phone\nWe will phone you in three days.\n",
        "line {L+1}: 'three' is a number written as a word. Write numbers as digits, like 3. "
        "(Easy Read rule: number-as-word)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_catches_a_bad_example(tmp_path, case):
    body, message = CASES[case]
    expected = "easyread/topic.md, " + message.replace("{L+4}", str(FIRST_LINE + 4)).replace(
        "{L+1}", str(FIRST_LINE + 1)).replace("{L}", str(FIRST_LINE))
    found = check(tmp_path, body)
    assert expected in found, found
    assert all("Error" not in f for f in found)


@pytest.mark.parametrize("body", [
    GOOD,
    "picture: speak-up\nAn **advocate** can help you.\nAdvocates are free.\n",  # later uses need no bold
    "picture: phone\nThe **CQC** checks care homes.\n",                       # an explained acronym
    "picture: phone\nWe will phone you in 3 days.\nNo one will know.\n",       # 'no one' is not a number
    "picture: phone\nI can phone **Example Council**.\n",                      # 'I' is not an acronym
    "## Get help\n\npicture: phone\nPhone us.\n\npicture: email\nalt: A letter on a screen\nEmail us.\n",
])
def test_good_examples_pass(tmp_path, body):
    assert check(tmp_path, body) == []


def test_rules_can_be_warnings_or_off(tmp_path):
    bad = "picture: phone\nWe will phone you in three days.\n"
    found = check(tmp_path, bad, levels={"number-as-word": "warning"})
    assert len(found) == 1
    found = check(tmp_path, bad, levels={"number-as-word": "off"})
    assert found == []


def test_sentences_keep_their_lines():
    s = split_sentences([("Phone us. We will", 3), ("listen to you.", 4), ("Thank you", 5)])
    assert [(x.text, x.line) for x in s] == [("Phone us.", 3), ("We will listen to you.", 3), ("Thank you", 5)]


def test_an_error_stops_the_build_and_a_warning_does_not(project, run):
    (project / "easyread").mkdir()
    (project / "easyread" / "words.md").write_text(HEAD.replace("complaints.md", "getting-care-and-support.md")
                                                   + "picture: phone\nWe will phone you in three days.\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert (f"Error: easyread/words.md, line {FIRST_LINE + 1}: 'three' is a number written as a word. "
            "Write numbers as digits, like 3. (Easy Read rule: number-as-word)") in err
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n",
                                           "      review_months: 12\n      easy_read_rules:\n"
                                           "        number-as-word: warning\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert f"Warning: easyread/words.md, line {FIRST_LINE + 1}: 'three' is a number" in out


def test_too_many_pages(project, run):
    (project / "easyread").mkdir()
    chunks = "\n".join(f"picture: phone\nThis is chunk {i}.\n" for i in range(40))
    (project / "easyread" / "long.md").write_text(HEAD.replace("complaints.md", "getting-care-and-support.md")
                                                  + chunks)
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n",
                                           "      review_months: 12\n      easy_read_max_pages: 5\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert "Error: easyread/long.md, line 1: the Easy Read PDF has " in err
    assert ("pages. Easy Read documents have 5 pages at most: split the topic into 2 documents, "
            "or say less. (Easy Read rule: too-many-pages)") in err
    assert not (project / "site").exists()


def test_links_between_easy_read_and_its_page_are_checked(project, run):
    (project / "easyread").mkdir()
    (project / "easyread" / "x.md").write_text(HEAD.replace("complaints.md", "nothing.md") + GOOD)
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: easyread/x.md, line 3: 'page' names 'nothing.md', which is not a page in content/. "
            "Write the file name of the standard page this Easy Read version goes with, like safeguarding.md.") in err


def test_font_size_below_16_is_refused(project, run):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n",
                                           "      review_months: 12\n      easy_read_font_size: 12\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert ("Error: mkdocs.yml: 'easy_read_font_size' is 12, but Easy Read text must be 16 point or more. "
            "Set it to 16 or a larger number.") in err


def test_pictures_find(run):
    code, out, err = run("pictures", "find", "phone")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[0] == "phone" and "another name for telephone-receiver" in lines[0]
    assert any(l.startswith("mobile-phone ") for l in lines)
    code, out, err = run("pictures", "find", "zzzz")
    assert code == 0 and "No picture names contain 'zzzz'" in out


def test_an_easy_read_file_not_saved_as_utf8_is_explained(tmp_path):
    path = tmp_path / "topic.md"
    path.write_bytes((HEAD + GOOD).replace("Phone", "Ph\u00f4ne").encode("latin-1"))
    doc, problems = load_easy_read(path, "easyread/topic.md", Settings(council={}),
                                   PageRules(today=dt.date(2026, 11, 23)))
    assert doc is None
    assert [str(p) for p in problems] == [
        "easyread/topic.md: the file is not saved as UTF-8 text. Save it again as UTF-8 "
        "(most editors offer this)."]


def test_a_council_picture_that_cannot_be_opened_is_an_error(tmp_path):
    from PIL import Image
    own = tmp_path / "easyread" / "pictures"
    own.mkdir(parents=True)
    (own / "town-hall.png").write_text("not a picture")
    Image.new("RGB", (40, 40), "navy").save(own / "our-office.png")
    (own / "map.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>")
    pictures = PictureSet(own)
    found = check(tmp_path, "picture: town-hall\nCome and see us.\n\npicture: our-office\nCome in.\n\n"
                            "picture: map\nFind us.\n", pictures=pictures)
    assert found == [f"easyread/topic.md, line {FIRST_LINE}: the picture 'town-hall' (easyread/pictures/town-hall.png) "
                     "cannot be opened as a picture. Save it again as a PNG, JPEG or SVG file, or choose another "
                     "picture. (Easy Read rule: no-picture)"]


def test_an_unknown_cover_picture_is_an_error(tmp_path):
    head = HEAD.replace("review_due: 2027-11-23\n", "review_due: 2027-11-23\ncover_picture: sheild\n")
    line = head.splitlines().index("cover_picture: sheild") + 1
    found = check(tmp_path, GOOD, head=head)
    assert found == [f"easyread/topic.md, line {line}: there is no picture called 'sheild' for the cover. Did you "
                     "mean 'shield', 'child', 'shovel'? 'clearinfo pictures find WORD' lists the pictures. (Easy Read rule: no-picture)"]


def test_a_pictures_file_that_cannot_be_read_is_explained(tmp_path):
    own = tmp_path / "easyread" / "pictures"
    own.mkdir(parents=True)
    (own / "pictures.yml").write_text("pictures:\n  town-hall:\n    alt: [unclosed\n")
    assert [str(p) for p in PictureSet(own).problems] == [
        "easyread/pictures/pictures.yml, line 4: this file could not be read. Check it is laid out like the "
        "example in the README (pictures:, then each picture's name, then alt: and credit: indented under it)."]
    (own / "pictures.yml").write_text("- town-hall\n")
    assert [str(p) for p in PictureSet(own).problems] == [
        "easyread/pictures/pictures.yml, line 1: this file must start with 'pictures:', with each picture's "
        "name indented under it."]


def test_mistakes_in_the_rule_levels_are_explained(project, run):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n", "      review_months: 12\n"
                                           "      easy_read_rules:\n        all-capz: warning\n"
                                           "        no-picture: maybe\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert ("Error: mkdocs.yml: 'easy_read_rules' names 'all-capz', which is not an Easy Read rule. Did you mean "
            "'all-caps'? The rules are: sentence-too-long, no-picture, too-many-sentences, hard-word, all-caps, "
            "italics, underline, number-as-word, too-many-pages.") in err
    assert "Error: mkdocs.yml: 'easy_read_rules' sets 'no-picture' to 'maybe'. Use error, warning or off." in err


def test_a_mistake_in_a_page_is_not_blamed_on_its_easy_read_version(project, run):
    import shutil
    from conftest import ROOT
    shutil.copytree(ROOT / "easyread", project / "easyread", ignore=shutil.ignore_patterns("[!c]*.md"))
    page = project / "content" / "complaints.md"
    shutil.copy(ROOT / "content" / "complaints.md", page)
    page.write_text(re.sub(r"review_due: .*", "review_due: next spring", page.read_text()))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert "content/complaints.md" in err and "'review_due' must be a date" in err
    assert "easyread/complaints.md" not in err
