"""Property tests (hypothesis): whatever an editor writes, the readers of content answer with
Problems, never a traceback, and the checks that keep pages safe and readable hold for every input.

Each property runs a bounded number of examples from a fixed seed (derandomize), so a run is
repeatable and quick. A bug found this way is not fixed here: it has its own test, with the exact
input, marked xfail(strict=True), and the generators keep clear of that kind of input (each place
says which test it is for) so that the other properties keep guarding everything else. When a bug
is fixed its xfail test passes, and so fails, being strict: remove the mark and the exclusion.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from pathlib import Path

import nh3
import pytest
import tinyhtml5
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearinfo.content.easyread import Chunk, Heading, load_easy_read, parse_blocks
from clearinfo.content.glossary import link_first_uses, load_glossary
from clearinfo.content.pages import FIELDS as PAGE_FIELDS, STATUSES, Page, PageRules, load_page
from clearinfo.content.references import References
from clearinfo.content.safe_html import (ALLOWED_ATTRIBUTES, ALLOWED_TAGS, GLOBAL_ATTRIBUTES, URL_SCHEMES,
                                         check_rendered, check_source)
from clearinfo.content.settings import PLACEHOLDER, Settings, fill_placeholders, find_placeholders
from clearinfo.content.yamlnodes import load_data_file
from clearinfo.errors import Problem

ROOT = Path(__file__).resolve().parents[1]
SHOWN = "content/x.md"
TODAY = dt.date(2026, 6, 1)

EXAMPLES = settings(max_examples=200, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(EXAMPLES, max_examples=100)

REFERENCES = References.load(ROOT / "content" / "references.yml")
DUTIES = set((load_data_file(ROOT / "content" / "duties.yml", "duties").get("duties") or {}).keys())
RULES = PageRules(today=TODAY, references=REFERENCES, known_duties=DUTIES)
COUNCIL = Settings(council={"name": "Smith & Jones <Council>", "phone": "01632 960000",
                            "email": "care@example.org", "address": ["Town Hall", "1 Example Street"]})


def assert_problems(problems, shown=SHOWN, *, first_line=1, last_line=None):
    """Every Problem says where (the file it was asked about, a line that exists or none) and what."""
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem), p
        assert p.path == shown, p
        assert p.line is None or (type(p.line) is int and p.line >= first_line), p
        if last_line is not None and p.line is not None:
            assert p.line <= last_line, p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.severity in ("error", "warning"), p


def last_line_of(text: str) -> int:
    """The highest line a problem in `text` can point at: its last line, or the one after it
    (where a missing ending or an empty body is reported)."""
    return len(text.splitlines()) + 1


# Tricks where Python's HTML parser and browsers part ways; safe_html reads them as browsers do.
COMMENT_TRICKS = ["<!-->", "<!--->", "<!-- --!>"]


# --- Front matter ----------------------------------------------------------------------------------

YAML_TAGS = ["!!python/object:os.system", "!!python/object/apply:os.system", "!!python/name:builtins.eval",
             "!ENV", "!custom", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary",
             "!!set", "!!omap", "!!pairs", "!!map", "!!seq", "!!merge", "!!value", "!<tag:yaml.org,2002:int>"]

free_text = st.text(max_size=30)
words = st.text(st.characters(categories=("L", "N"), exclude_characters="\x85"), min_size=1, max_size=8)
# Huge numbers. Integers PyYAML makes from hex, octal, binary or base 60 have no digit limit, but str()
# of one with more than 4300 digits raises (see test_huge_hexadecimal_number_is_a_content_error):
# these stay below that; decimal ones fail to convert and are kept as text, so they may be any size.
huge_numbers = st.one_of(
    st.integers(-10**40, 10**40).map(str),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 3000).map(lambda n: "0x" + "f" * n),
    st.integers(1, 4000).map(lambda n: "0" + "7" * n),
    st.integers(1, 10000).map(lambda n: "0b" + "1" * n),
    st.integers(1, 60).map(lambda n: ":".join(["59"] * n)),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e400", "-1e400", ".inf", "-.Inf", ".NaN", "1_000", "0o17", "+12", "1.5e3", "0.", "-0"]),
)
dates = st.one_of(
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
    st.sampled_from(["2027-02-30", "2026-02-29", "2028-02-29", "2026-13-01", "2026-1-1", "2026-03-01T10:00:00",
                     "2026-03-01 10:00:00 +01:00", "99999-01-01", "2026-03-01x", "'2026-03-01'", "2026/03/01"]),
)
known_words = st.sampled_from(list(STATUSES) + ["Draft", "approved ", "true", "false", "yes", "No", "on", "OFF",
                                                "~", "null", "NULL", "", "pl", "en-GB", "EN", "x-", "carers-services",
                                                "003_8c4143861d2e16af.txt:703-711", "003_8c4143861d2e16af.txt:9-1",
                                                "care-act.txt:1-5", "https://www.example.org/", "{{ council.fax }}",
                                                "<b>bold</b>", "complaints.md", "'quoted: colon'", '"a\\tb"'])
scalar = st.one_of(free_text, words, huge_numbers, dates, known_words,
                   free_text.map(lambda t: json.dumps(t, ensure_ascii=False)),
                   free_text.map(lambda t: "'" + t.replace("'", "''") + "'"))
flow = st.one_of(
    st.lists(scalar, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.dictionaries(words, scalar, max_size=3).map(lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"),
    st.just("[a, [b, {c: [d]}]]"),
)
inline_value = st.one_of(
    scalar, flow,
    st.tuples(st.sampled_from(YAML_TAGS), scalar | flow).map(" ".join),
    # Anchors only on scalars and on flow collections with no alias in them, so no alias can
    # point into itself (see test_recursive_yaml_alias_is_a_content_error).
    st.tuples(st.sampled_from(["a", "b"]), words | flow).map(lambda p: f"&{p[0]} {p[1]}"),
    st.sampled_from(["*a", "*b", "*undefined", "&", "*", "|\n  block text", ">\n  folded\n  text", "|-"]),
)
indent = st.sampled_from(["  ", "    ", " ", "\t", "  \t", "\t  ", "   "])
nested_line = st.one_of(
    st.tuples(indent, inline_value).map(lambda p: f"{p[0]}- {p[1]}"),
    st.tuples(indent, words, inline_value).map(lambda p: f"{p[0]}{p[1]}: {p[2]}"),
    st.tuples(indent, words).map(lambda p: f"{p[0]}- {p[1]}:\n{p[0]}    - deeper"),
)
key = st.one_of(st.sampled_from(list(PAGE_FIELDS)), st.sampled_from(list(PAGE_FIELDS)),
                st.sampled_from(["titel", "prnt", "colour", "Title", "<<", "1", "? complex", "[a, b]", "'quoted'",
                                 "title ", "séance", "\tstatus", "- title"]),
                st.text(min_size=1, max_size=10))
entry = st.one_of(
    st.tuples(key, inline_value).map(lambda p: f"{p[0]}: {p[1]}"),
    st.tuples(key, st.lists(nested_line, min_size=1, max_size=4)).map(lambda p: f"{p[0]}:\n" + "\n".join(p[1])),
    st.tuples(key, st.sampled_from(["", " ", "\t", " # comment"])).map(lambda p: f"{p[0]}:{p[1]}"),
    st.sampled_from(["# a comment", "", "   ", "- item", "key", ": x", "%YAML 1.1", "? a\n: b", "title: a: b",
                     "title: &a\n  - x", "  indented: wrongly", "title: 'unclosed", "title: [unclosed",
                     "title: {a: 1", "\ttitle: tabbed", "title:\tvalue"]),
    free_text,
)
body_line = st.one_of(
    free_text,
    st.sampled_from(["## A heading", "# A second main heading", "#no space", "Phone {{ council.phone }}.",
                     "Fax {{ council.fax }}.", "{{ phone }}", "{{ council.name }} & {{council.email}}",
                     "<script>alert(1)</script>", "[Help](javascript:alert(1))", "<![CDATA[x]]>", "<![if x]>",
                     '<abbr title="National Health Service">NHS</abbr>', "```", "~~~", "`<script>`",
                     "<img src=x onerror=alert(1)>", "[x]: data:text/html,hi", "<!-- note -->", "<?php ?>",
                     "<!doctype html>", "<https://www.example.org/>", '<div markdown="1">Words</div>', "---", "...",
                     *COMMENT_TRICKS, "<![foo[", "<![ x"]),
)
front_matter_texts = st.builds(
    lambda opening, entries, closing, body: opening + "".join(e + "\n" for e in entries) + closing
    + "".join(b + "\n" for b in body),
    st.sampled_from(["---\n", "---\n", "--- \n", "---\r\n", "\ufeff---\n", "---"]),
    st.lists(entry, max_size=12),
    st.sampled_from(["---\n", "---\n", "...\n", "--- \n", "", "---"]),
    st.lists(body_line, max_size=8),
)


def load(text: str):
    return load_page(Path("/c/x.md"), Path("/c"), SHOWN, COUNCIL, RULES, text=text)


def assert_loaded(text: str):
    page, problems = load(text)
    assert page is None or isinstance(page, Page)
    assert_problems(problems, first_line=1, last_line=last_line_of(text))
    if page is None:
        assert any(p.is_error for p in problems), "a page is refused only with a reason"
    else:
        assert not any(p.is_error for p in problems)
        assert isinstance(page.meta["title"], str) and page.meta["title"]
        assert isinstance(page.body, str) and type(page.body_line) is int and page.body_line >= 2
        assert all(type(n) is int and n >= 1 for n in page.lines.values()), page.lines
    return page, problems


@EXAMPLES
@given(st.one_of(st.text(), st.text().map(lambda t: "---\n" + t), st.text().map(lambda t: "---\n" + t + "\n---\n"))
       )
def test_any_text_is_read_or_explained(text):
    assert_loaded(text)


@EXAMPLES
@given(front_matter_texts)
def test_any_front_matter_is_read_or_explained(text):
    assert_loaded(text)


plain_words = st.lists(st.text("abcdefghijklmnopqrstuvwxyzéß", min_size=2, max_size=8), min_size=2, max_size=6)
shown_text = st.text(st.characters(categories=("L", "N", "P", "Zs", "S"), exclude_characters="<{}"),
                     min_size=1, max_size=40).filter(lambda t: t.strip())
valid_dates = st.dates(dt.date(2000, 1, 1), TODAY)


def page_text(title="Support for carers", summary="What carers can get.", owner="Care team", status="approved",
              groups=("Carers' group",), last=dt.date(2026, 3, 1), due=dt.date(2027, 3, 1), covers=(),
              flags=(False, True)) -> str:
    """A page whose details are all as the content model wants them."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - a YAML double-quoted scalar
    return "---\n" + "".join(f"{line}\n" for line in [
        f"title: {q(title)}", f"summary: {summary}", f"owner: {q(owner)}", "coproduced_with:",
        *[f"  - {q(g)}" for g in groups], f"status: {status}", f"last_reviewed: {last.isoformat()}",
        f"review_due: {due.isoformat()}", f"covers: [{', '.join(covers)}]", f"print: {str(flags[0]).lower()}",
        f"audio: {str(flags[1]).lower()}", "sources:", "  - 003_8c4143861d2e16af.txt:703-711",
        *([f"approved_by: {q(owner)}", f"approved_on: {last.isoformat()}"] if status == "approved" else []),
        "---", "", "## What you can get", "", "Carers can get support."])


@EXAMPLES
@given(title=shown_text, summary=plain_words.map(" ".join), owner=shown_text, status=st.sampled_from(STATUSES),
       groups=st.lists(shown_text, min_size=1, max_size=3), last=valid_dates, gap=st.integers(1, 3000),
       covers=st.lists(st.sampled_from(sorted(DUTIES)), max_size=3), flags=st.tuples(st.booleans(), st.booleans()))
def test_well_formed_front_matter_gives_the_page_as_written(title, summary, owner, status, groups, last, gap,
                                                           covers, flags):
    due = last + dt.timedelta(days=gap)
    page, problems = assert_loaded(page_text(title, summary, owner, status, groups, last, due, covers, flags))
    assert page is not None, [str(p) for p in problems]
    assert page.meta["title"] == title.strip() and page.meta["owner"] == owner.strip()
    assert page.meta["summary"] == summary
    assert page.meta["coproduced_with"] == [g.strip() for g in groups]
    assert (page.meta["status"], page.meta["last_reviewed"], page.meta["review_due"]) == (status, last, due)
    assert (page.meta["covers"], page.meta["print"], page.meta["audio"]) == (covers, *flags)
    assert page.body_line == len(groups) + 15 + 2 * (status == "approved") and page.body.startswith("\n## What you can get")


def _mutate(good: str, changes) -> str:
    lines = good.splitlines()
    for kind, where, new in changes:
        details = lines.index("---", 1) - 1
        if details < 1:
            break
        i = 1 + where % details  # a line of the details
        key = lines[i].partition(":")[0]
        if kind == "value" and not key.startswith(" "):
            lines[i] = f"{key}: {new}"
        elif kind == "line":
            lines[i] = new
        elif kind == "insert":
            lines.insert(i, new)
        elif kind == "delete":
            del lines[i]
    return "\n".join(lines) + "\n"


# One good page with a few of its details changed: every detail's check meets odd values.
mutated_pages = st.builds(
    _mutate, st.just(page_text()),
    st.lists(st.one_of(st.tuples(st.just("value"), st.integers(0, 100), inline_value),
                       st.tuples(st.just("value"), st.integers(0, 100), inline_value),
                       st.tuples(st.sampled_from(["line", "insert"]), st.integers(0, 100), entry | nested_line),
                       st.tuples(st.just("delete"), st.integers(0, 100), st.none())), min_size=1, max_size=3),
)


@EXAMPLES
@given(mutated_pages)
def test_a_good_page_with_odd_details_is_read_or_explained(text):
    assert_loaded(text)


def test_huge_hexadecimal_number_is_a_content_error():
    text = "---\ntitle: 0x" + "f" * 3600 + "\n---\n"
    page, problems = load(text)  # ValueError: Exceeds the limit (4300 digits) for integer string conversion
    assert page is None and problems


def test_recursive_yaml_alias_is_a_content_error():
    page, problems = load("---\ntitle: &a [*a]\n---\n")  # RecursionError: maximum recursion depth exceeded
    assert page is None and problems


def test_unknown_marked_section_in_a_page_is_a_content_error():
    page, problems = load("---\ntitle: x\n---\n<![foo[\n")  # AssertionError: unknown status keyword 'foo' ...
    assert page is None and problems


# --- Easy Read -------------------------------------------------------------------------------------

easy_line = st.one_of(
    free_text,
    st.sampled_from(["picture: phone", "Picture:", "alt: A telephone", "ALT : x", "## A heading", "#", "##",
                     "# Main", "Phone us.", "We will help you!", 'He said "Stop." Then go.', "(On Monday.) Come in.",
                     "Is it ok? Yes.", "x: y", "{{ council.phone }}", "{{ council.fax }}", "<b>bold</b>", "",
                     "   ", "\t", "...", "!?.", "picture: phone\nalt:\nA chunk.", "\u2028", "\x0c"]),
)
easy_bodies = st.lists(easy_line, max_size=20).map("\n".join)


@EXAMPLES
@given(easy_bodies | st.text(), st.integers(1, 10_000))
def test_any_easy_read_body_parses_into_ordered_blocks(body, first_line):
    blocks, problems = parse_blocks(body, first_line)
    assert_problems(problems, first_line=first_line)
    last = first_line + len(body.splitlines()) - 1
    lines = [b.line for b in blocks]
    assert lines == sorted(set(lines)), "blocks come in order, one a line at most"
    for b in blocks:
        assert isinstance(b, (Chunk, Heading))
        assert first_line <= b.line <= last
        if isinstance(b, Chunk):
            assert [s.line for s in b.sentences] == sorted(s.line for s in b.sentences)
            for s in b.sentences:
                assert b.line <= s.line <= last and s.text and s.text == s.text.strip()


sentence_text = st.lists(st.one_of(st.text("abcdefghijkl", min_size=1, max_size=6),
                                   st.sampled_from(["(on", "Monday)", '"Stop"', "it's", "[1]", "3.5", "e.g.", "—"])),
                         min_size=1, max_size=6).map(" ".join)
sentence_line = st.builds(lambda a, end, closing, b: (a + end + closing + (" " + b if b else "")).strip(),
                          sentence_text, st.sampled_from([".", "!", "?", "", "..."]),
                          st.sampled_from(["", ")", '"', "')", "]"]), st.one_of(st.just(""), sentence_text))
chunk_source = st.tuples(st.one_of(st.none(), st.text("abc-", min_size=1, max_size=8)),
                         st.one_of(st.none(), sentence_text), st.lists(sentence_line, min_size=1, max_size=4))
block_source = st.one_of(st.tuples(st.just("heading"), sentence_text), st.tuples(st.just("chunk"), chunk_source))


def _without(text: str, chars: str) -> str:
    return re.sub(f"[\\s{re.escape(chars)}]", "", text)


def _easy_body(spec, gaps):
    lines = []
    for (kind, content), gap in zip(spec, gaps):
        if kind == "heading":
            lines.append("## " + content)
        else:
            picture, alt, sentences = content
            lines += ([f"picture: {picture}"] if picture is not None else []) + \
                     ([f"alt: {alt}"] if alt is not None else []) + sentences
        lines += gap
    return "\n".join(lines)


def assert_easy_blocks_as_written(spec, blocks, dropped=""):
    assert [type(b).__name__.lower() for b in blocks] == [kind for kind, _ in spec]
    for (kind, content), block in zip(spec, blocks):
        if kind == "heading":
            assert block.text == content.strip()
            continue
        picture, alt, sentences = content
        assert (block.picture, block.alt) == (picture, alt.strip() if alt is not None else None)
        assert block.sentences
        written = _without("".join(block_text.text for block_text in block.sentences), dropped)
        assert written == _without("".join(sentences), dropped), "every word of the chunk is kept, in order"


@EXAMPLES
@given(st.lists(block_source, min_size=1, max_size=6), st.data())
def test_easy_read_chunks_and_headings_are_read_as_written(spec, data):
    gaps = [data.draw(st.lists(st.sampled_from(["", " ", "\t"]), min_size=1, max_size=2)) for _ in spec]
    blocks, problems = parse_blocks(_easy_body(spec, gaps), 10)
    assert problems == []
    # The closing brackets and quotes after a full stop are left out of the comparison: see
    # test_easy_read_keeps_a_closing_bracket_after_a_full_stop.
    assert_easy_blocks_as_written(spec, blocks, dropped="\"')]")


def test_easy_read_keeps_a_closing_bracket_after_a_full_stop():
    spec = [("chunk", ("phone", None, ["Phone us (on Monday.) Then come.", 'He said "Stop." Then go.']))]
    blocks, _ = parse_blocks(_easy_body(spec, [[""]]), 10)
    # Sentences come out as 'Phone us (on Monday.' and 'He said "Stop.'
    assert_easy_blocks_as_written(spec, blocks)


EASY_HEAD = ("---\ntitle: Making a complaint\npage: complaints.md\nwritten_by: Adult Social Care information team\n"
             "checked_by:\n  - People who use services\nlast_reviewed: 2026-05-23\nreview_due: 2027-05-23\n---\n\n")


@FEWER
@given(st.one_of(easy_bodies.map(lambda b: EASY_HEAD + b), front_matter_texts, st.text(),
                 st.binary(max_size=200)))
def test_any_easy_read_file_is_read_or_explained(tmp_path_factory, source):
    folder = tmp_path_factory.getbasetemp() / "easyread-properties"
    folder.mkdir(exist_ok=True)
    path = folder / "topic.md"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    read_as = path.read_text(encoding="utf-8", errors="replace")
    doc, problems = load_easy_read(path, "easyread/topic.md", COUNCIL, RULES)
    assert_problems(problems, "easyread/topic.md", last_line=last_line_of(read_as))
    if doc is None:
        assert any(p.is_error for p in problems)
    else:
        assert not any(p.is_error for p in problems) and doc.chunks and doc.topic == "topic"


# --- Placeholders ----------------------------------------------------------------------------------

FIELD_NAMES = ["name", "phone", "textphone", "email", "address", "opening_hours", "website", "fax"]
risky_value = st.text(st.sampled_from(list("<>&\"' abcé{}\n")) | st.characters(), max_size=20)
council = st.dictionaries(st.sampled_from(FIELD_NAMES),
                          st.one_of(risky_value, st.lists(risky_value, max_size=3), st.none(),
                                    st.integers(), st.dictionaries(words, risky_value, max_size=2)),
                          max_size=6)
placeholder = st.one_of(
    st.builds("{{{{{}council.{}{}}}}}".format, st.sampled_from(["", " ", "  "]), st.sampled_from(FIELD_NAMES),
              st.sampled_from(["", " ", "\t"])),
    st.sampled_from(["{{ phone }}", "{{council.}}", "{{ council.Phone }}", "{{ }}", "{{", "}}", "{ {", "{{{ council.name }}}",
                     "{{ council.name }}}}", "{{ council.x.y }}", "{{ council.name"]),
)


def texts_with(line_breaks, free):
    return st.lists(st.one_of(placeholder, free, st.sampled_from(line_breaks)), max_size=12).map("".join)


any_line_breaks = texts_with(["\n", "\r\n", "\r", "\u2028", "\x0c", "<", "&amp;", '"'], st.text(max_size=10))
# Only '\n' ends a line here (see test_a_placeholder_ending_in_a_line_separator_is_reported).
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
newline_only = texts_with(["\n", "<", "&amp;", '"'],
                          st.text(st.characters(exclude_characters=_LINE_BREAKS + "\n"), max_size=10))


@EXAMPLES
@given(any_line_breaks, council, st.integers(1, 500))
def test_placeholders_never_raise_and_filled_html_adds_no_markup(text, values, first_line):
    s = Settings(council=values)
    assert_problems(find_placeholders(text, s, SHOWN, first_line), first_line=first_line,
                    last_line=first_line + len(text.splitlines()) - 1)
    assert isinstance(fill_placeholders(text, s), str)
    filled = fill_placeholders(text, s, for_html=True)
    for char in "<>\"'":
        assert filled.count(char) <= text.count(char), f"a setting added {char!r} to the HTML"
    for name in values:
        shown = s.text(f"council.{name}")
        if shown is not None:
            alone = fill_placeholders(f"{{{{ council.{name} }}}}", s, for_html=True)
            assert "<" not in alone and html.unescape(alone) == shown, "a setting shows as itself"


@EXAMPLES
@given(newline_only, council.map(lambda d: {k: v for k, v in d.items() if "{" not in str(v)}))
def test_every_placeholder_left_unfilled_was_reported(text, values):
    s = Settings(council=values)
    reported = find_placeholders(text, s, SHOWN, 1)
    left = PLACEHOLDER.search(fill_placeholders(text, s, for_html=True))
    assert bool(reported) == bool(left), (reported, left)


def test_a_placeholder_ending_in_a_line_separator_is_reported():
    text = "Fax us on {{ council.fax\u2028}}."
    assert PLACEHOLDER.search(fill_placeholders(text, COUNCIL, for_html=True))  # left on the page...
    assert find_placeholders(text, COUNCIL, SHOWN, 1)  # ...but not reported: []


# --- Glossary --------------------------------------------------------------------------------------

GLOSSARY, GLOSSARY_PROBLEMS = load_glossary(ROOT / "content" / "glossary.yml", "content/glossary.yml",
                                            References.load(ROOT / "content" / "references.yml"))
FORMS = sorted({f for t in GLOSSARY.terms for f in t.forms})
SKIP = ["a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style", "dt", "button", "label",
        "summary", "abbr", "svg", "title"]

glossary_word = st.one_of(st.sampled_from(FORMS), st.sampled_from(FORMS).map(str.lower),
                          st.sampled_from(FORMS).map(str.upper), st.text("abcdefghij-'", min_size=1, max_size=8))
separator = st.one_of(st.just(" "), st.sampled_from(["-", "'s ", ", ", ". ", "\n", "", "&amp;", "&lt;", "&gt;",
                                                     "&nbsp;", "&#39;", "&quot;", "&copy;", "&#x2014;", "<br>",
                                                     "<br/>", "<!-- carer -->"]))
html_text = st.lists(st.tuples(glossary_word.map(html.escape), separator).map("".join), max_size=8).map("".join)
attr_value = st.lists(glossary_word, max_size=3).map(lambda ws: html.escape(" ".join(ws), quote=True))
html_tag = st.one_of(st.sampled_from(["p", "li", "span", "strong", "em", "div", "td", "dd", "blockquote", "mark",
                                      "q", "ul", "section"]), st.sampled_from(SKIP))


def _element(children):
    return st.builds(
        lambda tag, attrs, inner: f"<{tag}{attrs}>{''.join(inner)}</{tag}>",
        html_tag,
        st.lists(st.tuples(st.sampled_from(["class", "title", "lang", "id", "data-x", "aria-label", "href"]),
                           attr_value), max_size=2).map(lambda a: "".join(f' {k}="{v}"' for k, v in a)),
        st.lists(children, max_size=3))


html_fragment = st.recursive(
    st.one_of(html_text, html_text, st.sampled_from(['<img alt="Carer" src="carer.png">', "<hr/>", "<a/>", "<code/>",
                                                     "</code data-stray>", "</a data-stray>"])),
    _element, max_leaves=12).map(lambda s: s if isinstance(s, str) else "".join(s))
pages_html = st.lists(html_fragment, min_size=1, max_size=4).map("".join)


def test_the_glossary_loads_the_way_the_build_loads_it():
    assert GLOSSARY_PROBLEMS == [] and len(FORMS) > 60


@EXAMPLES
@given(pages_html, st.sampled_from(["../words-we-use/", "", "w/?a=1&b=\"2\"", "../"]))
def test_linking_glossary_terms_only_adds_links(page_html, url):
    out = link_first_uses(page_html, GLOSSARY, url)
    before, after = BeautifulSoup(page_html, "html.parser"), BeautifulSoup(out, "html.parser")
    assert after.get_text() == before.get_text()
    links = after.select("a.ci-term")
    slugs = [a["href"].rsplit("#", 1)[1] for a in links]
    assert len(slugs) == len(set(slugs)), "only the first use of each term is linked"
    for a in links:
        assert a["href"] == f"{url}#{a['href'].rsplit('#', 1)[1]}"
        if "data-stray" not in page_html:  # see test_a_stray_closing_tag_does_not_let_a_link_into_a_link
            assert not a.find_parent(SKIP), "never inside a heading, a link, code or the like"
        assert GLOSSARY.find(a.get_text()) is not None
        a.unwrap()
    assert str(after) == str(before), "taking the links out again gives the page as it was"


def test_a_term_inside_an_attribute_value_is_not_linked():
    # A '>' inside a quoted attribute value (HTML allows it) once ended the tag early, and a link was
    # written inside the attribute: '<span title="Over 65 > <a class="ci-term" ...>carer</a>">'.
    page_html = '<p><span title="Over 65 > carer">Help</span></p>'
    out = link_first_uses(page_html, GLOSSARY, "../words-we-use/")
    assert out == page_html and BeautifulSoup(out, "html.parser").get_text() == "Help"
    # Its twin: the same word in the text is linked, and so is one after a comment with a '>' in it.
    out = link_first_uses('<p><span title="Over 65 > x">A carer</span></p>', GLOSSARY, "../words-we-use/")
    assert BeautifulSoup(out, "html.parser").select_one("a.ci-term").get_text() == "carer"
    out = link_first_uses("<p><!-- a > b --> A carer</p>", GLOSSARY, "../words-we-use/")
    assert out.count("ci-term") == 1 and "<!-- a > b -->" in out


def test_html_after_an_abruptly_closed_comment_is_checked():
    markdown = "<!--><img src=x onerror=alert(1)><!-- -->"
    assert _unsafe(markdown) == ["onerror"]  # a browser runs it (the page's policy is then the only guard)
    assert check_source(markdown, SHOWN, 1)  # []
    assert check_rendered(markdown, SHOWN, markdown, 1)  # [] (Markdown passes this HTML through unchanged)


def test_a_stray_closing_tag_does_not_let_a_link_into_a_link():
    # A closing tag with no opening one no longer counts below 0 (glossary.link_first_uses).
    out = link_first_uses('<p>Words</a></p><p><a href="abuse.md">Abuse</a></p>', GLOSSARY, "../words-we-use/")
    # out: '...<a href="abuse.md"><a class="ci-term" href="../words-we-use/#abuse">Abuse</a></a>...'
    assert "ci-term" not in out


# --- The sanitiser ---------------------------------------------------------------------------------

_SCHEME_TRICKS = ["javascript", "JaVaScRiPt", "jav&#x09;ascript", "jav\tascript", "java\nscript", "java\rscript",
                  "&#106;avascript", "&#x6A;avascript", "&#0000106avascript", "javascript&colon;",
                  "java&Tab;script", "java&NewLine;script", " javascript", "\x01javascript", "\x00javascript",
                  "vbscript", "data", "https", "http", "mailto", "tel", "HTTPS", "ftp", "file"]
url_value = st.one_of(
    st.builds(lambda scheme, rest: scheme + ("" if scheme.endswith(";") else ":") + rest,
              st.sampled_from(_SCHEME_TRICKS), st.sampled_from(["alert(1)", "//x.example/", "a@example.org",
                                                                "text/html,<script>alert(1)</script>", "01632"])),
    st.sampled_from(["page.md", "#top", "//evil.example/x", "\\\\evil", "pictures/a.png", "", "?q=1", "a b"]),
)
attr_name = st.one_of(st.sampled_from(sorted(GLOBAL_ATTRIBUTES | {a for v in ALLOWED_ATTRIBUTES.values() for a in v})),
                      st.sampled_from(["onclick", "onload", "onerror", "ONMOUSEOVER", "onfocus", "on", "style",
                                       "target", "rel", "srcset", "formaction", "xlink:href", "data-x", "href",
                                       "src", "action", "background", "markdown", "aria-hidden", "nonce"]),
                      st.from_regex(r"[a-z][a-z-]{0,6}", fullmatch=True))
plain_value = st.one_of(st.text(max_size=12), st.sampled_from(["alert(1)", "1", "col", "en", "x>y", "a\"b", "'"]))


def _attribute(name, value, quote, separator):
    if value is None:
        return separator + name
    if quote == '"':
        return f'{separator}{name}="{value.replace(chr(34), "&quot;")}"'
    if quote == "'":
        return f"{separator}{name}='{value.replace(chr(39), '&#39;')}'"
    if value and re.fullmatch(r"[^\s\"'=<>`]+", value):
        return f"{separator}{name}={value}"
    return f'{separator}{name}="{html.escape(value)}"'


attribute = st.builds(_attribute, attr_name, st.one_of(st.none(), url_value, plain_value),
                      st.sampled_from(['"', "'", ""]), st.sampled_from([" ", " ", "\n", "\t", "/", "  "]))
# Parts of a table, which an HTML parser drops outside one: _table writes them in their place.
TABLE_PARTS = {"td", "th", "tr", "thead", "tbody", "tfoot", "caption", "col", "colgroup"}
sanitiser_tag = st.one_of(st.sampled_from(sorted(ALLOWED_TAGS - TABLE_PARTS)),
                          st.sampled_from(["script", "SCRIPT", "ScRiPt", "svg", "math", "iframe", "style", "textarea",
                                           "title", "noscript", "template", "object", "embed", "form", "h1", "blink",
                                           "x-y", "base", "meta", "link", "font", "A", "IMG", "P"]))
sanitiser_text = st.one_of(st.text(st.characters(exclude_characters="<&`"), max_size=10),
                           st.sampled_from(["&amp;", "&lt;script&gt;", "<!-- c -->", "<!-- -- >", "<!x>", "<?x>",
                                            "<![CDATA[x]]>", "<![CDATA[ > ]]>", "<!doctype html>", "</p foo=bar>", "<",
                                            "a < b", "</>", "<3", *COMMENT_TRICKS, "<![foo["]))


def _sanitiser_element(children):
    return st.builds(
        lambda tag, attrs, close, inner, end: (f"<{tag}{''.join(attrs)}{close}" + "".join(inner)
                                               + (f"</{tag}>" if end else "")),
        sanitiser_tag, st.lists(attribute, max_size=3), st.sampled_from([">", ">", " >", "/>"]),
        st.lists(children, max_size=3), st.booleans())


def _table(cells):
    row = st.lists(st.builds(lambda tag, attrs, inner: f"<{tag}{''.join(attrs)}>{inner}</{tag}>",
                             st.sampled_from(["td", "th"]), st.lists(attribute, max_size=2), cells),
                   min_size=1, max_size=2).map(lambda cs: "<tr>" + "".join(cs) + "</tr>")
    return st.builds(lambda caption, attrs, rows: f"<table><caption{attrs}>{caption}</caption>"
                     f"<colgroup><col span=\"2\"></colgroup><tbody>{''.join(rows)}</tbody></table>",
                     sanitiser_text, st.lists(attribute, max_size=2).map("".join), st.lists(row, min_size=1,
                                                                                                 max_size=2))


snippets = st.recursive(sanitiser_text, lambda c: st.one_of(_sanitiser_element(c), _table(c)),
                        max_leaves=8)


def _allowed_element(children):
    """Mostly what the lists allow, so that many pass and the soundness property has work to do."""
    def build(tag, data):
        names = sorted(ALLOWED_ATTRIBUTES.get(tag, set()) | GLOBAL_ATTRIBUTES)
        name = st.one_of(st.sampled_from(names), st.sampled_from(names), attr_name)
        attrs = data.draw(st.lists(st.builds(_attribute, name, st.one_of(url_value, plain_value),
                                             st.sampled_from(['"', "'", ""]), st.sampled_from([" ", "\n", "/"])),
                                   max_size=3))
        inner = data.draw(st.lists(children, max_size=3))
        return f"<{tag}{''.join(attrs)}>" + "".join(inner) + f"</{tag}>"
    return st.builds(build, st.sampled_from(sorted(ALLOWED_TAGS - TABLE_PARTS)), st.data())


allowed_snippets = st.recursive(sanitiser_text, lambda c: st.one_of(_allowed_element(c), _table(c)),
                                max_leaves=6)


def _elements(markup: str):
    """The elements a browser makes of markup (an HTML5 parser), with their attributes."""
    body = tinyhtml5.parse(markup, namespace_html_elements=False).find("body")
    return [] if body is None else [e for e in body.iter() if isinstance(e.tag, str)][1:]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _browser_scheme(url: str) -> str | None:
    """The scheme as a browser reads it (WHATWG URL): leading and trailing C0 controls and spaces
    stripped, tabs and line breaks removed anywhere."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(chr(c) for c in range(0x21))))
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return m.group(1).lower() if m else None


def _unsafe(markup: str) -> list[str]:
    found = []
    for e in _elements(markup):
        if _local(e.tag) == "script":
            found.append("<script>")
        for name, value in e.attrib.items():
            if _local(name).startswith("on"):
                found.append(name)
            if _local(name) in ("href", "src") and _browser_scheme(value) == "javascript":
                found.append(f"{name}={value!r}")
    return found


def _inventory(markup: str) -> Counter:
    return Counter((_local(e.tag), tuple(sorted(e.attrib.items()))) for e in _elements(markup))


def nh3_clean(markup: str) -> str:
    return nh3.clean(markup, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     link_rel=None, strip_comments=False)


markdownish = st.lists(st.one_of(snippets, body_line, st.sampled_from(
    ["```html", "<script>in code</script>", "```", "`<b onclick=x>`", "[Words](page.md)", "![A picture](a.png)",
     "![A picture](https://elsewhere.example/t.png)", "[x]: javascript:alert(1)", "<javascript:alert(1)>",
     "<https://www.example.org/>", "<name@example.org>", "Call us {: onclick=\"alert(1)\" }", "    indented"])),
    max_size=8).map("\n".join)


@EXAMPLES
@given(markdownish | st.text(), st.integers(1, 1000))
def test_checking_markdown_never_raises_and_points_at_its_lines(markdown, first_line):
    problems = check_source(markdown, SHOWN, first_line)
    assert_problems(problems, first_line=first_line, last_line=first_line + markdown.count("\n"))
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@EXAMPLES
@given(snippets | st.text(), markdownish | st.none(), st.integers(1, 1000))
def test_checking_html_never_raises_and_points_at_markdown_lines(page_html, markdown, first_line):
    problems = check_rendered(page_html, SHOWN, markdown, first_line)
    assert_problems(problems, first_line=first_line)
    if markdown is None:
        assert all(p.line is None for p in problems)
    else:
        assert all(p.line is None or p.line < first_line + len(markdown.splitlines()) for p in problems)


@EXAMPLES
@given(snippets | allowed_snippets)
def test_html_that_passes_is_html_the_sanitiser_keeps_whole(snippet):
    """Soundness: when check_rendered finds nothing, nh3 with the same lists removes nothing either,
    so nothing unsafe can pass unreported."""
    if check_rendered(snippet, SHOWN) == []:
        assert _inventory(nh3_clean(snippet)) == _inventory(snippet)


@EXAMPLES
@given(snippets | allowed_snippets)
def test_no_program_passes_the_checks(snippet):
    """A script element, an on* attribute or a javascript: address (however it is written) is always
    reported, in the page's HTML and in its Markdown."""
    unsafe = _unsafe(snippet)
    if unsafe:
        assert check_rendered(snippet, SHOWN), unsafe
        if "`" not in snippet and "~~~" not in snippet:  # Markdown shows what is in code as code
            assert check_source(snippet, SHOWN, 1), unsafe
