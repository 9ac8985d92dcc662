"""What a page sounds like: its words as rendered, in reading order, ready to be spoken.

Headings, paragraphs, list items, definitions and table cells are read (each data cell with its
column heading, as a screen reader would: "Cost: free"); the menu and the page
furniture (other formats, feedback, review dates) are not. Each readable block in the HTML gets
a `data-ci-read` number, so the player can highlight the sentence being read. Pure: HTML in,
annotated HTML and speech items out.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..text import split_sentences as _split

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "caption", "figcaption",
          "blockquote", "pre"}
SKIP_TAGS = {"script", "style", "svg", "audio", "video", "button", "select", "template", "nav"}
SKIP_CLASSES = {"ci-formats", "ci-feedback", "ci-page-info", "ci-player", "ci-az", "headerlink"}
FIRST_CONTENT_BLOCK = 2  # 0 is the page title, 1 the quick read (both written by the template)
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "track", "col", "area", "base", "embed"}


@dataclass
class SpeechItem:
    block: int
    text: str     # the sentence as it is on the page
    spoken: str   # the sentence as it is said
    lead: str = ""  # words said before the page's words, not shown with them (a table cell's column heading)


def split_sentences(text: str) -> list[str]:
    """The sentences of a block, on one line: the same split as everywhere (clearinfo.text)."""
    return _split(" ".join(text.split()))


class _Reader(HTMLParser):
    def __init__(self, first_block: int):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, int | None, bool]] = []  # tag, block number, skipped
        self.next_block = first_block
        self.texts: dict[int, list[str]] = {}
        self.order: list[int] = []
        self.tables: list[dict] = []       # open tables: column headings, column of the next cell
        self.cells: dict[int, tuple] = {}  # block of a data cell -> (its table, its column)

    def _skipping(self) -> bool:
        return any(skipped for _, _, skipped in self.stack)

    def _block(self) -> int | None:
        for _, block, _ in reversed(self.stack):
            if block is not None:
                return block
        return None

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or dict(attrs).get("aria-hidden") == "true"
        block = None
        if tag in BLOCKS and not self._skipping() and not skipped:
            block = self.next_block
            self.next_block += 1
            raw = raw[:-2].rstrip() + f' data-ci-read="{block}" />' if raw.endswith("/>") else \
                raw[:-1] + f' data-ci-read="{block}">'
            self.order.append(block)
        self.out.append(raw)
        self._track_table(tag, dict(attrs), block)
        if tag in _VOID:
            if tag == "img" and not self._skipping() and self._block() is not None:
                alt = dict(attrs).get("alt")
                if alt:
                    self.texts.setdefault(self._block(), []).append(f" {alt} ")
            return
        self.stack.append((tag, block, skipped))

    def _track_table(self, tag, attrs, block):
        if tag == "table":
            self.tables.append({"headings": {}, "col": 0, "head_row": True})
        elif not self.tables:
            return
        elif tag == "tr":
            table = self.tables[-1]
            table["head_row"] = table["col"] == 0 and not table["headings"]  # the first row
            table["col"] = 0
        elif tag in ("th", "td") and block is not None:
            table = self.tables[-1]
            if tag == "th" and table["head_row"]:
                table["headings"][table["col"]] = block
            elif tag == "td":
                self.cells[block] = (table, table["col"])
            try:
                table["col"] += max(1, int(attrs.get("colspan") or 1))
            except ValueError:
                table["col"] += 1

    def heading_for(self, block: int) -> str:
        """The column heading of a data cell, or ''."""
        if block not in self.cells:
            return ""
        table, col = self.cells[block]
        heading = table["headings"].get(col)
        return " ".join("".join(self.texts.get(heading, [])).split()) if heading is not None else ""

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "table" and self.tables:
            self.tables.pop()
        if tag in BLOCKS | {"br"}:
            b = self._block()
            if b is not None:
                self.texts.setdefault(b, []).append(" ")

    def handle_data(self, data):
        raw_text = self.stack and self.stack[-1][0] in ("script", "style")
        self.out.append(data if raw_text else htmllib.escape(data, quote=False))
        if self._skipping():
            return
        b = self._block()
        if b is not None:
            self.texts.setdefault(b, []).append(data)

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_entityref(self, name):  # pragma: no cover - convert_charrefs handles these
        self.out.append(f"&{name};")


class Pronouncer:
    """Turns page words into words a speech engine says clearly."""

    def __init__(self, pronunciations: dict | None = None, abbreviations: dict | None = None):
        self.rules = []
        for written, said in {**(abbreviations or {}), **(pronunciations or {})}.items():
            self.rules.append((re.compile(rf"(?<![\w-]){re.escape(str(written))}(?![\w-])"), str(said)))

    def __call__(self, text: str) -> str:
        for pattern, said in self.rules:
            text = pattern.sub(said, text)
        # Phone numbers and other long numbers are read digit by digit: "0 1 6 3 2".
        text = re.sub(r"\d[\d ]{4,}\d", lambda m: ", ".join(" ".join(g) for g in m.group(0).split()), text)
        return text.replace("&", " and ")


def speech_items(title: str, summary: str | None, content_html: str, say: Pronouncer):
    """The page's sentences in reading order, and its HTML with `data-ci-read` on every block."""
    reader = _Reader(FIRST_CONTENT_BLOCK)
    reader.feed(content_html)
    reader.close()
    items = [SpeechItem(0, s, say(s)) for s in split_sentences(title)]
    if summary:
        items += [SpeechItem(1, s, say(s)) for s in split_sentences(summary)]
    for block in reader.order:
        text = "".join(reader.texts.get(block, []))
        heading = reader.heading_for(block)
        for sentence in split_sentences(text):
            if re.search(r"\w", sentence):
                lead = f"{heading}:" if heading and heading != sentence else ""
                items.append(SpeechItem(block, sentence, say(f"{lead} {sentence}" if lead else sentence), lead))
                heading = ""  # said once, before the cell's first sentence
    return "".join(reader.out), items


REVIEW_BLOCK = 9999  # the block number of the review dates under every page (partials/content.html)


def review_items(last_reviewed, review_due, say: "Pronouncer") -> list[SpeechItem]:
    """The review dates, said at the end of a page's audio: when its words were last checked and
    when they will be checked again."""
    def day(d):
        return f"{d.day} {d:%B %Y}"
    # The words as the page shows them (for read-along and the transcript), said as a sentence.
    return [SpeechItem(REVIEW_BLOCK, f"Last reviewed {day(last_reviewed)}",
                       say(f"This page was last reviewed on {day(last_reviewed)}."), "This page was"),
            SpeechItem(REVIEW_BLOCK, f"Next review {day(review_due)}", say(f"Its next review is due by {day(review_due)}."),
                       "Its")]


def transcript(items: list[SpeechItem]) -> str:
    """The words of the audio, a paragraph per block, as a plain text file."""
    paragraphs: list[list[str]] = []
    last = None
    for item in items:
        if item.block != last:
            paragraphs.append([])  # a list, joined once: adding to a string again and again is slow on a long page
            last = item.block
        paragraphs[-1].append(item.text)
    return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


# --- Where each word is said ---------------------------------------------------------------------
# Neither engine, as Clearinfo runs it, says when each shown word is spoken: Piper's command line
# gives no timings, and espeak-ng's word events count places in the words as said (after the
# pronunciations, with phone numbers digit by digit), not in the words as shown. What is exact is
# each sentence's start and end (each sentence is spoken on its own) and where its sound starts and
# stops inside that. So a word's time inside its sentence is an ESTIMATE: the sentence's sound is
# shared between its words in proportion to how long each takes to say, judged from its letters.
# It is not measured against the sound: in a long sentence a word may be lit a little early or
# late (the engines say some letters quicker than others), but never in another sentence.

_WORD = re.compile(r"\S+")
LETTER, DIGIT, CAPITAL, ONSET, PAUSE = 1.0, 3.0, 2.5, 1.5, 4.0


def _weight(word: str) -> tuple[float, float]:
    """How long a shown word takes to say, and the pause after it, in units of about a letter: a
    digit is said as a word ("seven"), a capital in an abbreviation as a letter's name ("N H S"),
    and a comma, colon or semicolon is a short pause."""
    letters = re.sub(r"[^\w]", "", word)
    capitals = len(re.findall(r"[A-Z]", letters)) if len(re.findall(r"[A-Z]", letters)) >= 2 else 0
    digits = sum(c.isdigit() for c in letters)
    said = ONSET + LETTER * (len(letters) - digits - capitals) + DIGIT * digits + CAPITAL * capitals
    return said, PAUSE if word[-1] in ",;:" or word[-1] in "–—" else 0.0


def word_times(item: SpeechItem, start: float, end: float) -> list[list]:
    """The shown words of a sentence whose sound is said between `start` and `end` seconds, each as
    [start, end, first character, character after the last] (characters counted in item.text),
    in order, never overlapping. An estimate: see the note above."""
    words = [(m.start(), m.end(), *_weight(m.group(0))) for m in _WORD.finditer(item.text) if re.search(r"\w", m.group(0))]
    if not words or end <= start:
        return []
    lead = sum(sum(_weight(w)) for w in item.lead.split())
    total = lead + sum(said + pause for _, _, said, pause in words)
    scale = (end - start) / total
    out, at, last = [], lead, round(start, 3)
    for first, after, said, pause in words:
        s = max(last, round(start + at * scale, 3))
        e = max(round(s + 0.001, 3), round(start + (at + said) * scale, 3))
        out.append([s, min(e, round(end, 3)), first, after])
        at += said + pause
        last = out[-1][1]
    return [w for w in out if w[0] < w[1]]
