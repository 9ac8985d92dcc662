"""The full build: check the content, build into a temporary folder, then swap it into place.

A failed build never leaves a half-written site: the old site stays as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentErrors, errors_only
from .project import Project


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    seconds: float
    warnings: list


def build_site(project: Project, site_dir: Path | None = None, *, strict: bool = False,
               verbose: bool = False, say=print) -> BuildResult:
    started = time.monotonic()
    site_dir = (site_dir or project.site_dir).resolve()
    say(f"Checking the pages in {project.content_dir.name}/ ...")
    pages, problems = project.check_content()
    warnings = [p for p in problems if not p.is_error]
    for w in warnings:
        say(f"Warning: {w}")
    if errors_only(problems) or (strict and warnings):
        raise ContentErrors(problems if strict else errors_only(problems))
    say(f"  {len(pages)} pages are fine.")

    from .plugin import engine  # the edge: only here does MkDocs run

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        say("Building the website ...")
        engine.build(project.config_path, tmp, strict=strict, verbose=verbose)
        _swap_into_place(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    seconds = time.monotonic() - started
    say(f"Done in {seconds:.1f} seconds. The site is in {os.path.relpath(site_dir)}/")
    return BuildResult(site_dir, len(pages), seconds, warnings)


def _swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new in two renames, so readers never see a half-built site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
