"""The author preview panel: beside each page in `clearinfo serve`, what the checks found on it,
in plain English, with the long sentences highlighted in place.

Only in the preview. Nothing here measures anything itself: the numbers and messages come from
the checks every build runs (lint/plain_language.py, lint/easy_read.py, content/pages.py,
content/reviews.py). This file gathers one page's results (`page_findings`), writes them as a box
(`panel_html`) and marks the long sentences in the page (`highlight_long_sentences`). The box's
styles are in preview_panel.css, a stylesheet only the preview links.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable

from .content.easyread import EasyReadDoc
from .content.glossary import Glossary
from .content.languages import in_site_language
from .content.pages import Page, PageRules, load_page
from .content.reviews import Due
from .content.settings import PLACEHOLDER, Settings
from .errors import Problem, WARNING
from .furniture import long_date
from .lint.plain_language import _lines, check_plain_language
from .lint.readability import measure
from .text import split_sentences

STYLESHEET = Path(__file__).with_name("preview_panel.css")
PANEL_CLASS = "clearinfo-author-panel"
MARK_CLASS = "clearinfo-long-sentence"
LABEL = "Checks on this page (only in the preview)"
DUE_SOON_DAYS = 60  # as `clearinfo reviews` lists what is due (its --within default)

# What the plain-language check's messages say (lint/plain_language.py): used to sort its findings
# into the panel's groups. A message that matches none of them still shows, under "Writing tips".
_LONG = re.compile(r"^this sentence has (\d+) words")
_JARGON = re.compile(r"^'(.+?)' is jargon")
_WORD = re.compile(r"[\w'’-]+")  # a word, counted as the long-sentence check counts them


@dataclass
class LongSentence:
    line: int
    words: int
    text: str  # as written in the Markdown: links as their words, placeholders as {{ council.phone }}


@dataclass
class Findings:
    """One page's check results, ready for the panel."""
    shown: str                       # the page's file, as the user sees it: content/carers.md
    title: str
    in_english: bool = True          # the plain-language checks read only English pages
    reading_ease: float | None = None
    reading_age: float | None = None
    ease_target: float = 60
    ease_below_target: bool = False  # the check said the page is harder to read than the target
    max_words: int = 25
    long_sentences: list[LongSentence] = field(default_factory=list)
    jargon: list[Problem] = field(default_factory=list)
    writing_tips: list[Problem] = field(default_factory=list)   # passive voice and anything else
    details: list[Problem] = field(default_factory=list)        # missing or wrong page details
    easy_read: str | None = None     # the Easy Read source's file, when the page has one
    easy_read_problems: list[Problem] = field(default_factory=list)
    last_reviewed: dt.date | None = None
    review_due: dt.date | None = None
    review_status: str = ""          # "overdue by 3 days", "due today", "due in 20 days"
    review_state: str = "ok"         # ok, soon or overdue
    other: list[Problem] = field(default_factory=list)          # anything else the build found

    @property
    def jargon_words(self) -> list[str]:
        return [m.group(1) for p in self.jargon if (m := _JARGON.match(p.message))]

    @property
    def count(self) -> int:
        """How many things the panel asks the author to look at."""
        return (int(self.ease_below_target) + len(self.long_sentences) + len(self.jargon) + len(self.details)
                + len(self.easy_read_problems) + int(self.review_state != "ok") + len(self.writing_tips)
                + len(self.other))


# --- Gathering ----------------------------------------------------------------------------------

def page_findings(page: Page, shown: str, glossary: Glossary, options: dict, today: dt.date, *,
                  settings: Settings | None = None, rules: PageRules | None = None,
                  easy_reads: Iterable[EasyReadDoc] = (), easy_read_rules=None,
                  problems: Iterable[Problem] = ()) -> Findings:
    """What the checks find on one page, gathered as Project._check_all runs them.

    settings, rules: the project's (Project.settings, Project.rules(today)), to read the page's details
    again; without settings the details are not checked here. easy_reads: the Easy Read documents (the
    page's own is found by its 'easy_read' or the document's 'page'); easy_read_rules: what
    Project.easy_read_rules(glossary) gives. problems: anything else the build found in this file
    (Checked.problems whose path is `shown`); those not already in a group are listed last."""
    meta = page.meta
    found = Findings(shown=shown, title=str(meta.get("title") or page.rel),
                     ease_target=float(options["reading_ease_target"]), max_words=int(options["max_sentence_words"]))
    shown_already: set = set()
    found.in_english = in_site_language(meta)
    if found.in_english:
        _plain_language(found, page, shown, glossary, options)
    if settings is not None:
        _details(found, page, shown, settings, rules or PageRules(
            today=today, summary_max_words=int(options.get("summary_max_words", 50))))
    doc = _easy_read_for(page, easy_reads)
    if doc is not None:
        found.easy_read = doc.shown
        if easy_read_rules is not None:
            found.easy_read_problems = easy_read_rules.check(doc)
    _review(found, meta, today)
    for group in (found.jargon, found.writing_tips, found.details):
        shown_already.update((p.line, p.message) for p in group)
    for p in problems:
        if p.path != shown or (p.line, p.message) in shown_already:
            continue
        if _LONG.match(p.message) or (p.line is None and found.ease_below_target and "reading ease" in p.message):
            continue  # the plain-language check's own findings, already in their groups
        shown_already.add((p.line, p.message))
        found.other.append(p)
    return found


def _plain_language(found: Findings, page: Page, shown: str, glossary: Glossary, options: dict) -> None:
    problems = check_plain_language(page, shown, glossary, found.ease_target, found.max_words,
                                    options.get("jargon") or {})
    r = measure(page.body)
    found.reading_ease, found.reading_age = round(r.reading_ease), r.reading_age
    long_lines: dict[int, list[int]] = {}
    for p in problems:
        if p.line is None:  # the reading-ease finding: the page is harder to read than the target
            found.ease_below_target = True
        elif m := _LONG.match(p.message):
            long_lines.setdefault(p.line, []).append(int(m.group(1)))
        elif _JARGON.match(p.message):
            found.jargon.append(p)
        else:
            found.writing_tips.append(p)
    found.long_sentences = _long_sentences(page, long_lines)


def _long_sentences(page: Page, long_lines: dict[int, list[int]]) -> list[LongSentence]:
    """The words of each sentence the check found too long: its line is read again the way the check
    reads it (lint/plain_language._lines), with each placeholder kept as written."""
    if not long_lines:
        return []
    kept: list[str] = []

    def keep(m):
        kept.append(m.group(0))
        return f"Xclearinfoplaceholder{len(kept) - 1}"

    same = SimpleNamespace(body=PLACEHOLDER.sub(keep, page.body), body_line=page.body_line)
    out = []
    for n, line in _lines(same):
        counts = long_lines.get(n)
        if not counts:
            continue
        for sentence in split_sentences(line):
            count = len(_WORD.findall(sentence))
            if count in counts:
                counts.remove(count)
                text = re.sub(r"Xclearinfoplaceholder(\d+)", lambda m: kept[int(m.group(1))], sentence)
                out.append(LongSentence(n, count, text))
    return out


def _details(found: Findings, page: Page, shown: str, settings: Settings, rules: PageRules) -> None:
    """The page's details (front matter) read and checked again, as the build reads them."""
    try:
        text = page.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # a page Clearinfo wrote itself, or one gone since the build began: nothing to say
    _, problems = load_page(page.path, page.path.parent, shown, settings, rules, text=text)
    due_line = page.lines.get("review_due")
    # The overdue warning is said under "Review dates" instead.
    found.details = [p for p in problems if not (p.severity == WARNING and p.line == due_line and due_line)]


def _easy_read_for(page: Page, docs: Iterable[EasyReadDoc]) -> EasyReadDoc | None:
    docs = list(docs)
    named = page.meta.get("easy_read")
    return (next((d for d in docs if named and d.topic == named), None)
            or next((d for d in docs if d.meta.get("page") == page.rel), None))


def _review(found: Findings, meta: dict, today: dt.date) -> None:
    found.last_reviewed, found.review_due = meta.get("last_reviewed"), meta.get("review_due")
    due = found.review_due
    if not isinstance(due, dt.date):
        return
    found.review_status = Due("", found.title, "", due).status(today)
    days = (due - today).days
    found.review_state = "overdue" if days < 0 else "soon" if days <= DUE_SOON_DAYS else "ok"


# --- The panel ----------------------------------------------------------------------------------

def panel_html(findings: Findings) -> str:
    """The box, as HTML: a complementary landmark named for what it is, headings after the page's
    h1, plain lists. No style attributes and no script: the preview keeps the site's
    Content-Security-Policy, and the box's styles are in preview_panel.css."""
    f = findings
    e = html.escape  # for attributes; _esc for text
    parts = [f'<aside class="{PANEL_CLASS}" aria-label="{e(LABEL)}">',
             f'<h2 class="{PANEL_CLASS}__title">Checks on this page</h2>',
             f'<p class="{PANEL_CLASS}__note"><strong>Only you can see this box.</strong> It shows in the '
             'preview, and it is never published.</p>']
    n = f.count
    parts.append(f"<p>{'We found nothing to change: well done.' if n == 0 else _things(n)}</p>")

    def group(title: str, items: list[str]) -> None:
        parts.append(f'<h3 class="{PANEL_CLASS}__group">{_esc(title)}</h3>')
        parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")

    group("Reading ease", [_ease_line(f)])
    group("Long sentences", _long_lines(f))
    if not f.in_english:
        group("Hard words", ["Not checked: the plain English checks read only pages in English."])
    elif f.jargon:
        group("Hard words", [_esc(_count(len(f.jargon), "word may be jargon", "words may be jargon")
                               + " that Words we use does not explain.")] + [_problem(p) for p in f.jargon])
    else:
        group("Hard words", ["We found no jargon that needs explaining: good."])
    if f.details:
        group("Page details", [_esc("Check the details at the top of the page (between the '---' lines).")]
              + [_problem(p) for p in f.details])
    else:
        group("Page details", ["The page has all its details: good."])
    group("Easy Read version", _easy_read_lines(f))
    group("Review dates", _review_lines(f))
    if f.writing_tips:
        group("Writing tips", [_problem(p) for p in f.writing_tips])
    if f.other:
        group("Other things to check", [_problem(p) for p in f.other])
    parts.append("</aside>")
    return "\n".join(parts)


def _esc(text: str) -> str:
    """Text for the page: <, > and & made safe; quotes left as they are, for people reading the source."""
    return html.escape(text, quote=False)


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


def _things(n: int) -> str:
    return f"There {'is' if n == 1 else 'are'} {_count(n, 'thing', 'things')} to look at."


def _problem(p: Problem) -> str:
    message = p.message[:1].upper() + p.message[1:]
    where = f"Line {p.line}: " if p.line else ""
    must = "<strong>Must fix:</strong> " if p.is_error else ""
    return must + _esc(where + message)


def _ease_line(f: Findings) -> str:
    if not f.in_english or f.reading_ease is None:
        return ("Reading ease is not measured here: the plain English checks read only pages in English. "
                "Ask someone who reads the language to check it.")
    said = f"Reading ease: {f.reading_ease:.0f}. The aim is {f.ease_target:.0f} or more"
    age = f" (about a reading age of {f.reading_age:.0f})" if f.reading_age is not None else ""
    if f.ease_below_target:
        return _esc(f"{said}: the page is harder to read than the aim{age}. Use shorter sentences "
                           "and shorter words.")
    if f.reading_ease < f.ease_target:  # the check measures only pages long enough to judge
        return _esc(f"{said}. The page is too short to judge fairly.")
    return _esc(f"{said}: good.")


def _long_lines(f: Findings) -> list[str]:
    if not f.in_english:
        return ["Not checked: the plain English checks read only pages in English."]
    n = len(f.long_sentences)
    if n == 0:
        return [_esc(f"No sentence is longer than {f.max_words} words: good.")]
    head = (f"1 sentence is longer than {f.max_words} words. It is highlighted in yellow. Split it into 2."
            if n == 1 else f"{n} sentences are longer than {f.max_words} words. They are highlighted in "
            "yellow. Split each one into 2.")
    return [_esc(head)] + [_esc(f"Line {s.line}, {s.words} words: ") + f"<q>{_esc(s.text)}</q>"
                                  for s in f.long_sentences]


def _easy_read_lines(f: Findings) -> list[str]:
    if f.easy_read is None:
        return ["This page has no Easy Read version."]
    if not f.easy_read_problems:
        return [_esc(f"The Easy Read version ({f.easy_read}) follows the Easy Read rules: good.")]
    n = len(f.easy_read_problems)
    head = f"The Easy Read version ({f.easy_read}) has {_count(n, 'thing', 'things')} to change:"
    return [_esc(head)] + [_problem(p) for p in f.easy_read_problems]


def _review_lines(f: Findings) -> list[str]:
    lines = []
    if isinstance(f.last_reviewed, dt.date):
        lines.append(f"Last reviewed: {long_date(f.last_reviewed)}.")
    if isinstance(f.review_due, dt.date):
        due = f"Next review: {long_date(f.review_due)}"
        if f.review_state == "overdue":
            lines.append(f"{due}. <strong>The review is {_esc(f.review_status)}.</strong> Read the page "
                         "with your group, then change 'last_reviewed' to today and 'review_due' to the next "
                         "review date.")
        elif f.review_state == "soon":
            lines.append(f"{due}. The review is {_esc(f.review_status)}: plan it with your group.")
        else:
            lines.append(f"{due} ({_esc(f.review_status)}).")
    return lines or ["The page has no review dates."]


# --- Highlighting the long sentences in the page -------------------------------------------------

# Elements whose text runs on within a sentence; any other tag ends the stretch of text a sentence
# is looked for in, so a highlight never reaches from one paragraph or list item into the next.
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "ins",
           "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
# Text in these is never a sentence of the page's own words.
_SKIP = {"head", "title", "script", "style", "template", "textarea", "pre", "svg", "math", "noscript",
         "select", "option", "button"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_REF = re.compile(r"&#[xX][0-9a-fA-F]+;?|&#[0-9]+;?|&[a-zA-Z][-.a-zA-Z0-9]*;?")


class _Events(HTMLParser):
    """The page as the parser sees it: each tag and each piece of text, with where it starts."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=False)  # the text as written, so each piece's place is exact
        self.page, self.events = page, []
        self._starts = [0]
        for m in re.finditer("\n", page):
            self._starts.append(m.end())

    def _at(self) -> int:
        line, col = self.getpos()
        return self._starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, self._at(), dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("void", tag, self._at(), dict(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, self._at(), None))

    def handle_data(self, data):
        at = self._at()
        self.events.append(("text", data, at, (at, at + len(data))))

    def _ref(self):
        at = self._at()
        m = _REF.match(self.page, at)
        if m:
            self.events.append(("text", html.unescape(m.group(0)), at, (at, m.end())))
        else:
            self.events.append(("other", None, at, None))

    def handle_entityref(self, name):
        self._ref()

    def handle_charref(self, name):
        self._ref()

    def handle_comment(self, data):
        self.events.append(("other", None, self._at(), None))

    handle_decl = handle_pi = unknown_decl = handle_comment


def _stretches(page: str) -> list[list[tuple[int, int, str, bool]]] | None:
    """The page's text, in stretches a sentence may lie in: runs of text with only inline tags
    between them. Each piece is (start, end, its text, whether its characters are one to one
    with the page's, not a character reference). None if the page cannot be read safely."""
    parser = _Events(page)
    parser.feed(page)
    parser.close()
    events = parser.events
    only_main = any(kind == "start" and tag == "main" for kind, tag, _, _ in events)
    stretches, current = [], []
    in_main = skip = panel = 0
    panel_tag = None

    def end_stretch():
        nonlocal current
        if current:
            stretches.append(current)
        current = []

    for kind, tag, at, extra in events:
        if kind == "text":
            a, b = extra
            one_to_one = page[a:b] == tag
            if not one_to_one and not page[a:b].startswith("&"):
                return None  # the parser's places do not match the page: leave it alone
            if skip or panel or (only_main and not in_main):
                continue
            current.append((a, b, tag, one_to_one))
            continue
        if kind in ("start", "void", "end"):
            closing = kind == "end"
            if tag == "main" and kind != "void":
                in_main = max(0, in_main + (-1 if closing else 1))
            if tag in _SKIP and kind != "void" and tag not in _VOID:
                skip = max(0, skip + (-1 if closing else 1))
            if panel and tag == panel_tag and kind != "void":
                panel += -1 if closing else 1
            elif not panel and kind == "start" and PANEL_CLASS in ((extra or {}).get("class") or "").split():
                panel, panel_tag = 1, tag
            if tag == "br" or tag == "wbr":
                current.append((-1, -1, " " if tag == "br" else "", False))  # a line break: a space between words
                continue
            if tag in _INLINE and not panel:
                continue
        end_stretch()
    end_stretch()
    return stretches


def _pattern(sentence: str) -> re.Pattern | None:
    """A sentence as the page shows it: its words in order, with anything but letters and digits
    between them (Markdown's ** and links, quotes, dashes), and any text where a placeholder was."""
    text = re.sub(r"<[^>]+>", " ", sentence)
    parts = PLACEHOLDER.split(text)
    out, previous_word = [], False
    for i, part in enumerate(parts):
        if i % 2:  # a placeholder: the council's details, whatever they say
            out.append(r"[\W_]*.{1,200}?[\W_]*")
            previous_word = False
            continue
        for word in re.findall(r"[^\W_]+", part):
            if previous_word:
                out.append(r"[\W_]+")
            out.append(re.escape(word))
            previous_word = True
    if not any(re.findall(r"[^\W_]+", p) for p in parts[::2]):
        return None
    body = "".join(out).strip()
    return re.compile(rf"(?<![^\W_])[\"'“‘(\[]?{body}(?![^\W_])[.!?…]?[\"'”’)\]]*", re.S)


def highlight_long_sentences(html_text: str, sentences: list[str],
                             note: str = "A long sentence: try splitting it into 2.") -> str:
    """The page with each long sentence's words in <mark class="clearinfo-long-sentence">.

    A sentence is found within one paragraph, list item or heading; where it runs through a link or
    bold words, each piece of it between the tags gets its own mark, so no element is ever cut in two.
    Only the page's <main> is looked in, when it has one. A sentence that cannot be found is left
    alone (the panel still lists it, with its line)."""
    patterns = [p for p in (_pattern(s) for s in dict.fromkeys(sentences)) if p is not None]
    if not patterns:
        return html_text
    stretches = _stretches(html_text)
    if stretches is None:
        return html_text
    opening = f'<mark class="{MARK_CLASS}" title="{html.escape(note)}">'
    inserts: list[tuple[int, int, str]] = []
    for stretch in stretches:
        text, where = [], []  # the stretch's text, and for each character its place in the page
        for a, b, piece, one_to_one in stretch:
            text.append(piece)
            if a < 0:
                where += [None] * len(piece)
            elif one_to_one:
                where += [(a + k, a + k + 1) for k in range(len(piece))]
            else:
                where += [(a, b)] * len(piece)
        joined = "".join(text)
        taken: list[tuple[int, int]] = []
        for pattern in patterns:
            for m in pattern.finditer(joined):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                for a, b in _pieces(where, joined, m.start(), m.end()):
                    inserts += [(a, 1, opening), (b, 0, "</mark>")]
    if not inserts:
        return html_text
    out, last = [], 0
    for at, _, tag in sorted(inserts):  # at one place, a mark that ends comes before one that starts
        out.append(html_text[last:at])
        out.append(tag)
        last = at
    out.append(html_text[last:])
    return "".join(out)


def _pieces(where: list, joined: str, start: int, end: int) -> list[tuple[int, int]]:
    """The places in the page of the characters start..end, one (a, b) for each unbroken piece of
    text: a new piece begins wherever a tag (or a line break) comes between 2 characters."""
    pieces: list[list[int]] = []  # [start in the page, end in the page, first character, last character]
    previous = None
    for i in range(start, end):
        spot = where[i]
        if spot is None:  # a line break: the piece ends here
            previous = None
        elif previous is not None and (spot[0] == previous[1] or spot == previous):  # the same piece goes on
            pieces[-1][1], pieces[-1][3] = spot[1], i
        else:
            pieces.append([spot[0], spot[1], i, i])
        previous = spot
    # A piece that is only spaces (between a word and a tag) is left unmarked.
    return [(a, b) for a, b, i, j in pieces if joined[i:j + 1].strip()]


def add_panel(page_html: str, findings: Findings) -> str:
    """A written page with its long sentences marked and the panel put in: just before <main>, so
    the panel is a landmark of its own beside the page's main content (a complementary landmark
    inside <main> is against axe's best practice), or first in <body> (or first of all) when there is no <main>. Use it on
    the finished page, after the formats have taken their copy, so no mark reaches a PDF or audio."""
    page_html = highlight_long_sentences(page_html, [s.text for s in findings.long_sentences])
    parser = _Events(page_html)
    parser.feed(page_html)
    parser.close()
    at = next((at for kind, tag, at, _ in parser.events if kind == "start" and tag == "main"), None)
    if at is None:
        body = re.search(r"<body\b[^>]*>", page_html, re.I)
        at = body.end() if body else 0
    return page_html[:at] + panel_html(findings) + "\n" + page_html[at:]
