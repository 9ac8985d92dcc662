"""Reading ease of a page's words, measured the way a reader meets them.

Markdown is turned into plain sentences first: list items and headings end a sentence,
links keep only their words, placeholders read as the words they stand for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


_FENCE = re.compile(r"```.*?```", re.S)
_HTML = re.compile(r"<[^>]+>")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_PLACEHOLDER = re.compile(r"\{\{\s*council\.(\w+)\s*\}\}")
_SPOKEN = {"phone": "our phone number", "textphone": "our textphone number", "email": "our email address",
           "address": "our address", "opening_hours": "our opening hours", "name": "the council",
           "website": "our website"}


def plain_text(markdown: str) -> str:
    text = _FENCE.sub(" ", markdown)
    text = _HTML.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _PLACEHOLDER.sub(lambda m: _SPOKEN.get(m.group(1), "us"), text)
    sentences = []
    for line in text.splitlines():
        line = line.strip()
        line = re.sub(r"^(#{1,6}\s+|[-*+]\s+|\d+\.\s+|>\s*|:\s+|\|)", "", line).replace("|", " ")
        line = line.replace("**", "").replace("__", "").strip()
        if not line or set(line) <= set("-: "):
            continue
        # A heading or list item is a sentence of its own, even without a full stop.
        sentences.append(line if line[-1] in ".?!:" else line + ".")
    return " ".join(sentences)


@dataclass(frozen=True)
class Readability:
    reading_ease: float   # Flesch reading ease: higher is easier; 70-80 is "fairly easy"
    grade: float          # Flesch-Kincaid grade: a UK reading age is about grade + 5
    words: int

    @property
    def reading_age(self) -> float:
        return round(self.grade + 5, 1)


def measure(markdown: str) -> Readability:
    text = plain_text(markdown)
    import textstat  # here, not above: a build whose pages did not change never needs it (lint/plain_language.py)
    return Readability(reading_ease=textstat.flesch_reading_ease(text),
                       grade=textstat.flesch_kincaid_grade(text), words=textstat.lexicon_count(text))
