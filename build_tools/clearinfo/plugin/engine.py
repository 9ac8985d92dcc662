"""Run MkDocs for the command line: a build into a given folder, or the live preview.

With CLEARINFO_ENGINE=properdocs the engine is ProperDocs, a maintained fork of MkDocs 1.x: it
answers the `mkdocs` imports below (and the plugin's and Material's) with its own modules, so this
file runs it unchanged. The switch is made in choice.py, called by build.py before anything imports MkDocs.

Every way MkDocs, Material or a theme template can stop becomes EngineFailed with a plain
message (or ContentErrors, when Clearinfo's own checks stopped it), never a traceback.
"""
from __future__ import annotations

import errno
import importlib.util
import logging
import shutil
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import jinja2
import mkdocs
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.livereload import LiveReloadServer

from .choice import ENGINE_ENV, chosen_engine
from ..errors import ContentErrors, EnvironmentProblem, UserMistake
from .adapter import ClearinfoPlugin

ENGINE = mkdocs.__name__  # "mkdocs", or "properdocs" when ProperDocs stands in for it

# What the engine raises when it stops for a reason a person can fix. MkDocsException is the base
# of Abort, ConfigurationError, BuildError and PluginError, and of any class Material or another
# plugin adds later; templates (ours or the theme's) raise jinja2's errors.
ENGINE_ERRORS = (MkDocsException, ValidationError, jinja2.TemplateError)
# MkDocs says this after every failed rebuild; our own message says it in plainer words.
_REBUILD_FAILED = "An error happened during the rebuild"


class _PlainFormatter(logging.Formatter):
    def format(self, record):
        msg = record.getMessage()
        return f"Warning: {msg}" if record.levelno == logging.WARNING else msg


# The warnings the engine showed in the last build, as shown: a build with nothing changed
# shows them again (uptodate.py).
shown_warnings: list[str] = []


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is now (not the stream at start-up)."""
    _clearinfo = True

    def emit(self, record):
        try:
            line = self.format(record)
            if record.levelno >= logging.WARNING:
                shown_warnings.append(line)
            print(line, file=sys.stderr)
        except Exception:  # pragma: no cover - logging must never break the build
            self.handleError(record)


def _check_engine() -> None:
    """The engine asked for in CLEARINFO_ENGINE is the one that was loaded, or a plain reason why not."""
    wanted = chosen_engine()
    if wanted == ENGINE:
        return
    if wanted not in ("mkdocs", "properdocs"):
        raise EnvironmentProblem(f"{ENGINE_ENV} is set to '{wanted}', which Clearinfo does not know. "
                                 "Set it to 'mkdocs' or 'properdocs', or remove it.")
    if wanted == "properdocs" and importlib.util.find_spec("properdocs") is None:
        raise EnvironmentProblem(f"{ENGINE_ENV} asks for ProperDocs, but it is not installed. "
                                 "Install it with: pip install properdocs==1.6.7")
    raise EnvironmentProblem(f"{ENGINE_ENV} asks for {wanted}, but {ENGINE} was already loaded. "
                             f"Set {ENGINE_ENV} before you start Clearinfo.")


def _setup_logging(verbose: bool) -> None:
    logger = logging.getLogger(ENGINE)
    if ENGINE != "mkdocs":
        # Plugins (ours too) log to "mkdocs.*": pass that on to ProperDocs' logger, as its own
        # command does, so their warnings are shown and counted in strict mode.
        legacy = logging.getLogger("mkdocs")
        legacy.parent, legacy.propagate = logger, True
        legacy.setLevel(logging.NOTSET)
    if not any(getattr(h, "_clearinfo", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(_PlainFormatter())
        handler.addFilter(lambda record: _REBUILD_FAILED not in str(record.msg))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


class EngineFailed(UserMistake):
    """MkDocs stopped; the message says why, in MkDocs' words or ours (exit code 1)."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [f"Error: the website build stopped: {self}"]


def build(config_file: Path, site_dir: Path, *, strict: bool = False, verbose: bool = False,
          project=None) -> list:
    """Build with the engine. `project`, already read and checked by the command, is handed to the
    adapter, so the content is read and checked once a build, not twice. Returns the pipeline's
    steps (pipeline.Stage): how long each took, and what it made or reused."""
    _check_engine()
    _setup_logging(verbose)
    ClearinfoPlugin.warnings_already_shown = True
    ClearinfoPlugin.last_problems = []
    ClearinfoPlugin.handed_project = project
    ClearinfoPlugin.last_report = []
    shown_warnings.clear()
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
        mkdocs_build(config)
        return ClearinfoPlugin.last_report
    except ENGINE_ERRORS as e:
        raise plain_failure(e) from None
    finally:
        ClearinfoPlugin.warnings_already_shown = False
        ClearinfoPlugin.handed_project = None


def plain_failure(e: BaseException) -> UserMistake:
    """The engine's exception as a mistake a person can fix."""
    if ClearinfoPlugin.last_problems:  # our own findings: report them like the content checks
        return ContentErrors(ClearinfoPlugin.last_problems)
    return EngineFailed(_engine_message(e))


def _engine_message(e: BaseException) -> str:
    if isinstance(e, jinja2.TemplateSyntaxError):
        return (f"{_shown(e.filename or e.name)}, line {e.lineno}: this page template has a mistake ({e.message}). "
                "Fix it, or undo the last change to the theme.")
    if isinstance(e, jinja2.TemplateNotFound):
        return (f"the page template '{e.name}' cannot be found. Check the name after 'template:' in the page's "
                "details, or put the template in the theme's folder.")
    if isinstance(e, jinja2.TemplateError):
        return f"{_template_line(e)}a page template stopped: {e}. Fix the template, or undo the last change to it."
    if isinstance(e, Abort):  # MkDocs has already said why, just above
        return f"{e} The messages above say why."
    return str(e) or type(e).__name__


def _template_line(e: BaseException) -> str:
    """'site_overrides/main.html, line 12: ' for the template that was running, if one was."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename.endswith((".html", ".xml", ".j2"))]
    return f"{_shown(frames[-1].filename)}, line {frames[-1].lineno}: " if frames else ""


def _shown(filename: str | None) -> str:
    if not filename:
        return "a template"
    path = Path(filename)
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def serve(config_file: Path, dev_addr: str | None, open_browser: bool, on_fault=None) -> None:
    """The live preview. `on_fault(error)` is told of a fault in Clearinfo during a rebuild (the
    command line logs it to a file); without it the preview just waits for the next change."""
    from mkdocs.commands import serve as mkdocs_serve

    _check_engine()
    _setup_logging(True)
    ClearinfoPlugin.last_problems = []
    kwargs = {"dev_addr": dev_addr} if dev_addr else {}
    with _replaced(mkdocs_serve, "LiveReloadServer", _preview_server(on_fault)):
        try:
            mkdocs_serve.serve(config_file=str(config_file), livereload=True, watch_theme=True,
                               open_in_browser=open_browser, **kwargs)
        except ENGINE_ERRORS as e:
            raise plain_failure(e) from None


@contextmanager
def _replaced(module, name: str, value):
    """MkDocs' serve command makes its server from this name; ours stands in for one preview."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def _preview_server(on_fault):
    class PreviewServer(LiveReloadServer):
        """MkDocs' preview server with two changes for people. It takes its address before the
        first build, so 'already in use' is said at once, not after a minute of building. And a
        mistake made while the preview runs is printed plainly, with its file and line, and the
        preview waits for the fix, where MkDocs would print a traceback."""

        def __init__(self, builder, host, port, root, **kwargs):
            super().__init__(builder=_plain_rebuilds(builder, on_fault), host=host, port=port, root=root,
                             **kwargs)
            self._bound = False
            try:
                self.server_bind()
            except EnvironmentProblem:
                # MkDocs removes its temporary folder only once the server exists: do it here.
                if Path(root).name.startswith(("mkdocs_", "properdocs_")):
                    shutil.rmtree(root, ignore_errors=True)
                raise

        def server_bind(self):
            if self._bound:
                return
            try:
                super().server_bind()
            except OSError as e:
                self.server_close()
                raise EnvironmentProblem(address_problem(*self.server_address[:2], e)) from None
            self._bound = True

    return PreviewServer


def address_problem(host: str, port: int, e: OSError) -> str:
    """Why the preview cannot use this address, and what to do."""
    if e.errno == errno.EADDRINUSE:
        return (f"The address {host}:{port} is already in use: another preview may be running. Stop it, "
                f"or choose another port: clearinfo serve -a {host}:{port + 1}")
    if e.errno == errno.EACCES:
        return (f"This computer does not allow the preview to use port {port}. Choose a port above 1024: "
                f"clearinfo serve -a {host}:8000")
    return (f"The preview cannot use the address {host}:{port} ({e.strerror or e}). Check the address, or "
            "leave out -a to use 127.0.0.1:8000.")


def _plain_rebuilds(builder, on_fault):
    """The preview's rebuilds, each ending plainly: MkDocs prints only the message of an Abort
    (a SystemExit), so every other way a rebuild can stop is turned into one."""
    def rebuild(*args, **kwargs):
        ClearinfoPlugin.last_problems = []
        try:
            builder(*args, **kwargs)
        except (UserMistake, *ENGINE_ERRORS) as e:
            mistake = e if isinstance(e, UserMistake) else plain_failure(e)
            for line in mistake.lines():
                print(line, file=sys.stderr)
            raise Abort("The preview will update when you fix this and save the file.") from None
        except Exception as e:
            if on_fault is None:
                raise
            on_fault(e)
            raise Abort("The preview will update after your next change.") from None
    return rebuild
