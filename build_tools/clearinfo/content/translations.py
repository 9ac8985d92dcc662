"""Translations kept in step with their English page.

Each translation records the version of the English page it was translated from: `translated_from`,
a short hash of the English page's words (its body, spaces evened out, so a change to its details
alone does not count). `clearinfo translations update PAGE` writes it once a translator has checked
the translation against the English. When the English words change, the translation is out of
date: its page says so in its own language, and the build warns (or stops, with the setting
`translations_out_of_date: error`).

`translation_status` says who made it: `example` (an example or machine translation that a
qualified translator must check before real use) or `checked` (a qualified translator checked it).
Pure apart from `update_file`, which writes one line of one file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ERROR, Problem, WARNING
from .pages import split_front_matter

STATUSES = ("example", "checked")
VERSION = re.compile(r"^[0-9a-f]{12}$")
UP_TO_DATE, OUT_OF_DATE, NOT_CHECKED, DRAFT = "up to date", "out of date", "not checked against the English", "draft"
HISTORY_LIMIT = 50  # the most old versions of an English page looked at to find when it changed


def words_version(body: str) -> str:
    """The version of a page's words: the first 12 hex digits of the sha256 of its body with its
    spaces and line breaks evened out (so re-wrapping a paragraph is no change)."""
    return hashlib.sha256(" ".join((body or "").split()).encode("utf-8")).hexdigest()[:12]


def text_version(text: str) -> str:
    """The version of a whole page file's words (its details are left out)."""
    split = split_front_matter(text)
    return words_version(split[1] if split and split[1] is not None else text)


@dataclass
class TranslationState:
    page: object              # the translation (content/pages.Page)
    english: object           # the English page it translates
    state: str                # UP_TO_DATE, OUT_OF_DATE, NOT_CHECKED or DRAFT
    changed_on: dt.date | None = None  # when the English words changed from the recorded version (from git)
    checked_commit: str | None = None  # the git commit holding the English as the translator saw it

    @property
    def status(self) -> str:
        return self.page.meta.get("translation_status") or ""


def english_change(history, rel: str, recorded: str) -> tuple[dt.date | None, str | None]:
    """When the English page's words stopped being the recorded version: (the date of the first
    commit after the version that has them, that version's commit). (None, commit) when the change
    is not committed yet; (None, None) without git, or when git has no version with those words.
    `history` may be a function that reads it: git is then asked only here."""
    if callable(history):
        history = history()
    if history is None:
        return None, None
    newer = None
    for change in history.of(rel)[:HISTORY_LIMIT]:  # newest first
        text = history.text_at(change.commit, rel)
        if text is not None and text_version(text) == recorded:
            return (newer.date if newer else None), change.commit
        newer = change
    return None, None


def translation_states(pages, history=None) -> list[TranslationState]:
    """Every translation whose English page is there, with its state. `history`: content/history.py's
    History, None, or a function giving one: only asked about the pages that are out of date."""
    by_rel = {p.rel: p for p in pages}
    states = []
    for page in pages:
        english = by_rel.get(page.meta.get("translation_of") or "")
        if english is None or english is page or english.meta.get("translation_of"):
            continue  # reported by languages.translation_problems
        recorded = page.meta.get("translated_from")
        if page.meta.get("status") == "draft":
            state = TranslationState(page, english, DRAFT)
        elif not recorded or not VERSION.match(recorded):
            state = TranslationState(page, english, NOT_CHECKED)
        elif recorded == words_version(english.body):
            state = TranslationState(page, english, UP_TO_DATE)
        else:
            state = TranslationState(page, english, OUT_OF_DATE, *english_change(history, english.rel, recorded))
        states.append(state)
    return sorted(states, key=lambda s: (s.english.rel, s.page.meta.get("language") or "", s.page.rel))


def _command(shown: str) -> str:
    return f"clearinfo translations update {shown}"


def detail_problems(pages, shown) -> list[Problem]:
    """'translated_from' and 'translation_status' are right, and only on translations."""
    problems = []
    for page in pages:
        meta, lines = page.meta, page.lines
        for key in ("translated_from", "translation_status"):
            if key in meta and not meta.get("translation_of"):
                problems.append(Problem(shown(page), lines.get(key), f"'{key}' is only for a translation, and this "
                                        "page has no 'translation_of'. Delete the line, or say which English page "
                                        "this translates, like 'translation_of: complaints.md'."))
        version = meta.get("translated_from")
        if version and meta.get("translation_of") and not VERSION.match(version):
            problems.append(Problem(shown(page), lines.get("translated_from"), f"'translated_from' is '{version}', "
                                    "which is not a version Clearinfo wrote. Do not write it by hand: run "
                                    f"'{_command(shown(page))}' once a translator has checked this page against "
                                    "the English."))
        status = meta.get("translation_status")
        if status and meta.get("translation_of") and status not in STATUSES:
            problems.append(Problem(shown(page), lines.get("translation_status"), f"'translation_status' must be "
                                    f"'example' (an example or machine translation that a qualified translator must "
                                    f"check before real use) or 'checked' (a qualified translator checked it), not "
                                    f"'{status}'."))
    return problems


def state_problems(states: list[TranslationState], shown, out_of_date_error: bool = False) -> list[Problem]:
    """A warning for each translation not checked against its English page, and one (or an error,
    with `out_of_date_error`) for each whose English page changed since it was checked."""
    problems = []
    for s in states:
        page, english = s.page, s.english
        if s.state == NOT_CHECKED:
            problems.append(Problem(shown(page), page.lines.get("translation_of"), "this translation does not say "
                                    f"which version of {shown(english)} it was translated from, so Clearinfo cannot "
                                    "tell you when the English changes. Once a translator has checked it against the "
                                    f"English page, run: {_command(shown(page))}", WARNING))
        elif s.state == OUT_OF_DATE:
            when = f" on {s.changed_on.isoformat()}" if s.changed_on else ""
            diff = f" To see what changed: git diff {s.checked_commit[:12]} -- {shown(english)}." \
                if s.checked_commit else ""
            problems.append(Problem(shown(page), page.lines.get("translated_from"), f"the English page "
                                    f"{shown(english)} changed{when} after this translation was checked against it, so "
                                    "the page tells readers it may be out of date. Have the translation brought up "
                                    f"to date, then run: {_command(shown(page))}.{diff}",
                                    ERROR if out_of_date_error else WARNING))
    return problems


# --- clearinfo translations update ----------------------------------------------------------------

_DETAIL = re.compile(r"^translated_from[ \t]*:.*?(\r?\n|$)", re.M)
_AFTER = re.compile(r"^translation_of[ \t]*:.*?(\r?\n)", re.M)


def with_version(text: str, version: str) -> str | None:
    """The file's text with its 'translated_from' line set to `version` (added after
    'translation_of' when it has none); every other byte as it was. None if the file has no
    details or no 'translation_of' line."""
    split = split_front_matter(text)
    if split is None or split[1] is None:
        return None
    end = len(text) - len(split[1])  # the details end here (after the closing '---' line)
    head, tail = text[:end], text[end:]
    if _DETAIL.search(head):
        head = _DETAIL.sub(lambda m: f"translated_from: {version}{m.group(1)}", head, count=1)
    else:
        m = _AFTER.search(head)
        if m is None:
            return None
        head = head[:m.end()] + f"translated_from: {version}{m.group(1)}" + head[m.end():]
    return head + tail


def update_file(path: Path, version: str) -> bool:
    """Write the version into the translation's file. True if the file changed."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    new = with_version(text, version)
    if new is None or new == text:
        return False
    path.write_bytes(new.encode("utf-8"))
    return True


# --- the list ------------------------------------------------------------------------------------

def _language(page) -> str:
    from .languages import language_name
    code = page.meta.get("language") or ""
    return f"{language_name(code)[0]} ({code})"


def _state_words(s: TranslationState) -> str:
    if s.state == OUT_OF_DATE and s.changed_on:
        return f"out of date (the English changed on {s.changed_on.isoformat()})"
    return s.state


def translations_report(states: list[TranslationState], shown) -> list[str]:
    """`clearinfo translations`: a line for each translation, then a summary."""
    rows = [(shown(s.page), _language(s.page), shown(s.english), s.status or "-", _state_words(s)) for s in states]
    head = ("Page", "Language", "English page", "Status", "State")
    lines = []
    if rows:
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
        for row in [head] + rows:
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
        lines.append("")
    lines.append(_summary(states))
    if any(s.state in (OUT_OF_DATE, NOT_CHECKED) for s in states):
        lines.append("When a translator has checked a translation against its English page, run: "
                     "clearinfo translations update PAGE")
    return lines


def _summary(states: list[TranslationState]) -> str:
    counts = {k: sum(1 for s in states if s.state == k) for k in (UP_TO_DATE, OUT_OF_DATE, NOT_CHECKED, DRAFT)}
    examples = sum(1 for s in states if s.status == "example")
    return (f"{len(states)} translation{'s' if len(states) != 1 else ''}: {counts[UP_TO_DATE]} up to date, "
            f"{counts[OUT_OF_DATE]} out of date, {counts[NOT_CHECKED]} not checked against the English, "
            f"{counts[DRAFT]} draft. {examples} {'is an example' if examples == 1 else 'are examples'} that a "
            "qualified translator must check before real use.")


def translations_markdown(states: list[TranslationState], shown) -> str:
    """The same list as a Markdown table, for a pull request comment or an issue."""
    from .reviews import _cell
    lines = ["## Translations", "", _summary(states), ""]
    if states:
        lines += ["| Page | Language | English page | Status | State |", "|---|---|---|---|---|"]
        for s in states:
            state = _state_words(s)
            lines.append(f"| `{_cell(shown(s.page))}` | {_cell(_language(s.page))} | `{_cell(shown(s.english))}` | "
                         f"{_cell(s.status or '-')} | {'**' + state + '**' if s.state == OUT_OF_DATE else state} |")
        lines.append("")
    if any(s.state in (OUT_OF_DATE, NOT_CHECKED) for s in states):
        lines.append("When a translator has checked a translation against its English page, run "
                     "`clearinfo translations update PAGE`.")
    return "\n".join(lines).rstrip() + "\n"
