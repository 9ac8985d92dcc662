"""The build pipeline: everything Clearinfo does in a build, in order, knowing nothing of the engine.

An engine (MkDocs or ProperDocs through plugin/, or another through its own small adapter) turns
Markdown into HTML pages and writes them. It calls the pipeline at these points, handing it plain
values (file names, addresses, text) and a SiteFiles for its list of pages:

1. `Pipeline.start`    load and check the content, once (or take the project the command checked);
2. `plan`              before rendering: generated pages (coverage, printed copies, Easy Read), which
                       files are data or drafts; the Easy Read PDFs are made here, so their pages can
                       give the files' sizes;
3. `page_markdown`     each page's Markdown: placeholders filled, generated parts added;
4. `page_html`         each page's HTML as Markdown made it: checked for unsafe HTML, glossary links,
                       read-along numbering, print addresses; kept for the print formats and audio;
5. `all_pages_rendered` every page's HTML exists and none is written: refuse unsafe HTML, make the
                       large print PDFs, packs and audio (cached, in parallel), gather each page's
                       Other formats;
6. `page_context`, `template_context`  what the theme's templates show around each page;
7. `finish_page`, `finish_template`    each written page: landmarks, toggles, Content-Security-Policy;
8. `write`             the formats, fonts and headers file into the site folder.

Problems in the user's files stop the build as ContentErrors (errors.py), which every engine's
adapter passes on to the command line.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import posixpath
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from ..clock import build_date
from ..content.duties import coverage_page
from ..content.glossary import glossary_html, link_first_uses
from ..content.languages import in_site_language, page_languages
from ..content.translations import translation_states
from ..content.pages import load_page
from ..content.printed import PAGE as PRINTED_PAGE, fill_markers, printed_copies_page
from ..content.safe_html import check_rendered
from ..content.history import page_history
from ..content.settings import fill_placeholders
from ..content.steps import journeys, steps_html
from ..content.you_said import PAGE as YOU_SAID_PAGE, you_said_page
from ..content.statement import load_report, statement_markdown
from ..errors import ContentErrors, Problem, errors_only
from ..furniture import furniture, report_link, translation_box
from ..theme.phone_links import link_phone_number
from ..project import Project
from ..theme.catalogue import ENGLISH, load_words, missing_words
from ..theme.landmarks import SKIP_TEXT, fix_landmarks, mark_english_parts
from ..theme.policy import HEADERS_FILE, apply_policy, headers_file
from ..theme.print_links import add_print_urls
from ..theme.toggles import fix_toggles
from ..vendor import ASSETS, FONTS, is_fetched, verified_bytes
from .audio import AudioStep
from .easy_read import EasyReadStep
from .printing import PrintStep

STYLESHEETS = ["assets/stylesheets/clearinfo.css", "assets/stylesheets/exit-this-page.css"]  # every page loads these
PREVIEW_STYLESHEET = "assets/stylesheets/clearinfo-preview-panel.css"  # only `clearinfo serve` has it
SCRIPTS = ["assets/javascripts/clearinfo.js", "assets/javascripts/player.js", "assets/javascripts/exit-this-page.js"]
COVERAGE_PAGE = "coverage.md"
DATA_SUFFIXES = (".yml", ".yaml")  # content data (glossary, references) is read, not published
# Between a page's own words and what Clearinfo adds to its Markdown (the glossary's entries, the
# statement's results): only what comes before it is the page's, and checked as content.
GENERATED_MARK = "<!-- clearinfo: generated below -->"


class SiteFiles(Protocol):
    """The engine's list of the site's pages, as the pipeline needs it."""

    def url_of(self, rel: str) -> str | None:
        """The address in the site of the page made from `rel` (e.g. "help/index.md"), or None."""

    def sources(self) -> list[str]:
        """Every source file, as `rel` names them."""

    def add(self, rel: str, markdown: str) -> None:
        """A page Clearinfo writes itself, rendered by the engine like any other."""

    def leave_out(self, rel: str) -> None:
        """A source file that is not a page (data), never published."""

    def preview_only(self, rel: str) -> None:
        """A page shown in the preview but never published (a draft)."""


def relative_url(url: str, from_url: str) -> str:
    """`url` (an address in the site) as a link from the page at `from_url`."""
    base = from_url
    head, tail = posixpath.split(base)
    if base != "." and "." in tail:  # a file's address: links are relative to its folder
        base = head
    rel = posixpath.relpath("/" + url, "/" + base)
    return rel + "/" if url.endswith("/") else rel


def check_theme(theme: dict, settings_file: str) -> None:
    """Material for MkDocs loads Google Fonts unless told not to: nothing may load from outside the site."""
    if theme.get("font") is not False:
        raise ContentErrors([Problem(settings_file, None, "set 'font: false' under 'theme:'. Otherwise Material "
                                     "for MkDocs loads Google Fonts and every visitor's browser calls a third party.")])


@dataclass
class Stage:
    """One step of a build, for the table at its end."""
    name: str
    seconds: float
    made: int | None = None    # files made
    reused: int | None = None  # files taken from the cache


class Pipeline:
    def __init__(self, project: Project, site_url: str | None, *, warn: Callable[[str], None],
                 info: Callable[[str], None], warnings_shown: bool = False, preview: bool = False):
        self.project, self.site_url = project, site_url or None
        self.preview = preview  # `clearinfo serve`: unpublished pages are marked, and the author panel shows
        self.warn, self.info, self.warnings_shown = warn, info, warnings_shown
        self.options = project.options
        self.pages: dict = {}           # source file -> checked Page
        self.formats: dict = {}         # source file -> its Other formats links
        self.links: dict = {}
        self.unsafe: list[Problem] = []  # HTML the content checks refuse, found as Markdown made it
        self.script_hashes: list[str] = []  # every inline script the pages' policies allow
        self.report: list[Stage] = []  # how long each step took, and what it made or reused
        self.words: dict = {}         # language code -> the theme's words in it (theme/catalogue.py)
        self.languages: dict = {}     # source file -> its family of translations (content/languages.py)
        self.translations: dict = {}  # translation's file -> its state (content/translations.py)

    @contextlib.contextmanager
    def _timed(self, name: str, tally: dict):
        began = time.monotonic()
        try:
            yield
        finally:
            self.report.append(Stage(name, time.monotonic() - began, tally.get("made"), tally.get("reused")))

    @classmethod
    def start(cls, config_file: str | Path, site_url: str | None, *, theme=None, handed: Project | None = None,
              **kwargs) -> "Pipeline":
        """Step 1. The project the command already read and checked (`handed`) if it is this one;
        otherwise read it now. Either way its content is checked once (Project.check_all keeps its answer).
        `theme` is the theme's settings, where the engine has them."""
        if theme is not None:
            check_theme(theme, Path(config_file).name)
        same = handed is not None and Path(config_file).resolve() == handed.config_path.resolve()
        return cls(handed if same else Project.load(config_file), site_url, **kwargs)

    # --- 2. Before rendering ---------------------------------------------------------------------

    def plan(self, files: SiteFiles) -> None:
        """Add the generated pages to `files`, leave out data files, keep drafts to the preview, and
        make the Easy Read formats."""
        checked = self.project.check_all()
        errors = errors_only(checked.problems)
        if errors:
            raise ContentErrors(errors)
        if not self.warnings_shown:
            for p in checked.problems:
                self.warn(str(p))
        self.files = files
        self.pages = {p.rel: p for p in checked.pages}
        self.journeys = journeys(checked.pages)  # the step by step pages each page is a step of
        self.glossary = checked.glossary
        published = [p for p in checked.pages if self.project.published(p.meta["status"])]
        self._add_coverage_page(published)
        self._add_you_said_page(published)
        self._add_printed_copies_page(published, checked.easy_reads)
        self.printing = PrintStep(self.project, self.site_url, self.info)
        self.audio = AudioStep(self.project, self.glossary, self.info)
        self.easy_read_docs = {f"easy-read/{d.topic}.md": d for d in checked.easy_reads}
        self._plan_languages(checked.pages, published, checked.easy_reads)  # before Easy Read: its words too
        self.easy_read = EasyReadStep(self.project, checked, files, self.warn, self.info, self.words)
        with self._timed("Easy Read PDFs", self.easy_read.tally):
            self.easy_read.run()
        for rel, formats in self.easy_read.formats.items():
            self.formats.setdefault(rel, []).extend(formats)
        self.links = {"accessibility": files.url_of(self.options["accessibility_page"]),
                      "glossary": files.url_of(self.options["glossary_page"])}
        for rel in files.sources():
            if rel.endswith(DATA_SUFFIXES):
                files.leave_out(rel)
            elif rel in self.pages and not self.project.published(self.pages[rel].meta["status"]):
                files.preview_only(rel)  # drafts and pages in review show in `clearinfo serve` (marked), never published

    def _plan_languages(self, pages, published, easy_reads=()) -> None:
        """Pages (and Easy Read documents) in other languages: the theme's words in each language (one
        warning a language for the words it lacks), each translation's state, and each page's family
        of languages."""
        own = self.project.options.get("words_dir")
        own_dir = self.project.root / str(own) if own else None
        self.words, problems = {}, []
        codes = {p.meta["language"] for p in pages if p.meta.get("language")}
        for code in sorted(codes | {d.meta["language"] for d in easy_reads if d.meta.get("language")}):
            self.words[code], found = load_words(code, own_dir, self.project.shown)
            problems += found
            if any(p.meta.get("language") == code for p in published):
                missing = missing_words(self.words[code], own_dir, self.project.shown)
                problems += [missing] if missing else []
        if errors_only(problems):
            raise ContentErrors(errors_only(problems))
        for p in problems:
            self.warn(str(p))
        self.translations = {s.page.rel: s for s in translation_states(pages, self.project.history)}
        self.languages = page_languages(published, self.files.url_of)

    def _add_generated_page(self, name: str, text: str) -> None:
        """A page Clearinfo writes itself, checked like any other and given the same furniture."""
        rules = dataclasses.replace(self.project.rules(build_date()), approvers=())  # approved by its owner
        page, problems = load_page(self.project.content_dir / name, self.project.content_dir, name,
                                   self.project.settings, rules, text=text)
        if page is None:  # a bug in Clearinfo, not the user's content
            raise RuntimeError(f"Clearinfo made a page ({name}) it cannot read: " + "; ".join(map(str, problems)))
        if self.files.url_of(name) is None:
            self.files.add(name, text)
        self.pages[name] = page

    def _add_coverage_page(self, pages) -> None:
        """The council's coverage page, made from every page's 'covers'."""
        duties = self.project.duties()
        if duties:
            self._add_generated_page(COVERAGE_PAGE, coverage_page(pages, duties, self.options["default_owner"],
                                                                  build_date()))

    def _add_you_said_page(self, pages) -> None:
        """The "You said, we did" page, made from content/you-said-we-did.yml when there is one."""
        published = {p.rel: p for p in pages}
        entries = self.project.you_said(pages=set(published))
        if entries:
            titles = {rel: fill_placeholders(p.meta["title"], self.project.settings) for rel, p in published.items()}
            self._add_generated_page(YOU_SAID_PAGE, you_said_page(
                entries, self.options["default_owner"], build_date(), example=any(e.example for e in entries),
                titles=titles))

    def _add_printed_copies_page(self, pages, easy_reads) -> None:
        # The printed pack is in English: a translation is printed from its own large print PDF.
        chosen = sorted((p for p in pages if p.meta.get("print") and not p.meta.get("translation_of")),
                        key=lambda p: (p.rel != "index.md", p.rel))
        if not chosen:
            return
        topics = {p.rel for p in chosen}
        titles = [d.meta["title"] for d in easy_reads if d.meta["page"] in topics]
        self._add_generated_page(PRINTED_PAGE, printed_copies_page(chosen, titles, self.options["default_owner"],
                                                                   build_date()))

    # --- 3 and 4. Each page ----------------------------------------------------------------------

    def page_markdown(self, src: str, markdown: str) -> str:
        markdown = fill_placeholders(markdown, self.project.settings, for_html=True)
        if src == self.options["glossary_page"]:
            markdown += f"\n\n{GENERATED_MARK}\n\n" + glossary_html(self.glossary) + "\n"
        if src == self.options["accessibility_page"]:
            report = load_report(self.project.root / self.options["accessibility_report"])
            markdown += f"\n\n{GENERATED_MARK}\n\n" + statement_markdown(report)
        data = self.pages.get(src)
        if data is not None and data.meta.get("step_by_step"):
            markdown += f"\n\n{GENERATED_MARK}\n\n" + self._steps(src, data.meta["step_by_step"]) + "\n"
        return markdown

    def _steps(self, src: str, steps) -> str:
        """A step by step page's steps (content/steps.py), each linking to its page."""
        here = self.files.url_of(src) or ""
        settings = self.project.settings

        def link_to(page: str):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(src), page))
            url, target = self.files.url_of(rel), self.pages.get(rel)
            if url is None or target is None or not self.project.published(target.meta["status"]):
                return None
            return relative_url(url, here), target.meta["title"]
        return steps_html(steps, link_to, lambda text: fill_placeholders(text, settings))

    def page_html(self, src: str, url: str, title: str, html: str) -> str:
        """`title` is the page's title as the engine shows it."""
        html = link_phone_number(html, self.project.settings.text("council.phone"))  # one tap to call
        doc = self.easy_read_docs.get(src)
        if doc is not None:  # an Easy Read web page, read in its language's voice
            return self.audio.keep(src, url, title, None, html, doc.meta["audio"],  # its dates are in its words
                                   doc.meta.get("language"))
        data = self.pages.get(src)
        if data is None:
            return html
        html = self._check_safe(src, data, html)
        settings = self.project.settings
        if src not in (self.options["glossary_page"], COVERAGE_PAGE) and in_site_language(data.meta):
            html = link_first_uses(html, self.glossary, relative_url(self.links["glossary"], url),
                                   leave_alone=[settings.text(f"council.{k}") for k in settings.council])
        self.printing.keep(data, html, url)
        html = self.audio.keep(src, url, fill_placeholders(data.meta["title"], settings),
                               fill_placeholders(data.meta["summary"], settings), html,
                               data.meta["audio"], data.meta.get("language"),
                               review=(data.meta["last_reviewed"], data.meta["review_due"]))
        return add_print_urls(html, url, self.site_url)

    def _check_safe(self, src: str, data, html: str) -> str:
        """The page as Markdown made it holds only the allowed HTML (attr_list can add attributes the
        Markdown check cannot see). Problems are gathered and stop the build before anything is written."""
        own, mark, generated = html.partition(GENERATED_MARK)
        if src not in (COVERAGE_PAGE, PRINTED_PAGE):  # those two are written wholly by Clearinfo
            shown = f"{self.project.content_dir.name}/{src}"
            self.unsafe += check_rendered(own, shown, data.body, data.body_line)
        return own + generated if mark else html

    # --- 5. Every page's HTML exists; none is written --------------------------------------------

    def all_pages_rendered(self) -> None:
        if self.unsafe:
            raise ContentErrors(self.unsafe)
        with self._timed("Large print PDFs and packs", self.printing.tally):
            self.printing.run(self.easy_read.prepared, self.words)
        with self._timed("Audio", self.audio.tally):
            self.audio.run()
        for rel, formats in self.printing.formats.items():
            self.formats.setdefault(rel, []).extend(formats)

    # --- 6. What the templates show --------------------------------------------------------------

    def template_context(self) -> dict:
        # t("Quick read"): the theme's words, in the page's language on a translation (theme/catalogue.py).
        return {"council": self.project.settings.council, "clearinfo_links": self.links,
                "clearinfo_notice": self.project.notice(build_date()), "t": ENGLISH.t, "clearinfo_words": ENGLISH}

    def _language_context(self, src: str, data, words) -> tuple[dict, dict]:
        """A page's languages, as (what the templates get, what goes into `clearinfo`): the theme's
        words in its language; its family of translations (the language list, and hreflang links,
        absolute when the site has an address); on a translation, whether its English page changed
        since it was checked, and whether it is an example translation."""
        here = self.files.url_of(src) or ""
        family = self.languages.get(src, [])
        alternates = [{"hreflang": e["code"], "href": self._address(e["href"], here)} for e in family]
        if family:  # x-default: the English page, for a reader whose language is not among them
            alternates.append({"hreflang": "x-default", "href": self._address(family[0]["href"], here)})
        english = self.pages.get(data.meta.get("translation_of") or "")
        box = translation_box(self.translations.get(src), words, relative_url(self.files.url_of(english.rel) or "",
                                                                              here)) if english else None
        return ({"t": words.t, "clearinfo_words": words, "clearinfo_alternates": alternates,
                 "clearinfo_language": {"code": words.lang, "dir": words.dir} if words.translated else None},
                {"languages": [{**e, "href": relative_url(e["href"], here)} for e in family], "translation": box})

    def _address(self, url: str, here: str) -> str:
        return self.site_url.rstrip("/") + "/" + url if self.site_url else relative_url(url, here)

    def page_context(self, src: str, url: str, title: str = "") -> dict:
        """The furniture around the page at `url` (its canonical address when the site has one).
        `title`: the page's title as the engine shows it, for pages that are not standard pages."""
        context = {**self.template_context(), "clearinfo_audio": self.audio.players.get(src),
                   "clearinfo_report_href": report_link(self.project.settings, title, url)}
        data = self.pages.get(src)
        doc = self.easy_read_docs.get(src)
        if doc is not None and doc.meta.get("language"):  # an Easy Read document in another language
            words = self.words.get(doc.meta["language"], ENGLISH)
            context.update({"t": words.t, "clearinfo_words": words,
                            "clearinfo_language": {"code": words.lang, "dir": words.dir} if words.translated else None})
        if data is not None:
            words = self.words.get(data.meta.get("language") or "", ENGLISH)
            history = page_history(self.project.history(), src) if self.options["page_history"] else None
            context["clearinfo"] = furniture(data, self.project.settings, url, self.formats.get(src),
                                             history=history, preview=self.preview, words=words)
            for_templates, for_furniture = self._language_context(src, data, words)
            context.update(for_templates)
            context["clearinfo"].update(for_furniture)
            if data.meta.get("exit_this_page"):  # the GOV.UK pattern: partials/exit-this-page.html
                context["clearinfo"]["exit_this_page"] = {"url": self.options["exit_this_page_url"]}
            context["clearinfo"]["part_of"] = [
                {**j, "title": fill_placeholders(j["title"], self.project.settings),
                 "href": relative_url(self.files.url_of(j["page"]) or "", self.files.url_of(src) or "")}
                for j in self.journeys.get(src, []) if self.project.published(self.pages[j["page"]].meta["status"])]
        return context

    # --- 7. Each written page --------------------------------------------------------------------

    def finish_page(self, src: str, output: str) -> str:
        if src == PRINTED_PAGE:
            output = fill_markers(output, self.printing.pack_sizes)
        if self.preview and src in self.pages and src not in (COVERAGE_PAGE, PRINTED_PAGE, YOU_SAID_PAGE):
            output = self._with_author_panel(src, output)
        words = self._words_of(src)
        if words.translated:  # the page is marked with its language: the English menu is marked English
            output = mark_english_parts(output)
        return self.finish_template(output, skip_text=words.t(SKIP_TEXT))

    def _words_of(self, src: str):
        """The theme's words in the language of the page (or Easy Read document) made from `src`."""
        data = self.pages.get(src) or self.easy_read_docs.get(src)
        return self.words.get(data.meta.get("language") or "", ENGLISH) if data is not None else ENGLISH

    @functools.cached_property
    def _panel_rules(self):
        """The day and the page and Easy Read rules the author panel checks with: read once a build,
        not once a page (they read references.yml, duties.yml and the pictures)."""
        today = build_date()
        return today, self.project.rules(today), self.project.easy_read_rules(self.glossary)

    def _with_author_panel(self, src: str, output: str) -> str:
        """Only in the preview (`clearinfo serve`): the page's check results beside it, in plain
        English, with its long sentences marked in place (preview_panel.py). The formats have
        already taken their copy of the page, so nothing of this reaches a PDF or the audio."""
        from ..preview_panel import add_panel, page_findings
        data, checked, (today, rules, easy_read_rules) = self.pages[src], self.project.check_all(), self._panel_rules
        shown = self.project.shown(data.path)
        findings = page_findings(data, shown, self.glossary, self.options, today, settings=self.project.settings,
                                 rules=rules, easy_reads=self.easy_read_docs.values(), easy_read_rules=easy_read_rules,
                                 problems=[p for p in checked.problems if p.path == shown])
        output = add_panel(output, findings)
        # Its stylesheet sits beside the theme's (the same folder, so the same relative address).
        return re.sub(r'(<link[^>]*href="([^"]*)assets/stylesheets/clearinfo\.css"[^>]*>)',
                      lambda m: f'{m.group(1)}<link rel="stylesheet" href="{m.group(2)}{PREVIEW_STYLESHEET}">',
                      output, count=1)

    def finish_template(self, output: str, skip_text: str = SKIP_TEXT) -> str:
        """Every HTML file the site has carries its landmarks, toggles and Content-Security-Policy."""
        output, hashes = apply_policy(fix_toggles(fix_landmarks(output, skip_text)),
                                      self.project.settings.council.get("feedback"), self.site_url)
        self.script_hashes += [h for h in hashes if h not in self.script_hashes]
        return output

    # --- 8. The site folder ----------------------------------------------------------------------

    def watched(self) -> list[str]:
        """Folders whose changes the preview rebuilds for, besides the content (Easy Read sources)."""
        return [str(self.project.easy_read_dir)] if self.project.easy_read_dir.is_dir() else []

    def write(self, site_dir: Path) -> None:
        with self._timed("Writing the formats", {}):
            self._write(site_dir)

    def _write(self, site_dir: Path) -> None:
        copy_fonts(self.project.vendor_dir, site_dir, self.warn)
        if self.preview:  # the author panel's stylesheet: never in a build's site
            from ..preview_panel import STYLESHEET
            (site_dir / PREVIEW_STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STYLESHEET, site_dir / PREVIEW_STYLESHEET)
        self.easy_read.write(site_dir)
        self.printing.write(site_dir)
        self.audio.write(site_dir)
        (site_dir / HEADERS_FILE).write_text(
            headers_file(self.script_hashes, self.project.settings.council.get("feedback")), encoding="utf-8")


def copy_fonts(vendor_dir: Path, site_dir: Path, warn: Callable[[str], None]) -> None:
    """Self-hosted fonts: nothing loads from outside the site. Each file's hash is checked as it is
    copied, so a font changed since it was fetched never reaches the site. Atkinson Hyperlegible is
    every page's font; the others carry the letters it lacks (Welsh ŵ and ŷ, Arabic script)."""
    for name in FONTS:
        if not is_fetched(vendor_dir, name):
            what = ("pages use the reader's own sans-serif font" if name == "atkinson-hyperlegible" else
                    "some letters of pages in other languages use the reader's own fonts")
            shown = {"atkinson-hyperlegible": "Atkinson Hyperlegible", "atkinson-hyperlegible-next":
                     "Atkinson Hyperlegible Next", "vazirmatn": "Vazirmatn"}[name]
            warn(f"The {shown} font files are missing or changed since they were fetched, so "
                 f"{what}. Run 'make setup' (or 'clearinfo fetch-assets') to fetch them.")
            continue
        for file in ASSETS[name]["files"].values():
            if file.startswith("fonts/"):
                target = site_dir / "assets" / file
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(verified_bytes(vendor_dir, name, file))
