"""Splitting text into sentences, one way for every room that needs it: the Easy Read rules
(1 to 3 sentences a chunk), the plain-language lint (long sentences) and the audio (a sentence
at a time, highlighted as it is read).

A sentence ends at '.', '!', '?' or '…' (or, in other scripts, the Urdu full stop '۔', the Arabic
question mark '؟' or the danda '।' of Hindi, Bengali and Punjabi), with any closing brackets and
quotes after it, when space follows and then:
- the end of a line (a full stop at the end of a line always ends the sentence), or
- anything but a small letter: "Come in. We will help." is 2 sentences, "Wait... then go." is 1.
A short form's full stop ("e.g.", "i.e.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", and "No." before a
number) does not end a sentence, and nor does a full stop inside a number ("1.5").
Standard library only.
"""
from __future__ import annotations

import re

CLOSERS = "\"'”’)]}"
OPENERS = "\"'“‘(["
# The end of a sentence; the lookahead reads the space after it and the first letter of what follows.
_END = re.compile(rf"[.!?…۔؟।][{re.escape(CLOSERS)}]*(?=(\s+)[{re.escape(OPENERS)}]*(\S)?)")
_SHORT_FORM = re.compile(r"(?<![\w.])(?:e\.g|i\.e|Mr|Mrs|Ms|Dr|St)\.$", re.I)
_NUMBER_SIGN = re.compile(r"(?<![\w.])No\.$")


def _ends_sentence(before: str, space: str, following: str | None) -> bool:
    if before.endswith("."):
        if _SHORT_FORM.search(before):
            return False
        if _NUMBER_SIGN.search(before) and following is not None and following.isdigit():
            return False
    if "\n" in space:
        return True
    return following is not None and not following.islower()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, in order, without the spaces around it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        mark_end = m.start() + 1  # just after the mark that ends it
        if _ends_sentence(text[start:mark_end], m.group(1), m.group(2)):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        piece = text[a:b]
        if piece.strip():
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            trimmed.append((a, b))
    return trimmed


def split_sentences(text: str) -> list[str]:
    """The sentences of text, each without the spaces around it."""
    return [text[a:b] for a, b in sentence_spans(text)]
