"""'Words we use': the glossary as data (content/glossary.yml), its page, and marking the first
use of each term on every page with a link to its meaning.

A link, not a hover tooltip: it works with a keyboard, a screen reader, touch and no JavaScript
(WCAG 1.4.13 and 2.1.1), and the reader can follow it or not.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .safe_html import TAG_INSIDE, plain_text_problem
from ..errors import Problem
from .references import References
from .yamlnodes import Mapping, compose, to_value

FIELDS = {"term", "abbreviation", "also", "meaning", "sources", "checked"}


@dataclass
class Term:
    term: str
    meaning: str
    slug: str
    line: int
    abbreviation: str | None = None
    also: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    checked: bool = True

    @property
    def forms(self) -> list[str]:
        """Every way the term is written in pages."""
        return [self.term] + self.also + ([self.abbreviation] if self.abbreviation else [])


@dataclass
class Glossary:
    terms: list[Term]

    def __post_init__(self):
        # Longest form first, so "care and support plan" wins over "care and support".
        forms = sorted(((f, t) for t in self.terms for f in t.forms), key=lambda p: -len(p[0]))
        self._by_form = {f.lower(): t for f, t in forms}
        if forms:
            alternatives = "|".join(re.escape(f) for f, _ in forms)
            self._pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)
        else:
            self._pattern = None

    def find(self, form: str) -> Term | None:
        return self._by_form.get(form.lower())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_glossary(path: Path, shown_as: str, references: References) -> tuple[Glossary, list[Problem]]:
    problems: list[Problem] = []

    def bad(line, msg):
        problems.append(Problem(shown_as, line, msg))

    if not path.exists():
        return Glossary([]), problems
    try:
        node = compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        bad(mark.line + 1 if mark else 1, f"the glossary could not be read ({getattr(e, 'problem', e)}). "
                                          "Check the indentation and that text with a colon is in quotes.")
        return Glossary([]), problems
    top = to_value(node) if node is not None else None
    items = top.value.items.get("terms") if top and isinstance(top.value, Mapping) else None
    if items is None or not isinstance(items.value, list):
        bad(1, "the glossary must start with 'terms:' followed by a list of terms.")
        return Glossary([]), problems

    terms: list[Term] = []
    seen: dict[str, tuple[str, int]] = {}  # lower-case form -> (term, line)
    for entry in items.value:
        if not isinstance(entry.value, Mapping):
            bad(entry.line, "each glossary entry must have 'term:' and 'meaning:'.")
            continue
        e = entry.value.items
        for key, v in e.items():
            if key not in FIELDS:
                bad(v.key_line, f"'{key}' is not something a glossary entry can have. "
                                f"It can have: {', '.join(sorted(FIELDS))}.")
        term_v, meaning_v = e.get("term"), e.get("meaning")
        if term_v is None or not isinstance(term_v.value, str) or not term_v.value.strip():
            bad(entry.line, "this glossary entry has no 'term'. Add the word it explains.")
            continue
        term = term_v.value.strip()
        if meaning_v is None or not isinstance(meaning_v.value, str) or not meaning_v.value.strip():
            bad(term_v.line, f"'{term}' has no 'meaning'. Explain it in 1 or 2 plain sentences.")
            continue
        why = plain_text_problem(meaning_v.value, f"the meaning of '{term}'")
        if why:
            bad(meaning_v.line, why)
        also = e.get("also")
        also_list = [str(x.value).strip() for x in also.value] if also and isinstance(also.value, list) else []
        if also and not isinstance(also.value, list):
            bad(also.line, f"'also' for '{term}' must be a list, like: also: [assessments, assessment of needs]")
        abbr_v = e.get("abbreviation")
        abbreviation = str(abbr_v.value).strip() if abbr_v and abbr_v.value else None
        src_v = e.get("sources")
        sources = [str(x.value) for x in src_v.value] if src_v and isinstance(src_v.value, list) else []
        for s in (src_v.value if src_v and isinstance(src_v.value, list) else []):
            why = references.check(str(s.value)) if references.documents else None
            if why:
                bad(s.line, why[0].upper() + why[1:])
        checked_v = e.get("checked")
        t = Term(term=term, meaning=meaning_v.value.strip(), slug=slugify(term), line=term_v.line,
                 abbreviation=abbreviation, also=also_list, sources=sources,
                 checked=bool(checked_v.value) if checked_v else True)
        for form in t.forms:
            key = form.lower()
            if key in seen:
                other, line = seen[key]
                what = "the term" if form == term else f"'{form}', a form of '{term}',"
                bad(term_v.line, f"{what} is already in the glossary (line {line}, under '{other}'). "
                                 "Each word can be explained only once: keep one and delete the other.")
            else:
                seen[key] = (term, term_v.line)
        terms.append(t)
    return Glossary(terms), problems


# Text inside these elements is never linked. Headings and links: a link inside a heading or another
# link is a second target where a reader expects one. Addresses and contact details (<address>, the
# footer, headers and menus): they are copied exactly onto an envelope or into a phone, and a link in
# the middle breaks them up for a screen reader. Code, the glossary's own terms and form controls too.
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "address", "footer", "header", "nav",
         "code", "pre", "kbd", "samp", "script", "style", "dt", "button", "label", "summary", "abbr",
         "svg", "title"}
# A tag (or a comment) whole (TAG_INSIDE: title="Over 65 > carer" would otherwise leave 'carer"'
# outside the tag, to be linked). A tag with a quote that never closes ends at its first '>'.
_TAG = re.compile(rf"""(<!--.*?-->|<{TAG_INSIDE}+>|<[^>]+>)""", re.S)
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


def link_first_uses(page_html: str, glossary: Glossary, glossary_url: str, leave_alone=()) -> str:
    """Link the first use of each glossary term on a page to its meaning.

    leave_alone: text never linked wherever it appears, such as the council's postal address that a
    placeholder put inside a sentence (no element marks it there), for the same reason as <address>."""
    if glossary._pattern is None:
        return page_html
    kept = {form for text in leave_alone if text for form in (text, html.escape(text))}
    used: set[str] = set()
    depth = {name: 0 for name in _SKIP}
    out = []
    for part in _TAG.split(page_html):
        if part.startswith("<"):
            m = _TAG_NAME.match(part)
            if m and m.group(1).lower() in depth and not part.endswith("/>"):
                name = m.group(1).lower()
                depth[name] = max(0, depth[name] + (-1 if part.startswith("</") else 1))
            out.append(part)
            continue
        if not part.strip() or any(depth.values()):
            out.append(part)
            continue
        spans = [(k.start(), k.end()) for text in kept for k in re.finditer(re.escape(text), part)]

        def mark(m):
            term = glossary.find(m.group(1))
            if term is None or term.slug in used or any(a < m.end() and m.start() < b for a, b in spans):
                return m.group(0)
            used.add(term.slug)
            href = html.escape(f"{glossary_url}#{term.slug}")
            return f'<a class="ci-term" href="{href}">{m.group(0)}</a>'
        out.append(glossary._pattern.sub(mark, part))
    return "".join(out)


def glossary_html(glossary: Glossary) -> str:
    """The entries of the 'Words we use' page, A to Z, with a letter index."""
    letters: dict[str, list[Term]] = {}
    for t in sorted(glossary.terms, key=lambda t: t.term.lower()):
        letters.setdefault(t.term[0].upper(), []).append(t)
    parts = ['<nav class="ci-az" aria-label="Words by letter"><ul>']
    parts += [f'<li><a href="#letter-{k.lower()}">{k}</a></li>' for k in letters]
    parts.append("</ul></nav>")
    for letter, terms in letters.items():
        parts.append(f'<h2 id="letter-{letter.lower()}">{letter}</h2>')
        parts.append('<dl class="ci-glossary">')
        for t in terms:
            name = html.escape(t.term) + (f" ({html.escape(t.abbreviation)})" if t.abbreviation else "")
            parts.append(f'<div id="{t.slug}"><dt>{name}</dt><dd>{html.escape(t.meaning)}</dd></div>')
        parts.append("</dl>")
    return "\n".join(parts)
