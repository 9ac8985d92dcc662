"""Plain-language checks on the Markdown sources, in every build (so editors see them in
`clearinfo serve` too): reading ease against a target, long sentences, jargon with no
explanation, and passive voice that hides who does something (lint/passive_voice.py). Warnings by default; `clearinfo build --strict` makes them errors."""
from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from ..content.glossary import Glossary
from ..content.pages import Page
from ..content.settings import PLACEHOLDER
from ..errors import Problem, WARNING
from ..text import split_sentences
from .passive_voice import flagged
from .readability import measure

# Words that have a plainer form (from the GOV.UK and Plain English Campaign word lists).
DEFAULT_JARGON = {
    "utilise": "use", "facilitate": "help", "in accordance with": "under", "commence": "start",
    "prior to": "before", "in order to": "to", "signpost": "point to", "statutory": "legal",
    "endeavour": "try", "ascertain": "find out", "in respect of": "about", "thereafter": "after that",
    "whereby": "by which", "pursuant to": "under", "notwithstanding": "despite", "deliver": "give",
}
# Why a passive is flagged (lint/passive_voice.py says when): a hint added to the warning.
_PASSIVE_HINT = {
    "by": "(Its doer comes after 'by': put them first.)",
    "duty": "(It is a promise or a duty, so the reader needs to know who.)",
    "reader": "(It says what is done to you, but not who does it.)",
}
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _lines(page: Page):
    fence = False
    for n, line in enumerate(page.body.splitlines(), start=page.body_line):
        if line.strip().startswith("```"):
            fence = not fence
            continue
        if fence or not line.strip() or line.lstrip().startswith(("<", "|")):
            continue
        yield n, re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", PLACEHOLDER.sub("X", line))


def check_plain_language(page: Page, shown: str, glossary: Glossary, target_ease: float,
                         max_words: int, jargon: dict | None = None) -> list[Problem]:
    found = []

    def warn(line, message):
        found.append(Problem(shown, line, message, WARNING))

    r = measure(page.body)
    if r.words >= 40 and r.reading_ease < target_ease:
        warn(None, f"the page is harder to read than our target: its reading ease is {r.reading_ease:.0f}, and "
                   f"the target is {target_ease:.0f} or more (about a reading age of {r.reading_age:.0f}). Use "
                   "shorter sentences and shorter words.")
    words = {**DEFAULT_JARGON, **(jargon or {})}
    for n, line in _lines(page):
        for sentence in split_sentences(line):
            count = len(re.findall(r"[\w'’-]+", sentence))
            if count > max_words:
                warn(n, f"this sentence has {count} words. Aim for {max_words} or fewer: split it into 2.")
        for word, plain in words.items():
            if re.search(rf"\b{re.escape(word)}\b", line, re.I) and not glossary.find(word):
                warn(n, f"'{word}' is jargon. Say '{plain}' instead, or explain it in Words we use.")
        item = _LIST_ITEM.match(line)
        text = line[item.end():] if item else line
        hit = next((h for number, sentence in enumerate(split_sentences(text))
                    for h in flagged(sentence, list_item=bool(item) and number == 0)), None)
        if hit:
            quoted, why = hit
            warn(n, f"'{quoted}' may be passive voice. Say who does it, for example 'we will ...'. "
                    f"{_PASSIVE_HINT[why]}")
    return found


# --- Remembered answers ----------------------------------------------------------------------------

_SOURCES = ("lint/plain_language.py", "lint/passive_voice.py", "lint/readability.py", "text.py", "content/settings.py")


class Remembered:
    """The plain-language answers of earlier builds, kept in the cache, so a page whose words did not
    change is not measured again (the slowest part of checking the content). An answer is known by a
    hash of everything it depends on: the page's words and first line, its name, the settings, the
    glossary's words, and the code of the checks themselves; anything else is checked afresh."""

    def __init__(self, path: Path | None, glossary: Glossary, settings: tuple):
        import hashlib
        here = Path(__file__).resolve().parents[1]
        code = hashlib.sha256(b"".join((here / s).read_bytes() for s in _SOURCES)).hexdigest()
        words = sorted(f for t in glossary.terms for f in t.forms)
        self.salt = json.dumps([code, words, settings], ensure_ascii=False, sort_keys=True, default=str)
        self.path, self.known, self.used, self.changed = path, {}, {}, False
        if path is not None:
            try:
                self.known = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def check(self, page: Page, shown: str, glossary: Glossary, target_ease: float, max_words: int,
              jargon: dict | None) -> list[Problem]:
        import hashlib
        key = hashlib.sha256(json.dumps([self.salt, shown, page.body_line, page.body],
                                        ensure_ascii=False).encode()).hexdigest()
        answer = self.known.get(key)
        if not isinstance(answer, list):
            found = check_plain_language(page, shown, glossary, target_ease, max_words, jargon)
            answer = [[p.line, p.message] for p in found]
            self.changed = True
        self.used[key] = answer
        return [Problem(shown, line, message, WARNING) for line, message in answer]

    def save(self) -> None:
        """Keep this build's answers (only these: pages since removed or changed are forgotten)."""
        if self.path is None or not (self.changed or len(self.used) != len(self.known)):
            return
        part = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part.write_text(json.dumps(self.used, ensure_ascii=False), encoding="utf-8")
            os.replace(part, self.path)
        except OSError:  # the cache is a help, not a need: a folder that cannot be written is skipped
            with contextlib.suppress(OSError):
                part.unlink()
