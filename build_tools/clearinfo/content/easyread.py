"""Easy Read sources (easyread/<topic>.md): details at the top, then chunks.

A chunk is one picture and 1 to 3 short sentences, separated from the next by a blank line:

    picture: phone
    alt: A telephone            (optional: what the picture shows, if the picture's name is not enough)
    Phone us on {{ council.phone }}.
    We will listen to you.

A line starting '## ' is a heading. Everything is plain text a person can edit in a browser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..text import sentence_spans
from .languages import in_site_language, language_name
from .safe_html import plain_text_problem
from .pages import Field, PageRules, _check_relations, check_fields, read_source
from .settings import Settings, find_placeholders

FIELDS: dict[str, Field] = {
    "title": Field("text", True, "title: Keeping safe"),
    "page": Field("text", True, "page: safeguarding.md"),
    "written_by": Field("text", True, "written_by: Adult Social Care information team"),
    "checked_by": Field("text_list", True, "checked_by:\n  - easy_read"),
    "last_reviewed": Field("date", True, "last_reviewed: 2026-11-23"),
    "review_due": Field("date", True, "review_due: 2027-11-23"),
    "cover_picture": Field("text", False, "cover_picture: shield"),
    "audio": Field("bool", False, "audio: true"),
    # A document in another language goes with the page in that language (link_problems).
    "language": Field("language", False, "language: cy"),
}
DEFAULTS = {"audio": True, "cover_picture": None, "language": None}

@dataclass
class Sentence:
    text: str
    line: int


@dataclass
class Chunk:
    line: int
    picture: str | None = None
    alt: str | None = None
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Heading:
    text: str
    line: int


@dataclass
class EasyReadDoc:
    topic: str
    path: Path
    shown: str
    meta: dict
    blocks: list  # Chunk and Heading, in order
    lines: dict

    @property
    def chunks(self) -> list[Chunk]:
        return [b for b in self.blocks if isinstance(b, Chunk)]


def split_sentences(lines: list[tuple[str, int]]) -> list[Sentence]:
    """Sentences with the line each starts on. A sentence may run over several lines; a line
    ending in a full stop ends its sentence (see clearinfo.text)."""
    text, starts = "", []
    for line_text, line in lines:
        if text:
            text += "\n"
        starts.append((len(text), line))
        text += line_text.strip()
    sentences = []
    for a, b in sentence_spans(text):
        line = next(no for offset, no in reversed(starts) if offset <= a)
        sentences.append(Sentence(text[a:b].replace("\n", " "), line))
    return sentences


def parse_blocks(body: str, first_line: int):
    """Chunks and headings, and the problems in laying them out."""
    blocks, problems = [], []
    block: list[tuple[str, int]] = []

    def flush():
        if not block:
            return
        first_text, first_no = block[0]
        if first_text.startswith("#"):
            blocks.append(Heading(first_text.lstrip("#").strip(), first_no))
            rest = block[1:]
            if not rest:
                return
            block[:] = rest
        chunk = Chunk(line=block[0][1])
        text_lines = []
        for text, no in block:
            key, _, value = text.partition(":")
            if key.strip().lower() == "picture" and not text_lines:
                chunk.picture = value.strip() or None
            elif key.strip().lower() == "alt" and not text_lines:
                chunk.alt = value.strip() or None
            else:
                text_lines.append((text, no))
        chunk.sentences = split_sentences(text_lines)
        blocks.append(chunk)

    for no, raw in enumerate(body.splitlines(), start=first_line):
        line = raw.strip()
        if not line:
            flush()
            block = []
        elif line.startswith("#") and block:
            flush()
            block = [(line, no)]
        else:
            block.append((line, no))
    flush()
    return blocks, problems


def load_easy_read(path: Path, shown_as: str, settings: Settings, rules: PageRules):
    problems: list[Problem] = []

    def bad(line, message, severity="error"):
        problems.append(Problem(shown_as, line, message, severity))

    read = read_source(path, bad, FIELDS)
    if read is None:
        return None, problems
    mapping, body, body_line = read
    meta, lines = check_fields(mapping, FIELDS, DEFAULTS, bad, rules)
    if "checked_by" in meta:  # a short name under 'groups' in mkdocs.yml becomes the group's name
        meta["checked_by"] = settings.group_names(meta["checked_by"])
    _check_relations(meta, lines, bad, rules)
    problems += find_placeholders(body, settings, shown_as, body_line)
    blocks, found = parse_blocks(body, body_line)
    problems += found
    for no, line in enumerate(body.splitlines(), start=body_line):
        # <u> is left to the Easy Read 'underline' rule, which says why better.
        why = plain_text_problem(re.sub(r"</?u>", "", line), "Easy Read")
        if why:  # Easy Read is plain words and pictures: no HTML, so nothing unsafe can pass
            bad(no, why)
    if not any(isinstance(b, Chunk) for b in blocks):
        bad(body_line, "there are no chunks yet. Write a chunk: a line 'picture: NAME', then 1 to 3 short "
                       "sentences. Put a blank line between chunks.")
    if any(p.is_error for p in problems):
        return None, problems
    return EasyReadDoc(topic=path.stem, path=path, shown=shown_as, meta=meta, blocks=blocks, lines=lines), problems


def load_easy_reads(folder: Path, project_root: Path, settings: Settings, rules: PageRules):
    docs, problems = [], []
    if not folder.is_dir():
        return docs, problems
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        shown = path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path)
        doc, found = load_easy_read(path, shown, settings, rules)
        problems += found
        if doc:
            docs.append(doc)
    return docs, problems


def other_language(meta: dict) -> str | None:
    """The language code of a page or document in another language than English; None for English."""
    return None if in_site_language(meta) else str(meta["language"])


def _same_language(a: str | None, b: str | None) -> bool:
    return (a or "").lower().split("-")[0] == (b or "").lower().split("-")[0]


def _language_problem(doc, page, pages) -> str | None:
    """A translated Easy Read document goes with the page in its language (easyread/safeguarding-cy.md,
    'language: cy', with content/safeguarding-cy.md): what is wrong, and how to put it right."""
    ours, theirs = other_language(doc.meta), other_language(page.meta)
    if _same_language(ours, theirs):
        return None
    wanted = page.rel
    if theirs is None:  # a document in another language for an English page
        name = language_name(ours)[0]
        translation = next((p for p in pages if p.meta.get("translation_of") == wanted
                            and _same_language(other_language(p.meta), ours)), None)
        fix = (f"Write 'page: {translation.rel}', its {name} translation." if translation else
               f"Name the {name} translation of {wanted} instead (a page with 'language: {ours}' and "
               f"'translation_of: {wanted}'): translate the page first.")
        return (f"this Easy Read document is in {name} ('language: {ours}'), but {wanted} is in English. A "
                f"translated Easy Read document goes with the translated page. {fix}")
    name = language_name(theirs)[0]
    if ours is None:  # an English document (or one that does not say its language) for a translation
        english = page.meta.get("translation_of")
        return (f"{wanted} is in {name} ('language: {theirs}'), so its Easy Read version must be in {name} too. "
                f"If this document is in {name}, add the line 'language: {theirs}' to its details"
                + (f"; if it is in English, write 'page: {english}'." if english else "."))
    return (f"this Easy Read document is in {language_name(ours)[0]} ('language: {ours}'), but {wanted} is in "
            f"{name} ('language: {theirs}'). Name the page in the document's language, or make 'language' agree.")


def link_problems(pages, docs, content_name: str, easy_name: str, root: Path, files: set[str]) -> list[Problem]:
    """Each Easy Read document goes with a real page, in its own language (one document a page),
    and each page's 'easy_read' names a real document. files: every page file (see pages.page_files)."""
    problems = []
    by_rel = {p.rel: p for p in pages}
    by_topic = {d.topic: d for d in docs}
    owners: dict[str, EasyReadDoc] = {}  # page -> its Easy Read document
    for doc in docs:
        wanted = doc.meta["page"]
        if wanted in files and wanted not in by_rel:
            continue  # the page is there but has mistakes of its own, which are reported already
        if wanted not in by_rel:
            problems.append(Problem(doc.shown, doc.lines.get("page"),
                f"'page' names '{wanted}', which is not a page in {content_name}/. Write the file name of the "
                "standard page this Easy Read version goes with, like safeguarding.md."))
            continue
        wrong = _language_problem(doc, by_rel[wanted], pages)
        if wrong:
            problems.append(Problem(doc.shown, doc.lines.get("language") or doc.lines.get("page"), wrong))
            continue
        named = by_rel[wanted].meta.get("easy_read")
        if named and named != doc.topic:
            problems.append(Problem(doc.shown, doc.lines.get("page"),
                f"this Easy Read version says it goes with {wanted}, but {wanted} names '{named}' as its Easy "
                f"Read version. Make them agree."))
            continue
        if wanted in owners:
            problems.append(Problem(doc.shown, doc.lines.get("page"),
                f"{owners[wanted].shown} is already the Easy Read version of {wanted}, and a page has one. Keep "
                "one of them, or name another page (a translation has its own: name the translated page, like "
                "safeguarding-cy.md)."))
            continue
        owners[wanted] = doc
    folder = root / easy_name
    for page in pages:
        named = page.meta.get("easy_read")
        shown = (page.path.relative_to(root).as_posix() if page.path.is_relative_to(root) else page.rel)
        if named and named not in by_topic and not (folder / f"{named}.md").exists():
            problems.append(Problem(shown, page.lines.get("easy_read"),
                f"'easy_read' names '{named}', but there is no {easy_name}/{named}.md. Write the Easy Read "
                "version first, or remove this line."))
        elif named in by_topic and by_topic[named].meta["page"] != page.rel:
            other = by_topic[named].meta["page"]
            problems.append(Problem(shown, page.lines.get("easy_read"),
                f"'easy_read' names '{named}', but {easy_name}/{named}.md is the Easy Read version of {other}"
                + (", the page this translates" if page.meta.get("translation_of") == other else "")
                + ". Remove this line"
                + (f", or write this page's own Easy Read version (with 'page: {page.rel}') and name it here."
                   if page.meta.get("translation_of") else ", or make them agree.")))
    return problems
