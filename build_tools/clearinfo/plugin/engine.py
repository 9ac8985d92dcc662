"""Run MkDocs for the command line: a build into a given folder, or the live preview."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..errors import ContentErrors
from . import ClearinfoPlugin


class _PlainFormatter(logging.Formatter):
    def format(self, record):
        msg = record.getMessage()
        return f"Warning: {msg}" if record.levelno == logging.WARNING else msg


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is now (not the stream at start-up)."""
    _clearinfo = True

    def emit(self, record):
        try:
            print(self.format(record), file=sys.stderr)
        except Exception:  # pragma: no cover - logging must never break the build
            self.handleError(record)


def _setup_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_clearinfo", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(_PlainFormatter())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


class EngineFailed(Exception):
    """MkDocs stopped; the message says why, in MkDocs' words or ours."""


def build(config_file: Path, site_dir: Path, *, strict: bool = False, verbose: bool = False) -> None:
    _setup_logging(verbose)
    ClearinfoPlugin.warnings_already_shown = True
    ClearinfoPlugin.last_problems = []
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
        mkdocs_build(config)
    except (Abort, ConfigurationError, PluginError) as e:
        if ClearinfoPlugin.last_problems:  # our own findings: report them like the content checks
            raise ContentErrors(ClearinfoPlugin.last_problems) from None
        raise EngineFailed(str(e)) from None
    finally:
        ClearinfoPlugin.warnings_already_shown = False


def serve(config_file: Path, dev_addr: str | None, open_browser: bool) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    _setup_logging(True)
    kwargs = {"dev_addr": dev_addr} if dev_addr else {}
    try:
        mkdocs_serve(config_file=str(config_file), livereload=True, watch_theme=True,
                     open_in_browser=open_browser, **kwargs)
    except (Abort, ConfigurationError, PluginError) as e:
        raise EngineFailed(str(e)) from None
