"""The MkDocs adapter: each MkDocs event hands plain values to Clearinfo's build pipeline
(pipeline/__init__.py, which knows nothing of MkDocs) and gives back what it returns. ProperDocs
runs it unchanged (see engine.py). A Zensical or other adapter would call the same pipeline steps.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from ..errors import ContentErrors
from ..options import OPTIONS
from ..pipeline import SCRIPTS, STYLESHEETS, Pipeline

log = logging.getLogger("mkdocs.plugins.clearinfo")


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


def _stops_plainly(hook):
    """The pipeline stops a build with ContentErrors; MkDocs stops for a PluginError. The problems
    are kept for the command line to print (engine.plain_failure)."""
    @functools.wraps(hook)
    def run(self, *args, **kwargs):
        try:
            return hook(self, *args, **kwargs)
        except ContentErrors as e:
            ClearinfoPlugin.last_problems = list(e.problems)
            raise ContentError(str(e)) from None
    return run


class SiteFiles:
    """MkDocs' Files as the pipeline's SiteFiles."""

    def __init__(self, files, config):
        self.files, self.config = files, config

    def url_of(self, rel: str) -> str | None:
        file = self.files.get_file_from_path(rel)
        return file.url if file is not None else None

    def sources(self) -> list[str]:
        return [f.src_uri for f in self.files]

    def add(self, rel: str, markdown: str) -> None:
        self.files.append(File.generated(self.config, rel, content=markdown))

    def leave_out(self, rel: str) -> None:
        self.files.remove(self.files.get_file_from_path(rel))

    def preview_only(self, rel: str) -> None:
        self.files.get_file_from_path(rel).inclusion = InclusionLevel.DRAFT


def _with_theme_files(config):
    """Every page loads Clearinfo's stylesheet and scripts (once, however often the config is loaded)."""
    config.extra_css += [s for s in STYLESHEETS if s not in config.extra_css]
    config.extra_javascript += [s for s in SCRIPTS if s not in [str(x) for x in config.extra_javascript]]
    return config


class ClearinfoPlugin(BasePlugin[ClearinfoConfig]):
    warnings_already_shown = False  # set by engine.build when the command line has shown them
    handed_project = None  # set by engine.build for one build: the project the command already checked
    last_problems: list = []  # the problems that stopped the last build, for the command line to print
    last_report: list = []  # the last build's steps (pipeline.Stage), for the table at its end

    preview = False  # set by on_startup: the engine is serving the live preview

    def on_startup(self, *, command, dirty):
        self.preview = command == "serve"

    @_stops_plainly
    def on_config(self, config):
        self.pipeline = Pipeline.start(config.config_file_path, config.site_url, theme=config.theme,
                                       handed=self.handed_project, warn=log.warning, info=log.info,
                                       warnings_shown=self.warnings_already_shown, preview=self.preview)
        return _with_theme_files(config)

    @_stops_plainly
    def on_files(self, files, config):
        self.pipeline.plan(SiteFiles(files, config))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # 'status' is Clearinfo's (draft, in review, approved): Material would show it as an unnamed icon.
        page.meta.pop("status", None)
        return self.pipeline.page_markdown(page.file.src_uri, markdown)

    def on_page_content(self, html, page, config, files):
        return self.pipeline.page_html(page.file.src_uri, page.url, page.title, html)

    @_stops_plainly
    def on_env(self, env, config, files):
        self.pipeline.all_pages_rendered()  # every page's HTML exists, and no page is written yet
        return env

    def on_page_context(self, context, page, config, nav):
        return {**context, **self.pipeline.page_context(page.file.src_uri, page.canonical_url or page.url,
                                                        page.title or "")}

    def on_template_context(self, context, template_name, config):
        return {**context, **self.pipeline.template_context()}

    def on_post_page(self, output, page, config):
        return self.pipeline.finish_page(page.file.src_uri, output)

    def on_post_template(self, output_content, template_name, config):
        return self.pipeline.finish_template(output_content) if template_name.endswith(".html") else output_content

    def on_serve(self, server, config, builder):
        for folder in self.pipeline.watched():  # the preview rebuilds when an Easy Read source changes, too
            server.watch(folder)
        return server

    def on_post_build(self, config):
        self.pipeline.write(Path(config.site_dir))
        type(self).last_report = self.pipeline.report
