"""The theme's own words in other languages: the words around a translated page (Quick read, Other
formats, the footer, the search box, Exit this page, the player) in the page's language.

One small file a language (theme/words/cy.yml), each line an English phrase and its translation, so
English needs no file and a phrase with no translation stays English. A council can add a language
or change a phrase with a file of its own in the folder the 'words_dir' setting names. Pure: files
in, words and problems out; no MkDocs.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problem, WARNING
from ..content.languages import SITE_LANGUAGE, is_right_to_left, language_name

HERE = Path(__file__).parent / "words"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Every phrase the theme shows, in English: the key of each line of a language's file. A test
# checks that each t("...") in the templates is here, and that the bundled languages have them all.
THEME_WORDS: tuple[str, ...] = (
    # The header, the menu and the search box (partials/header.html, search.html; Material's words
    # through partials/languages/custom.html).
    "Skip to main content", "Header", "Menu", "Search", "Search this site", "Clear the search",
    "Getting search ready", "Type a word to search for", "Nothing matches those words", "1 page matches",
    "# pages match", "1 more on this page", "# more on this page", "Not found", "On this page", "Back to top",
    "Use dark colours", "Use light colours",
    # Around the page (partials/content.html)
    "Quick read", "Other formats", "Large print", "Easy Read version", "Easy Read to print", "web page",
    "Part of", "of", "step", "steps", "and", "Last reviewed", "Next review", "Written with", "Approved by",
    "Page history",
    # Only in the large print PDFs (formats/templates/print_section.html).
    "This page is on our website at",
    "Was this page helpful?", "Tell us if this page helped you, and how we could make it better",
    "Report a problem with this page", "This page in other languages",
    "The English version of this page changed on {date}. This translation may be out of date.",
    "The English version of this page changed. This translation may be out of date.",
    "Read the English page",
    "This is an example translation. A qualified translator must check it before it is used.",
    *MONTHS,
    # The urgent notice (partials/notice.html)
    "Important notice", "Important:",
    # Exit this page (partials/exit-this-page.html and its script)
    "Emergency", "Exit this page", "How to leave this page quickly:", "select Exit this page",
    ", or press the Shift key 3 times",
    "Another website opens instead. To hide your visit, delete this page from your browsing history.",
    "Shift, press 2 more times to exit.", "Shift, press 1 more time to exit.", "Exit this page expired.",
    "Loading.",
    # The footer (partials/footer.html)
    "Footer", "Contact {council}", "Phone", "Textphone or Relay UK",
    "18001 is the Relay UK code: from a textphone or the Relay UK app, dial 18001 and then our phone number.",
    "Email", "Opening hours", "Address", "Accessibility statement", "Words we use",
    # The audio player (partials/player.html, player.js)
    "Listen to this page", "Play", "Pause", "Back 10 seconds", "Forward 10 seconds", "Speed",
    "Slower (0.75 times)", "Normal", "Faster (1.25 times)", "Fastest (1.5 times)", "Highlight",
    "Each word as it is read", "Each sentence as it is read", "Nothing", "Download the audio",
    "Read the words of the audio",
    # An Easy Read document in another language (formats/templates/easy_read_web.html, easy_read_pdf.html)
    "Easy Read", "This is the Easy Read version of {page}.", "Easy Read version of {page}",
    "Easy Read PDF to print", "Contact us", "We are open {hours}", "Write to us:", "Who made this",
    "Written by {name}.", "Checked by {names}.", "Last checked {date}.", "We will check it again by {date}.",
    "Pictures: {credit}.",
    "European Easy-to-Read logo. This document was checked by people with learning disabilities.",
    "Page {page} of {pages}",
)


def _escaped(text: str) -> str:
    """A translation as safe HTML text or attribute value: the files come from many hands."""
    return html.escape(text, quote=True).replace("&#x27;", "'")


@dataclass
class Words:
    """The theme's words in one language. `t("Quick read")` is the phrase in this language, or the
    English when there is none (or the page is in English). English comes back unchanged, so an
    English page is byte for byte what it was before translations existed."""
    code: str | None = None        # None: English, the site's language
    table: dict = field(default_factory=dict)

    @property
    def translated(self) -> bool:
        """True when the theme speaks the page's language: then the whole page is marked with it."""
        return bool(self.code and self.table)

    @property
    def lang(self) -> str:
        return self.code if self.translated else SITE_LANGUAGE

    @property
    def dir(self) -> str:
        return "rtl" if self.translated and is_right_to_left(self.code) else "ltr"

    def t(self, english: str) -> str:
        if self.code and english in self.table:
            return _escaped(self.table[english])
        return english

    def plain(self, english: str) -> str:
        """The phrase in this language as plain text (not HTML), for a title or a PDF's margin."""
        return self.table.get(english, english) if self.code else english

    def fill(self, english: str, **values: str) -> str:
        """A phrase with {name} places filled by already-safe HTML values."""
        text = self.t(english)
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    def date(self, d) -> str:
        """1 March 2027, with the month's name in this language."""
        return f"{d.day} {self.t(MONTHS[d.month - 1])} {d.year}"


ENGLISH = Words()


def _primary(code: str) -> str:
    return str(code).lower().split("-")[0]


def _read(path: Path, shown: str) -> tuple[dict, list[Problem]]:
    """One language's file: English phrase -> translation. A mistake is a problem with its line."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return {}, [Problem(shown, None, "the file is not saved as UTF-8 text. Save it again as UTF-8.")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return {}, [Problem(shown, mark.line + 1 if mark else None, "the file could not be read. Write one "
                            "phrase a line, the English in quotes, a colon, then the translation in quotes, like: "
                            "\"Quick read\": \"Darllen cyflym\"")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(shown, 1, "the file must be lines like \"Quick read\": \"Darllen cyflym\": the English, "
                            "a colon, then the translation.")]
    table, problems = {}, []
    lines = path.read_text(encoding="utf-8").splitlines()
    for english, own in data.items():
        if not isinstance(english, str) or not isinstance(own, str) or not own.strip():
            line = next((n for n, x in enumerate(lines, 1) if str(english) in x), None)
            problems.append(Problem(shown, line, f"the translation of '{english}' must be text. Write it in quotes "
                                    "after the colon."))
            continue
        table[english] = own.strip()
    return table, problems


def load_words(code: str, own_dir: Path | None = None, shown=str) -> tuple[Words, list[Problem]]:
    """The theme's words in a language: the bundled file, with the council's own file (in
    `own_dir`, the 'words_dir' setting) over it. `shown(path)` names a file in messages."""
    primary = _primary(code)
    if primary == _primary(SITE_LANGUAGE):
        return ENGLISH, []
    table, problems = {}, []
    for folder in (HERE, own_dir):
        path = folder / f"{primary}.yml" if folder else None
        if path is not None and path.is_file():
            found, wrong = _read(path, shown(path))
            table.update(found)
            problems += wrong
    return Words(code, table), problems


def missing_words(words: Words, own_dir: Path | None, shown=str) -> Problem | None:
    """One warning for a language whose file lacks some of the theme's words, naming each one."""
    if words.code is None:
        return None
    english, own = language_name(words.code)
    primary = _primary(words.code)
    where = shown(own_dir / f"{primary}.yml") if own_dir else f"a file {primary}.yml in the folder 'words_dir' names"
    if not words.table:
        return Problem(where, None, f"there is no list of the theme's words in {english} ({words.code}), so the "
                       f"menu, the footer and the other words around {english} pages stay in English. Make this "
                       f"file with a line for each phrase, like \"Quick read\": \"...\" (copy "
                       "build_tools/clearinfo/theme/words/cy.yml to start), and set 'words_dir' under the "
                       "clearinfo plugin.", WARNING)
    missing = [w for w in THEME_WORDS if w not in words.table]
    if not missing:
        return None
    listed = "; ".join(f"'{w}'" for w in missing)
    return Problem(where, None, f"{len(missing)} of the theme's words have no {english} translation, so they "
                   f"show in English on {english} pages: {listed}. Add a line for each to this file.", WARNING)
