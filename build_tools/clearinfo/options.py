"""The settings under the `clearinfo` plugin in mkdocs.yml, defined once.

Each setting's name, kind, default and a line of help. The defaults (`project.PLUGIN_DEFAULTS`), the
checks of mkdocs.yml (`project.check_options`) and the engine's config class (`plugin.ClearinfoConfig`)
are all made from this list. No MkDocs here (see DESIGN.md: keep MkDocs at the edge).
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    name: str
    kind: type  # int (whole number), float (any number), bool, str, list (of text) or dict ('name: value' lines)
    default: object
    help: str
    minimum: int | float | None = None  # the smallest a number may be, if there is one
    choices: tuple | None = None  # the only values a text setting may have, if it is one of a few


# How many PDFs or audio files are made at once when `concurrency` is not set.
DEFAULT_CONCURRENCY = max(1, os.cpu_count() or 1)

OPTIONS: tuple[Option, ...] = (
    Option("summary_max_words", int, 50, "the longest a page's quick-read summary may be"),
    Option("glossary_page", str, "words-we-use.md", "the 'Words we use' page the footer links to"),
    Option("accessibility_page", str, "accessibility.md", "the accessibility statement the footer links to"),
    Option("vendor_dir", str, ".vendor", "where `clearinfo fetch-assets` puts the fonts and checkers"),
    Option("cache_dir", str, ".cache/clearinfo", "where made PDFs and audio are kept between builds"),
    Option("default_owner", str, "Adult Social Care information team", "the owner `clearinfo new page` writes in"),
    Option("review_months", int, 12, "how long until a new page's review is due"),
    Option("easy_read_dir", str, "easyread", "the folder of Easy Read sources"),
    Option("easy_read_font_size", float, 16, "the Easy Read text size in points (16 or more)"),
    Option("easy_read_max_pages", int, 24, "the most pages an Easy Read document may have"),
    Option("easy_read_rules", dict, {}, "Easy Read checks made stricter or softer"),
    Option("easy_read_logo", str, "", "the council's logo on Easy Read covers"),
    Option("large_print_font_size", float, 18, "the large print text size in points (16 or more)"),
    Option("audio", bool, True, "make audio for every page"),
    Option("accessibility_report", str, "reports/accessibility.json", "the latest check's results"),
    Option("reading_ease_target", float, 60, "the reading ease a page should reach"),
    Option("max_sentence_words", int, 25, "the longest a sentence should be"),
    Option("jargon", dict, {}, "words to avoid, each with a plainer one"),
    Option("audio_language", str, "en-gb", "the language the audio is spoken in"),
    Option("audio_voice", str, "", "the voice the audio is spoken in"),
    Option("audio_rate", int, 160, "how fast the audio is spoken, in words a minute"),
    Option("audio_engine", str, "espeak", "the speech engine: espeak (espeak-ng) or piper (a natural voice)",
           choices=("espeak", "piper")),
    Option("audio_voice_model", str, "", "with audio_engine: piper, the voice: a .onnx file (its .onnx.json beside it)"),
    Option("audio_piper", str, "", "with audio_engine: piper, where the piper program is (empty: on PATH, "
                                   "then .venv-piper/bin/piper)"),
    Option("pronunciations", dict, {"NHS": "N H S", "GP": "G P", "CQC": "C Q C"}, "how to say some words"),
    Option("concurrency", int, DEFAULT_CONCURRENCY, "how many PDFs, audio files or browser checks run at once", minimum=1),
    # Sign-off and reviews (README, "How a co-production group edits a page")
    Option("publish_in_review", bool, False, "publish pages whose status is 'in review' (otherwise only the preview shows them)"),
    Option("approvers", list, [], "the groups and roles that may approve a page ('approved_by'); empty: any group or role"),
    Option("approver_names", bool, False, "allow a person's name in 'approved_by' (otherwise only groups and roles)"),
    Option("approval_changes", str, "warn", "what a build does when an approved page's words changed after its approval",
           choices=("warn", "error")),
    Option("overdue_reviews", str, "warn", "what a build does when an approved page is past its review date",
           choices=("warn", "error")),
    Option("page_history", bool, False, "show each page's history of changes (from git) at its end"),
    Option("exit_this_page_url", str, "https://www.google.co.uk/",
           "the neutral page 'Exit this page' opens in place of the page (a web address starting https://)"),
    Option("notice", dict, {}, "an urgent notice at the top of every page until its end date (text, ends, starts)"),
    # Translations (README, "Pages in other languages")
    Option("translations_out_of_date", str, "warn", "what a build does when a translation's English page changed "
           "after the translation was checked against it", choices=("warn", "error")),
    Option("words_dir", str, "", "a folder of the council's own translations of the theme's words (cy.yml, pl.yml)"),
)

BY_NAME = {option.name: option for option in OPTIONS}


def defaults() -> dict:
    """Each setting's default, as a fresh dict (the defaults that are dicts are copied)."""
    return {o.name: type(o.default)(o.default) if isinstance(o.default, (dict, list)) else o.default for o in OPTIONS}
