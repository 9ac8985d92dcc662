""""You said, we did" (content/you-said-we-did.yml): what people told the council, what it did
about it, and the page that shows it (NICE NG86 1.6.11, `000_1c3cb1366f171e8d.txt:878-894`).

Entries are plain text from many hands, so two rules keep the page safe and whole:
- HTML and settings ({{ council.phone }}) are refused with the file and line, never stripped;
- every character Markdown would act on is escaped when the table is written, so a pipe, a star
  or a bracket shows as itself and cannot break the table or make a link.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import ContentErrors, Problem
from ..furniture import long_date
from .newpage import generated_front_matter
from .pages import DATE, describe
from .safe_html import plain_text_problem
from .settings import PLACEHOLDER
from .yamlnodes import Mapping, Value, duplicate_problems, read_nodes

DATA_FILE = "you-said-we-did.yml"
PAGE = "you-said-we-did.md"
KEY = "you_said_we_did"
TOP_KEYS = ("example", KEY)
STATUSES = ("done", "in progress", "planned")
# How each status reads in the table: whole words a screen reader says clearly.
STATUS_WORDS = {"done": "Done", "in progress": "We are doing this now", "planned": "We plan to do this"}
DETAILS = ("date", "you_said", "we_did", "status", "page")
REQUIRED = ("date", "you_said", "we_did", "status")
EXAMPLES = {
    "date": "date: 2026-11-03",
    "you_said": "you_said: People said the complaints page was hard to follow.",
    "we_did": "we_did: We rewrote it with shorter sentences.",
    "status": "status: done",
}
SOURCES = ["000_1c3cb1366f171e8d.txt:878-894"]  # NG86 1.6.11: "'you said, we did' tables"
EXAMPLE_NOTICE = ("**Examples only.** These are examples to show how this page works. "
                  "Replace them with what people told your council.")

_LAYOUT = (f"this file must start with '{KEY}:', then a list of entries. Start each entry with "
           "'- date:' and indent its other details under it.")


@dataclass(frozen=True)
class Entry:
    date: dt.date
    you_said: str
    we_did: str
    status: str  # one of STATUSES
    page: str | None  # a page in the content folder, e.g. "complaints.md"
    line: int
    example: bool = False  # the file says `example: true`: bundled entries, not real ones


def load_you_said(path: Path, today: dt.date, pages: set[str] | None = None) -> list[Entry]:
    """The entries, each checked; [] when there is no file or no entries (then there is no page).
    `today`: no entry may be dated after it. `pages`: the page names an entry may point at
    ('complaints.md'), as `pages.page_files` gives them; None: not checked.
    Any mistake stops the build with its file and line (ContentErrors)."""
    if not path.exists():
        return []
    shown = "/".join(path.parts[-2:])
    # The same reader as load_data_nodes, which suits entries kept by name (duties:); these are a list.
    top = read_nodes(path, shown)
    if top is None:
        return []
    if not isinstance(top.value, Mapping):
        raise ContentErrors([Problem(shown, top.line, _LAYOUT)])
    problems = duplicate_problems(top.value, shown)
    items = top.value.items
    for key, v in items.items():
        if key not in TOP_KEYS:
            problems.append(Problem(shown, v.key_line, f"'{key}' is not something this file can hold."
                                                       f"{_hint(key, TOP_KEYS)} It holds '{KEY}:' (the list of "
                                                       "entries) and, if they are examples, 'example: true'."))
    example = False
    if "example" in items:
        example = items["example"].value
        if not isinstance(example, bool):
            problems.append(Problem(shown, items["example"].line, "'example' must be true or false, not "
                                    f"{describe(example)}. Write 'example: true' only while the entries are examples."))
            example = False
    listed = items.get(KEY)
    if listed is None or listed.value is None:
        if problems:
            raise ContentErrors(problems)
        return []
    if not isinstance(listed.value, list):
        raise ContentErrors(problems + [Problem(shown, listed.line, f"'{KEY}' must be a list of entries, not "
                                                f"{describe(listed.value)}. Start each entry with '- date:' and "
                                                "indent its other details under it.")])
    entries = []
    for item in listed.value:
        entry, found = _entry(item, shown, today, pages, example, path.parent.name)
        problems += found
        if entry is not None:
            entries.append(entry)
    if problems:
        raise ContentErrors(problems)
    return entries


def _close(word: str, choices) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _hint(word: str, choices) -> str:
    close = _close(word, choices)
    return f" Did you mean '{close}'?" if close else ""


def _entry(item: Value, shown: str, today: dt.date, pages: set[str] | None, example: bool,
           folder: str) -> tuple[Entry | None, list[Problem]]:
    if not isinstance(item.value, Mapping):
        return None, [Problem(shown, item.line, "each entry must be a group of details (date, you_said, we_did, "
                                                f"status, and page if it changed one), not {describe(item.value)}. "
                                                "Start each entry with '- date:' and indent its other details "
                                                "under it.")]
    details = item.value.items
    problems = duplicate_problems(item.value, shown)
    meant = set()  # a misspelt name is said once, as misspelt, not again as missing
    for key, v in details.items():
        if key not in DETAILS:
            meant.add(_close(key, DETAILS))
            problems.append(Problem(shown, v.key_line, f"'{key}' is not a detail of an entry.{_hint(key, DETAILS)} "
                                                       f"An entry can have: {', '.join(DETAILS)}."))
    for key in REQUIRED:
        if key not in details and key not in meant:
            problems.append(Problem(shown, item.line, f"this entry has no '{key}'. Add it, for example: "
                                                      f"{EXAMPLES[key]}"))
    date = _date(details["date"], shown, today, problems) if "date" in details else None
    said = _text("you_said", details, shown, problems, "what people told you")
    did = _text("we_did", details, shown, problems, "what the council did about it")
    status = _status(details["status"], shown, problems) if "status" in details else None
    page = _page(details["page"], shown, pages, folder, problems) if "page" in details else None
    if date is None or said is None or did is None or status is None:
        return None, problems
    return Entry(date=date, you_said=said, we_did=did, status=status, page=page, line=item.line,
                 example=example), problems


def _date(v: Value, shown: str, today: dt.date, problems: list) -> dt.date | None:
    raw = v.raw if v.raw is not None else v.value
    m = DATE.match(str(raw)) if isinstance(raw, (str, int)) and not isinstance(v.value, bool) else None
    if not m:
        problems.append(Problem(shown, v.line, "'date' must be a date like 2026-11-03 (year-month-day), not "
                                f"{describe(raw if v.raw is not None else v.value)}."))
        return None
    try:
        date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        problems.append(Problem(shown, v.line, f"'date' is {raw}, but that date does not exist. "
                                               "Check the day and the month."))
        return None
    if date > today:
        problems.append(Problem(shown, v.line, f"'date' is {raw}, which is in the future. Use the date you "
                                               "wrote this entry down or last changed it."))
        return None
    return date


def _text(key: str, details: dict, shown: str, problems: list, what: str) -> str | None:
    v = details.get(key)
    if v is None:
        return None  # reported as missing
    value = v.value
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(shown, v.key_line, f"'{key}' is empty. Write {what}, for example: "
                                                   f"{EXAMPLES[key]}"))
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(Problem(shown, v.line, f"'{key}' must be text, for example '{EXAMPLES[key]}', "
                                               f"not {describe(value)}."))
        return None
    text = " ".join((v.raw if v.raw is not None else str(value)).split())  # line breaks become spaces
    why = plain_text_problem(text, f"'{key}'")
    if why:
        problems.append(Problem(shown, v.line, why))
        return None
    if PLACEHOLDER.search(text):
        problems.append(Problem(shown, v.line, f"'{key}' cannot use settings like {{{{ council.phone }}}}. "
                                               "Write the words out in full."))
        return None
    return text


def _status(v: Value, shown: str, problems: list) -> str | None:
    if v.value in STATUSES:
        return v.value
    hint = _hint(v.value, STATUSES) if isinstance(v.value, str) else ""
    problems.append(Problem(shown, v.line, f"'status' must be one of: {', '.join(STATUSES)}. "
                                           f"{describe(v.value)} is not one of them.{hint}"))
    return None


def _page(v: Value, shown: str, pages: set[str] | None, folder: str, problems: list) -> str | None:
    value = v.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # 'page:' left empty: the entry changed no page
    if not isinstance(value, str):
        problems.append(Problem(shown, v.line, "'page' must be the file name of a page, like complaints.md, "
                                               f"not {describe(value)}."))
        return None
    page = value.strip()
    if pages is not None and page not in pages:
        hint = _hint(page, pages) or _hint(page + ".md", pages)
        problems.append(Problem(shown, v.line, f"'page' names '{page}', which is not a page in {folder}/.{hint} "
                                               "Write the file name of the page the change was made on, like "
                                               "complaints.md, or leave 'page' out."))
        return None
    return page


# --- The page ---------------------------------------------------------------------------------

# ( and ) too: the page's own safe HTML check reads '[x](address)' in the Markdown as a link.
_MARKDOWN_ACTS_ON = re.compile(r"([\\`*_\[\](){}|])")


def table_text(text: str, *, keep_placeholders: bool = False) -> str:
    """Plain text as it must be written in a Markdown table cell to show as itself: on one line,
    <, > and & as entities (never HTML), and every character Markdown acts on inline escaped
    (| would end the cell, * and _ make emphasis, [ ] ( ) a link, { } attributes, ` code).
    keep_placeholders: leave {{ council.* }} for the build to fill (a page title may use them)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not keep_placeholders:
        return _MARKDOWN_ACTS_ON.sub(r"\\\1", text)
    parts = re.split(r"(\{\{.*?\}\})", text)
    return "".join(p if PLACEHOLDER.fullmatch(p) else _MARKDOWN_ACTS_ON.sub(r"\\\1", p) for p in parts)


def _page_name(page: str) -> str:
    """Words for a page with no title given: 'support-for-carers.md' is 'Support for carers'."""
    stem = page[:-3] if page.endswith(".md") else page
    parts = stem.split("/")
    if parts[-1] == "index" and len(parts) > 1:
        parts.pop()
    words = parts[-1].replace("-", " ").replace("_", " ").strip() or "Home page"
    return words[0].upper() + words[1:]


def you_said_page(entries: list[Entry], owner: str, today: dt.date, example: bool,
                  titles: dict[str, str] | None = None, sources: list[str] | None = None) -> str:
    """The "You said, we did" page's Markdown, front matter included: a short introduction and one
    table, newest first. `example`: say plainly at the top that the entries are examples.
    `titles`: page name -> title, for the words of each link (else made from the file name).
    `sources`: what the page was written from (NG86 1.6.11 unless given)."""
    titles = titles or {}
    # The quick read, Easy Read style: short sentences, everyday words.
    summary = "You told us how we could do better. This page shows what we did about it."
    if any(e.status != "done" for e in entries):
        summary += " Some changes are still happening."
    front = generated_front_matter("You said, we did", summary, owner, today, sources or SOURCES)
    # 'Written with' says where the words came from: here, people's views, not other pages' details.
    front = [("  - Made automatically from our list of what people told us"
              if line == "  - Made automatically from the details of every page" else line) for line in front]
    lines = [*front]
    if example:
        lines += [EXAMPLE_NOTICE, ""]
    lines += [
        "You told us what we could do better. This page shows what you said and what we did about it.",
        "It also shows what is happening now. The newest changes are at the top.",
        "",
        "## What you said and what we did",
        "",
        "| Date | You said | We did | What is happening now | Page changed |",
        "|---|---|---|---|---|",
    ]
    for e in sorted(entries, key=lambda e: e.date, reverse=True):  # stable: same day keeps file order
        if e.page:
            words = table_text(titles.get(e.page) or _page_name(e.page), keep_placeholders=e.page in titles)
            changed = f"[{words}]({quote(e.page, safe='/#')})"
        else:
            changed = "No page changed"
        lines.append(f"| {long_date(e.date)} | {table_text(e.you_said)} | {table_text(e.we_did)} | "
                     f"{STATUS_WORDS[e.status]} | {changed} |")
    return "\n".join(lines) + "\n"
