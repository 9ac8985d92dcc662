"""Standard pages: read each Markdown file's front matter and check it against the content model.

Every check says the file, the line, what is wrong and how to fix it, in plain English.
"""
from __future__ import annotations

import datetime as dt
import difflib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ERROR, Problem, WARNING
from .references import References
from .safe_html import check_source, plain_text_problem
from .settings import Settings, fill_placeholders, find_placeholders
from .yamlnodes import Mapping, Value, compose, plain, to_value

STATUSES = ("draft", "in review", "approved")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Field:
    kind: str  # text, text_list, status, date, bool
    required: bool
    example: str


# The content model. Order is the order `clearinfo new page` writes them in.
FIELDS: dict[str, Field] = {
    "title": Field("text", True, "title: Support for carers"),
    "summary": Field("text", True, "summary: One or two short sentences saying what this page is about."),
    "owner": Field("text", True, "owner: Adult Social Care information team"),
    "coproduced_with": Field("text_list", True, "coproduced_with:\n  - carers"),
    "status": Field("status", True, "status: draft"),
    "last_reviewed": Field("date", True, "last_reviewed: 2026-03-01"),
    "review_due": Field("date", True, "review_due: 2027-03-01"),
    "approved_by": Field("text", False, "approved_by: Carers' reference group"),
    "approved_on": Field("date", False, "approved_on: 2026-11-23"),
    "covers": Field("covers", False, "covers:\n  - types-of-care: Types of care and support"),
    "easy_read": Field("text", False, "easy_read: complaints"),
    "print": Field("bool", False, "print: true"),
    "audio": Field("bool", False, "audio: true"),
    "language": Field("language", False, "language: pl"),
    "translation_of": Field("text", False, "translation_of: complaints.md"),
    # Written by `clearinfo translations update` (content/translations.py), not by hand.
    "translated_from": Field("text", False, "translated_from: 3f2a9c1b7d4e"),
    "translation_status": Field("text", False, "translation_status: example"),
    "exit_this_page": Field("bool", False, "exit_this_page: true"),
    "step_by_step": Field("steps", False, "step_by_step:\n  - title: Have a needs assessment\n    page: needs-assessment.md"),
    "sources": Field("text_list", True, "sources:\n  - 003_8c4143861d2e16af.txt:725-751"),
}
DEFAULTS = {"covers": [], "easy_read": None, "print": False, "audio": True}
LIST_WORDS = {"coproduced_with": "groups", "covers": "duty ids", "sources": "sources", "checked_by": "groups"}


@dataclass(frozen=True)
class Place:
    """Where in a page a duty is met: a heading, and its web address part (its anchor)."""
    heading: str
    anchor: str
    line: int


@dataclass(frozen=True)
class Heading:
    text: str    # as written, after the '#' signs
    anchor: str  # the id the page gives it, as the engine makes it
    line: int


@dataclass
class Page:
    """A checked standard page: plain data, no MkDocs."""

    path: Path
    rel: str  # path relative to the content folder, e.g. "carers.md"
    meta: dict
    body: str
    body_line: int  # file line number of the body's first line
    lines: dict = field(default_factory=dict)  # key -> line
    covers_at: dict = field(default_factory=dict)  # duty id -> [Place]: where the page meets it

    @property
    def title(self) -> str:
        return self.meta["title"]


@dataclass
class PageRules:
    today: dt.date = field(default_factory=dt.date.today)
    summary_max_words: int = 50
    references: References = field(default_factory=lambda: References({}))
    known_duties: set | None = None  # None: not checked
    approvers: tuple = ()          # the groups and roles that may approve; empty: any group or role
    approver_names: bool = False   # may 'approved_by' be a person's name?
    overdue_is_error: bool = False  # an approved page past its review date stops the build


def describe(value) -> str:
    """How a wrong value looks, in words a non-programmer knows."""
    if isinstance(value, Mapping) or isinstance(value, dict):
        return "a group of settings"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "empty"
    try:
        return f"'{value}'"
    except ValueError:  # a number too long to write out (Python refuses past 4,300 digits)
        return "a very long number"


def split_front_matter(text: str):
    """Return (front matter text, body text, body's first line number) or None if there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return ("".join(lines[1:]), None, None)


def read_front_matter(text: str, bad, fields: dict):
    """Split off and read the details between the '---' lines.

    Returns (mapping, body, body's first line) or None when they cannot be read (already reported)."""
    split = split_front_matter(text)
    if split is None:
        bad(1, "the page has no details at the top (front matter). Start the file with a line '---', "
               "then lines like 'title: Support for carers', then another '---'. "
               "'clearinfo new page \"Title\"' makes a page with every detail filled in.")
        return None
    fm_text, body, body_line = split
    if body is None:
        bad(1, "the page details start with '---' on line 1 but never end. "
               "Add a line with just '---' after the last detail.")
        return None
    for n, line in enumerate(fm_text.splitlines(), start=2):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            bad(n, "this line is indented with a tab. Use spaces to indent the page details.")
            return None
    try:
        node = compose(fm_text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(e, "problem", None) or "it is not laid out as 'name: value' lines"
        bad(line, f"the page details could not be read ({problem}). Check the indentation, that each "
                  "detail is written 'name: value', and that text containing a colon is in quotes.")
        return None
    try:
        mapping = to_value(node, line_offset=1).value if node is not None else None
    except RecursionError:  # '&a [*a]': an alias inside what it names never ends
        bad(2, "the page details use a YAML alias ('*name') inside the value it names, so they never end. "
               "Write the value out in full.")
        return None
    if not isinstance(mapping, Mapping):
        bad(2, "the page details must be lines like 'title: Support for carers', one detail per line.")
        return None

    for key, first, again in mapping.duplicates:
        bad(again, f"'{key}' is given twice (also on line {first}). Keep one and delete the other.")
    for key, v in mapping.items.items():
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
            hint = f"Did you mean '{close[0]}'?" if close else "The details a page can have are: " + ", ".join(fields) + "."
            bad(v.key_line, f"'{key}' is not a page detail Clearinfo knows. {hint}")
    return mapping, body, body_line


def check_fields(mapping: Mapping, fields: dict, defaults: dict, bad, rules: "PageRules"):
    """Check each detail against its Field. Returns (meta, lines)."""
    meta: dict = {}
    lines: dict = {}
    for key, spec in fields.items():
        v = mapping.items.get(key)
        if v is None:
            if spec.required:
                bad(1, f"the page details have no '{key}'. Add it between the two '---' lines, "
                       f"for example: {spec.example.splitlines()[0]}")
            elif key in defaults:
                meta[key] = defaults[key]
            continue
        lines[key] = v.line if v.line else v.key_line
        value = _check_field(key, spec, v, bad, rules)
        if value is not None:
            meta[key] = value
        elif key in defaults and spec.kind != "text":
            meta[key] = defaults[key]
    return meta, lines


def read_source(path: Path, bad, fields: dict, text: str | None = None):
    """Read a page or an Easy Read file (from `text` when given) and split off its details.
    Returns what read_front_matter returns, or None when the file cannot be read (already reported)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            bad(None, "the file is not saved as UTF-8 text. Save it again as UTF-8 (most editors offer this).")
            return None
    return read_front_matter(text, bad, fields)


def load_page(path: Path, rel_to: Path, shown_as: str, settings: Settings, rules: PageRules,
              text: str | None = None):
    """Read and check one page (from `text` when given). Returns (Page or None, problems)."""
    problems: list[Problem] = []

    def bad(line, message, severity="error"):
        problems.append(Problem(shown_as, line, message, severity))

    read = read_source(path, bad, FIELDS, text)
    if read is None:
        return None, problems
    mapping, body, body_line = read
    meta, lines = check_fields(mapping, FIELDS, DEFAULTS, bad, rules)
    claims = covers_claims(mapping.items.get("covers"))
    if "coproduced_with" in meta:
        meta["coproduced_with"] = settings.group_names(meta["coproduced_with"])

    _check_relations(meta, lines, bad, rules)
    covers_at = {}
    if body is not None:
        known = set(meta.get("covers") or ())
        covers_at = _places([c for c in claims if c[0] in known], headings(body, body_line, settings), bad)
        for n, line in enumerate(body.splitlines(), start=body_line):
            if re.match(r"^#\s", line):
                bad(n, f"'{line.strip()[:40]}' makes a second main heading. The page's main heading comes "
                       "from 'title'. Use '## ' for headings inside the page.")
        if not body.strip():
            bad(body_line - 1, "the page has its details but no words. Write the page under the second '---' "
                               "line, starting with a '## ' heading.")
        problems += find_placeholders(body, settings, shown_as, body_line)
        problems += check_source(body, shown_as, body_line)
    for key in ("title", "summary"):
        if isinstance(meta.get(key), str):
            problems += find_placeholders(meta[key], settings, shown_as, lines[key])
            why = plain_text_problem(meta[key], f"'{key}'")
            if why:
                bad(lines[key], why)

    if any(p.is_error for p in problems):
        return None, problems
    return Page(path=path, rel=path.relative_to(rel_to).as_posix(), meta=meta, body=body,
                body_line=body_line, lines=lines, covers_at=covers_at), problems


def _check_field(key, spec, v: Value, bad, rules: PageRules):
    value = v.value
    line = v.line if v.line else v.key_line
    if spec.kind == "text":
        if value is None or (isinstance(value, str) and not value.strip()):
            if not spec.required:
                return None
            bad(v.key_line, f"'{key}' is empty. Write it after '{key}:', for example: {spec.example}")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            bad(line, f"'{key}' must be text, for example '{spec.example}', not {describe(value)}.")
            return None
        text = (v.raw if v.raw is not None else str(value)).strip()  # as written: '10:30' is not 630
        if key == "summary":
            words = len(text.split())
            if words > rules.summary_max_words:
                bad(line, f"'summary' has {words} words. A quick read must be short: "
                          f"{rules.summary_max_words} words at most. Move the detail into the page.")
        return text
    if spec.kind == "text_list":
        what = LIST_WORDS.get(key, "items")
        if value is None:
            return []
        if not isinstance(value, list):
            bad(line, f"'{key}' must be a list of {what}, each on its own line starting with '- ', "
                      f"not {describe(value)}.")
            return None
        out = []
        for item in value:
            if not isinstance(item.value, (str, int)) or isinstance(item.value, bool) or not (item.raw or "").strip():
                bad(item.line, f"each item in '{key}' must be text, not {describe(item.value)}.")
                continue
            text = (item.raw if item.raw is not None else str(item.value)).strip()
            if key == "sources":
                why = rules.references.check(text) if rules.references.documents else None
                if why:
                    bad(item.line, why[0].upper() + why[1:])
            out.append(text)
        return out
    if spec.kind == "covers":
        return _check_covers(v, line, bad, rules)
    if spec.kind == "language":
        if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", value.strip()):
            bad(line, f"'{key}' must be a language code like en-GB, pl or ur, not {describe(value)}.")
            return None
        return value.strip()
    if spec.kind == "steps":
        from .steps import read_steps
        return read_steps(plain(v), line, bad)
    if spec.kind == "status":
        if value not in STATUSES:
            bad(line, f"'status' must be one of: {', '.join(STATUSES)}. {describe(value)} is not one of them.")
            return None
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            bad(line, f"'{key}' must be true or false, not {describe(value)}.")
            return None
        return value
    if spec.kind == "date":
        raw = v.raw if v.raw is not None else value
        m = DATE.match(str(raw)) if isinstance(raw, (str, int)) and value is not None else None
        if not m or isinstance(value, (list, Mapping, bool)):
            bad(line, f"'{key}' must be a date like 2027-03-01 (year-month-day), not {describe(value)}.")
            return None
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            bad(line, f"'{key}' is {raw}, but that date does not exist. Check the day and the month.")
            return None
    raise AssertionError(spec.kind)  # pragma: no cover - FIELDS only uses the kinds above


COVERS_FORM = ("each item in 'covers' must be a duty id and the heading in this page that meets it, like "
               "'- charging: How our charges work', or just the duty id, like '- charging'")


def covers_claims(v: Value | None, bad=None) -> list[tuple[str, list[tuple[str, int]], int]]:
    """The duties a page's 'covers' claims, each with the places it names and its line:
    '- duty-id', '- duty-id#anchor', '- duty-id: Heading' or '- duty-id: [Heading, Heading]'.
    A place is a heading as written in the page, or '#' and its anchor. Items in the wrong form
    are reported to `bad` (when given) and left out."""
    def wrong(line, message):
        if bad:
            bad(line, message)

    claims = []
    for item in (v.value if v is not None and isinstance(v.value, list) else []):
        if isinstance(item.value, Mapping) and len(item.value.items) == 1:
            (duty_id, w), = item.value.items.items()
            places = w.value if isinstance(w.value, list) else [w]
            if not places or not all(isinstance(x.value, str) and x.value.strip() for x in places):
                wrong(w.line or item.line, f"{COVERS_FORM}. After '{duty_id}:' write the heading as it is in the page.")
                continue
            claims.append((duty_id.strip(), [(x.value.strip(), x.line or item.line) for x in places], item.line))
        elif isinstance(item.value, str) and item.value.strip():
            duty_id, _, anchor = item.value.strip().partition("#")
            claims.append((duty_id.strip(), [("#" + anchor.strip(), item.line)] if anchor.strip() else [], item.line))
        else:
            wrong(item.line, COVERS_FORM + f", not {describe(item.value)}.")
    return claims


def _check_covers(v: Value, line, bad, rules: PageRules):
    """The duty ids 'covers' claims, each checked against content/duties.yml."""
    if v.value is None:
        return []
    if not isinstance(v.value, list):
        bad(line, f"'covers' must be a list of duty ids, each on its own line starting with '- ', not "
                  f"{describe(v.value)}.")
        return None
    ids = []
    for duty_id, _, item_line in covers_claims(v, bad):
        if rules.known_duties is not None and duty_id not in rules.known_duties:
            close = difflib.get_close_matches(duty_id, rules.known_duties, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else " The ids are listed in content/duties.yml."
            bad(item_line, f"'covers' names '{duty_id}', which is not a duty id Clearinfo knows.{hint}")
            continue
        ids.append(duty_id)
    return ids


_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\s*\{:?\s*[^}]*#([\w-]+)[^}]*\}\s*$")  # '## Heading {#its-id}' (attr_list)


def slug(text: str) -> str:
    """A heading's anchor as Python-Markdown's table of contents makes it (what MkDocs uses)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)   # a link: its words
    text = re.sub(r"<[^>]+>|[*_`]", "", text)                   # HTML tags and emphasis marks
    text = unicodedata.normalize("NFKD", html.unescape(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def headings(body: str, first_line: int, settings: Settings) -> list[Heading]:
    """The page's headings ('## ' and smaller), with the anchors the built page gives them:
    placeholders filled in first (as the build does), and a repeated anchor numbered (_1, _2)."""
    found, seen, fence = [], set(), False
    for n, line in enumerate(body.splitlines(), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        if not m:
            continue
        text = m.group(2)
        own = _ATTR_ID.search(text)
        if own:
            text, anchor = text[:own.start()], own.group(1)
        else:
            anchor = slug(fill_placeholders(text, settings)) or "_"
        base, count = anchor, 0
        while anchor in seen:
            count += 1
            anchor = f"{base}_{count}"
        seen.add(anchor)
        found.append(Heading(text.strip(), anchor, n))
    return found


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _places(claims, found: list[Heading], bad) -> dict:
    """Each claimed duty's places, found among the page's headings. A place that is not there is
    an error on its line: the coverage page must never point at a part the page does not have."""
    out = {}
    for duty_id, where, _ in claims:
        places = []
        for text, line in where:
            anchor = text[1:].strip() if text.startswith("#") else None
            match = next((h for h in found if (h.anchor == anchor if anchor is not None else _same(h.text, text))),
                         None)
            if match is None:
                listed = "; ".join(h.text for h in found) or "none yet"
                what = f"an anchor '#{anchor}'" if anchor is not None else f"a heading '{text}'"
                bad(line, f"'covers' says the page meets '{duty_id}' under {what}, but the page has no such "
                          f"heading. Its headings are: {listed}. Write the heading as it is in the page (without "
                          "the '## '), or add that part to the page.")
                continue
            places.append(Place(match.text, match.anchor, match.line))
        out.setdefault(duty_id, []).extend(places)
    return out


def _check_relations(meta, lines, bad, rules: PageRules):
    last, due = meta.get("last_reviewed"), meta.get("review_due")
    if last and last > rules.today:
        bad(lines["last_reviewed"], f"'last_reviewed' is {last.isoformat()}, which is in the future. "
                                    "Use the date the page was last checked.")
    if last and due and due <= last:
        bad(lines["review_due"], f"'review_due' ({due.isoformat()}) is not after 'last_reviewed' "
                                 f"({last.isoformat()}). The next review must come after the last one.")
    status = meta.get("status")
    if status and status != "draft":
        if "coproduced_with" in meta and not meta["coproduced_with"]:
            bad(lines.get("coproduced_with", 1), f"'coproduced_with' is empty, but the page's status is "
                f"'{status}'. Name the groups who wrote or checked it, or set the status to draft.")
        if "sources" in meta and not meta["sources"]:
            bad(lines.get("sources", 1), f"'sources' is empty, but the page's status is '{status}'. "
                "Say what the page was written from, or set the status to draft.")
    if meta.get("translation_of") and not meta.get("language"):
        bad(lines["translation_of"], "this page is a translation, so say its language too: add a line like "
                                     "'language: pl' (the language's code).")
    if due and due < rules.today and status == "approved":
        bad(lines["review_due"], f"this page was due for review on {due.isoformat()}. "
                                 "Review it with your group and update 'last_reviewed' and 'review_due'.",
            ERROR if rules.overdue_is_error else WARNING)
    _check_approval(meta, lines, bad, rules)


# Words that show 'approved_by' names a group or a role, not a person.
ROLE_WORDS = {"team", "group", "groups", "board", "panel", "forum", "network", "partnership", "committee",
              "council", "service", "services", "manager", "managers", "head", "director", "officer", "lead",
              "staff", "people", "carers", "members", "reference", "users", "residents", "healthwatch",
              "champions", "assembly", "alliance", "organisation", "organization", "trust", "association",
              "department", "unit", "care", "social", "adult", "adults", "information", "advisory",
              "steering", "partners", "voices", "voice", "experts", "experience", "and", "of", "the", "for",
              "with", "our", "all"}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "cllr", "councillor", "sir", "dame"}


def looks_like_a_name(text: str) -> bool:
    """'Jane Smith' or 'Dr Patel' (a person), not 'Carers' reference group' or 'Head of Adult Social Care'."""
    words = [w.strip(".,") for w in text.split()]
    if not 2 <= len(words) <= 4:
        return False
    if words[0].lower() in TITLES:
        return True
    return all(re.fullmatch(r"[A-Z][a-z]+(?:['-][A-Za-z]+)*", w) for w in words) and \
        not any(w.lower().rstrip("'s") in ROLE_WORDS or w.lower() in ROLE_WORDS for w in words)


def _check_approval(meta, lines, bad, rules: PageRules):
    """An approved page says who approved it (a group or a role) and when."""
    by, on = meta.get("approved_by"), meta.get("approved_on")
    if meta.get("status") == "approved":
        missing = [k for k, v in (("approved_by", by), ("approved_on", on)) if not v and k not in lines]
        if missing:
            bad(lines.get("status", 1), "this page is approved, so say who approved it and when: add "
                + " and ".join(f"'{FIELDS[k].example}'" for k in missing)
                + " to its details. Name a group or a role, not a person.")
    if on and on > rules.today:
        bad(lines["approved_on"], f"'approved_on' is {on.isoformat()}, which is in the future. "
                                  "Use the date the page was approved.")
    if not by:
        return
    if rules.approvers and by not in rules.approvers:
        bad(lines["approved_by"], f"'approved_by' is '{by}', which is not one of the approvers in mkdocs.yml "
            f"({', '.join(rules.approvers)}). Use one of them exactly as written there, or add it to 'approvers'.")
    elif not rules.approver_names and looks_like_a_name(by):
        bad(lines["approved_by"], f"'approved_by' looks like a person's name ('{by}'). Record the group or role "
            "that approved the page, for example 'Carers' reference group' or 'Head of Adult Social Care'. If your "
            "council has decided to record names, set 'approver_names: true' under the clearinfo plugin in mkdocs.yml.")


def page_files(content_dir: Path) -> set[str]:
    """Every page file in the content folder, named as pages name each other ('carers.md'), whether
    or not it loaded: a link to a page with mistakes of its own is not a second mistake."""
    return {p.relative_to(content_dir).as_posix() for p in content_dir.rglob("*.md")}


def load_pages(content_dir: Path, project_root: Path, settings: Settings, rules: PageRules):
    """Read and check every Markdown page under content_dir. Returns (pages, problems)."""
    pages, problems = [], []
    addresses: dict[str, str] = {}
    inside = content_dir.resolve()
    for path in sorted(content_dir.rglob("*.md")):
        shown = path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path)
        if not path.resolve().is_relative_to(inside):
            # A link to a file elsewhere on the machine could publish it: only the folder is content.
            problems.append(Problem(shown, None, f"this is a link to {path.resolve()}, outside the "
                                    f"{content_dir.name}/ folder. Copy the page into {content_dir.name}/ "
                                    "instead of linking to it."))
            continue
        address = web_address(path.relative_to(content_dir).as_posix())
        if address in addresses:  # two files, one page address: one would silently replace the other
            problems.append(Problem(shown, None, f"this page would have the same web address (/{address}) as "
                                    f"{addresses[address]}. Rename one of them, or merge the two pages."))
            continue
        addresses[address] = shown
        page, found = load_page(path, content_dir, shown, settings, rules)
        problems += found
        if page:
            pages.append(page)
    return pages, problems


def web_address(rel: str) -> str:
    """The address a page is published at: 'carers.md' and 'carers/index.md' are both 'carers/'."""
    stem = rel[:-3] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index") or stem.lower() == "readme" or stem.lower().endswith("/readme"):
        stem = stem.rsplit("/", 1)[0] if "/" in stem else ""
    return stem + "/" if stem else ""
