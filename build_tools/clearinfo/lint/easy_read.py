"""The Easy Read rules, checked on the source at every build.

Each finding names the file, the line and the rule, in plain English. Whether a rule is an
error (the build stops) or a warning is set with `easy_read_rules` in mkdocs.yml.
"""
from __future__ import annotations

import re

from ..content.easyread import Chunk, EasyReadDoc
from ..content.languages import in_site_language
from ..content.glossary import Glossary
from ..content.settings import PLACEHOLDER
from ..errors import Problem, WARNING
from ..pictures import PictureSet

RULES = {
    "sentence-too-long": "a sentence has more words than allowed",
    "no-picture": "a chunk has no picture, or a picture Clearinfo cannot find or open",
    "too-many-sentences": "a chunk has more than 3 sentences, or none",
    "hard-word": "a hard word or acronym is not explained",
    "all-caps": "words in capital letters",
    "italics": "words in italics",
    "underline": "underlined words",
    "number-as-word": "a number written as a word",
    "too-many-pages": "the PDF is longer than allowed",
}
DEFAULT_LEVELS = {rule: "error" for rule in RULES}
# Rules about English words: the hard words are the English glossary's (and an acronym is looked for
# there), and the number words are English ones. A document in another language is checked only by
# the rest, which are about its layout and type (sentences, chunks, pictures, capitals, italics,
# underlining, pages). Easy Read has no reading-ease, passive-voice or plain-English word checks:
# those are for the standard pages (lint/plain_language.py), and in English only too.
ENGLISH_ONLY = ("hard-word", "number-as-word")

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)[^*\n]+?(?<!\*)\*(?![*\w])|(?<![_\w])_(?!_)[^_\n]+?_(?![_\w])|<(?:i|em)\b",
                     re.I)
_UNDERLINE = re.compile(r"<(?:u|ins)\b|\+\+[^+\n]+\+\+", re.I)
_CAPS = re.compile(r"\b[A-Z][A-Z'’]+s?\b")
_NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                 "hundred thousand million").split()
_NUMBER = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_NOT_A_NUMBER = re.compile(r"\b(no one|one of|one day|the one|this one|that one|one another|each one|every one)\b", re.I)


def words(sentence: str) -> list[str]:
    text = PLACEHOLDER.sub("X", sentence).replace("**", "")
    return [w for w in re.split(r"\s+", text) if re.search(r"\w", w)]


def level_problems(levels: dict, shown: str) -> list[Problem]:
    """Mistakes in the easy_read_rules setting: a rule that does not exist, or a level that is not one."""
    import difflib
    problems = []
    for rule, level in levels.items():
        if rule not in RULES:
            close = difflib.get_close_matches(str(rule), RULES, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(shown, None, f"'easy_read_rules' names '{rule}', which is not an Easy Read "
                                    f"rule.{hint} The rules are: {', '.join(RULES)}."))
        elif level not in ("error", "warning", "off"):
            problems.append(Problem(shown, None, f"'easy_read_rules' sets '{rule}' to '{level}'. Use error, "
                                    "warning or off."))
    return problems


class EasyReadRules:
    def __init__(self, glossary: Glossary, pictures: PictureSet, levels: dict | None = None,
                 max_sentence_words: int = 15, max_sentences: int = 3, max_pages: int = 24):
        self.glossary = glossary
        self.pictures = pictures
        self.levels = {**DEFAULT_LEVELS, **(levels or {})}
        self.max_words = max_sentence_words
        self.max_sentences = max_sentences
        self.max_pages = max_pages

    def _problem(self, doc: EasyReadDoc, line, rule, message):
        level = self.levels.get(rule, "error")
        if level == "off" or (rule in ENGLISH_ONLY and not in_site_language(doc.meta)):
            return []
        return [Problem(doc.shown, line, f"{message} (Easy Read rule: {rule})",
                        WARNING if level == "warning" else "error")]

    def check(self, doc: EasyReadDoc) -> list[Problem]:
        found: list[Problem] = []
        explained: set[str] = set()
        cover = doc.meta.get("cover_picture")
        if cover:
            found += self._picture_problems(doc, cover, doc.lines.get("cover_picture", 1), " for the cover")
        for block in doc.blocks:
            if isinstance(block, Chunk):
                found += self._check_chunk(doc, block, explained)
        return found

    def check_pages(self, doc: EasyReadDoc, pages: int) -> list[Problem]:
        if pages <= self.max_pages:
            return []
        return self._problem(doc, 1, "too-many-pages",
                             f"the Easy Read PDF has {pages} pages. Easy Read documents have {self.max_pages} "
                             "pages at most: split the topic into 2 documents, or say less.")

    def _picture_problems(self, doc, name: str, line: int, detail: str = "") -> list[Problem]:
        picture = self.pictures.get(name)
        if picture is None:
            close = self.pictures.suggest(name)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            return self._problem(doc, line, "no-picture", f"there is no picture called '{name}'{detail}.{hint} "
                                 f"'clearinfo pictures find WORD' lists the pictures.")
        why = self.pictures.unreadable(picture)
        return self._problem(doc, line, "no-picture", why) if why else []

    def _check_chunk(self, doc, chunk: Chunk, explained: set[str]) -> list[Problem]:
        p = []
        if not chunk.picture:
            p += self._problem(doc, chunk.line, "no-picture",
                               "this chunk has no picture. Start it with a line like 'picture: phone'. "
                               "'clearinfo pictures find WORD' lists the pictures.")
        else:
            p += self._picture_problems(doc, chunk.picture, chunk.line)
        n = len(chunk.sentences)
        if n == 0:
            p += self._problem(doc, chunk.line, "too-many-sentences",
                               "this chunk has a picture but no words. Write 1 to 3 short sentences under the picture.")
        elif n > self.max_sentences:
            p += self._problem(doc, chunk.sentences[self.max_sentences].line, "too-many-sentences",
                               f"this chunk has {n} sentences. A chunk has {self.max_sentences} at most: "
                               "start a new chunk, with its own picture, for the rest.")
        for s in chunk.sentences:
            p += self._check_sentence(doc, s, explained)
        return p

    def _check_sentence(self, doc, s, explained: set[str]) -> list[Problem]:
        p = []
        count = len(words(s.text))
        if count > self.max_words:
            p += self._problem(doc, s.line, "sentence-too-long",
                               f"this sentence has {count} words. Easy Read sentences have {self.max_words} words "
                               "at most: split it into 2 sentences.")
        text = PLACEHOLDER.sub("", s.text)
        bold_spans = [m.span(1) for m in _BOLD.finditer(text)]
        g = self.glossary
        if g._pattern is not None:
            for m in g._pattern.finditer(text):
                term = g.find(m.group(1))
                if term is None or term.slug in explained:
                    continue
                if any(a <= m.start() and m.end() <= b for a, b in bold_spans):
                    explained.add(term.slug)
                else:
                    p += self._problem(doc, s.line, "hard-word",
                        f"'{m.group(1)}' is a hard word (it is in Words we use). The first time you use it, "
                        f"make it bold, like **{m.group(1)}**, so it is explained on the Hard words page.")
                    explained.add(term.slug)  # say it once
        plain = text.replace("**", "")
        caps = [m for m in _CAPS.finditer(plain)]
        for i, m in enumerate(caps):
            word = m.group(0)
            core = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
            if g.find(core) or g.find(word):
                continue
            run = (i + 1 < len(caps) and plain[m.end():caps[i + 1].start()].strip() == "") or \
                  (i > 0 and plain[caps[i - 1].end():m.start()].strip() == "")
            if run or len(core) >= 4:
                p += self._problem(doc, s.line, "all-caps",
                                   f"'{word}' is in capital letters. Capitals are hard to read: write it in "
                                   "small letters, with a capital only at the start of a name.")
            else:
                p += self._problem(doc, s.line, "hard-word",
                                   f"'{word}' looks like an acronym, and it is not explained. Write it out in "
                                   "full, or add it to content/glossary.yml with its meaning.")
        if _ITALIC.search(s.text):
            p += self._problem(doc, s.line, "italics",
                               "this sentence has words in italics. Italics are hard to read: use bold for "
                               "the one or two words that matter most.".replace("one or two", "1 or 2"))
        if _UNDERLINE.search(s.text):
            p += self._problem(doc, s.line, "underline",
                               "this sentence has underlined words. Underlining looks like a link: "
                               "use bold instead.")
        cleaned = _NOT_A_NUMBER.sub("", plain)
        for m in _NUMBER.finditer(cleaned):
            p += self._problem(doc, s.line, "number-as-word",
                               f"'{m.group(0)}' is a number written as a word. Write numbers as digits, like 3.")
        return p
