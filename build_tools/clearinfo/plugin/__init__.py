"""The MkDocs plugin: thin hooks that wire Clearinfo's plain functions into a MkDocs build.

This package is the only place that imports MkDocs (see DESIGN.md: keep MkDocs at the edge).
"""
from __future__ import annotations

import datetime
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from ..errors import ContentErrors, errors_only
from ..furniture import furniture
from ..options import OPTIONS
from ..project import Project
from ..content.duties import coverage_page
from ..content.printed import PAGE as PRINTED_PAGE, fill_markers, printed_copies_page
from .easy_read import EasyReadStep
from .audio import AudioStep
from .printing import PrintStep
from ..content.glossary import glossary_html, link_first_uses
from ..content.languages import in_site_language, translation_links
from ..content.pages import load_page
from ..content.settings import fill_placeholders
from ..content.statement import load_report, statement_markdown
from ..theme.landmarks import fix_landmarks
from ..theme.toggles import fix_toggles
from ..theme.policy import HEADERS_FILE, apply_policy, headers_file
from ..theme.print_links import add_print_urls
from ..vendor import ASSETS, is_fetched, verified_bytes
from ..content.safe_html import check_rendered

log = logging.getLogger("mkdocs.plugins.clearinfo")

CSS = "assets/stylesheets/clearinfo.css"
COVERAGE_PAGE = "coverage.md"
JS = "assets/javascripts/clearinfo.js"
PLAYER_JS = "assets/javascripts/player.js"
DATA_SUFFIXES = (".yml", ".yaml")  # content data (glossary, references) is read, not published
# Between a page's own words and what Clearinfo adds to its Markdown (the glossary's entries, the
# statement's results): only what comes before it is the page's, and checked as content.
GENERATED_MARK = "<!-- clearinfo: generated below -->"


def _config_class(options) -> type[Config]:
    """MkDocs' config class for the plugin, one typed setting for each in options.OPTIONS. Clearinfo
    checks the values itself (project.check_options), with their lines; this only tells MkDocs the names."""
    kinds = {float: (int, float)}
    return type("ClearinfoConfig", (Config,),
                {"__module__": __name__,
                 **{o.name: c.Type(kinds.get(o.kind, o.kind), default=o.default) for o in options}})


ClearinfoConfig = _config_class(OPTIONS)


class ContentError(PluginError):
    """Content problems, already phrased for people."""


def fail(problems) -> None:
    """Stop the build for problems in the user's files (the command line prints them)."""
    ClearinfoPlugin.last_problems = list(problems)
    raise ContentError(str(ContentErrors(problems)))


class ClearinfoPlugin(BasePlugin[ClearinfoConfig]):
    # Set by clearinfo.plugin.engine when the command line has already printed the warnings.
    warnings_already_shown = False
    handed_project = None  # set by engine.build for one build: the project the command already checked
    # The problems that stopped the last build, for the command line to print.
    last_problems: list = []

    def on_config(self, config):
        if config.theme.get("font") is not False:
            raise ContentError("mkdocs.yml: set 'font: false' under 'theme:'. Otherwise Material for MkDocs "
                               "loads Google Fonts and every visitor's browser calls a third party.")
        handed = type(self).handed_project  # the project the command has read and checked already
        same = handed is not None and Path(config.config_file_path).resolve() == handed.config_path.resolve()
        self.project = handed if same else Project.load(config.config_file_path)
        self.pages = {}
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        for script in (JS, PLAYER_JS):
            if script not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(script)
        self.links = {}
        self.unsafe = []        # HTML the content checks refuse, found in pages as Markdown made them
        self.script_hashes = []  # every inline script the pages' policies allow
        return config

    def on_files(self, files, config):
        checked = self.project.check_all()
        pages, problems = checked.pages, checked.problems
        errors = errors_only(problems)
        if errors:
            fail(errors)
        if not self.warnings_already_shown:
            for p in problems:
                log.warning(str(p))
        self.pages = {p.rel: p for p in pages}
        self.glossary = checked.glossary
        self.formats = {}
        self._add_coverage_page(files, config, pages)
        self._add_printed_copies_page(files, config, pages, checked.easy_reads)
        self.printing = PrintStep(self.project, config.site_url, log.info)
        self.audio = AudioStep(self.project, self.glossary, log.info)
        self.easy_read_docs = {f"easy-read/{d.topic}.md": d for d in checked.easy_reads}
        self.easy_read = EasyReadStep(self.project, checked, config, files, log.warning, log.info)
        self.easy_read.run()
        for rel, formats in self.easy_read.formats.items():
            self.formats.setdefault(rel, []).extend(formats)
        self.links = {
            "accessibility": files.get_file_from_path(self.config.accessibility_page).url,
            "glossary": files.get_file_from_path(self.config.glossary_page).url,
        }
        for f in list(files):
            if f.src_uri.endswith(DATA_SUFFIXES):
                files.remove(f)
            elif f.src_uri in self.pages and self.pages[f.src_uri].meta["status"] == "draft":
                # Drafts show in `clearinfo serve` (marked DRAFT) but are never published.
                f.inclusion = InclusionLevel.DRAFT
        return files

    def _add_generated_page(self, files, config, name: str, text: str):
        """A page Clearinfo writes itself, checked like any other and given the same furniture."""
        path = self.project.content_dir / name
        page, problems = load_page(path, self.project.content_dir, name, self.project.settings,
                                   self.project.rules(), text=text)
        if page is None:  # a bug in Clearinfo, not the user's content
            raise ContentError(f"Clearinfo made a page ({name}) it cannot read: " + "; ".join(map(str, problems)))
        if files.get_file_from_path(name) is None:
            files.append(File.generated(config, name, content=text))
        self.pages[name] = page

    def _add_coverage_page(self, files, config, pages):
        """The council's coverage page, made from every page's 'covers'."""
        duties = self.project.duties()
        if duties:
            self._add_generated_page(files, config, COVERAGE_PAGE,
                                     coverage_page(pages, duties, self.config.default_owner, datetime.date.today()))

    def _add_printed_copies_page(self, files, config, pages, easy_reads):
        chosen = sorted((p for p in pages if p.meta.get("print") and p.meta["status"] != "draft"),
                        key=lambda p: (p.rel != "index.md", p.rel))
        if not chosen:
            return
        topics = {p.rel for p in chosen}
        titles = [d.meta["title"] for d in easy_reads if d.meta["page"] in topics]
        self._add_generated_page(files, config, PRINTED_PAGE, printed_copies_page(
            chosen, titles, self.config.default_owner, datetime.date.today()))

    def on_page_markdown(self, markdown, page, config, files):
        # 'status' is Clearinfo's (draft, in review, approved: read from self.pages). Material would
        # also show it as an unnamed icon beside the page in the menu, so Material never sees it.
        page.meta.pop("status", None)
        markdown = fill_placeholders(markdown, self.project.settings, for_html=True)
        if page.file.src_uri == self.config.glossary_page:
            markdown += f"\n\n{GENERATED_MARK}\n\n" + glossary_html(self.glossary) + "\n"
        if page.file.src_uri == self.config.accessibility_page:
            report = load_report(self.project.root / self.config.accessibility_report)
            markdown += f"\n\n{GENERATED_MARK}\n\n" + statement_markdown(report)
        return markdown

    def on_page_content(self, html, page, config, files):
        src = page.file.src_uri
        doc = self.easy_read_docs.get(src)
        if doc is not None:  # an Easy Read web page
            return self.audio.keep(src, page.url, page.title, None, html, doc.meta["audio"])
        data = self.pages.get(src)
        if data is None:
            return html
        html = self._check_safe(src, data, html)
        if src not in (self.config.glossary_page, COVERAGE_PAGE) and in_site_language(data.meta):
            council = self.project.settings
            html = link_first_uses(html, self.glossary, get_relative_url(self.links["glossary"], page.url),
                                   leave_alone=[council.text(f"council.{k}") for k in council.council])
        self.printing.keep(data, html, page.url)
        html = self.audio.keep(src, page.url, fill_placeholders(data.meta["title"], self.project.settings),
                               fill_placeholders(data.meta["summary"], self.project.settings), html,
                               data.meta["audio"], data.meta.get("language"))
        return add_print_urls(html, page.url, config.site_url)

    def _check_safe(self, src, data, html):
        """The page as Markdown made it holds only the allowed HTML (attr_list can add attributes the
        Markdown check cannot see). Problems are gathered and stop the build before anything is written."""
        own, mark, generated = html.partition(GENERATED_MARK)
        if src not in (COVERAGE_PAGE, PRINTED_PAGE):  # those two are written wholly by Clearinfo
            shown = f"{self.project.content_dir.name}/{src}"
            self.unsafe += check_rendered(own, shown, data.body, data.body_line)
        return own + generated if mark else html

    def on_env(self, env, config, files):
        # Every page's HTML exists now, and no page has been written yet.
        if self.unsafe:
            fail(self.unsafe)
        self.printing.run(self.easy_read.prepared)
        self.audio.run()
        for rel, formats in self.printing.formats.items():
            self.formats.setdefault(rel, []).extend(formats)
        pages = list(self.pages.values())
        for rel, links in translation_links(pages, lambda rel: files.get_file_from_path(rel).url).items():
            self.formats.setdefault(rel, []).extend(links)
        return env

    def on_page_context(self, context, page, config, nav):
        data = self.pages.get(page.file.src_uri)
        if data is not None:
            context["clearinfo"] = furniture(data, self.project.settings, page.canonical_url or page.url,
                                             self.formats.get(page.file.src_uri))
        return self.on_template_context(context, None, config)

    def on_template_context(self, context, template_name, config):
        context["council"] = self.project.settings.council
        context["clearinfo_links"] = self.links
        if template_name is None and "page" in context and context["page"] is not None:
            context["clearinfo_audio"] = self.audio.players.get(context["page"].file.src_uri)
        return context

    def on_post_page(self, output, page, config):
        if page.file.src_uri == PRINTED_PAGE:
            output = fill_markers(output, self.printing.pack_sizes)
        return self._protect(fix_toggles(fix_landmarks(output)), config)

    def on_post_template(self, output_content, template_name, config):
        if not template_name.endswith(".html"):
            return output_content
        return self._protect(fix_toggles(fix_landmarks(output_content)), config)

    def _protect(self, output, config):
        """Every page carries its Content-Security-Policy (theme/policy.py)."""
        output, hashes = apply_policy(output, self.project.settings.council.get("feedback"), config.site_url)
        self.script_hashes += [h for h in hashes if h not in self.script_hashes]
        return output

    def on_serve(self, server, config, builder):
        # The preview rebuilds when an Easy Read source or a council picture changes, too.
        if self.project.easy_read_dir.is_dir():
            server.watch(str(self.project.easy_read_dir))
        return server

    def on_post_build(self, config):
        copy_fonts(Path(config.config_file_path).parent / self.config.vendor_dir, Path(config.site_dir))
        self.easy_read.write(Path(config.site_dir))
        self.printing.write(Path(config.site_dir))
        self.audio.write(Path(config.site_dir))
        (Path(config.site_dir) / HEADERS_FILE).write_text(
            headers_file(self.script_hashes, self.project.settings.council.get("feedback")), encoding="utf-8")


def copy_fonts(vendor_dir: Path, site_dir: Path) -> None:
    """Self-hosted fonts: nothing loads from outside the site. Each file's hash is checked as it is
    copied, so a font changed since it was fetched never reaches the site."""
    if not is_fetched(vendor_dir, "atkinson-hyperlegible"):
        log.warning("The Atkinson Hyperlegible font files are missing or changed since they were fetched, so "
                    "pages use the reader's own sans-serif font. Run 'make setup' (or 'clearinfo fetch-assets') "
                    "to fetch them.")
        return
    for file in ASSETS["atkinson-hyperlegible"]["files"].values():
        if file.startswith("fonts/"):
            target = site_dir / "assets" / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(verified_bytes(vendor_dir, "atkinson-hyperlegible", file))
