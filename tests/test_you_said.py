""""You said, we did": the data file's mistakes are said with their file and line, and the page is
a real table, newest first, that passes the project's own page checks."""
from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest
from bs4 import BeautifulSoup

from clearinfo.content.pages import load_page, page_files
from clearinfo.content.safe_html import check_rendered
from clearinfo.content.you_said import (DATA_FILE, EXAMPLE_NOTICE, PAGE, Entry, load_you_said, table_text,
                                        you_said_page)
from clearinfo.errors import ContentErrors
from clearinfo.lint.readability import measure
from clearinfo.project import Project
from conftest import ROOT, make_project

TODAY = dt.date(2026, 12, 3)
PAGES = {"complaints.md", "words-we-use.md", "index.md"}
SHOWN = "content/you-said-we-did.yml"
HEADERS = ["Date", "You said", "We did", "What is happening now", "Page changed"]
EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "def_list", "admonition"]  # as mkdocs.yml

GOOD = """\
you_said_we_did:
  - date: 2026-11-03
    you_said: People said the complaints page was hard to follow.
    we_did: We rewrote it with shorter sentences.
    status: done
    page: complaints.md
"""


def _write(tmp_path, text):
    path = tmp_path / "content" / DATA_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path, text, today=TODAY, pages=PAGES):
    return load_you_said(_write(tmp_path, text), today, pages)


def _messages(tmp_path, text) -> list[str]:
    with pytest.raises(ContentErrors) as e:
        _load(tmp_path, text)
    return [str(p) for p in e.value.problems]


# --- The data file --------------------------------------------------------------------------------

def test_a_good_entry_is_read(tmp_path):
    assert _load(tmp_path, GOOD) == [Entry(date=dt.date(2026, 11, 3),
                                           you_said="People said the complaints page was hard to follow.",
                                           we_did="We rewrote it with shorter sentences.", status="done",
                                           page="complaints.md", line=2, example=False)]


# Each mistake is GOOD with one line changed; GOOD itself is its passing twin.
@pytest.mark.parametrize("old,new,message", [
    ("date: 2026-11-03", "date: 3/11/2026",
     "line 2: 'date' must be a date like 2026-11-03 (year-month-day), not '3/11/2026'."),
    ("date: 2026-11-03", "date: 2026-02-30",
     "line 2: 'date' is 2026-02-30, but that date does not exist. Check the day and the month."),
    ("date: 2026-11-03", "date: 2027-01-05",
     "line 2: 'date' is 2027-01-05, which is in the future. Use the date you wrote this entry down or last "
     "changed it."),
    ("status: done", "status: finished",
     "line 5: 'status' must be one of: done, in progress, planned. 'finished' is not one of them."),
    ("status: done", "status: in-progress",
     "line 5: 'status' must be one of: done, in progress, planned. 'in-progress' is not one of them. "
     "Did you mean 'in progress'?"),
    ("page: complaints.md", "page: complaint.md",
     "line 6: 'page' names 'complaint.md', which is not a page in content/. Did you mean 'complaints.md'? "
     "Write the file name of the page the change was made on, like complaints.md, or leave 'page' out."),
    ("page: complaints.md", "page: [complaints.md]",
     "line 6: 'page' must be the file name of a page, like complaints.md, not a list."),
    ("    page: complaints.md\n", "    page: complaints.md\n    who: Carers' group\n",
     "line 7: 'who' is not a detail of an entry. An entry can have: date, you_said, we_did, status, page."),
    ("    we_did:", "    we_dd:",
     "line 4: 'we_dd' is not a detail of an entry. Did you mean 'we_did'? An entry can have: date, you_said, "
     "we_did, status, page."),
    ("    we_did: We rewrote it with shorter sentences.\n", "",
     "line 2: this entry has no 'we_did'. Add it, for example: we_did: We rewrote it with shorter sentences."),
    ("  - date: 2026-11-03\n    you_said:", "  - you_said:",
     "line 2: this entry has no 'date'. Add it, for example: date: 2026-11-03"),
    ("we_did: We rewrote it with shorter sentences.", "we_did:",
     "line 4: 'we_did' is empty. Write what the council did about it, for example: we_did: We rewrote it "
     "with shorter sentences."),
    ("you_said: People said the complaints page was hard to follow.", "you_said: '  '",
     "line 3: 'you_said' is empty. Write what people told you, for example: you_said: People said the "
     "complaints page was hard to follow."),
    ("you_said: People said the complaints page was hard to follow.", "you_said: [hard, to, follow]",
     "line 3: 'you_said' must be text, for example 'you_said: People said the complaints page was hard to "
     "follow.', not a list."),
    ("We rewrote it with shorter sentences.", "We rewrote it with <b>shorter</b> sentences.",
     "line 4: 'we_did' is plain text, so HTML such as <b> cannot be used here: it would show as code. "
     "Write the words only."),
    ("We rewrote it with shorter sentences.", "We added {{ council.phone }}.",
     "line 4: 'we_did' cannot use settings like {{ council.phone }}. Write the words out in full."),
    ("    status: done\n", "    status: done\n    status: planned\n",
     "line 6: 'status' is here twice (lines 5 and 6). Keep one of them."),
], ids=["not a date", "no such date", "future date", "unknown status", "status nearly right", "unknown page",
        "page not text", "unknown key", "misspelt key", "missing we_did", "missing date", "empty we_did",
        "blank you_said", "text not text", "html", "setting", "a detail twice"])
def test_a_mistake_in_an_entry_names_its_file_and_line(tmp_path, old, new, message):
    assert old in GOOD
    assert _messages(tmp_path, GOOD.replace(old, new, 1)) == [f"{SHOWN}, {message}"]
    assert len(_load(tmp_path, GOOD)) == 1  # the passing twin


@pytest.mark.parametrize("text,message", [
    ("- date: 2026-11-03\n  status: done\n",
     "line 1: this file must start with 'you_said_we_did:', then a list of entries. Start each entry with "
     "'- date:' and indent its other details under it."),
    ("you_said_we_did:\n  complaints:\n    date: 2026-11-03\n",
     "line 2: 'you_said_we_did' must be a list of entries, not a group of settings. Start each entry with "
     "'- date:' and indent its other details under it."),
    ("you_said_we_did:\n  - The complaints page was hard to follow\n",
     "line 2: each entry must be a group of details (date, you_said, we_did, status, and page if it changed "
     "one), not 'The complaints page was hard to follow'. Start each entry with '- date:' and indent its "
     "other details under it."),
    ("you_said_we_do:\n" + GOOD.split("\n", 1)[1],
     "line 1: 'you_said_we_do' is not something this file can hold. Did you mean 'you_said_we_did'? It holds "
     "'you_said_we_did:' (the list of entries) and, if they are examples, 'example: true'."),
    ("example: sometimes\n" + GOOD,
     "line 1: 'example' must be true or false, not 'sometimes'. Write 'example: true' only while the entries "
     "are examples."),
    ("you_said_we_did:\n  - date: [2026-11-03\n",
     "line 3: this file could not be read (expected ',' or ']', but got '<stream end>'). Check the "
     "indentation, and put text that has a colon in quotes."),
], ids=["a list at the top", "entries by name", "an entry that is only text", "misspelt top key",
        "example not true or false", "not YAML"])
def test_a_file_of_the_wrong_shape_is_explained(tmp_path, text, message):
    assert _messages(tmp_path, text) == [f"{SHOWN}, {message}"]


def test_every_mistake_is_reported_at_once_in_plain_words(tmp_path):
    text = GOOD + GOOD.split("\n", 1)[1].replace("done", "finished").replace("2026-11-03", "2026-13-01")
    with pytest.raises(ContentErrors) as e:
        _load(tmp_path, text)
    assert [p.line for p in e.value.problems] == [7, 10]
    assert e.value.lines() == [f"Error: {p}" for p in e.value.problems]
    assert "Traceback" not in str(e.value)


def test_no_file_or_no_entries_means_no_page(tmp_path):
    assert load_you_said(tmp_path / "content" / DATA_FILE, TODAY, PAGES) == []
    assert _load(tmp_path, "# nothing yet\n") == []
    assert _load(tmp_path, "you_said_we_did:\n") == []
    assert _load(tmp_path, "example: true\nyou_said_we_did: []\n") == []


def test_details_that_may_be_left_out(tmp_path):
    entries = _load(tmp_path, "example: true\n" + GOOD.replace("    page: complaints.md\n", ""), pages=None)
    assert entries[0].page is None and entries[0].example and entries[0].line == 3
    # Without a list of pages, any page is taken as written; 'page:' left empty is no page.
    assert _load(tmp_path, GOOD.replace("complaints.md", "anything.md"), pages=None)[0].page == "anything.md"
    assert _load(tmp_path, GOOD.replace(" complaints.md", ""))[0].page is None
    # A date written in quotes is still a date; text over two lines is one line.
    text = GOOD.replace("2026-11-03", "'2026-12-03'").replace("hard to follow.", "hard\n      to follow.")
    entry = _load(tmp_path, text)[0]
    assert entry.date == TODAY and entry.you_said == "People said the complaints page was hard to follow."


def test_bundled_entries_are_clearly_examples():
    content = ROOT / "content"
    entries = load_you_said(content / DATA_FILE, dt.date.today(), page_files(content))
    assert 3 <= len(entries) <= 5
    assert all(e.example for e in entries)
    assert {e.status for e in entries} == {"done", "in progress", "planned"}
    assert any(e.page is None for e in entries) and any(e.page for e in entries)
    for e in entries:
        assert e.you_said.startswith("Example: ") and e.we_did.startswith("Example: "), e
        # No phone numbers, email or web addresses, and no numbers at all beyond the dates.
        assert not re.search(r"\d|@|https?://", e.you_said + e.we_did), e


# --- The page ---------------------------------------------------------------------------------

ENTRIES = [
    Entry(dt.date(2026, 3, 1), "People said the form was long.", "We made it shorter.", "done", None, 2),
    Entry(dt.date(2026, 12, 3), "People said A | B was confusing.", "We wrote A or B | C.", "in progress",
          "complaints.md", 8),
    Entry(dt.date(2026, 6, 30), "People said *stars* and [x](javascript:alert(1)) & <i> looked odd.",
          "We fixed {: onclick=go} and `code`.", "planned", "words-we-use.md", 14),
]


def _html(text: str) -> BeautifulSoup:
    body = text.split("\n---\n", 1)[1]
    return BeautifulSoup(markdown.markdown(body, extensions=EXTENSIONS), "html.parser")


def _rows(soup) -> list[list[str]]:
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def test_the_page_is_a_real_table_newest_first():
    soup = _html(you_said_page(ENTRIES, "Information team", TODAY, example=False,
                               titles={"complaints.md": "Complaints and appeals"}))
    assert len(soup.find_all("table")) == 1
    assert [th.get_text() for th in soup.select("thead th")] == HEADERS
    rows = _rows(soup)
    assert [r[0] for r in rows] == ["3 December 2026", "30 June 2026", "1 March 2026"]
    assert all(len(r) == 5 for r in rows)  # a pipe in the words does not make a new cell
    assert rows[0][1:] == ["People said A | B was confusing.", "We wrote A or B | C.", "We are doing this now",
                           "Complaints and appeals"]
    assert rows[2][3:] == ["Done", "No page changed"]
    links = soup.select("tbody a")
    assert [(a["href"], a.get_text()) for a in links] == [("complaints.md", "Complaints and appeals"),
                                                          ("words-we-use.md", "Words we use")]


def test_entries_are_shown_as_plain_text_never_as_markup():
    soup = _html(you_said_page(ENTRIES, "Information team", TODAY, example=False))
    said, did = _rows(soup)[1][1:3]
    assert said == "People said *stars* and [x](javascript:alert(1)) & <i> looked odd."
    assert did == "We fixed {: onclick=go} and `code`."
    cells = soup.select("tbody tr")[1].find_all("td")
    assert not cells[1].find() and not cells[2].find()  # no tags made: no link, emphasis, code or <i>
    assert not soup.find(attrs={"onclick": True})
    assert table_text("a\n|b") == "a \\|b"


def test_the_example_notice_is_shown_only_for_examples():
    shown = you_said_page(ENTRIES, "Information team", TODAY, example=True)
    assert EXAMPLE_NOTICE in shown
    assert "These are examples to show how this page works." in _html(shown).get_text()
    not_shown = you_said_page(ENTRIES, "Information team", TODAY, example=False)
    assert "example" not in _html(not_shown).get_text().lower()


def test_the_quick_read_is_short_and_says_what_is_still_happening():
    def summary(entries):
        return re.search(r"^summary: (.*)$", you_said_page(entries, "o", TODAY, False), re.M).group(1)
    for sentence in re.split(r"(?<=\.) ", summary(ENTRIES)):
        assert len(sentence.split()) <= 15, sentence  # Easy Read: 15 words at most
    assert "still happening" in summary(ENTRIES)
    assert "still happening" not in summary(ENTRIES[:1])


def test_the_page_passes_the_projects_own_page_checks(tmp_path):
    """Loaded as the pipeline loads a page it writes itself (_add_generated_page), with the bundled
    entries and with awkward ones: no problems, and nothing in it the safe HTML check refuses."""
    root = make_project(tmp_path / "project")
    project = Project.load(root / "mkdocs.yml")
    bundled = load_you_said(ROOT / "content" / DATA_FILE, dt.date.today(), page_files(ROOT / "content"))
    for entries, example in ((bundled, True), (ENTRIES, False)):
        text = you_said_page(entries, "Adult Social Care information team", TODAY, example)
        page, problems = load_page(project.content_dir / PAGE, project.content_dir, PAGE, project.settings,
                                   project.rules(TODAY), text=text)
        assert [str(p) for p in problems] == []
        assert page.title == "You said, we did" and page.meta["status"] == "approved"
        assert page.meta["audio"] is True
        html = markdown.markdown(page.body, extensions=EXTENSIONS)
        assert check_rendered(html, f"content/{PAGE}", page.body, page.body_line) == []
    assert measure(you_said_page(bundled, "o", TODAY, True).split("\n---\n", 1)[1]).reading_ease >= 60
